// Custom action plugins (a playbook's or role's action_plugins/): in Ansible an action plugin of a
// task's name is used before any module of that name. drover runs such a plugin's run() in the
// run's Python plugin worker (engine/template/pyplugins/) with the task's args and variables, and no
// connection to the host: plugins that only read variables and return a result (openshift-ansible's
// sanity_checks, check_deprecated, conditional_set_fact) work; one that runs modules on the host
// fails with an error naming the plugin.
import type { ModuleDefinition } from '../modules-sdk/types.js';
import type { ModuleInfo } from '../playbook/context.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import type { PythonPlugins } from '../template/pyplugins/python-plugins.js';

export class ActionPlugins {
  constructor(
    private readonly dirs: PluginDirs,
    private readonly worker: PythonPlugins,
  ) {}

  /** The plugin file of a legacy (short or ansible.legacy.) action name, when one exists. */
  find(action: string): string | undefined {
    const name = action.startsWith('ansible.legacy.') ? action.slice('ansible.legacy.'.length) : action;
    return name.includes('.') ? undefined : this.dirs.find('action', name);
  }

  /** The loader's view: a bridged action takes any arguments (the plugin checks its own). */
  info(action: string): ModuleInfo | undefined {
    return this.find(action) ? { freeForm: false } : undefined;
  }

  module(action: string): ModuleDefinition | undefined {
    const path = this.find(action);
    if (!path) return undefined;
    const name = action.split('.').pop()!;
    const worker = this.worker;
    return {
      name,
      description: `custom action plugin ${path} (run by the Python plugin worker)`,
      schema: { type: 'object' },
      opaqueArgs: true,
      supportsCheckMode: true,
      supportsDiff: true,
      supportsAsync: false,
      controllerOnly: true,
      run: (args, ctx) => {
        const vars = {
          get: (n: string) => (n in ctx.vars ? ctx.vars[n] : undefined),
          names: () => [],
        };
        return Promise.resolve(worker.runAction(name, path, args, { check: ctx.check, diff: ctx.diff, vars }));
      },
    };
  }
}
