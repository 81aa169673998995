// A module result's `invocation` as AnsibleModule reports it (module_args): kept in loop items
// and in an async job's result file. Its own file so both the executor and the async runner use it.
import { prepareArgs } from '../modules-sdk/validate.js';
import type { ModuleDefinition } from '../modules-sdk/types.js';

/**
 * ansible-core 2.14 argument-spec options that drover's module schemas lack, with their
 * defaults (module_args lists every option), and schema options 2.14's spec does not have
 * (`cmd` is turned into _raw_params before the module sees it).
 */
const ARGSPEC_EXTRA: Record<string, Record<string, unknown>> = {
  command: { _uses_shell: false },
  shell: { _uses_shell: true },
  file: {
    _diff_peek: null, _original_basename: null, attributes: null, access_time_format: '%Y%m%d%H%M.%S',
    modification_time_format: '%Y%m%d%H%M.%S', selevel: null, serole: null, setype: null, seuser: null, unsafe_writes: false,
  },
};
const ARGSPEC_ABSENT: Record<string, string[]> = { command: ['cmd'], shell: ['cmd'] };

/**
 * A module result's `invocation` as AnsibleModule reports it: every option of the argument
 * spec (None when neither given nor defaulted), with defaults applied, plus the aliases given.
 * ansible-core drops it from registered non-loop results but keeps it in each loop item.
 */
export function moduleInvocation(mod: ModuleDefinition, args: Record<string, unknown>): { module_args: Record<string, unknown> } {
  const props = Object.keys((mod.schema.properties ?? {}) as Record<string, unknown>);
  const prepared = prepareArgs(mod, args, { allowTemplates: false }).args;
  const out: Record<string, unknown> = {};
  for (const k of props) out[k] = null;
  for (const [k, v] of Object.entries(ARGSPEC_EXTRA[mod.name] ?? {})) out[k] = v;
  for (const [k, v] of Object.entries(prepared)) if (v !== undefined && (v !== null || !(k in out))) out[k] = v;
  for (const [k, v] of Object.entries(args)) if (!props.includes(k) && !k.startsWith('_ansible_')) out[k] = v;
  for (const k of ARGSPEC_ABSENT[mod.name] ?? []) delete out[k];
  return { module_args: out };
}

