// The filter and test tables the compiler resolves names against. Filter and test modules add
// themselves here; filters such as `map` and `select` look others up by name at run time.
import type { Runtime } from './runtime.js';

export type Kwargs = Record<string, unknown>;

export interface FilterSpec {
  fn: (value: any, args: any[], kwargs: Kwargs, rt: Runtime) => unknown;
  /** Receives Undefined input/arguments itself (default, mandatory...); others fail on them. */
  undefinedOk?: boolean;
  /** Result is text that must not be turned back into data (Ansible's NativeJinjaText). */
  nativeText?: boolean;
}

export interface TestSpec {
  fn: (value: any, args: any[], kwargs: Kwargs, rt: Runtime) => boolean;
  undefinedOk?: boolean;
}

export const filters = new Map<string, FilterSpec>();
export const tests = new Map<string, TestSpec>();

type FilterFn = FilterSpec['fn'];
type TestFn = TestSpec['fn'];

/** ansible.constants.STRING_TYPE_FILTERS: their text result is never literal_eval'd back into data. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

export function addFilters(table: Record<string, FilterFn | FilterSpec>): void {
  for (const [name, f] of Object.entries(table)) {
    const spec = typeof f === 'function' ? { fn: f } : f;
    filters.set(name, STRING_TYPE_FILTERS.has(name) ? { ...spec, nativeText: spec.nativeText ?? true } : spec);
  }
}

export function addTests(table: Record<string, TestFn | TestSpec>): void {
  for (const [name, t] of Object.entries(table)) tests.set(name, typeof t === 'function' ? { fn: t } : t);
}

/** `ansible.builtin.to_json` → `to_json`: collection prefixes are accepted and ignored. */
export function shortName(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

/** Positional-or-keyword argument, Python style. */
export function arg<T = unknown>(args: unknown[], kwargs: Kwargs, index: number, name: string, dflt?: T): T {
  if (index < args.length && args[index] !== undefined) return args[index] as T;
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name] as T;
  return dflt as T;
}
