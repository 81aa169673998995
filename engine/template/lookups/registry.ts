// The one lookup registry: the playbook loader asks it which with_<name> keywords exist, and
// lookup()/query()/q() and the with_<name> loops run its plugins. How a run's result and errors
// are handed back follows ansible-core 2.14's Templar._lookup (errors=, wantlist, joining).
import { NativeText } from '../concat.js';
import { isMapping, isTuple, pyStr, pythonTruthy } from '../python.js';
import type { Kwargs } from '../registry.js';
import type { Runtime } from '../runtime.js';
import { EvalError, UndefinedError, defined } from '../undefined.js';
import { COMMAND_LOOKUPS } from './commands.js';
import { csvfile } from './csvfile.js';
import { FILE_LOOKUPS } from './files.js';
import { ini } from './ini.js';
import { LIST_LOOKUPS } from './lists.js';
import { password } from './password.js';
import { sequence } from './sequence.js';
import { template } from './template.js';
import { LookupError, OptionsError, PluginError, type LookupCall, type LookupPlugin, type LookupServices } from './types.js';
import { VARIABLE_LOOKUPS } from './variables.js';

/** A builtin drover cannot run: known (with_<name> loads, as in Ansible), failing when used. */
function unsupported(why: string): LookupPlugin {
  return {
    run: () => {
      throw new PluginError(why);
    },
  };
}

const LOOKUPS: ReadonlyMap<string, LookupPlugin> = new Map(
  Object.entries({
    ...LIST_LOOKUPS,
    ...FILE_LOOKUPS,
    ...COMMAND_LOOKUPS,
    ...VARIABLE_LOOKUPS,
    csvfile,
    ini,
    password,
    sequence,
    template,
    url: unsupported('the url lookup is not supported by drover'),
  }),
);

/** `file`, `ansible.builtin.file` and `ansible.legacy.file` name the same plugin. */
function plugin(name: string): LookupPlugin | undefined {
  const m = /^ansible\.(?:builtin|legacy)\.([^.]+)$/.exec(name);
  return LOOKUPS.get(m ? m[1] : name);
}

/** Whether `name` is a lookup plugin (with_<name> is a valid task keyword). */
export function isLookup(name: string): boolean {
  return plugin(name) !== undefined;
}

function call(name: string, rt: Runtime, svc: LookupServices, kwargs: Kwargs, subdir?: string): LookupCall {
  return { name, rt, svc, kwargs, subdir, warn: (msg) => rt.ctx?.warn?.(msg) };
}

/** listify_lookup_plugin_terms on the templated loop: a string or a scalar becomes a one-item list. */
export function loopTerms(value: unknown): unknown {
  return Array.isArray(value) || isMapping(value) ? value : [value];
}

/**
 * with_<name>: run the plugin on the loop's terms (already templated and listified) and return
 * its items. Errors are the plugin's own, as ansible-core reports them for loops.
 */
export function runLoopLookup(name: string, terms: unknown, rt: Runtime, svc: LookupServices, subdir: string): unknown[] {
  const p = plugin(name) ?? svc.plugins?.lookup(name);
  if (!p) throw new PluginError(`Unexpected failure in finding the lookup named '${name}' in the available lookup plugins`);
  // loop items reach the task as lists, not tuples (what ansible-core's with_ loops show)
  return p.run(terms, call(name, rt, svc, {}, subdir)).map((x) => (isTuple(x) ? [...(x as unknown[])] : x));
}

const pyClass = (e: unknown) => (e instanceof PluginError ? e.pyClass : e instanceof EvalError ? 'TypeError' : 'Exception');

/** lookup() (wantlist=False unless given) and query()/q() (wantlist=True). */
export function runLookup(name: string, args: unknown[], kw: Kwargs, rt: Runtime, svc: LookupServices, query = false): unknown {
  const p = plugin(name) ?? svc.plugins?.lookup(name);
  if (!p) throw new EvalError(`lookup plugin (${name}) not found`);
  const { wantlist = false, errors = 'strict', allow_unsafe: _unsafe, ...kwargs } = kw;
  const want = query || pythonTruthy(wantlist);
  const mode = pyStr(errors);
  const terms = svc.template(args.map((a) => defined(a)), rt) as unknown[];
  let ran: unknown[];
  try {
    ran = p.run(terms, call(name, rt, svc, kwargs));
  } catch (e) {
    if (e instanceof UndefinedError || e instanceof OptionsError) throw e;
    const handled = e instanceof LookupError;
    const msg = handled
      ? `Lookup failed but the error is being ignored: ${(e as Error).message}`
      : `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class '${pyClass(e)}'>, original message: ${(e as Error).message ?? pyStr(e)}`;
    if (mode === 'warn') rt.ctx?.warn?.(msg);
    else if (mode !== 'ignore') throw handled ? e : new EvalError(msg);
    return want ? [] : null;
  }
  // a Python plugin may hand back a dict: lookup() joins its keys, as ansible-core's KeyError
  // fallback does (its deprecation of non-list results is not printed: deprecation warnings
  // are off in the reference set-up), and query() returns the dict itself
  if (isMapping(ran)) {
    const keys = Object.keys(ran);
    return want || !keys.length ? ran : keys.join(',');
  }
  if (!ran.length || want) return ran;
  if (ran.every((x) => typeof x === 'string' || x instanceof NativeText)) {
    const joined = ran.map(String).join(',');
    return ran[0] instanceof NativeText ? new NativeText(joined) : joined;
  }
  return ran.length === 1 ? ran[0] : ran;
}
