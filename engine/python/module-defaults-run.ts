// The run's module_defaults (ExecutorServices.withModuleDefaults): names resolve as Ansible's
// Base._resolve_action resolves them, through drover's module catalog (native modules are
// ansible.builtin.X, library/ files ansible.legacy.X, collection modules after their redirects) and
// its action plugins (a custom action plugin of the name is preferred, as its action loader is).
import type { Task } from '../playbook/types.js';
import { parseFqcr } from '../search/collections.js';
import type { ActionPlugins } from './action-plugins.js';
import type { ModuleCatalog } from './catalog.js';
import { ModuleDefaults } from './module-defaults.js';

type WithDefaults = (action: string, task: Task, layers: unknown[], args: Record<string, unknown>, render: (v: unknown) => unknown) => Record<string, unknown>;

/** A module file's fqcn as the finder reports it: a legacy (library/) file has its bare name. */
const qualified = (fqcn: string): string => (parseFqcr(fqcn) ? fqcn : `ansible.legacy.${fqcn}`);

export function moduleDefaultsFor(modules: ModuleCatalog, actions: ActionPlugins, warn: ((m: string) => void) | undefined): WithDefaults {
  const resolve = (name: string): string | undefined => {
    const action = actions.find(name);
    if (action) return action.fqcn;
    const found = modules.finder.find(name);
    return found ? qualified(found.fqcn) : undefined;
  };
  const defaults = new ModuleDefaults({ resolve, meta: modules.finder.meta, warn });
  return (action, task, layers, args, render) => {
    const ref = task.moduleFile;
    // the name the task resolved to at load time (its collections: list applied), else now
    const fqcn = ref && action === task.action ? qualified(ref.fqcn) : (resolve(action === task.action ? (task.rawAction ?? action) : action) ?? `ansible.builtin.${action}`);
    return defaults.apply(fqcn, layers, args, render);
  };
}
