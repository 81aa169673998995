// Public entry points of the playbook loader: whole playbooks (following import_playbook),
// task files for include_tasks at run time, and roles for include_role at run time.
import { dirname, resolve } from 'node:path';
import { PlaybookError } from '../errors/index.js';
import { documentStart, loadTaskList, resolveIncludePath } from './blocks.js';
import {
  describeType,
  fail,
  failAt,
  fileScope,
  isDict,
  newContext,
  posOf,
  renderStatic,
  type LoadContext,
  type LoadOptions,
} from './context.js';
import { IMPORT_PLAYBOOK_KEYWORDS } from './keywords.js';
import { normList, normTags, normVars, unionTags } from './normalize.js';
import { buildPlay } from './play.js';
import { expandRoleRef, type FromFiles } from './roles.js';
import { splitArgs } from './splitter.js';
import type { Item, Play, Playbook, PlayRoles, RoleRef, Task } from './types.js';
import { loadYamlFile } from './yaml.js';

const MAX_PLAYBOOK_DEPTH = 32;

function isImport(ds: Record<string, unknown>): string | undefined {
  for (const key of ['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook']) {
    if (key in ds) return key;
  }
  return undefined;
}

function importPlaybook(ctx: LoadContext, ds: Record<string, unknown>, key: string, file: string, depth: number): Play[] {
  const pos = posOf(ctx, ds, file);
  for (const k of Object.keys(ds)) {
    if (k !== key && !IMPORT_PLAYBOOK_KEYWORDS.has(k)) failAt(`'${k}' is not a valid attribute for a PlaybookInclude`, pos);
  }
  const value = ds[key];
  if (value === null || value === undefined) failAt('playbook import parameter is missing', pos);
  if (typeof value !== 'string') {
    failAt(`playbook import parameter must be a string indicating a file path, got ${describeType(value)} instead`, pos);
  }
  if (ds.vars !== undefined && ds.vars !== null && !isDict(ds.vars)) {
    failAt('vars for import_playbook statements must be specified as a dictionary', pos);
  }
  const vars = normVars(ds.vars, 'PlaybookInclude', pos) ?? {};
  const tags = normTags(ds.tags, pos);
  const when = normList(ds.when);
  const items = splitArgs(value);
  if (items.length === 0) failAt('import_playbook statements must specify the file name to import', pos);

  const saved = ctx.staticVars;
  ctx.staticVars = { ...saved, ...vars };
  const target = renderStatic(ctx, items[0].trim(), 'import_playbook path', pos);
  ctx.staticVars = saved;
  const path = resolve(dirname(file), target);
  const plays = loadPlays(ctx, path, vars, depth + 1, pos);
  for (const play of plays) {
    play.vars = { ...(play.vars ?? {}), ...vars };
    if (Object.keys(play.vars).length === 0) delete play.vars;
    const t = unionTags(play.tags, tags);
    if (t) play.tags = t;
    if (when?.length) play.when = [...when, ...(play.when ?? [])];
  }
  return plays;
}

function loadPlays(
  ctx: LoadContext,
  file: string,
  importVars: Record<string, unknown>,
  depth: number,
  from?: { file?: string; line?: number },
): Play[] {
  if (depth > MAX_PLAYBOOK_DEPTH) failAt(`import_playbook nesting deeper than ${MAX_PLAYBOOK_DEPTH} levels`, from ?? { file });
  const data = loadYamlFile(file, ctx.positions, from, ctx.opts.yaml);
  if (data === null || data === undefined || (Array.isArray(data) && data.length === 0)) {
    failAt(`Empty playbook, nothing to do: ${file}`, { file });
  }
  if (!Array.isArray(data)) {
    // a scalar document has no recorded position: point at its first line, as Ansible does
    const pos = typeof data === 'object' ? posOf(ctx, data, file) : documentStart(file);
    failAt(`A playbook must be a list of plays, got ${describeType(data)} instead: ${file}`, pos);
  }
  const plays: Play[] = [];
  // roles/ beside the playbook being read: an imported playbook's own folder (the loader's basedir)
  const outerDir = ctx.playbookDir;
  ctx.playbookDir = dirname(file);
  ctx.opts.pluginDirs?.addAll(ctx.playbookDir);
  try {
    for (const entry of data) {
      if (!isDict(entry)) {
        fail(ctx, "playbook entries must be either valid plays or 'import_playbook' statements", data, file);
      }
      const key = isImport(entry);
      if (key) plays.push(...importPlaybook(ctx, entry, key, file, depth));
      else plays.push(buildPlay(ctx, entry, file, importVars));
    }
  } finally {
    ctx.playbookDir = outerDir;
  }
  return plays;
}

/** Load a playbook file and every playbook it imports into a typed tree. */
export function loadPlaybook(file: string, opts: LoadOptions): Playbook {
  const path = resolve(file);
  const ctx = newContext(opts, dirname(path));
  return { file: path, dir: dirname(path), plays: loadPlays(ctx, path, {}, 0) };
}

/**
 * A playbook built from data rather than read from a file: the implicit play of an ad-hoc
 * command (ansible's adhoc.py builds its play_ds the same way). `file` names it in messages;
 * its folder is the play's basedir (playbook_dir, relative lookups).
 */
export function playbookFromData(plays: Record<string, unknown>[], file: string, opts: LoadOptions): Playbook {
  const path = resolve(file);
  const ctx = newContext(opts, dirname(path));
  opts.pluginDirs?.addAll(ctx.playbookDir);
  return { file: path, dir: dirname(path), plays: plays.map((ds) => buildPlay(ctx, ds, path, {})) };
}

export interface TaskFileOrigin {
  role?: RoleRef;
  /** Directory the include was written in (relative `file` lookups start there). */
  baseDir?: string;
  /** Playbook directory (last lookup dir; role search base for import_role inside). */
  playbookDir?: string;
  /** Load as handlers (include_tasks used as a handler). */
  handlers?: boolean;
  /** Receives handlers of import_role statements found in the file. */
  collectHandlers?: Task[];
  /** Vars known at parse time for templated import paths inside the file. */
  vars?: Record<string, unknown>;
  /** The play's role instances: import_role statements in the file join them, as in 2.14. */
  roles?: PlayRoles;
}

/** A load context whose role bookkeeping is the play's (shared objects, not copies). */
function sharePlayRoles(ctx: LoadContext, roles: PlayRoles | undefined): void {
  if (!roles) return;
  ctx.play.seen = roles.seen;
  ctx.play.refs = roles.refs;
  ctx.play.playRoles = roles.playRoles;
}

/** Load a task file at run time (include_tasks). Relative paths are looked up like imports. */
export function loadTaskFile(file: string, opts: LoadOptions, origin: TaskFileOrigin = {}): Item[] {
  const baseDir = origin.baseDir ?? (origin.role ? resolve(origin.role.path, 'tasks') : process.cwd());
  const playbookDir = origin.playbookDir ?? baseDir;
  const path = resolveIncludePath(file, { baseDir, role: origin.role, playbookDir, handlers: origin.handlers });
  if (!path) {
    throw new PlaybookError(`Unable to retrieve file contents: Could not find or access '${resolve(baseDir, file)}'`, {
      file: resolve(baseDir, file),
    });
  }
  const ctx = newContext(opts, playbookDir);
  sharePlayRoles(ctx, origin.roles);
  ctx.staticVars = origin.vars ?? {};
  const scope = fileScope(path, { role: origin.role, handlers: origin.handlers ?? false, dynamic: true });
  const items = loadTaskList(ctx, path, scope);
  origin.collectHandlers?.push(...ctx.play.roleHandlers, ...ctx.play.importHandlers);
  return items;
}

export interface RoleEntryPoints {
  tasks_from?: string;
  defaults_from?: string;
  vars_from?: string;
  handlers_from?: string;
  /** include_role's allow_duplicates (default true). */
  allow_duplicates?: boolean;
  /** The play's `collections:` list (short role names are tried in each). */
  collections?: string[];
  /** The role whose task includes this one (IncludeRole._parent_role): with its own parent it
   *  is the included role's dep chain. */
  parentRole?: RoleRef;
  /** The include_role task's vars: also the role's own vars (ri.vars |= self.vars). */
  vars?: Record<string, unknown>;
}

/**
 * Load a role at run time (include_role): the role's block (dependencies then tasks) and its
 * handlers (dependencies' first). `fromDir` is the play's folder (the loader's basedir), where
 * the role search starts.
 */
export function loadRole(
  name: string,
  opts: LoadOptions,
  fromDir: string,
  params: Record<string, unknown> = {},
  entry: RoleEntryPoints = {},
  roles?: PlayRoles,
): { tasks: Item[]; handlers: Task[]; role: RoleRef } {
  const ctx = newContext(opts, resolve(fromDir));
  // dependencies that already ran in this play are not run again (Ansible's role cache)
  sharePlayRoles(ctx, roles);
  ctx.collections = entry.collections ?? [];
  const pos = { file: resolve(fromDir) };
  const from: FromFiles = {
    tasks: entry.tasks_from,
    vars: entry.vars_from,
    defaults: entry.defaults_from,
    handlers: entry.handlers_from,
  };
  const parent = entry.parentRole;
  const { block, ref } = expandRoleRef(
    ctx,
    { name, params, keywords: entry.vars ? { vars: entry.vars } : {}, pos },
    { fromInclude: true, allowDuplicates: entry.allow_duplicates ?? true, from, handlersTo: 'import', chain: parent ? [...parent.chain.slice(-1), parent] : [] },
  );
  return { tasks: block ? [block] : [], handlers: [...ctx.play.roleHandlers, ...ctx.play.importHandlers], role: ref };
}

