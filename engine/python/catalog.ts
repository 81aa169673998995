// Which module a task runs, for the loader (load-time metadata and errors) and the executor (the
// ModuleDefinition to run): native modules from the registry, everything else through the
// ModuleFinder and the Python path (engine/python/module-definition.ts). Built once per run.
import { builtinRegistry } from '../modules-sdk/registry.js';
import { ModuleFinder } from '../modules-sdk/finder.js';
import { validateArgs } from '../modules-sdk/validate.js';
import type { ModuleDefinition } from '../modules-sdk/types.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import type { ModuleInfo } from '../playbook/context.js';
import type { ModuleFileRef, Task } from '../playbook/types.js';
import { fileModule, PayloadCache, type PythonSettings } from './module-definition.js';

export interface CatalogOptions {
  pluginDirs?: PluginDirs;
  libraryPaths?: string[];
  collectionRoots?: string[];
  /** The ansible_core setting: the controller's ansible package folder (unset: looked for). */
  ansibleCore?: string;
  /** force_python_modules (finder.ts preferPython). */
  preferPython?: boolean;
  python: PythonSettings;
}

export class ModuleCatalog {
  readonly finder: ModuleFinder;
  private readonly defs = new Map<string, ModuleDefinition>();
  private readonly payloads: PayloadCache;

  constructor(private readonly opts: CatalogOptions) {
    this.payloads = new PayloadCache(opts.python.worker !== false);
    this.finder = new ModuleFinder({
      registry: builtinRegistry(),
      pluginDirs: opts.pluginDirs,
      libraryPaths: opts.libraryPaths,
      collectionRoots: opts.collectionRoots,
      ansibleCore: opts.ansibleCore,
      preferPython: opts.preferPython,
    });
  }

  /** LoadOptions.moduleInfo: native modules are validated strictly; module files are not. */
  info(name: string, collections: readonly string[] = []): ModuleInfo | undefined {
    const found = this.finder.find(name, collections);
    if (!found) return undefined;
    if (found.kind === 'file') {
      const { path, name: short, fqcn, collectionDir } = found;
      return { freeForm: false, file: { path, name: short, fqcn, ...(collectionDir ? { collectionDir } : {}) } };
    }
    const mod = found.def;
    return { freeForm: Boolean(mod.freeForm), validate: (args) => validateArgs(mod, args) };
  }

  /** LoadOptions.moduleSearched. */
  searched(name: string, collections: readonly string[] = []): string[] {
    return this.finder.searched(name, collections);
  }

  /** ExecutorServices.module: the file found at load time, else resolved now (templated actions). */
  module(action: string, task: Task): ModuleDefinition | undefined {
    const written = action === task.action ? (task.rawAction ?? task.action) : action;
    if (task.moduleFile && action === task.action) return this.fileDefinition(task.moduleFile, written);
    return this.byName(written);
  }

  /** A module by name as written, resolved now (an action plugin's _execute_module). */
  byName(written: string): ModuleDefinition | undefined {
    // the name as written: ansible.builtin.X must not find a library/ X
    const found = this.finder.find(written);
    if (!found) return undefined;
    return found.kind === 'native' ? found.def : this.fileDefinition(found, written);
  }

  private fileDefinition(ref: ModuleFileRef, written: string): ModuleDefinition {
    const key = `${ref.path}\0${written}`;
    let def = this.defs.get(key);
    if (!def) {
      const settings = { ...this.opts.python, ansibleCore: this.finder.ansibleCore, collectionRoots: this.opts.collectionRoots, cache: this.payloads };
      this.defs.set(key, (def = fileModule(ref, settings, written)));
    }
    return def;
  }
}
