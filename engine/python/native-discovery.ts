// Interpreter discovery for drover's native modules. In Ansible nearly every module is a Python
// module, so the first one a host runs (ping, command, file...) discovers its interpreter and
// returns it as ansible_facts.discovered_interpreter_python, which `ansible` prints on first
// contact. Native modules need no Python; this wrapper discovers it all the same (when
// ansible_python_interpreter / interpreter_python ask for discovery and the host has no such
// fact yet) and adds the fact and the discovery's warnings to the result, as _execute_module.
import type { ModuleDefinition } from '../modules-sdk/types.js';
import { pythonInterpreter } from './interpreter.js';
import { addDiscovery } from './run-module.js';

/** Native modules whose Ansible counterparts run no Python module (action plugins of their own). */
const NO_PYTHON = new Set(['raw', 'script', 'reboot']);

/** `def` unchanged when Ansible runs no module for it, else the same module that also discovers. */
export function withInterpreterDiscovery(def: ModuleDefinition, configured: string): ModuleDefinition {
  if (def.controllerOnly || NO_PYTHON.has(def.name)) return def;
  return {
    ...def,
    run: async (args, ctx) => {
      const python = await pythonInterpreter(ctx, configured);
      return addDiscovery(await def.run(args, ctx), python);
    },
  };
}
