// Finding the module a task names, in ansible-core 2.14's order (plugins/loader.py
// _resolve_plugin_step / _find_plugin_legacy / _find_fq_plugin), so that content written for
// Ansible finds the same module under drover:
//   - a short name with no `collections:` list is a "legacy" lookup: library/ beside playbooks and
//     legacy roles (PluginDirs), then ANSIBLE_LIBRARY, then ansible-core's own modules (drover's
//     native module stands in for ansible-core's one of the same name), then ansible.builtin's
//     runtime.yml redirects;
//   - with a `collections:` list, each ns.coll.NAME is tried, then ansible.legacy.NAME;
//   - ns.coll.NAME is looked up in that collection (plugins/modules/, meta/runtime.yml redirects).
// A file found before the native module shadows it, as a role's library/ does in Ansible.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { findCollection, parseFqcr, PYTHON_COLLECTION_ROOTS } from '../search/collections.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import { CollectionMeta } from '../search/collection-meta.js';
import type { ModuleRegistry } from './registry.js';
import type { ModuleDefinition } from './types.js';

/** A module file found on the controller (Python, old-style, WANT_JSON or binary). */
export interface ModuleFile {
  kind: 'file';
  path: string;
  /** The module's short name (its file name without extension). */
  name: string;
  /** The name Ansible resolves it to (ansible.builtin.uri, ns.coll.mod, or the bare name). */
  fqcn: string;
  /** The collection folder it came from, whose plugins/module_utils its imports may use. */
  collectionDir?: string;
}

export type FoundModule = { kind: 'native'; def: ModuleDefinition; fqcn: string } | ModuleFile;

export interface FinderOptions {
  /** drover's native modules. */
  registry: ModuleRegistry;
  /** library/ folders of playbooks and legacy roles, filled while content loads. */
  pluginDirs?: PluginDirs;
  /** The `library` setting (ANSIBLE_LIBRARY). */
  libraryPaths?: string[];
  /** Roots holding ansible_collections/ (collectionRoots()). */
  collectionRoots?: string[];
  /** The controller's `ansible` package folder; undefined: looked for on Python's path; null: none. */
  ansibleCore?: string | null;
  /**
   * force_python_modules: ansible.builtin names drover has natively resolve to ansible-core's
   * module file instead (the bench's Python row), where Ansible runs that file through its normal
   * action (no action plugin of its own, or command's, which only runs the module).
   */
  preferPython?: boolean;
}

/** MODULE_IGNORE_EXTS of 2.14 (REJECT_EXTS + .yaml/.yml/.ini), and __init__.py. */
const IGNORED = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.yaml', '.yml', '.ini'];

/** Redirect chains longer than this are circular (Ansible: AnsiblePluginCircularRedirect). */
const MAX_REDIRECTS = 10;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

/** The controller's ansible package folder (Debian's ansible-core), or undefined. */
export function locateAnsibleCore(configured?: string | null): string | undefined {
  if (configured === null) return undefined;
  const candidates = configured ? [configured] : PYTHON_COLLECTION_ROOTS.map((r) => join(r, 'ansible'));
  return candidates.find((c) => isFile(join(c, 'module_utils', 'basic.py')));
}

/** Text naming what to install when a Python module needs ansible-core and it is missing. */
export const ANSIBLE_CORE_MISSING =
  "ansible-core is not installed on the controller: drover takes ansible-core's modules and module_utils from it (install the Debian package 'ansible-core', or set DROVER_ANSIBLE_CORE to the folder of its 'ansible' package)";

export class ModuleFinder {
  readonly ansibleCore: string | undefined;
  private readonly listings = new Map<string, Map<string, string>>();
  /** The collections' runtime.yml files, shared with action plugin and module_defaults resolution. */
  readonly meta: CollectionMeta;
  /** Answers of find(), valid while no library/ folder is added (the executor asks per task and host). */
  private readonly answers = new Map<string, FoundModule | undefined>();
  private answersFor = -1;
  private configuredDirs: string[] | undefined;

  constructor(private readonly opts: FinderOptions) {
    this.ansibleCore = locateAnsibleCore(opts.ansibleCore);
    this.meta = new CollectionMeta({ roots: opts.collectionRoots ?? PYTHON_COLLECTION_ROOTS, ansibleCore: this.ansibleCore });
  }

  /** Resolve `name` (short, ansible.builtin.X, ansible.legacy.X or ns.coll.X) with a task's `collections:` list. */
  find(name: string, collections: readonly string[] = []): FoundModule | undefined {
    const extra = this.opts.pluginDirs?.get('module').length ?? 0;
    if (extra !== this.answersFor) {
      this.answers.clear();
      this.answersFor = extra;
    }
    const key = `${name}\0${collections.join(',')}`;
    if (this.answers.has(key)) return this.answers.get(key);
    const found = this.resolve(name, collections, []);
    this.answers.set(key, found);
    return found;
  }

  /** Every place find() looks for `name`, in order (for the "not found" error). */
  searched(name: string, collections: readonly string[] = []): string[] {
    const places: string[] = [];
    this.resolve(name, collections, places);
    return [...new Set(places)];
  }

  /** The folders of the legacy lookup, in Ansible's order (extra dirs, configured paths, package). */
  legacyDirs(): string[] {
    const out: string[] = [...(this.opts.pluginDirs?.get('module') ?? [])];
    if (!this.configuredDirs) {
      this.configuredDirs = [];
      for (const raw of this.opts.libraryPaths ?? []) {
        const path = expandUser(raw);
        // configured paths are searched one and two levels deep first, as _get_paths_with_context does
        for (const sub of this.subdirs(path, 2)) if (!this.configuredDirs.includes(sub)) this.configuredDirs.push(sub);
        if (!this.configuredDirs.includes(path)) this.configuredDirs.push(path);
      }
    }
    for (const d of this.configuredDirs) if (!out.includes(d)) out.push(d);
    return out;
  }

  private packageDirs(): string[] {
    if (!this.ansibleCore) return [];
    const root = join(this.ansibleCore, 'modules');
    return [root, ...this.subdirs(root, Infinity)];
  }

  private subdirs(path: string, depth: number): string[] {
    if (depth <= 0 || !isDir(path)) return [];
    const out: string[] = [];
    for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory() || e.name === '__pycache__') continue;
      out.push(join(path, e.name), ...this.subdirs(join(path, e.name), depth - 1));
    }
    return out;
  }

  /** name (with or without extension) → file, for one folder (cached: folders are read once, as Ansible's path cache). */
  private listing(dir: string): Map<string, string> {
    let map = this.listings.get(dir);
    if (map) return map;
    map = new Map();
    if (isDir(dir)) {
      for (const f of readdirSync(dir).sort()) {
        const full = join(dir, f);
        if (f === '__init__.py' || IGNORED.some((x) => f.endsWith(x)) || !isFile(full)) continue;
        const base = basename(f, extname(f));
        if (!map.has(base)) map.set(base, full);
        if (!map.has(f)) map.set(f, full);
      }
    }
    this.listings.set(dir, map);
    return map;
  }

  private resolve(name: string, collections: readonly string[], places: string[], depth = 0): FoundModule | undefined {
    if (depth > MAX_REDIRECTS) return undefined;
    const fq = parseFqcr(name);
    if (!fq && name.includes('.')) return undefined;
    if (fq) return this.resolveFq(name, places, depth);
    let list = [...collections];
    if (list.length && !list.includes('ansible.builtin') && !list.includes('ansible.legacy')) list.push('ansible.legacy');
    if (!list.length) list = ['ansible.legacy'];
    for (const c of list) {
      const hit = c === 'ansible.legacy' ? this.legacy(name, places, depth) : this.resolveFq(`${c}.${name}`, places, depth);
      if (hit) return hit;
    }
    return undefined;
  }

  /** _find_plugin_legacy: plugin dirs, configured library, then ansible-core's (native first), then builtin redirects. */
  private legacy(name: string, places: string[], depth: number): FoundModule | undefined {
    for (const dir of this.legacyDirs()) {
      places.push(dir);
      const path = this.listing(dir).get(name);
      if (path) return { kind: 'file', path, name: basename(path, extname(path)), fqcn: name };
    }
    return this.builtin(name, places, depth);
  }

  /** ansible.builtin.NAME: drover's native module, else ansible-core's file, else its runtime.yml redirect. */
  private builtin(name: string, places: string[], depth: number): FoundModule | undefined {
    const def = this.opts.registry.getModule(name);
    if (def && !(this.opts.preferPython && this.pythonTwin(name))) return { kind: 'native', def, fqcn: `ansible.builtin.${def.name}` };
    for (const dir of this.packageDirs()) {
      places.push(dir);
      const path = this.listing(dir).get(name);
      if (path) return { kind: 'file', path, name: basename(path, extname(path)), fqcn: `ansible.builtin.${name}` };
    }
    if (!this.ansibleCore) places.push(`ansible-core's modules (ansible-core is not installed on the controller)`);
    const redirect = this.redirectOf(this.ansibleCore ? join(this.ansibleCore, 'config', 'ansible_builtin_runtime.yml') : undefined, name);
    return redirect ? this.resolve(redirect, [], places, depth + 1) : undefined;
  }

  /** ansible-core has `name` as a module file that its normal action runs (preferPython). */
  private pythonTwin(name: string): boolean {
    if (!this.ansibleCore) return false;
    if (name !== 'command' && existsSync(join(this.ansibleCore, 'plugins', 'action', `${name}.py`))) return false;
    return this.packageDirs().some((dir) => this.listing(dir).has(name));
  }

  private resolveFq(full: string, places: string[], depth: number): FoundModule | undefined {
    const fq = parseFqcr(full);
    if (!fq) return undefined;
    const coll = `${fq.namespace}.${fq.collection}`;
    if (coll === 'ansible.legacy') return this.legacy(fq.resource, places, depth);
    if (coll === 'ansible.builtin') return this.builtin(fq.resource, places, depth);
    // drover's native modules registered under a collection name (ansible.posix.sysctl)
    const def = this.opts.registry.getModule(full);
    if (def) return { kind: 'native', def, fqcn: full };
    const roots = this.opts.collectionRoots ?? PYTHON_COLLECTION_ROOTS;
    const dir = findCollection(roots, fq.namespace, fq.collection);
    if (!dir) {
      places.push(...roots.map((r) => join(r, 'ansible_collections', fq.namespace, fq.collection)));
      return undefined;
    }
    const parts = fq.resource.split('.');
    const modDir = join(dir, 'plugins', 'modules', ...parts.slice(0, -1));
    places.push(modDir);
    const path = this.listing(modDir).get(parts[parts.length - 1]);
    if (path) return { kind: 'file', path, name: basename(path, extname(path)), fqcn: full, collectionDir: dir };
    const redirect = this.redirectOf(join(dir, 'meta', 'runtime.yml'), fq.resource);
    return redirect ? this.resolve(redirect, [], places, depth + 1) : undefined;
  }

  /** plugin_routing.modules.NAME.redirect of a runtime.yml. */
  private redirectOf(file: string | undefined, name: string): string | undefined {
    const pr = file ? this.meta.read(file)?.plugin_routing : undefined;
    const modules = (pr as Record<string, unknown> | undefined)?.modules as Record<string, { redirect?: unknown } | undefined> | undefined;
    const redirect = modules?.[name]?.redirect;
    return typeof redirect === 'string' ? redirect : undefined;
  }
}
