// The fact cache's part of a host's variables outside a play (VariableManager.get_vars with no
// play, as ansible-inventory asks for them): clean_facts() of the cached facts, injected as
// top-level variables (or only ansible_local when inject_facts_as_vars is off). clean_facts drops
// what could override connection settings and says so once per key with a warning.
import { wrapUnsafe } from '../template/python.js';
import type { Vars } from './vars-files.js';

/** C.MAGIC_VARIABLE_MAPPING's names, C.COMMON_CONNECTION_VARS and C.RESTRICTED_RESULT_KEYS + C.INTERNAL_RESULT_KEYS of 2.14. */
const RESTRICTED = new Set([
  'ansible_become', 'ansible_become_exe', 'ansible_become_flags', 'ansible_become_method', 'ansible_become_pass',
  'ansible_become_password', 'ansible_become_user', 'ansible_connection', 'ansible_connection_user',
  'ansible_docker_extra_args', 'ansible_host', 'ansible_module_compression', 'ansible_network_os', 'ansible_password',
  'ansible_pipelining', 'ansible_port', 'ansible_private_key_file', 'ansible_scp_extra_args', 'ansible_sftp_extra_args',
  'ansible_shell_executable', 'ansible_shell_type', 'ansible_ssh_common_args', 'ansible_ssh_executable',
  'ansible_ssh_extra_args', 'ansible_ssh_host', 'ansible_ssh_pass', 'ansible_ssh_pipelining', 'ansible_ssh_port',
  'ansible_ssh_private_key_file', 'ansible_ssh_timeout', 'ansible_ssh_transfer_method', 'ansible_ssh_user',
  'ansible_timeout', 'ansible_user',
  'ansible_rsync_path', 'ansible_playbook_python', 'ansible_facts', 'add_host', 'add_group',
]);
/** ansible-core's own connection plugins: their ansible_<name>_* variables are connection settings. */
const CONNECTIONS = ['local', 'paramiko_ssh', 'psrp', 'ssh', 'winrm'];

function restricted(key: string): boolean {
  if (RESTRICTED.has(key) || key.startsWith('ansible_become_') || /^ansible_.*_interpreter$/.test(key)) return true;
  return CONNECTIONS.some((c) => key.startsWith(`ansible_${c}_`)) && !key.endsWith('_bridge') && !key.endsWith('_gwbridge');
}

/** module_response_deepcopy + strip_internal_keys: a fresh copy without _ansible_* keys. */
function copyStripped(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyStripped);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Vars = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('_ansible_')) out[k] = copyStripped(x);
    return out;
  }
  return v;
}

/** clean_facts(facts): `warn` gets "Removed restricted key from module data: KEY" for each dropped key. */
export function cleanFacts(facts: Vars, warn: (msg: string) => void): Vars {
  const data = copyStripped(facts) as Vars;
  for (const k of Object.keys(data).filter(restricted).sort()) {
    // ssh host keys are listed but kept, silently
    if (k.startsWith('ansible_ssh_host_key_')) continue;
    warn(`Removed restricted key from module data: ${k}`);
    delete data[k];
  }
  return data;
}

/** The variables a host's cached facts add (after inventory vars, before -e). */
export function factVars(facts: Vars | undefined, inject: boolean, warn: (msg: string) => void): Vars {
  // without inject_facts_as_vars, ansible_local is promoted even for a host with no cached facts
  // wrap_var: facts are unsafe text (ansible-inventory's JSON shows them as {"__ansible_unsafe": ...})
  if (!inject) return { ansible_local: wrapUnsafe(copyStripped(facts?.ansible_local ?? {}), { inPlace: true }) };
  return facts ? (wrapUnsafe(cleanFacts(facts, warn), { inPlace: true }) as Vars) : {};
}
