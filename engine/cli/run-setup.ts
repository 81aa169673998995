// What every command that runs tasks builds the same way (drover playbook, drover adhoc): the
// template engine adapter, the hash_behaviour check and the loader's view of the module registry.
import { setting, type ResolvedSetting } from '../config/settings.js';
import { DroverError, ExitCode } from '../errors/index.js';
import type { TemplateEngine } from '../executor/types.js';
import { getModule } from '../modules-sdk/registry.js';
import { validateArgs } from '../modules-sdk/validate.js';
import type { ModuleInfo } from '../playbook/index.js';
import type { Templar } from '../template/index.js';
import { factCacheFor, type FactCache } from '../scheduler/fact-cache.js';

/** Actions the scheduler runs itself (no module in the registry). */
const BUILTIN_ACTIONS = new Set(['set_fact', 'include_vars', 'add_host', 'group_by', 'setup', 'gather_facts', 'meta', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'include', 'import_playbook']);
const FREE_FORM_BUILTINS = new Set(['include_tasks', 'import_tasks', 'include', 'include_vars', 'meta', 'group_by']);

/** Adapter: the Templar works on any {get,has} lookup, which VarScope is. */
export function templateEngine(t: Templar): TemplateEngine {
  return t as unknown as TemplateEngine;
}

/** DEFAULT_HASH_BEHAVIOUR: 'replace' or 'merge' (Ansible's two choices). */
export function hashBehaviour(value: string | undefined): 'replace' | 'merge' {
  const v = (value ?? 'replace').trim().toLowerCase();
  if (v !== 'replace' && v !== 'merge') {
    throw new DroverError(`Invalid value "${value}" for configuration option "setting: DEFAULT_HASH_BEHAVIOUR", valid values are: replace, merge`, { exitCode: ExitCode.ERROR });
  }
  return v;
}

/** The loader's view of an action the scheduler runs itself; undefined for any other name. */
export function builtinActionInfo(name: string): ModuleInfo | undefined {
  return BUILTIN_ACTIONS.has(name) ? { freeForm: FREE_FORM_BUILTINS.has(name) } : undefined;
}

/** LoadOptions.moduleInfo: free-form and argument validation from the module registry. */
export function moduleInfo(name: string): ModuleInfo | undefined {
  if (BUILTIN_ACTIONS.has(name)) return { freeForm: FREE_FORM_BUILTINS.has(name) };
  const mod = getModule(name);
  if (!mod) return undefined;
  return { freeForm: Boolean(mod.freeForm), validate: (args) => validateArgs(mod, args) };
}

/** The fact cache the fact_caching settings ask for (playbook, ad-hoc and inventory commands). */
export function factCacheFromSettings(cfg: Map<string, ResolvedSetting>): FactCache {
  return factCacheFor({
    plugin: setting<string>(cfg, 'fact_caching'),
    connection: setting<string | undefined>(cfg, 'fact_caching_connection'),
    prefix: setting<string>(cfg, 'fact_caching_prefix'),
    timeoutSec: setting<number>(cfg, 'fact_caching_timeout'),
  });
}
