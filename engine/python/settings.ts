// The run's ModuleCatalog from the configuration: library and module_utils paths,
// collections_paths, interpreter_python and where ansible-core lives on the controller.
import { setting, type ResolvedSetting } from '../config/settings.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import { ModuleCatalog } from './catalog.js';

export function moduleCatalog(cfg: Map<string, ResolvedSetting>, pluginDirs: PluginDirs, collectionRoots: string[]): ModuleCatalog {
  return new ModuleCatalog({
    pluginDirs,
    libraryPaths: setting<string[]>(cfg, 'library'),
    collectionRoots,
    ansibleCore: setting<string | undefined>(cfg, 'ansible_core'),
    preferPython: setting<boolean>(cfg, 'force_python_modules'),
    python: {
      interpreter: setting<string>(cfg, 'interpreter_python'),
      moduleUtilsPaths: setting<string[]>(cfg, 'module_utils'),
      moduleUtilsDirs: () => pluginDirs.get('module_utils'),
      keepRemoteFiles: setting<boolean>(cfg, 'keep_remote_files'),
      worker: setting<boolean>(cfg, 'python_worker'),
    },
  });
}
