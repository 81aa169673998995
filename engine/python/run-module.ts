// Placeholder: replaced by the module protocol runner.
import type { ModuleContext, ModuleResult } from '../modules-sdk/types.js';
import type { ModuleFileRef } from '../playbook/types.js';
import type { PythonSettings } from './module-definition.js';

export async function runModuleFile(ref: ModuleFileRef, _args: Record<string, unknown>, _ctx: ModuleContext, _settings: PythonSettings): Promise<ModuleResult> {
  return { failed: true, msg: `running module files is not implemented yet: ${ref.path}` };
}
