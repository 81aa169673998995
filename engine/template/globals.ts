// Functions every template can call: Jinja's range/dict/namespace and Ansible's lookup, query/q,
// now and undef. Also where relative file paths are searched for.
import { NativeText } from './concat.js';
import { PyDatetime, strftime } from './datetime.js';
import { iterate } from './methods.js';
import { findFile, runLookup, runQuery, type LookupServices } from './lookups.js';
import { isMapping, mappingEntries, pyStr, toBool } from './python.js';
import { Namespace, PyCallable, type Runtime } from './runtime.js';
import { EvalError, Undefined, defined } from './undefined.js';

export { findFile };

/** What globals need from the Templar. */
export interface GlobalsHost {
  searchPaths: string[];
  /** lookup('template'): render the file at `path` (named `term`) with the lookup's options. */
  renderTemplateLookup(path: string, term: string, kw: Record<string, unknown>, rt: Runtime): unknown;
  /** Template a value in the current render (lookup terms may hold `{{ }}` themselves). */
  renderValue(value: unknown, rt: Runtime): unknown;
}

/** listify_lookup_plugin_terms: the terms are templated before the plugin sees them. */
function templateTerms(host: GlobalsHost, terms: unknown[], rt: Runtime): unknown[] {
  return terms.map((t) => host.renderValue(t, rt));
}

/**
 * Text a lookup marked as NativeJinjaText (the template lookup with convert_data=False) is a
 * plain string to templates; the runtime remembers it so a `{{ lookup(...) }}` that is the whole
 * output is kept as text, as Ansible's concat keeps NativeJinjaText.
 */
function unwrapNative(v: unknown, rt: Runtime, mark: boolean): unknown {
  if (v instanceof NativeText) {
    if (mark) rt.nativeResult = v.text;
    return v.text;
  }
  if (Array.isArray(v) && v.some((x) => x instanceof NativeText)) {
    if (mark && v.every((x) => x instanceof NativeText)) {
      const joined = v.map((x: NativeText) => x.text).join(',');
      rt.nativeResult = joined;
      return joined;
    }
    return v.map((x) => (x instanceof NativeText ? x.text : x));
  }
  return v;
}

/** Lookup results are unsafe unless allow_unsafe=True (Templar._lookup sets cur_context.unsafe). */
function markLookupUnsafe(ran: unknown, kw: Record<string, unknown>, rt: Runtime): void {
  // lookup() joins its list, so '' may stand for [''] (unsafe in Ansible) as well as for []
  const empty = ran === null || ran === undefined || (Array.isArray(ran) && !ran.length);
  if (!empty && !toBool(kw.allow_unsafe ?? false)) rt.markUnsafe();
}

function lookupServices(host: GlobalsHost): LookupServices {
  return {
    searchPaths: (rt) => resolveSearchPaths(rt, host),
    renderFile: (path, rt, term, kw) => host.renderTemplateLookup(path, term ?? path, kw ?? {}, rt),
  };
}

/**
 * ctx.searchPaths, else the `ansible_search_path` variable followed by `playbook_dir` (the
 * play's folder, Ansible's loader basedir), else the Templar's, else cwd.
 */
export function resolveSearchPaths(rt: Runtime, host: { searchPaths: string[] }): string[] {
  if (rt.ctx?.searchPaths?.length) return rt.ctx.searchPaths;
  const fromVars = rt.vars('ansible_search_path');
  if (Array.isArray(fromVars) && fromVars.length) {
    const basedir = rt.vars('playbook_dir');
    return [...fromVars.map(String), ...(typeof basedir === 'string' ? [basedir] : [])];
  }
  return host.searchPaths.length ? host.searchPaths : [process.cwd()];
}

function pyRange(args: unknown[]): number[] {
  const nums = args.map((a) => Number(defined(a)));
  if (nums.some((n) => !Number.isInteger(n))) throw new EvalError('range() arguments must be integers');
  const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new EvalError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new EvalError('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  }
  return out;
}

export function makeGlobals(host: GlobalsHost): Map<string, unknown> {
  const svc = lookupServices(host);
  const fn = (name: string, f: PyCallable['fn']): [string, PyCallable] => [name, new PyCallable(name, f)];
  const query = (args: unknown[], kw: Record<string, unknown>, rt: Runtime): unknown[] => {
    const [name, ...terms] = args;
    const ran = unwrapNative(runQuery(pyStr(defined(name)), templateTerms(host, terms, rt), kw, rt, svc), rt, false) as unknown[];
    markLookupUnsafe(ran, kw, rt);
    return ran;
  };
  return new Map<string, unknown>([
    fn('range', (args) => pyRange(args)),
    fn('dict', (args, kw) => {
      const out: Record<string, unknown> = {};
      if (args.length) {
        const src = defined(args[0]);
        const pairs = isMapping(src) ? mappingEntries(src) : iterate(src).map((p) => iterate(p) as [unknown, unknown]);
        for (const [k, v] of pairs) out[pyStr(k)] = v;
      }
      return Object.assign(out, kw);
    }),
    fn('namespace', (args, kw) => {
      const ns = new Namespace();
      if (args.length && isMapping(args[0])) for (const [k, v] of mappingEntries(args[0])) ns.attrs.set(pyStr(k), v);
      for (const [k, v] of Object.entries(kw)) ns.attrs.set(k, v);
      return ns;
    }),
    fn('lookup', (args, kw, rt) => {
      const [name, ...terms] = args;
      const wantlist = toBool(kw.wantlist ?? false);
      const ran = unwrapNative(runLookup(pyStr(defined(name)), templateTerms(host, terms, rt), kw, rt, svc), rt, !wantlist);
      markLookupUnsafe(ran, kw, rt);
      return ran;
    }),
    fn('query', query),
    fn('q', query),
    fn('now', (args, kw) => {
      const utc = toBool(args[0] ?? kw.utc ?? false);
      const fmt = args[1] ?? kw.fmt;
      const dt = PyDatetime.fromDate(new Date(), utc);
      return fmt === undefined || fmt === null ? dt : strftime(new Date(dt.ms), pyStr(fmt));
    }),
    fn('undef', (args, kw) => {
      const hint = args[0] ?? kw.hint;
      return new Undefined(hint === undefined || hint === null ? 'Mandatory variable has not been overridden' : pyStr(hint), '');
    }),
  ]);
}

/** `lookup`/`query` for callers outside templates (the executor's `with_<lookup>` loops). */
export function queryPlugin(host: GlobalsHost, name: string, terms: unknown[], kw: Record<string, unknown>, rt: Runtime): unknown[] {
  return unwrapNative(runQuery(name, terms, kw, rt, lookupServices(host)), rt, false) as unknown[];
}
