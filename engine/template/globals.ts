// Functions every template can call: Jinja's range/dict/namespace and Ansible's lookup, query/q,
// now and undef. Also where relative file paths are searched for.
import { NativeText } from './concat.js';
import { PyDatetime, strftime } from './datetime.js';
import type { Vault } from '../vault/secrets.js';
import { runLookup, type LookupServices } from './lookups/index.js';
import { iterate } from './methods.js';
import { isMapping, mappingEntries, pyStr, toBool } from './python.js';
import { Namespace, PyCallable, type Runtime } from './runtime.js';
import { EvalError, Undefined, defined } from './undefined.js';
import type { PluginSource } from './plugin-source.js';

/** What globals need from the Templar. */
export interface GlobalsHost {
  searchPaths: string[];
  /** The run's vault secrets (lookup('unvault')). */
  vault?: Vault;
  renderValue(value: unknown, rt: Runtime): unknown;
  renderText: LookupServices['renderText'];
  templateVars: LookupServices['templateVars'];
  jinja2Native: boolean;
  /** Filters, tests and lookups the run adds (Python plugins). */
  plugins?: PluginSource;
}

/**
 * Text a lookup marks as NativeJinjaText (the template lookup with convert_data=False) is a
 * plain string to templates; the runtime remembers it so a `{{ lookup(...) }}` that is the whole
 * output is kept as text, as Ansible's concat keeps NativeJinjaText.
 */
function unwrapNative(v: unknown, rt: Runtime): unknown {
  if (v instanceof NativeText) {
    rt.nativeResult = v.text;
    return v.text;
  }
  if (Array.isArray(v) && v.some((x) => x instanceof NativeText)) return v.map((x) => (x instanceof NativeText ? x.text : x));
  return v;
}

/** Lookup results are unsafe unless allow_unsafe=True (Templar._lookup sets cur_context.unsafe). */
function markLookupUnsafe(ran: unknown, kw: Record<string, unknown>, rt: Runtime): void {
  const empty = ran === null || ran === undefined || (Array.isArray(ran) && !ran.length);
  if (!empty && !toBool(kw.allow_unsafe ?? false)) rt.markUnsafe();
}

/** lookup()/query() as templates see them: unsafe results, NativeJinjaText as plain text. */
function callLookup(name: unknown, terms: unknown[], kw: Record<string, unknown>, rt: Runtime, svc: LookupServices, query: boolean): unknown {
  const ran = unwrapNative(runLookup(pyStr(defined(name)), terms, kw, rt, svc, query), rt);
  markLookupUnsafe(ran, kw, rt);
  return ran;
}

/**
 * The task's search stack, ansible_search_path (the play's folder, the loader's basedir, last):
 * ctx.searchPaths (the executor's), else the `ansible_search_path` variable (with `playbook_dir`
 * appended when missing), else the Templar's paths, else cwd.
 */
export function resolveSearchPaths(rt: Runtime, host: { searchPaths: string[] }): string[] {
  if (rt.ctx?.searchPaths?.length) return rt.ctx.searchPaths;
  const fromVars = rt.vars('ansible_search_path');
  if (Array.isArray(fromVars) && fromVars.length) {
    const paths = fromVars.map(String);
    const basedir = rt.vars('playbook_dir');
    return typeof basedir === 'string' && !paths.includes(basedir) ? [...paths, basedir] : paths;
  }
  return host.searchPaths.length ? host.searchPaths : [process.cwd()];
}

/** The services lookup plugins get from the Templar (engine/template/lookups/types.ts). */
export function lookupServices(host: GlobalsHost): LookupServices {
  return {
    searchPaths: (rt) => resolveSearchPaths(rt, host),
    // the loader's basedir (the play's folder) closes the stack
    basedir: (rt) => resolveSearchPaths(rt, host).at(-1) ?? process.cwd(),
    template: (value, rt) => host.renderValue(value, rt),
    renderText: (src, rt, opts) => host.renderText(src, rt, opts),
    templateVars: (path, fullpath, dest) => host.templateVars(path, fullpath, dest),
    jinja2Native: host.jinja2Native,
    vault: host.vault,
    plugins: host.plugins,
  };
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

export function makeGlobals(svc: LookupServices): Map<string, unknown> {
  const fn = (name: string, f: PyCallable['fn']): [string, PyCallable] => [name, new PyCallable(name, f)];
  const query = (args: unknown[], kw: Record<string, unknown>, rt: Runtime): unknown => {
    const [name, ...terms] = args;
    return callLookup(name, terms, kw, rt, svc, true);
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
      return callLookup(name, terms, kw, rt, svc, false);
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
