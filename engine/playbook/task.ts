// Turns one task mapping into a Task: action and args (modargs.ts), keywords checked against
// Ansible's table, with_<lookup> → loop, conditions/tags/notify normalised, include/import
// options validated.
import { ExitCode, type SourcePos } from '../errors/index.js';
import { failAt, isDict, nextId, posOf, type LoadContext, type Scope } from './context.js';
import {
  INCLUDE_KEYWORDS,
  INCLUDE_ROLE_ARGS,
  INCLUDE_TASKS_ARGS,
  LOOP_CONTROL_KEYS,
  META_ACTIONS,
  TASK_KEYWORDS,
} from './keywords.js';
import { parseAction } from './modargs.js';
import { assignDefined, BASE_STRING_FIELDS, checkStringFields, copyInherited, normList, normNames, normNotify, normTags, normVars } from './normalize.js';
import { isTemplate } from './splitter.js';
import type { LoopControl, Task } from './types.js';

const TASK_STRING_FIELDS = [...BASE_STRING_FIELDS, 'delegate_to', 'register'];
const HANDLED = new Set(['action', 'local_action', 'args', 'delegate_to', 'static', 'loop_with', 'async_val']);

function loopControl(value: unknown, pos: SourcePos): LoopControl | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isDict(value)) {
    failAt(
      'the `loop_control` value must be specified as a dictionary and cannot be a variable itself (though it can contain variables)',
      pos,
    );
  }
  for (const k of Object.keys(value)) {
    if (!LOOP_CONTROL_KEYS.has(k)) failAt(`'${k}' is not a valid attribute for a LoopControl`, pos);
  }
  return { ...value } as LoopControl;
}

function checkIncludeTasksArgs(action: string, args: Record<string, unknown>, pos: SourcePos): void {
  if (action === 'include') return;
  const bad = Object.keys(args).filter((k) => !INCLUDE_TASKS_ARGS.has(k));
  if (bad.length) failAt(`Invalid options for ${action}: ${bad.join(',')}`, pos);
  if (args.apply !== undefined && args.apply !== null) {
    if (action !== 'include_tasks') failAt(`Invalid options for ${action}: apply`, pos);
    if (!isDict(args.apply)) failAt('Expected a dict for apply but got something else instead', pos);
  }
}

function checkIncludeRoleArgs(action: string, args: Record<string, unknown>, pos: SourcePos): void {
  if (args.name === undefined && args.role === undefined) failAt(`'name' is a required field for ${action}.`, pos);
  const bad = Object.keys(args).filter((k) => !INCLUDE_ROLE_ARGS.has(k));
  if (bad.length) failAt(`Invalid options for ${action}: ${bad.join(',')}`, pos);
  if ('public' in args && action !== 'include_role') failAt(`Invalid options for ${action}: public`, pos);
  if (args.apply !== undefined && args.apply !== null) {
    if (action !== 'include_role') failAt(`Invalid options for ${action}: apply`, pos);
    if (!isDict(args.apply)) failAt('Expected a dict for apply but got something else instead', pos);
  }
  for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from']) {
    if (k in args && typeof args[k] !== 'string') failAt(`Expected a string for ${k} but got something else instead`, pos);
  }
}

/** `include`/`include_tasks`/`import_tasks`: `file:` → `_raw_params`, options checked. */
function normaliseIncludeArgs(action: string, args: Record<string, unknown>, pos: SourcePos): void {
  checkIncludeTasksArgs(action, args, pos);
  if (args._raw_params === undefined || args._raw_params === '' || args._raw_params === null) {
    args._raw_params = args.file;
    delete args.file;
    if (!args._raw_params) failAt(`No file specified for ${action}`, pos);
  }
}

/** Build a Task from a mapping (a handler when scope.handlers). */
export function buildTask(ctx: LoadContext, ds: Record<string, unknown>, scope: Scope): Task {
  const pos = posOf(ctx, ds, scope.file);
  const parsed = parseAction(ctx, ds, pos);
  const { action } = parsed;
  const isInclude = action === 'include_tasks' || action === 'include_role';

  const task: Task = {
    kind: 'task',
    action,
    args: parsed.args,
    origin: { pos, baseDir: scope.baseDir, ...(scope.role ? { role: scope.role } : {}) },
    id: nextId(ctx),
  };
  if (parsed.rawAction !== action) task.rawAction = parsed.rawAction;
  if (parsed.moduleFile) task.moduleFile = parsed.moduleFile;

  let loopName: string | undefined;
  for (const [key, value] of Object.entries(ds)) {
    if (HANDLED.has(key) || key === parsed.moduleKey) continue;
    if (key.startsWith('with_')) {
      const lookup = key.slice(5);
      if (!ctx.opts.lookups(lookup)) {
        failAt(`'${key}' is not a valid attribute for a Task`, pos);
      }
      if (loopName !== undefined || ds.loop !== undefined) failAt(`duplicate loop in task: ${lookup}`, pos);
      if (value === null || value === undefined) failAt(`you must specify a value when using ${key}`, pos);
      loopName = lookup;
      continue;
    }
    if (!TASK_KEYWORDS.has(key) || (key === 'listen' && !scope.handlers)) {
      failAt(`'${key}' is not a valid attribute for a Task`, pos);
    }
    // a HandlerTaskInclude is a Handler too: it may listen
    if (isInclude && value !== undefined && !INCLUDE_KEYWORDS.has(key) && !(key === 'listen' && scope.handlers)) {
      failAt(`'${key}' is not a valid attribute for a ${action === 'include_role' ? 'IncludeRole' : 'TaskInclude'}`, pos);
    }
  }
  if (isInclude && parsed.delegateTo !== undefined) {
    failAt(`'delegate_to' is not a valid attribute for a ${action === 'include_role' ? 'IncludeRole' : 'TaskInclude'}`, pos);
  }

  checkStringFields(ds, TASK_STRING_FIELDS, pos);
  if (ds.name !== undefined && ds.name !== null && ds.name !== '') task.name = String(ds.name);
  copyInherited(task, ds);
  if (parsed.delegateTo !== undefined) task.delegate_to = parsed.delegateTo;
  assignDefined(task, {
    vars: normVars(ds.vars, 'Task', pos),
    when: normList(ds.when),
    tags: normTags(ds.tags, pos),
    register: ds.register === undefined || ds.register === null ? undefined : String(ds.register),
    loop: loopName !== undefined ? ds[`with_${loopName}`] : ds.loop === null ? undefined : ds.loop,
    loopWith: loopName,
    loop_control: loopControl(ds.loop_control, pos),
    changed_when: normList(ds.changed_when),
    failed_when: normList(ds.failed_when),
    until: normList(ds.until),
    retries: ds.retries ?? undefined,
    delay: ds.delay ?? undefined,
    async: ds.async ?? ds.async_val ?? undefined,
    poll: ds.poll ?? undefined,
    notify: normNotify(ds.notify, pos),
  });
  if (scope.handlers) {
    const topics = normNames(ds.listen, 'listen', pos) ?? [];
    const names = task.name ? [task.name] : [];
    if (task.name && scope.role) names.push(`${scope.role.name} : ${task.name}`);
    task.listen = [...names, ...topics];
  }

  if (action === 'include' || action === 'include_tasks' || action === 'import_tasks') {
    normaliseIncludeArgs(action, task.args, pos);
  } else if (action === 'include_role' || action === 'import_role') {
    checkIncludeRoleArgs(action, task.args, pos);
  } else if (action === 'meta') {
    const what = task.args._raw_params;
    if (typeof what !== 'string' || (!META_ACTIONS.has(what.trim()) && !isTemplate(what))) {
      // checked at load (ansible-playbook: when the task runs), with its exit code (AnsibleError)
      failAt(`invalid meta action requested: ${String(what)}`, pos, ExitCode.ERROR);
    }
    task.args._raw_params = what.trim();
  }
  return task;
}
