// Roles: `roles:` entries and meta dependencies parsed into RoleEntry, the role directory found
// on the search path, its defaults/vars/meta/tasks/handlers read, dependencies expanded first,
// and repeated role instances dropped (per play) unless allow_duplicates or params differ.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { findCollectionRole, parseFqcr } from '../search/collections.js';
import { ExitCode, type SourcePos } from '../errors/index.js';
import { describeType, failAt, fileScope, isDict, nextId, posOf, renderStatic, type LoadContext } from './context.js';
import { loadHandlerList, loadItems } from './blocks.js';
import { ROLE_KEYWORDS } from './keywords.js';
import { assignDefined, copyInherited, inheritInto, normList, normTags, normVars } from './normalize.js';
import type { Block, CommonKeywords, Item, RoleRef, Task } from './types.js';
import { loadYamlFile } from './yaml.js';

export interface RoleEntry {
  name: string;
  /** Role directory; found by expandRole when absent. */
  path?: string;
  params: Record<string, unknown>;
  /** Keywords of the entry (tags, when, vars, become, ...) set on the role's block. */
  keywords: CommonKeywords;
  pos: SourcePos;
  /** For dependencies: the directory holding the depending role (extra search dir). */
  roleBasedir?: string;
}

export interface FromFiles {
  tasks?: string;
  vars?: string;
  defaults?: string;
  handlers?: string;
}

export interface ExpandHow {
  fromInclude: boolean;
  /** Overrides meta/main.yml allow_duplicates (import_role / include_role default true). */
  allowDuplicates?: boolean;
  from?: FromFiles;
  /** Which play handler list receives the role's handlers. */
  handlersTo: 'roles' | 'import';
  /** Keywords of the import statement, applied to the role's handlers. */
  inherit?: CommonKeywords;
  /**
   * Static loads: return a dropped repeated role instance as an empty block whose
   * `listedDuplicate` holds the role's expansion, for --list-tasks (ansible-playbook lists a
   * role, e.g. a dependency shared by two roles, every time it occurs but runs it once).
   */
  listDuplicates?: boolean;
  /** The roles this instance is reached through, outermost first (RoleRef.chain). */
  chain?: RoleRef[];
}

/** A role expansion: its block (undefined when this instance already ran) and the instance. */
export interface ExpandedRole {
  block?: Block;
  ref: RoleRef;
}

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Parse a `roles:` / dependencies entry (string or mapping). */
export function parseRoleEntry(ctx: LoadContext, def: unknown, pos: SourcePos, roleBasedir?: string): RoleEntry {
  if (typeof def === 'string' || typeof def === 'number') {
    return { name: renderStatic(ctx, String(def), 'role name', pos), params: {}, keywords: {}, pos, roleBasedir };
  }
  if (!isDict(def)) return failAt(`role definitions must be a role name or a mapping, got ${describeType(def)}`, pos);
  const here = posOf(ctx, def, pos.file);
  const name = def.role ?? def.name;
  if (typeof name !== 'string' || name === '') return failAt('role definitions must contain a role name', here);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (!ROLE_KEYWORDS.has(k)) params[k] = v;
  const keywords: CommonKeywords = {};
  copyInherited(keywords, def);
  assignDefined(keywords, {
    when: normList(def.when),
    tags: normTags(def.tags, here),
    vars: normVars(def.vars, 'Role', here),
  });
  return { name: renderStatic(ctx, name, 'role name', here), params, keywords, pos: here, roleBasedir };
}

/** Directories searched for a role name, in order. */
export function roleSearchPath(ctx: LoadContext, roleBasedir?: string): string[] {
  const paths = [join(ctx.playbookDir, 'roles'), ...(ctx.opts.roleSearchPaths ?? [])];
  if (roleBasedir) paths.push(roleBasedir);
  paths.push(ctx.playbookDir);
  return paths;
}

/**
 * A role's folder as ansible-core 2.14's RoleDefinition._load_role_path finds it: by collection
 * first (ns.coll.role, or a short name through the `collections:` keyword), then the role search
 * path, then the name itself as a path (relative to the working directory).
 */
export function findRole(ctx: LoadContext, name: string, pos: SourcePos, roleBasedir?: string): { name: string; path: string; collection?: string } {
  const collections = ctx.collections;
  if (collections.length || parseFqcr(name)) {
    const hit = findCollectionRole(ctx.opts.collectionRoots ?? [], name, collections);
    if (hit) return hit;
    if (collections.length && parseFqcr(name)) {
      failAt(`the role '${name}' was not found in ${[...collections, ...roleSearchPath(ctx, roleBasedir)].join(':')}`, pos, ExitCode.ERROR);
    }
  }
  const searched = roleSearchPath(ctx, roleBasedir);
  for (const dir of searched) {
    const candidate = resolve(dir, name);
    if (isDir(candidate)) return { name, path: candidate };
  }
  const asPath = resolve(ctx.opts.cwd ?? process.cwd(), name.replace(/^~(?=\/|$)/, homedir()));
  if (isDir(asPath)) return { name: basename(asPath), path: asPath };
  return failAt(`the role '${name}' was not found in ${[...collections, ...searched].join(':')}`, pos, ExitCode.ERROR);
}

/** roles/x/<sub>/<name>{,.yml,.yaml,.json}; undefined when absent. */
/**
 * The file `name` (with or without extension) in the role's `sub` folder. A name that reaches
 * outside the folder (absolute, or ../) is refused, as Role._load_role_yaml refuses it.
 */
function findRoleFile(rolePath: string, sub: string, name: string, roleName = basename(rolePath)): string | undefined {
  const dir = join(rolePath, sub);
  for (const ext of EXTENSIONS) {
    const candidate = resolve(dir, name + ext);
    if (!existsSync(candidate) || isDir(candidate)) continue;
    if (candidate !== dir && !candidate.startsWith(dir + sep)) {
      // the message names both paths; Ansible reports no position for it
      failAt(`Failed loading '${candidate}' for role (${roleName}) as it is not inside the expected role path: '${dir}'`, {});
    }
    return candidate;
  }
  return undefined;
}

function loadVarsFile(ctx: LoadContext, file: string, what: string, roleName: string): Record<string, unknown> {
  const data = loadYamlFile(file, ctx.positions, undefined, ctx.opts.yaml);
  if (data === null || data === undefined) return {};
  if (!isDict(data)) failAt(`The ${what} file for role '${roleName}' must contain a dictionary of variables`, { file });
  return data;
}

/** defaults/ or vars/: main file, or every file of a main/ directory (sorted, merged). */
function loadRoleVars(ctx: LoadContext, rolePath: string, sub: string, roleName: string, from?: string): Record<string, unknown> {
  const name = from ?? 'main';
  const file = findRoleFile(rolePath, sub, name);
  if (file) return loadVarsFile(ctx, file, `${sub}/${basename(file)}`, roleName);
  const dir = join(rolePath, sub, name);
  if (isDir(dir)) {
    const out: Record<string, unknown> = {};
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(ya?ml|json)$/.test(f) && f.includes('.')) continue;
      const full = join(dir, f);
      if (!isDir(full)) Object.assign(out, loadVarsFile(ctx, full, `${sub}/${name}/${f}`, roleName));
    }
    return out;
  }
  if (from !== undefined) failAt(`Could not find specified file in role: ${sub}/${from}`, { file: join(rolePath, sub) });
  return {};
}

interface RoleMeta {
  allowDuplicates: boolean;
  dependencies: unknown[];
  file?: string;
  raw?: unknown;
}

function loadRoleMeta(ctx: LoadContext, rolePath: string, roleName: string): RoleMeta {
  const file = findRoleFile(rolePath, 'meta', 'main');
  if (!file) return { allowDuplicates: false, dependencies: [] };
  const data = loadYamlFile(file, ctx.positions, undefined, ctx.opts.yaml);
  if (data === null || data === undefined) return { allowDuplicates: false, dependencies: [], file };
  if (!isDict(data)) return failAt(`the meta/main.yml file for role '${roleName}' must contain a mapping`, { file });
  const deps = data.dependencies ?? [];
  if (!Array.isArray(deps)) return failAt('Expected role dependencies to be a list.', posOf(ctx, data, file));
  return { allowDuplicates: data.allow_duplicates === true, dependencies: deps, file, raw: data };
}

/** Stable JSON (sorted keys) used for the role instance key. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (isDict(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function loadRoleTaskFile(ctx: LoadContext, ref: RoleRef, sub: 'tasks' | 'handlers', from?: string): Item[] {
  const file = findRoleFile(ref.path, sub, from ?? 'main', ref.name);
  if (!file) {
    if (from !== undefined) failAt(`Could not find specified file in role: ${sub}/${from}`, { file: join(ref.path, sub) });
    return [];
  }
  const data = loadYamlFile(file, ctx.positions, undefined, ctx.opts.yaml);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) {
    failAt(`The ${sub}/${basename(file)} file for role '${ref.name}' must contain a list of tasks`, posOf(ctx, data, file));
  }
  const scope = fileScope(file, { role: ref });
  return sub === 'tasks' ? loadItems(ctx, data, scope, 'tasks') : loadHandlerList(ctx, data, scope);
}

/**
 * Expand a role into a Block (origin.role = the role) holding its dependencies' blocks, then
 * its tasks; handlers go to the play's lists. Undefined when this role instance already ran.
 */
export function expandRole(ctx: LoadContext, entry: RoleEntry, how: ExpandHow): Block | undefined {
  return expandRoleRef(ctx, entry, how).block;
}

/**
 * expandRole, also returning the role instance: a repeated instance (already expanded in this
 * play) has no block but is the same RoleRef, as Ansible's role cache returns the same Role.
 */
export function expandRoleRef(ctx: LoadContext, entry: RoleEntry, how: ExpandHow): ExpandedRole {
  const found: { name: string; path: string; collection?: string } = entry.path ? { name: entry.name, path: entry.path } : findRole(ctx, entry.name, entry.pos, entry.roleBasedir);
  const meta = loadRoleMeta(ctx, found.path, found.name);
  const allowDuplicates = how.allowDuplicates ?? meta.allowDuplicates;
  const key = stable([found.path, entry.params, entry.keywords.when, entry.keywords.tags, entry.keywords.vars, how.from ?? {}, how.fromInclude]);
  if (ctx.play.loading.includes(key)) {
    failAt('A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles', entry.pos, ExitCode.ERROR);
  }
  const from = how.from ?? {};
  const newRef = (): RoleRef => {
    const r: RoleRef = {
      name: found.name,
      path: found.path,
      defaults: loadRoleVars(ctx, found.path, 'defaults', found.name, from.defaults),
      roleVars: loadRoleVars(ctx, found.path, 'vars', found.name, from.vars),
      params: { ...entry.params },
      deps: [],
      chain: how.chain ?? [],
    };
    if (found.collection) r.collection = found.collection;
    if (entry.keywords.vars) r.entryVars = entry.keywords.vars;
    return r;
  };
  const cached = ctx.play.refs.get(key);
  if (!allowDuplicates && ctx.play.seen.has(key)) {
    return { block: how.listDuplicates ? listedDuplicate(ctx, entry, how) : undefined, ref: cached ?? newRef() };
  }
  ctx.play.seen.add(key);
  const id = nextId(ctx);
  const ref = newRef();
  if (!cached) ctx.play.refs.set(key, ref);
  const sink = how.handlersTo === 'roles' ? ctx.play.roleHandlers : ctx.play.importHandlers;
  const firstHandler = sink.length;

  ctx.play.loading.push(key);
  const items: Item[] = [];
  const metaPos: SourcePos = { file: meta.file ?? found.path };
  // a legacy role's library/, module_utils/, *_plugins/ join the plugin search path
  if (!found.collection) ctx.opts.pluginDirs?.addAll(found.path);
  const collections = ctx.collections;
  // a collection's role finds its dependencies in its own collection first
  if (found.collection) ctx.collections = [found.collection, ...collections.filter((c) => c !== found.collection)];
  try {
    for (const dep of meta.dependencies) {
      const depEntry = parseRoleEntry(ctx, dep, posOf(ctx, meta.dependencies, metaPos.file), dirname(found.path));
      const chain = [...ref.chain, ref];
      const expanded = expandRoleRef(ctx, depEntry, { fromInclude: false, handlersTo: how.handlersTo, listDuplicates: how.listDuplicates, chain });
      ref.deps.push(expanded.ref);
      if (expanded.block) items.push(expanded.block);
    }
  } finally {
    ctx.collections = collections;
  }
  // the role's defaults (under the play's vars) and vars (over them) are known at parse time
  const saved = ctx.staticVars;
  ctx.staticVars = { ...ref.defaults, ...saved, ...ref.entryVars, ...ref.roleVars };
  try {
    items.push(...loadRoleTaskFile(ctx, ref, 'tasks', from.tasks));
    sink.push(...(loadRoleTaskFile(ctx, ref, 'handlers', from.handlers) as Task[]));
  } finally {
    ctx.staticVars = saved;
  }
  ctx.play.loading.pop();

  for (const handler of sink.slice(firstHandler)) {
    inheritInto(handler, entry.keywords);
    if (how.inherit) inheritInto(handler, how.inherit);
  }
  const block: Block = {
    kind: 'block',
    block: items,
    rescue: [],
    always: [],
    origin: { pos: entry.pos, baseDir: found.path, role: ref },
    id,
  };
  // the entry's `vars:` are the role's vars (ref.entryVars), not block vars
  const { vars: _entryVars, ...keywords } = entry.keywords;
  Object.assign(block, keywords);
  return { block, ref };
}

/**
 * The stand-in for a repeated role instance: an empty block (nothing to run) carrying the
 * role's expansion for the listings. The expansion is made with its own handler lists, so the
 * play's handlers are not duplicated.
 */
function listedDuplicate(ctx: LoadContext, entry: RoleEntry, how: ExpandHow): Block {
  const play = ctx.play;
  ctx.play = { ...play, seen: new Set(play.seen), refs: new Map(play.refs), playRoles: [], roleHandlers: [], importHandlers: [] };
  let duplicate: Block | undefined;
  try {
    duplicate = expandRole(ctx, entry, { ...how, allowDuplicates: true });
  } finally {
    ctx.play = play;
  }
  return { kind: 'block', block: [], rescue: [], always: [], origin: { pos: entry.pos, baseDir: duplicate?.origin.baseDir ?? ctx.playbookDir }, id: nextId(ctx), listedDuplicate: duplicate };
}

/** The play's `roles:` list → role blocks. */
export function loadPlayRoles(ctx: LoadContext, list: unknown, pos: SourcePos): Item[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) return failAt(`A malformed role declaration was encountered: roles must be a list, got ${describeType(list)}`, pos);
  const out: Item[] = [];
  for (const def of list) {
    const entry = parseRoleEntry(ctx, def, posOf(ctx, isDict(def) ? def : list, pos.file));
    const { block, ref } = expandRoleRef(ctx, entry, { fromInclude: false, handlersTo: 'roles', listDuplicates: true });
    ctx.play.playRoles.push(ref);
    if (block) out.push(block);
  }
  return out;
}
