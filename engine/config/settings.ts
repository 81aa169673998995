// One catalogue of settings: name, default, environment variables (ANSIBLE_* and DROVER_*) and
// ansible.cfg key. ansible.cfg is found where Ansible looks: $ANSIBLE_CONFIG, ./ansible.cfg,
// ~/.ansible.cfg, /etc/ansible/ansible.cfg (first one that exists wins, no merging).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// pathspec: ':'-separated paths, relative ones taken from the cfg file's folder (or the cwd for
// environment values), as Ansible's 'pathspec' type.
type Kind = 'bool' | 'int' | 'string' | 'path' | 'list' | 'pathspec';

interface SettingDef {
  name: string;
  kind: Kind;
  default: unknown;
  env: string[];
  ini?: [section: string, key: string];
  help: string;
}

export const SETTINGS: SettingDef[] = [
  { name: 'forks', kind: 'int', default: 5, env: ['ANSIBLE_FORKS', 'DROVER_FORKS'], ini: ['defaults', 'forks'], help: 'parallel hosts per task' },
  { name: 'inventory', kind: 'list', default: ['/etc/ansible/hosts'], env: ['ANSIBLE_INVENTORY', 'DROVER_INVENTORY'], ini: ['defaults', 'inventory'], help: 'default inventory sources' },
  { name: 'inventory_enabled', kind: 'list', default: ['host_list', 'script', 'auto', 'yaml', 'ini', 'toml'], env: ['ANSIBLE_INVENTORY_ENABLED'], ini: ['inventory', 'enable_plugins'], help: 'inventory plugins tried on each source, in this order' },
  { name: 'inventory_unparsed_failed', kind: 'bool', default: false, env: ['ANSIBLE_INVENTORY_UNPARSED_FAILED'], ini: ['inventory', 'unparsed_is_failed'], help: 'an error (not a warning) when no inventory source could be parsed' },
  { name: 'inventory_any_unparsed_is_failed', kind: 'bool', default: false, env: ['ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED'], ini: ['inventory', 'any_unparsed_is_failed'], help: 'an error when any inventory source cannot be parsed' },
  { name: 'inventory_unparsed_warning', kind: 'bool', default: true, env: ['ANSIBLE_INVENTORY_UNPARSED_WARNING'], ini: ['inventory', 'inventory_unparsed_warning'], help: 'warn when no inventory source could be parsed' },
  { name: 'inventory_script_stderr', kind: 'bool', default: true, env: ['ANSIBLE_INVENTORY_PLUGIN_SCRIPT_STDERR'], ini: ['inventory_plugin_script', 'always_show_stderr'], help: "show an inventory script's stderr even when it succeeds" },
  { name: 'inventory_timeout', kind: 'int', default: 300, env: ['DROVER_INVENTORY_TIMEOUT'], ini: ['drover', 'inventory_timeout'], help: 'drover: seconds an inventory script or ansible-inventory run may take' },
  { name: 'remote_user', kind: 'string', default: undefined, env: ['ANSIBLE_REMOTE_USER'], ini: ['defaults', 'remote_user'], help: 'user to connect as' },
  { name: 'private_key_file', kind: 'path', default: undefined, env: ['ANSIBLE_PRIVATE_KEY_FILE'], ini: ['defaults', 'private_key_file'], help: 'SSH private key' },
  { name: 'host_key_checking', kind: 'bool', default: true, env: ['ANSIBLE_HOST_KEY_CHECKING', 'DROVER_HOST_KEY_CHECKING'], ini: ['defaults', 'host_key_checking'], help: 'verify SSH host keys against known_hosts' },
  { name: 'timeout', kind: 'int', default: 10, env: ['ANSIBLE_TIMEOUT'], ini: ['defaults', 'timeout'], help: 'connection timeout (seconds)' },
  { name: 'log_path', kind: 'path', default: undefined, env: ['ANSIBLE_LOG_PATH', 'DROVER_LOG_PATH'], ini: ['defaults', 'log_path'], help: 'run log file' },
  { name: 'retry_files_enabled', kind: 'bool', default: false, env: ['ANSIBLE_RETRY_FILES_ENABLED'], ini: ['defaults', 'retry_files_enabled'], help: 'write PLAYBOOK.retry on failure' },
  { name: 'retry_files_save_path', kind: 'path', default: undefined, env: ['ANSIBLE_RETRY_FILES_SAVE_PATH'], ini: ['defaults', 'retry_files_save_path'], help: 'where retry files go' },
  { name: 'become', kind: 'bool', default: false, env: ['ANSIBLE_BECOME'], ini: ['privilege_escalation', 'become'], help: 'become by default' },
  { name: 'become_user', kind: 'string', default: 'root', env: ['ANSIBLE_BECOME_USER'], ini: ['privilege_escalation', 'become_user'], help: 'default become user' },
  { name: 'become_method', kind: 'string', default: 'sudo', env: ['ANSIBLE_BECOME_METHOD'], ini: ['privilege_escalation', 'become_method'], help: 'default become method' },
  { name: 'show_custom_stats', kind: 'bool', default: false, env: ['ANSIBLE_SHOW_CUSTOM_STATS'], ini: ['defaults', 'show_custom_stats'], help: 'print set_stats data (CUSTOM STATS) after the recap' },
  { name: 'stdout_callback', kind: 'string', default: 'default', env: ['ANSIBLE_STDOUT_CALLBACK'], ini: ['defaults', 'stdout_callback'], help: 'output format (default, json)' },
  { name: 'task_timeout', kind: 'int', default: 0, env: ['DROVER_TASK_TIMEOUT'], ini: ['drover', 'task_timeout'], help: 'drover: default per-task timeout in seconds (0 = none)' },
  { name: 'output', kind: 'string', default: 'auto', env: ['DROVER_OUTPUT'], ini: ['drover', 'output'], help: 'drover: auto (live view on a terminal, else plain), live, plain, json, json-doc' },
  { name: 'stuck_after', kind: 'int', default: 300, env: ['DROVER_STUCK_AFTER'], ini: ['drover', 'stuck_after'], help: 'drover: live view flags a host running one task longer than this (seconds)' },
  { name: 'inject_facts_as_vars', kind: 'bool', default: true, env: ['ANSIBLE_INJECT_FACT_VARS'], ini: ['defaults', 'inject_facts_as_vars'], help: 'facts also as top-level ansible_* variables (else only ansible_facts.X)' },
  { name: 'force_handlers', kind: 'bool', default: false, env: ['ANSIBLE_FORCE_HANDLERS'], ini: ['defaults', 'force_handlers'], help: 'run notified handlers on hosts that failed (the play keyword force_handlers wins)' },
  { name: 'strategy', kind: 'string', default: 'linear', env: ['ANSIBLE_STRATEGY'], ini: ['defaults', 'strategy'], help: 'strategy of plays that do not set one (linear, free)' },
  { name: 'error_on_missing_handler', kind: 'bool', default: true, env: ['ANSIBLE_ERROR_ON_MISSING_HANDLER'], ini: ['defaults', 'error_on_missing_handler'], help: 'notifying a handler that does not exist is an error (else a warning)' },
  { name: 'validate_action_group_metadata', kind: 'bool', default: true, env: ['ANSIBLE_VALIDATE_ACTION_GROUP_METADATA'], ini: ['defaults', 'validate_action_group_metadata'], help: "warn about unexpected fields or value types in a module_defaults action group's metadata" },
  { name: 'localhost_warning', kind: 'bool', default: true, env: ['ANSIBLE_LOCALHOST_WARNING'], ini: ['defaults', 'localhost_warning'], help: 'warn when the inventory is empty and only the implicit localhost is available' },
  { name: 'no_log', kind: 'bool', default: false, env: ['ANSIBLE_NO_LOG'], ini: ['defaults', 'no_log'], help: "censor every task's result unless the task's no_log says otherwise" },
  { name: 'private_role_vars', kind: 'bool', default: false, env: ['ANSIBLE_PRIVATE_ROLE_VARS'], ini: ['defaults', 'private_role_vars'], help: "a role's vars are seen by its own tasks only (else by the whole play)" },
  { name: 'roles_path', kind: 'pathspec', default: ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'], env: ['ANSIBLE_ROLES_PATH'], ini: ['defaults', 'roles_path'], help: 'role directories, searched after roles/ beside the playbook' },
  { name: 'jinja2_native', kind: 'bool', default: false, env: ['ANSIBLE_JINJA2_NATIVE'], ini: ['defaults', 'jinja2_native'], help: 'templates that are one expression keep its type (Jinja2 native types)' },
  { name: 'ansible_managed', kind: 'string', default: 'Ansible managed', env: [], ini: ['defaults', 'ansible_managed'], help: 'the ansible_managed string of the template module ({file}, {host}, {uid}, strftime codes)' },
  { name: 'filter_plugins', kind: 'pathspec', default: ['~/.ansible/plugins/filter', '/usr/share/ansible/plugins/filter'], env: ['ANSIBLE_FILTER_PLUGINS'], ini: ['defaults', 'filter_plugins'], help: 'folders of Python filter plugins (run by the Python plugin worker)' },
  { name: 'test_plugins', kind: 'pathspec', default: ['~/.ansible/plugins/test', '/usr/share/ansible/plugins/test'], env: ['ANSIBLE_TEST_PLUGINS'], ini: ['defaults', 'test_plugins'], help: 'folders of Python test plugins (run by the Python plugin worker)' },
  { name: 'lookup_plugins', kind: 'pathspec', default: ['~/.ansible/plugins/lookup', '/usr/share/ansible/plugins/lookup'], env: ['ANSIBLE_LOOKUP_PLUGINS'], ini: ['defaults', 'lookup_plugins'], help: 'folders of Python lookup plugins (run by the Python plugin worker)' },
  { name: 'collections_paths', kind: 'pathspec', default: ['~/.ansible/collections', '/usr/share/ansible/collections'], env: ['ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_PATH'], ini: ['defaults', 'collections_paths'], help: 'folders holding ansible_collections/NS/COLL' },
  { name: 'library', kind: 'pathspec', default: ['~/.ansible/plugins/modules', '/usr/share/ansible/plugins/modules'], env: ['ANSIBLE_LIBRARY'], ini: ['defaults', 'library'], help: 'folders searched for modules (after library/ beside playbooks and roles)' },
  { name: 'module_utils', kind: 'pathspec', default: ['~/.ansible/plugins/module_utils', '/usr/share/ansible/plugins/module_utils'], env: ['ANSIBLE_MODULE_UTILS'], ini: ['defaults', 'module_utils'], help: 'folders searched for module_utils of Python modules' },
  { name: 'interpreter_python', kind: 'string', default: 'auto', env: ['ANSIBLE_PYTHON_INTERPRETER'], ini: ['defaults', 'interpreter_python'], help: 'Python on the hosts for Python modules: a path, auto, auto_silent, auto_legacy, auto_legacy_silent' },
  { name: 'keep_remote_files', kind: 'bool', default: false, env: ['ANSIBLE_KEEP_REMOTE_FILES'], ini: ['defaults', 'keep_remote_files'], help: "keep the module files drover writes on the hosts (modules that are not new-style Python)" },
  { name: 'python_worker', kind: 'bool', default: true, env: ['DROVER_PYTHON_WORKER'], ini: ['drover', 'python_worker'], help: 'drover: run Python modules in a warm worker per host that forks for each module (off: one interpreter per task)' },
  { name: 'force_python_modules', kind: 'bool', default: false, env: ['DROVER_FORCE_PYTHON_MODULES'], ini: ['drover', 'force_python_modules'], help: "drover: modules drover has natively run ansible-core's Python file instead where Ansible runs that file without an action plugin of its own (stat, file, command...; for comparisons)" },
  { name: 'ansible_core', kind: 'path', default: undefined, env: ['DROVER_ANSIBLE_CORE'], ini: ['drover', 'ansible_core'], help: "drover: folder of the controller's ansible package (ansible-core's modules and module_utils); unset: found on Python's path" },
  { name: 'duplicate_yaml_dict_key', kind: 'string', default: 'warn', env: ['ANSIBLE_DUPLICATE_YAML_DICT_KEY'], ini: ['defaults', 'duplicate_dict_key'], help: 'a duplicate key in YAML: warn, error or ignore (the last value is used)' },
  { name: 'hash_behaviour', kind: 'string', default: 'replace', env: ['ANSIBLE_HASH_BEHAVIOUR'], ini: ['defaults', 'hash_behaviour'], help: 'dict variables from several sources: replace or merge' },
  { name: 'fact_caching', kind: 'string', default: 'memory', env: ['ANSIBLE_CACHE_PLUGIN'], ini: ['defaults', 'fact_caching'], help: 'fact cache plugin: memory or jsonfile' },
  { name: 'fact_caching_connection', kind: 'path', default: undefined, env: ['ANSIBLE_CACHE_PLUGIN_CONNECTION'], ini: ['defaults', 'fact_caching_connection'], help: 'jsonfile fact cache directory' },
  { name: 'fact_caching_prefix', kind: 'string', default: '', env: ['ANSIBLE_CACHE_PLUGIN_PREFIX'], ini: ['defaults', 'fact_caching_prefix'], help: 'prefix of the fact cache file names (the jsonfile plugin has none by default: files are named after the host)' },
  { name: 'vault_password_file', kind: 'path', default: undefined, env: ['ANSIBLE_VAULT_PASSWORD_FILE'], ini: ['defaults', 'vault_password_file'], help: 'vault password file (an executable one is run)' },
  { name: 'vault_identity_list', kind: 'list', default: [], env: ['ANSIBLE_VAULT_IDENTITY_LIST'], ini: ['defaults', 'vault_identity_list'], help: 'vault ids (label@source) to use by default' },
  { name: 'vault_identity', kind: 'string', default: 'default', env: ['ANSIBLE_VAULT_IDENTITY'], ini: ['defaults', 'vault_identity'], help: 'the label of a vault secret given without one' },
  { name: 'vault_id_match', kind: 'bool', default: false, env: ['ANSIBLE_VAULT_ID_MATCH'], ini: ['defaults', 'vault_id_match'], help: 'only the secret of the vault id in the vaulttext may decrypt it' },
  { name: 'vault_encrypt_identity', kind: 'string', default: undefined, env: ['ANSIBLE_VAULT_ENCRYPT_IDENTITY'], ini: ['defaults', 'vault_encrypt_identity'], help: 'vault id to encrypt with' },
  { name: 'module_name', kind: 'string', default: 'command', env: ['ANSIBLE_MODULE_NAME'], ini: ['defaults', 'module_name'], help: 'the action of `drover adhoc` without -m' },
  { name: 'module_args', kind: 'string', default: '', env: ['ANSIBLE_MODULE_ARGS'], ini: ['defaults', 'module_args'], help: 'the arguments of `drover adhoc` without -a' },
  { name: 'playbook_dir', kind: 'path', default: undefined, env: ['ANSIBLE_PLAYBOOK_DIR'], ini: ['defaults', 'playbook_dir'], help: 'the playbook folder of commands without a playbook (--playbook-dir)' },
  { name: 'fact_caching_timeout', kind: 'int', default: 86400, env: ['ANSIBLE_CACHE_PLUGIN_TIMEOUT'], ini: ['defaults', 'fact_caching_timeout'], help: 'seconds cached facts stay valid (0: forever)' },
];

export interface ResolvedSetting {
  name: string;
  value: unknown;
  origin: string; // "default", "env: X", "ansible.cfg: path [section] key"
}

/** The ansible.cfg Ansible would read, or undefined. */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const candidates = [env.ANSIBLE_CONFIG, join(cwd, 'ansible.cfg'), join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(resolve(cwd, c as string)));
}

/** Minimal INI reader for ansible.cfg: [section], key = value, # and ; comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = 'defaults';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).replace(/\s+[#;].*$/, '').trim();
  }
  return out;
}

function expandHome(p: string): string {
  return p.replace(/^~(?=\/|$)/, homedir());
}

function convert(kind: Kind, raw: string, base: string): unknown {
  switch (kind) {
    case 'pathspec':
      return raw.split(':').map((s) => s.trim()).filter(Boolean).map((p) => resolve(base, expandHome(p)));
    case 'bool':
      return /^(1|true|yes|on|y|t)$/i.test(raw.trim());
    case 'int':
      return parseInt(raw, 10);
    case 'list':
      return raw.split(/[,:]/).map((s) => s.trim()).filter(Boolean);
    case 'path':
      return expandHome(raw);
    default:
      return raw;
  }
}

/** Every setting with its value and where it came from: env beats ansible.cfg beats default. */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Map<string, ResolvedSetting> {
  const file = findConfigFile(env, cwd);
  const ini = file ? parseIni(readFileSync(resolve(cwd, file), 'utf8')) : {};
  const out = new Map<string, ResolvedSetting>();
  for (const def of SETTINGS) {
    const value = def.kind === 'pathspec' ? (def.default as string[]).map(expandHome) : def.default;
    let resolved: ResolvedSetting = { name: def.name, value, origin: 'default' };
    const fromIni = def.ini ? ini[def.ini[0]]?.[def.ini[1]] : undefined;
    if (fromIni !== undefined && def.ini) resolved = { name: def.name, value: convert(def.kind, fromIni, dirname(resolve(cwd, file as string))), origin: `${file} [${def.ini[0]}] ${def.ini[1]}` };
    for (const e of def.env) {
      if (env[e] !== undefined) {
        resolved = { name: def.name, value: convert(def.kind, env[e] as string, cwd), origin: `env: ${e}` };
        break;
      }
    }
    out.set(def.name, resolved);
  }
  return out;
}

export function setting<T>(settings: Map<string, ResolvedSetting>, name: string): T {
  return settings.get(name)?.value as T;
}
