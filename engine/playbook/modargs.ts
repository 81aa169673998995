// Finds a task's action and arguments among its keys, in every form Ansible accepts:
// `mod: {dict}`, `mod: k=v words`, free form, `action:` / `local_action:` strings or dicts,
// plus the `args:` keyword. Mirrors ansible's ModuleArgsParser rules (own implementation).
import type { SourcePos } from '../errors/index.js';
import { describeType, failAt, isDict, type LoadContext } from './context.js';
import type { ModuleFileRef } from './types.js';
import {
  BUILTIN_ACTIONS,
  CHECK_RAW_ACTIONS,
  CMD_ACTIONS,
  RAW_PARAM_ACTIONS,
  shortName,
  TASK_KEYWORDS,
} from './keywords.js';
import { isTemplate, parseKv, splitArgs, SplitError } from './splitter.js';
import { Unsafe } from '../template/python.js';

export interface ParsedAction {
  /** Short name (FQCN of ansible.builtin / ansible.legacy reduced). */
  action: string;
  /** As written. */
  rawAction: string;
  /** The task key holding the module (absent for action: / local_action:). */
  moduleKey?: string;
  args: Record<string, unknown>;
  delegateTo?: unknown;
  /** The module file found for the action when it is not a native module. */
  moduleFile?: ModuleFileRef;
}

function kv(text: string, checkRaw: boolean, pos: SourcePos): Record<string, unknown> {
  try {
    return parseKv(text, checkRaw);
  } catch (e) {
    if (e instanceof SplitError) {
      const msg = /quotes|jinja2/.test(e.message) ? `error parsing argument string, try quoting the entire line. ${e.message}` : e.message;
      return failAt(msg, pos);
    }
    throw e;
  }
}

function splitModuleString(text: string, pos: SourcePos): [string, string] {
  let tokens: string[];
  try {
    tokens = splitArgs(text);
  } catch (e) {
    return failAt((e as Error).message, pos);
  }
  if (tokens.length === 0) return failAt('no module/action detected in task.', pos);
  return [tokens[0].trim(), tokens.slice(1).join(' ')];
}

/** `mod: value` where the module name is known. */
function newStyleArgs(value: unknown, action: string, pos: SourcePos): Record<string, unknown> {
  if (value instanceof Unsafe) value = value.value; // `shell: !unsafe ...`: parsed like any string
  if (isDict(value)) return { ...value };
  if (typeof value === 'string') return kv(value, CHECK_RAW_ACTIONS.has(shortName(action)), pos);
  if (value === null || value === undefined) return {};
  return failAt(`unexpected parameter type in action: ${describeType(value)}`, pos);
}

/** `action:` / `local_action:` value: "mod k=v" or {module: mod, k: v}. */
function oldStyleArgs(value: unknown, pos: SourcePos): [string | undefined, Record<string, unknown>] {
  if (value instanceof Unsafe) value = value.value;
  if (isDict(value)) {
    if (!('module' in value)) return [undefined, {}];
    if (typeof value.module !== 'string') return failAt('the module name given to action must be a string', pos);
    const [action, rest] = splitModuleString(value.module, pos);
    const args: Record<string, unknown> = { ...value };
    delete args.module;
    Object.assign(args, kv(rest, CHECK_RAW_ACTIONS.has(shortName(action)), pos));
    if ('args' in args) {
      const inner = args.args;
      delete args.args;
      Object.assign(args, typeof inner === 'string' ? kv(inner, false, pos) : isDict(inner) ? inner : {});
    }
    return [action, args];
  }
  if (typeof value === 'string') {
    const [action, rest] = splitModuleString(value, pos);
    return [action, kv(rest, CHECK_RAW_ACTIONS.has(shortName(action)), pos)];
  }
  return failAt(`unexpected parameter type in action: ${describeType(value)}`, pos);
}

function extraArgs(value: unknown, pos: SourcePos): Record<string, unknown> {
  if (value instanceof Unsafe) value = value.value;
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    if (isTemplate(value)) return { _variable_params: value };
    return failAt(
      "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')",
      pos,
    );
  }
  if (isDict(value)) return { ...value };
  return failAt('Complex args must be a dictionary or variable string ("{{var}}").', pos);
}

/** Detect the action of a task mapping (any key that is not a task/handler keyword). */
export function parseAction(ctx: LoadContext, ds: Record<string, unknown>, pos: SourcePos): ParsedAction {
  const additional = extraArgs(ds.args, pos);
  let action: string | undefined;
  let args: Record<string, unknown> = {};
  let moduleKey: string | undefined;
  let delegateTo: unknown = ds.delegate_to;

  if ('action' in ds) [action, args] = oldStyleArgs(ds.action, pos);
  if ('local_action' in ds) {
    if (action !== undefined) failAt('action and local_action are mutually exclusive', pos);
    [action, args] = oldStyleArgs(ds.local_action ?? '', pos);
    delegateTo = 'localhost';
  }

  for (const [key, value] of Object.entries(ds)) {
    if (TASK_KEYWORDS.has(key) || key.startsWith('with_')) continue;
    if (action !== undefined) failAt(`conflicting action statements: ${action}, ${key}`, pos);
    action = key;
    moduleKey = key;
    args = newStyleArgs(value, key, pos);
  }

  if (action === undefined) return failAt('no module/action detected in task.', pos);
  const short = shortName(action);
  // a templated action name (`action: "{{ m }} k=v"`) is resolved per host when the task runs
  const templated = moduleKey === undefined && isTemplate(action);
  // a task's own `collections:` replaces the inherited list (Task.preprocess_data)
  const collections = ds.collections === undefined || ds.collections === null ? ctx.collections : ([] as unknown[]).concat(ds.collections).map(String);
  const info = BUILTIN_ACTIONS.has(short) || templated ? undefined : ctx.opts.moduleInfo(short, { written: action, collections });
  if (!BUILTIN_ACTIONS.has(short) && !info && !templated) {
    const searched = ctx.opts.moduleSearched?.(action, collections) ?? [];
    failAt(
      `couldn't resolve module/action '${action}'. This often indicates a misspelling, missing collection, or incorrect module path.` +
        (searched.length ? `\nSearched in:\n${searched.map((p) => '\t' + p).join('\n')}` : ''),
      pos,
    );
  }

  const final: Record<string, unknown> = { ...additional, ...args };
  const freeForm = RAW_PARAM_ACTIONS.has(short) || info?.freeForm === true;
  const raw = final._raw_params;
  if (raw !== undefined && raw !== '' && !freeForm) {
    delete final._raw_params;
    if (isTemplate(raw)) {
      final._variable_params = raw;
    } else {
      failAt(
        `this task '${action}' has extra params, which is only allowed in free-form modules (${[...RAW_PARAM_ACTIONS].join(', ')}); got '${String(raw)}'`,
        pos,
      );
    }
  }
  if (!CHECK_RAW_ACTIONS.has(short)) {
    for (const k of Object.keys(final)) {
      if (k.startsWith('_ansible_')) failAt(`invalid parameter specified for action '${action}': '${k}'`, pos);
    }
  }
  if (CMD_ACTIONS.has(short) && 'cmd' in final) {
    if (final._raw_params !== undefined && final._raw_params !== '') {
      failAt(
        "The 'cmd' argument cannot be used when other raw parameters are specified. Please put everything in one or the other place.",
        pos,
      );
    }
    final._raw_params = final.cmd;
    delete final.cmd;
  }
  const defaulted = ctx.moduleDefaults || (ds.module_defaults !== undefined && ds.module_defaults !== null);
  if (info?.validate && !('_variable_params' in final) && !defaulted) {
    const problem = info.validate(final);
    if (problem) failAt(`invalid arguments for '${action}': ${problem}`, pos);
  }
  return { action: short, rawAction: action, moduleKey, args: final, delegateTo, ...(info?.file ? { moduleFile: info.file } : {}) };
}

