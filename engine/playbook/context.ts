// Shared state of one load (options, YAML positions, task ids, per-play role bookkeeping) and
// the scope a list of tasks is read in (file, role, handler mode), plus error construction.
import { dirname } from 'node:path';
import { PlaybookError, type SourcePos } from '../errors/index.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import type { ModuleFileRef, PlayRoles, RoleRef, Task } from './types.js';
import type { PositionMap } from './yaml.js';
import { Unsafe } from '../template/python.js';
import type { YamlOptions } from '../inventory/yaml-load.js';

export interface ModuleInfo {
  /** Free-form text (`command: ls -l`) is allowed and lands in `_raw_params`. */
  freeForm: boolean;
  /** Checks the (untemplated) arguments; returns an error text or null. */
  validate?: (args: Record<string, unknown>) => string | null;
  /** A module file (library/, collection, ansible-core) found instead of a native module. */
  file?: ModuleFileRef;
}


export interface LoadOptions {
  /**
   * Metadata of a module by short name (FQCNs of ansible.builtin/ansible.legacy reduced); `as`
   * gives the name as written and the `collections:` list in force. undefined = unknown.
   */
  moduleInfo: (name: string, as?: { written: string; collections: readonly string[] }) => ModuleInfo | undefined;
  /** Every place searched for a module that moduleInfo did not find (for the load error). */
  moduleSearched?: (name: string, collections?: readonly string[]) => string[];
  /** Render static templates (import paths, role names) with extra vars and, when given, play vars. */
  renderStatic?: (text: string, vars?: Record<string, unknown>) => string;
  /** Configured role paths (ANSIBLE_ROLES_PATH), searched after <playbook dir>/roles and before the
   *  playbook dir itself. */
  roleSearchPaths?: string[];
  /** Roots holding ansible_collections/ (collectionRoots() of engine/search/collections.ts). */
  collectionRoots?: string[];
  /** Receives the plugin folders of every playbook folder and legacy role met (Ansible's
   *  add_all_plugin_dirs); the module and plugin loaders search them. */
  pluginDirs?: PluginDirs;
  /** Working directory: a role named by a relative path is found from here, as in Ansible. */
  cwd?: string;
  /** Whether a lookup plugin of that name exists (with_<name> is then a loop): the lookup registry. */
  lookups: (name: string) => boolean;
  /** Duplicate-key handling and where the YAML loader's warnings go. */
  yaml?: YamlOptions;
  /** Task/block/play id counter; defaults to one shared by the whole process. */
  ids?: { next: number };
  /**
   * What ansible-playbook reports while loading: a task file imported statically (-vv
   * "statically imported: FILE") and warnings (an empty imported file). The caller shows them
   * when the run's output exists.
   */
  notice?: (n: { imported: string } | { warning: string }) => void;
}

/** Role bookkeeping of one play: which role instances have been expanded, collected handlers. */
export interface PlayRoleState extends PlayRoles {
  loading: string[];
  /** Handlers of roles from the play's `roles:` section (they come first in play.handlers). */
  roleHandlers: Task[];
  /** Handlers of import_role tasks (they come after the play's own handlers). */
  importHandlers: Task[];
}

export interface LoadContext {
  opts: LoadOptions;
  positions: PositionMap;
  playbookDir: string;
  ids: { next: number };
  play: PlayRoleState;
  /** Variables known at parse time for renderStatic (play vars, import_playbook vars). */
  staticVars: Record<string, unknown>;
  /** The `collections:` list in force (play keyword; a collection role's own collection first). */
  collections: string[];
  /**
   * module_defaults are set on the play or an enclosing block: a native module's arguments are
   * checked when the task runs, with its defaults merged (as Ansible checks them), not at load.
   */
  moduleDefaults?: boolean;
}

/** Where a list of tasks is being read. */
export interface Scope {
  file: string;
  baseDir: string;
  /** Directories of the enclosing import files, innermost first (relative import lookup). */
  parentDirs: string[];
  role?: RoleRef;
  handlers: boolean;
  /** Loaded at run time (include_tasks): old-style `include` stays dynamic below it. */
  dynamic: boolean;
  depth: number;
}

const sharedIds = { next: 1 };

export function newPlayRoleState(): PlayRoleState {
  return { seen: new Set(), refs: new Map(), playRoles: [], loading: [], roleHandlers: [], importHandlers: [] };
}

export function newContext(opts: LoadOptions, playbookDir: string): LoadContext {
  return {
    opts,
    positions: new WeakMap(),
    playbookDir,
    ids: opts.ids ?? sharedIds,
    play: newPlayRoleState(),
    staticVars: {},
    collections: [],
  };
}

export function nextId(ctx: LoadContext): number {
  return ctx.ids.next++;
}

export function fileScope(file: string, base: Partial<Scope> = {}): Scope {
  return {
    file,
    baseDir: dirname(file),
    parentDirs: base.parentDirs ?? [],
    role: base.role,
    handlers: base.handlers ?? false,
    dynamic: base.dynamic ?? false,
    depth: base.depth ?? 0,
  };
}

/** Position of a YAML object, or the file when unknown. */
export function posOf(ctx: LoadContext, obj: unknown, file?: string): SourcePos {
  if (obj !== null && typeof obj === 'object') {
    const pos = ctx.positions.get(obj);
    if (pos) return pos;
  }
  return { file };
}

export function fail(ctx: LoadContext, message: string, obj: unknown, file?: string): never {
  throw new PlaybookError(message, posOf(ctx, obj, file));
}

export function failAt(message: string, pos: SourcePos): never {
  throw new PlaybookError(message, pos);
}

/** Python-ish type name for messages ("a string", "a list", ...). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function isDict(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unsafe);
}

/** Render a parse-time template (import path, role name) or fail if that is not possible. */
export function renderStatic(ctx: LoadContext, text: string, what: string, pos: SourcePos): string {
  if (!/\{\{|\{%/.test(text)) return text;
  if (!ctx.opts.renderStatic) {
    failAt(`Error when evaluating variable in ${what}: ${text}. Static imports cannot use variables unless they are known at parse time`, pos);
  }
  try {
    return ctx.opts.renderStatic(text, ctx.staticVars);
  } catch (e) {
    return failAt(
      `Error when evaluating variable in ${what}: ${text}. When using static imports, ensure that any variables used in their names are defined in vars/vars_files or extra-vars (${(e as Error).message})`,
      pos,
    );
  }
}
