// Module argument validation with Ansible's argspec behaviour on top of ajv: aliases
// (`x-aliases`), conversion of 'yes'/'no' and numeric strings, unknown-argument, required,
// choices and mutually-exclusive checks worded as Ansible words them. Each schema compiles once.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ModuleDefinition } from './types.js';

/** Schema keywords drover adds to JSON Schema (annotations for ajv, enforced here). */
export const CUSTOM_KEYWORDS = [
  'x-aliases',
  'x-mutually-exclusive',
  'x-required-one-of',
  'x-required-together',
  'x-required-if',
] as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: false });
for (const k of CUSTOM_KEYWORDS) ajv.addKeyword({ keyword: k });

const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0']);
const VALID_BOOLEANS = "'on', 1, 0, 't', 'f', 'off', '0', '1', 'n', 'no', 'y', 'false', 'true', 'yes'";

interface PropSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  'x-aliases'?: string[];
  [k: string]: unknown;
}

interface Compiled {
  props: Record<string, PropSchema>;
  aliasOf: Map<string, string>;
  validate: ValidateFunction;
}

const cache = new WeakMap<object, Compiled>();

function compile(schema: Record<string, unknown>): Compiled {
  let c = cache.get(schema);
  if (c) return c;
  const props = (schema.properties ?? {}) as Record<string, PropSchema>;
  const aliasOf = new Map<string, string>();
  for (const [name, p] of Object.entries(props)) for (const a of p['x-aliases'] ?? []) aliasOf.set(a, name);
  // Required/unknown/exclusive checks are done here with Ansible's wording; ajv checks values.
  const { required: _r, additionalProperties: _a, ...rest } = schema;
  c = { props, aliasOf, validate: ajv.compile({ ...rest, type: 'object' }) };
  cache.set(schema, c);
  return c;
}

/** Ansible's boolean(): 'yes'/'no'/'on'/'off'/'true'/'false'/1/0 → boolean, else undefined. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (typeof v === 'number' || typeof v === 'string') {
    if (BOOL_TRUE.has(s)) return true;
    if (BOOL_FALSE.has(s)) return false;
  }
  return undefined;
}

/** Python-ish type name for messages. */
function pyType(v: unknown): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'NoneType';
  return 'dict';
}

function pyStr(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

function matchesType(v: unknown, t: string): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'null':
      return v === null;
    default:
      return true;
  }
}

const ANS_TYPE: Record<string, string> = { string: 'str', boolean: 'bool', integer: 'int', number: 'float', array: 'list', object: 'dict' };

/** Convert a value to one JSON Schema type as Ansible's argspec would; {error} when it cannot. */
function convert(name: string, v: unknown, t: string): { value: unknown } | { error: string } {
  const fail = (why: string) => ({
    error: `argument '${name}' is of type <class '${pyType(v)}'> and we were unable to convert to ${ANS_TYPE[t] ?? t}: ${why}`,
  });
  switch (t) {
    case 'boolean': {
      const b = toBool(v);
      if (b === undefined) return fail(`The value '${pyStr(v)}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`);
      return { value: b };
    }
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return { value: v };
      if (typeof v === 'number' && Number.isFinite(v) && v === Math.trunc(v)) return { value: v };
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return { value: parseInt(v, 10) };
      return fail(`<class '${pyType(v)}'> cannot be converted to an int`);
    case 'number':
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return { value: Number(v) };
      return fail(`<class '${pyType(v)}'> cannot be converted to a float`);
    case 'string':
      if (typeof v === 'number' || typeof v === 'boolean') return { value: pyStr(v) };
      return fail(`'${pyType(v)}' cannot be converted to a str`);
    case 'array':
      if (typeof v === 'string') return { value: v.split(',') };
      if (typeof v === 'number') return { value: [String(v)] };
      return fail(`<class '${pyType(v)}'> cannot be converted to a list`);
    case 'object':
      if (typeof v === 'string') {
        try {
          const o = JSON.parse(v);
          if (o && typeof o === 'object' && !Array.isArray(o)) return { value: o };
        } catch {
          const kv = Object.fromEntries(
            v
              .split(/\s+/)
              .filter(Boolean)
              .map((w) => {
                const i = w.indexOf('=');
                return i < 0 ? [w, null] : [w.slice(0, i), w.slice(i + 1)];
              }),
          );
          if (Object.values(kv).every((x) => x !== null)) return { value: kv };
        }
      }
      return fail(`dictionary requested, could not parse JSON or key=value`);
    default:
      return { value: v };
  }
}

function coerce(name: string, v: unknown, schema: PropSchema): { value: unknown } | { error: string } {
  if (schema.type === undefined || v === null) return { value: v };
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.some((t) => matchesType(v, t))) return { value: v };
  let first: { error: string } | undefined;
  for (const t of types) {
    const r = convert(name, v, t);
    if ('value' in r) return r;
    first ??= r;
  }
  return first!;
}

function formatAjvError(e: ErrorObject, props: Record<string, PropSchema>, args: Record<string, unknown>): string {
  const name = e.instancePath.split('/')[1] ?? '';
  if (e.keyword === 'enum' && name && e.instancePath === '/' + name) {
    const choices = (props[name]?.enum ?? []).map(String).join(', ');
    return `value of ${name} must be one of: ${choices}, got: ${pyStr(args[name])}`;
  }
  const where = name ? `argument '${e.instancePath.slice(1).replace(/\//g, '.')}'` : 'arguments';
  return `${where} ${e.message ?? 'is invalid'}`;
}

export interface PreparedArgs {
  /** Arguments with aliases resolved, values converted and defaults applied. */
  args: Record<string, unknown>;
  /** First problem found, worded as Ansible does; null when the arguments are valid. */
  error: string | null;
}

export interface ValidateOptions {
  /**
   * Let values holding `{{ }}`/`{% %}` through without type checks (they are checked again after
   * templating at run time). Default true: the playbook loader validates untemplated arguments.
   */
  allowTemplates?: boolean;
}

/** Normalise and validate a module's arguments. */
export function prepareArgs(mod: ModuleDefinition, input: Record<string, unknown>, opts: ValidateOptions = {}): PreparedArgs {
  if (mod.opaqueArgs) return { args: { ...(input ?? {}) }, error: null };
  const allowTemplates = opts.allowTemplates ?? true;
  const schema = mod.schema;
  const c = compile(schema);
  const args: Record<string, unknown> = {};
  const fail = (error: string): PreparedArgs => ({ args, error });

  // 1. aliases → canonical names; unknown arguments.
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(input ?? {})) {
    if (k.startsWith('_ansible_')) continue;
    if (k === '_raw_params' && mod.freeForm) {
      args[k] = v;
      continue;
    }
    const canon = c.props[k] ? k : c.aliasOf.get(k);
    if (!canon) {
      unknown.push(k);
      continue;
    }
    if (canon !== k && canon in input) continue; // canonical name wins over its alias
    args[canon] = v;
  }
  if (unknown.length) {
    const names = Object.keys(c.props)
      .filter((n) => !n.startsWith('_'))
      .sort();
    const aliases = [...c.aliasOf.keys()].sort();
    const al = aliases.length ? ` (${aliases.join(', ')})` : '';
    return fail(
      `Unsupported parameters for (${mod.name}) module: ${unknown.sort().join(', ')}. Supported parameters include: ${names.join(', ')}${al}.`,
    );
  }

  // 2. combinations (on what the user gave, before defaults).
  const given = (k: string) => args[k] !== undefined && args[k] !== null;
  for (const group of (schema['x-mutually-exclusive'] ?? []) as string[][]) {
    const set = group.filter(given);
    if (set.length > 1) return fail(`parameters are mutually exclusive: ${group.join('|')}`);
  }
  const required = ((schema.required ?? []) as string[]).filter((k) => !given(k));
  if (required.length) return fail(`missing required arguments: ${required.sort().join(', ')}`);
  for (const group of (schema['x-required-one-of'] ?? []) as string[][]) {
    if (!group.some(given)) return fail(`one of the following is required: ${group.join(', ')}`);
  }
  for (const group of (schema['x-required-together'] ?? []) as string[][]) {
    const set = group.filter(given);
    if (set.length && set.length !== group.length) return fail(`parameters are required together: ${group.join(', ')}`);
  }
  for (const [key, value, reqs, anyOf] of (schema['x-required-if'] ?? []) as [string, unknown, string[], boolean?][]) {
    // Ansible applies (non-None) defaults before checking required_if
    if ((args[key] ?? c.props[key]?.default) !== value) continue;
    const missing = reqs.filter((k) => !given(k));
    if (anyOf ? missing.length === reqs.length : missing.length > 0) {
      return fail(`${key} is ${pyStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`);
    }
  }

  // 3. conversions, then ajv on everything that is not a template, then defaults.
  const checked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const p = c.props[k];
    if (!p || (allowTemplates && isTemplated(v))) continue;
    const r = coerce(k, v, p);
    if ('error' in r) return fail(r.error);
    args[k] = r.value;
    if (r.value !== null) checked[k] = r.value;
  }
  if (!c.validate(checked)) {
    return fail(formatAjvError(c.validate.errors![0], c.props, args));
  }
  for (const [k, p] of Object.entries(c.props)) {
    if ((args[k] === undefined || args[k] === null) && p.default !== undefined) args[k] = typeof p.default === 'object' && p.default !== null ? structuredClone(p.default) : p.default;
  }
  return { args, error: null };
}

/** Validate a module's arguments: null when valid, else a message naming the argument. */
export function validateArgs(mod: ModuleDefinition, args: Record<string, unknown>, opts?: ValidateOptions): string | null {
  return prepareArgs(mod, args, opts).error;
}
