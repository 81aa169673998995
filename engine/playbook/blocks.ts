// Lists of tasks and blocks: block/rescue/always, static imports (import_tasks, import_role,
// old static `include`) expanded at parse time into keyword-carrying blocks, handler lists
// flattened, and the lookup of relative task files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SourcePos } from '../errors/index.js';
import {
  describeType,
  fail,
  failAt,
  fileScope,
  isDict,
  nextId,
  posOf,
  renderStatic,
  type LoadContext,
  type Scope,
} from './context.js';
import { toBool } from '../executor/truthy.js';
import { BLOCK_KEYWORDS } from './keywords.js';
import { assignDefined, copyInherited, inheritInto, normList, normNotify, normTags, normVars, parentKeywords } from './normalize.js';
import { expandRoleRef, type RoleEntry } from './roles.js';
import { isTemplate } from './splitter.js';
import { buildTask } from './task.js';
import type { Block, CommonKeywords, Item, RoleRef, Task } from './types.js';
import { loadYamlFile } from './yaml.js';

const MAX_DEPTH = 64;

export interface IncludeLookup {
  /** Directory of the file the include/import was written in. */
  baseDir: string;
  /** Directories of enclosing imports (innermost first). */
  parentDirs?: string[];
  role?: RoleRef;
  playbookDir: string;
  handlers?: boolean;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where an include/import target lives: absolute as is; else the including file's dir, the
 * enclosing imports' dirs, the role's tasks/ (handlers/) dir and the role dir, then the
 * playbook dir. Undefined when no candidate exists.
 */
export function resolveIncludePath(target: string, from: IncludeLookup): string | undefined {
  if (isAbsolute(target)) return isFile(target) ? target : undefined;
  const dirs = [from.baseDir, ...(from.parentDirs ?? [])];
  if (from.role) dirs.push(join(from.role.path, from.handlers ? 'handlers' : 'tasks'), from.role.path);
  dirs.push(from.playbookDir);
  for (const dir of dirs) {
    const candidate = resolve(dir, target);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Read a task file (list of tasks/blocks) in the given scope. */
export function loadTaskList(ctx: LoadContext, file: string, scope: Scope, pos?: SourcePos, loaded?: (data: unknown) => void): Item[] {
  if (scope.depth > MAX_DEPTH) failAt(`import nesting deeper than ${MAX_DEPTH} levels (recursive import of ${file}?)`, pos ?? { file });
  const data = loadYamlFile(file, ctx.positions, pos, ctx.opts.yaml);
  loaded?.(data);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) {
    const pos = data !== null && typeof data === 'object' ? posOf(ctx, data, file) : documentStart(file);
    failAt('included task files must contain a list of tasks', pos);
  }
  return loadItems(ctx, data, scope, 'tasks');
}

/** Where a scalar document starts (its first line of content), as Ansible's error points at it. */
function documentStart(file: string): SourcePos {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.trim() !== '' && !/^\s*(#|---\s*$|%)/.test(l));
  return i < 0 ? { file } : { file, line: i + 1, column: lines[i].search(/\S/) + 1 };
}

function isBlockDs(ds: Record<string, unknown>): boolean {
  return 'block' in ds || 'rescue' in ds || 'always' in ds;
}

/** Load a task list; in handler scope blocks and imports are flattened into handler tasks. */
export function loadItems(ctx: LoadContext, list: unknown, scope: Scope, section: string): Item[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) {
    fail(ctx, `A malformed block was encountered while loading ${section}: expected a list of tasks, got ${describeType(list)}`, list, scope.file);
  }
  const out: Item[] = [];
  for (const entry of list) {
    if (entry === null || entry === undefined) continue;
    if (!isDict(entry)) {
      const shown = typeof entry === 'string' ? `: '${entry}'` : '';
      fail(ctx, `A malformed block was encountered while loading ${section}: a task must be a mapping, got ${describeType(entry)}${shown}`, list, scope.file);
    }
    if (isBlockDs(entry)) out.push(...loadBlock(ctx, entry, scope));
    else out.push(...expandTask(ctx, buildTask(ctx, entry, scope), scope));
  }
  return out;
}

function blockList(ctx: LoadContext, ds: Record<string, unknown>, key: string, scope: Scope): Item[] {
  const value = ds[key];
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) fail(ctx, `'${key}' of a block must be a list of tasks, got ${describeType(value)}`, ds, scope.file);
  return loadItems(ctx, value, scope, key);
}

function loadBlock(ctx: LoadContext, ds: Record<string, unknown>, scope: Scope): Item[] {
  const pos = posOf(ctx, ds, scope.file);
  for (const key of Object.keys(ds)) {
    if (!BLOCK_KEYWORDS.has(key)) failAt(`'${key}' is not a valid attribute for a Block`, pos);
  }
  const hasBlock = Array.isArray(ds.block) && ds.block.length > 0;
  for (const key of ['rescue', 'always']) {
    if (Array.isArray(ds[key]) && (ds[key] as unknown[]).length > 0 && !hasBlock) {
      failAt(`'${key}' keyword cannot be used without 'block'`, pos);
    }
  }
  const block: Block = {
    kind: 'block',
    block: [],
    rescue: [],
    always: [],
    origin: { pos, baseDir: scope.baseDir, ...(scope.role ? { role: scope.role } : {}) },
    id: nextId(ctx),
  };
  if (ds.name !== undefined && ds.name !== null && ds.name !== '') block.name = String(ds.name);
  // a handler list may hold blocks (implicit blocks of handlers), but not blocks in them
  if (scope.handlers) {
    for (const key of ['block', 'rescue', 'always']) {
      const nested = Array.isArray(ds[key]) ? (ds[key] as unknown[]).find((t) => isDict(t) && isBlockDs(t)) : undefined;
      if (nested) failAt('Using a block as a handler is not supported.', posOf(ctx, nested as Record<string, unknown>, scope.file));
    }
  }
  copyInherited(block, ds);
  assignDefined(block, {
    vars: normVars(ds.vars, 'Block', pos),
    when: normList(ds.when),
    tags: normTags(ds.tags, pos),
    notify: normNotify(ds.notify, pos),
  });
  // a block's `collections:` is the list its tasks resolve short names in (inherited keyword)
  const outer = ctx.collections;
  const outerDefaults = ctx.moduleDefaults;
  if (ds.collections !== undefined && ds.collections !== null) ctx.collections = ([] as unknown[]).concat(ds.collections).map(String);
  if (ds.module_defaults !== undefined && ds.module_defaults !== null) ctx.moduleDefaults = true;
  try {
    withStaticVars(ctx, block.vars, () => {
      block.block = blockList(ctx, ds, 'block', scope);
      block.rescue = blockList(ctx, ds, 'rescue', scope);
      block.always = blockList(ctx, ds, 'always', scope);
    });
  } finally {
    ctx.collections = outer;
    ctx.moduleDefaults = outerDefaults;
  }
  if (!scope.handlers) return [block];
  // like ansible-core 2.14, only the main part of a handler block holds handlers
  const tasks = block.block as Task[];
  for (const t of tasks) inheritInto(t, parentKeywords(block), block.notify);
  return tasks;
}

/** Keywords of an import statement that its contents inherit. */
function importKeywords(task: Task): CommonKeywords {
  return parentKeywords(task);
}

function wrap(ctx: LoadContext, task: Task, items: Item[], scope: Scope, extraVars?: Record<string, unknown>): Item[] {
  const keywords = importKeywords(task);
  if (extraVars && Object.keys(extraVars).length) keywords.vars = { ...(keywords.vars ?? {}), ...extraVars };
  if (scope.handlers) {
    for (const t of items as Task[]) inheritInto(t, keywords, task.notify);
    return items;
  }
  const block: Block = { kind: 'block', block: items, rescue: [], always: [], origin: task.origin, id: task.id };
  Object.assign(block, keywords);
  // the imported tasks inherit the import's notify, as they would a block's
  if (task.notify) block.notify = task.notify;
  return [block];
}

function staticTasks(ctx: LoadContext, task: Task, scope: Scope, extraVars?: Record<string, unknown>): Item[] {
  const pos = task.origin.pos;
  if (task.loop !== undefined) {
    failAt(`You cannot use loops on '${task.rawAction ?? task.action}' statements. You should use 'include_tasks' instead.`, pos);
  }
  const target = renderStatic(ctx, String(task.args._raw_params), 'import path', pos);
  const lookup: IncludeLookup = { baseDir: scope.baseDir, parentDirs: scope.parentDirs, role: scope.role, playbookDir: ctx.playbookDir, handlers: scope.handlers };
  const file = resolveIncludePath(target, lookup);
  if (!file) {
    failAt(`Unable to retrieve file contents: Could not find or access '${resolve(scope.baseDir, target)}' on the Ansible Controller.`, pos);
  }
  const child = fileScope(file, {
    parentDirs: [scope.baseDir, ...scope.parentDirs],
    role: scope.role,
    handlers: scope.handlers,
    dynamic: scope.dynamic,
    depth: scope.depth + 1,
  });
  // reported as Ansible does, before the file's own imports are loaded
  const items = loadTaskList(ctx, file, child, pos, (data) => {
    if (Array.isArray(data) && data.length) ctx.opts.notice?.({ imported: file });
    else if (!data || (Array.isArray(data) && !data.length)) ctx.opts.notice?.({ warning: `file ${file} is empty and had no tasks to include` });
  });
  return wrap(ctx, task, items, scope, extraVars);
}

function staticRole(ctx: LoadContext, task: Task, scope: Scope): Item[] {
  const pos = task.origin.pos;
  if (task.loop !== undefined) {
    failAt("You cannot use loops on 'import_role' statements. You should use 'include_role' instead.", pos);
  }
  const args = task.args;
  const name = renderStatic(ctx, String(args.name ?? args.role), 'role name', pos);
  // the import's vars are also the role's vars (ri.vars |= self.vars): seen by the whole play
  const entry: RoleEntry = { name, params: {}, keywords: task.vars ? { vars: task.vars } : {}, pos };
  // Ansible's IncludeRole.get_block_list: the dep chain is the importing role's parents and itself
  const parent = scope.role;
  const { block, ref } = expandRoleRef(ctx, entry, {
    chain: parent ? [...parent.chain.slice(-1), parent] : [],
    fromInclude: true,
    allowDuplicates: args.allow_duplicates === undefined ? true : toBool(typeof args.allow_duplicates === 'string' ? renderStatic(ctx, args.allow_duplicates, 'allow_duplicates', pos) : args.allow_duplicates),
    from: {
      tasks: fromFile(ctx, args.tasks_from, 'tasks_from', pos),
      vars: fromFile(ctx, args.vars_from, 'vars_from', pos),
      defaults: fromFile(ctx, args.defaults_from, 'defaults_from', pos),
      handlers: fromFile(ctx, args.handlers_from, 'handlers_from', pos),
    },
    handlersTo: 'import',
    inherit: importKeywords(task),
    listDuplicates: true,
  });
  // a statically loaded role is one of the play's roles (play.roles.append in 2.14)
  ctx.play.playRoles.push(ref);
  if (!block) return [];
  const wrapped = wrap(ctx, task, [block], scope);
  if (parent && !scope.handlers) (wrapped[0] as Block).parentRole = parent;
  return wrapped;
}

/** An import_role *_from argument, rendered at parse time. */
function fromFile(ctx: LoadContext, value: unknown, what: string, pos: SourcePos): string | undefined {
  return value === undefined || value === null ? undefined : renderStatic(ctx, String(value), what, pos);
}

/**
 * Run a parse-time expansion with more variables known to renderStatic (a task's or block's
 * vars, as VariableManager.get_vars(play, task) gives the templar of helpers.load_list_of_tasks).
 */
export function withStaticVars<T>(ctx: LoadContext, vars: Record<string, unknown> | undefined, fn: () => T): T {
  if (!vars) return fn();
  const saved = ctx.staticVars;
  ctx.staticVars = { ...saved, ...vars };
  try {
    return fn();
  } finally {
    ctx.staticVars = saved;
  }
}

/** Split the k=v extras of an old-style include (`include: f.yml a=1`) into vars. */
function includeExtras(task: Task): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.args)) {
    if (k !== '_raw_params' && k !== 'file') extras[k] = v;
  }
  task.args = { _raw_params: task.args._raw_params };
  return extras;
}

/** Expand static imports; dynamic includes stay as tasks. */
function expandTask(ctx: LoadContext, task: Task, scope: Scope): Item[] {
  switch (task.action) {
    case 'import_tasks':
      return withStaticVars(ctx, task.vars, () => staticTasks(ctx, task, scope));
    case 'import_role':
    case 'include_role':
      if (scope.handlers) failAt(`Using '${task.action}' as a handler is not supported.`, task.origin.pos);
      return task.action === 'import_role' ? withStaticVars(ctx, task.vars, () => staticRole(ctx, task, scope)) : [task];
    case 'include': {
      const extras = includeExtras(task);
      const path = String(task.args._raw_params);
      if (!isTemplate(path) && task.loop === undefined && !scope.dynamic) {
        const out = withStaticVars(ctx, { ...extras, ...task.vars }, () => staticTasks(ctx, task, scope, extras));
        // an `include`'s vars are include params (TaskInclude: 'include' is in _ACTION_ALL_INCLUDES)
        if (task.vars && !scope.handlers && out.length === 1 && out[0].kind === 'block') out[0].includeParams = task.vars;
        return out;
      }
      task.action = 'include_tasks';
      task.rawAction = 'include';
      if (Object.keys(extras).length) task.argVars = extras;
      return [task];
    }
    default:
      return [task];
  }
}

/** Play/role handler list → flat handler tasks. */
export function loadHandlerList(ctx: LoadContext, list: unknown, scope: Scope): Task[] {
  return loadItems(ctx, list, { ...scope, handlers: true }, 'handlers') as Task[];
}

