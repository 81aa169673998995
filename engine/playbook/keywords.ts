// The keyword tables of ansible-core 2.14 (play, block, task, handler, role, import_playbook,
// include_*), the built-in actions the loader handles itself, and the with_<lookup> names.

const set = (...names: string[]) => new Set(names);

/** Base attributes shared by plays, blocks, tasks and role entries. */
const BASE = [
  'name', 'connection', 'port', 'remote_user', 'vars', 'module_defaults', 'environment', 'no_log',
  'run_once', 'ignore_errors', 'ignore_unreachable', 'check_mode', 'diff', 'any_errors_fatal',
  'throttle', 'timeout', 'debugger', 'become', 'become_method', 'become_user', 'become_flags',
  'become_exe', 'collections', 'tags',
];

export const PLAY_KEYWORDS = set(
  ...BASE, 'hosts', 'gather_facts', 'gather_subset', 'gather_timeout', 'fact_path', 'vars_files',
  'vars_prompt', 'roles', 'handlers', 'pre_tasks', 'post_tasks', 'tasks', 'force_handlers',
  'max_fail_percentage', 'serial', 'strategy', 'order', 'user',
  // drover extensions (ansible-semantics.md §8)
  'continue_on_batch_failure', 'count_unreachable_as_failed',
);

export const BLOCK_KEYWORDS = set(
  ...BASE, 'block', 'rescue', 'always', 'when', 'delegate_to', 'delegate_facts', 'notify',
);

export const TASK_KEYWORDS = set(
  ...BASE, 'action', 'args', 'async', 'async_val', 'changed_when', 'delay', 'delegate_facts',
  'delegate_to', 'failed_when', 'loop', 'loop_control', 'loop_with', 'notify', 'poll', 'register',
  'retries', 'until', 'when', 'listen', 'local_action', 'static',
);

/** Keywords an include_tasks / include_role may carry (the rest must go under `apply:`). */
export const INCLUDE_KEYWORDS = set(
  'action', 'args', 'collections', 'debugger', 'ignore_errors', 'loop', 'loop_control', 'loop_with',
  'name', 'no_log', 'register', 'run_once', 'tags', 'timeout', 'vars', 'when',
);

/** Keys of a `roles:` entry that are keywords; any other key is a role parameter. */
export const ROLE_KEYWORDS = set(...BASE, 'role', 'when', 'delegate_to', 'delegate_facts');

export const IMPORT_PLAYBOOK_KEYWORDS = set(...BASE, 'import_playbook', 'when', 'vars_val');

export const LOOP_CONTROL_KEYS = set('loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems');

export const VARS_PROMPT_KEYS = set('name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe');

export const INCLUDE_TASKS_ARGS = set('file', '_raw_params', 'apply');
export const INCLUDE_ROLE_ARGS = set(
  'apply', 'rolespec_validate', 'role', 'public', 'tasks_from', 'allow_duplicates', 'defaults_from',
  'vars_from', 'name', 'handlers_from',
);

/** Actions resolved by the loader / scheduler rather than a module. */
export const BUILTIN_ACTIONS = set('meta', 'include', 'include_tasks', 'include_role', 'import_tasks', 'import_role');

/** Modules whose free-form text keeps `k=v` words (only the command options are pulled out). */
export const CHECK_RAW_ACTIONS = set('command', 'shell', 'raw', 'script', 'win_command', 'win_shell');

/** Actions that accept free-form words (`_raw_params`) besides modules declared freeForm. */
export const RAW_PARAM_ACTIONS = set(
  ...CHECK_RAW_ACTIONS, ...BUILTIN_ACTIONS, 'include_vars', 'add_host', 'group_by', 'set_fact',
);

/** command/shell/script move `cmd:` into `_raw_params`. */
export const CMD_ACTIONS = set('command', 'shell', 'script');

export const META_ACTIONS = set(
  'noop', 'flush_handlers', 'refresh_inventory', 'clear_facts', 'clear_host_errors', 'end_play',
  'end_host', 'end_batch', 'reset_connection', 'role_complete',
);

/** Keywords copied from an import / role entry / handler block onto what it contains. */
export const INHERITED_KEYWORDS = [
  'environment', 'become', 'become_user', 'become_method', 'become_flags', 'check_mode', 'diff',
  'no_log', 'ignore_errors', 'ignore_unreachable', 'any_errors_fatal', 'run_once', 'throttle',
  'timeout', 'connection', 'remote_user', 'port', 'module_defaults', 'delegate_to', 'delegate_facts',
] as const;

/**
 * Variable names ansible-core 2.14 warns about (vars/reserved.py: every Play, Role, Block and Task
 * attribute, local_action and with_, plus the Jinja2 globals of its Templar), 'vars' excepted.
 */
export const RESERVED_VAR_NAMES = set(
  'action', 'always', 'any_errors_fatal', 'args', 'async', 'async_val', 'become', 'become_exe',
  'become_flags', 'become_method', 'become_user', 'block', 'changed_when', 'check_mode',
  'collections', 'connection', 'debugger', 'delay', 'delegate_facts', 'delegate_to', 'diff',
  'environment', 'fact_path', 'failed_when', 'force_handlers', 'gather_facts', 'gather_subset',
  'gather_timeout', 'handlers', 'hosts', 'ignore_errors', 'ignore_unreachable', 'local_action',
  'loop', 'loop_control', 'loop_with', 'max_fail_percentage', 'module_defaults', 'name', 'no_log',
  'notify', 'order', 'poll', 'port', 'post_tasks', 'pre_tasks', 'register', 'remote_user',
  'rescue', 'retries', 'roles', 'run_once', 'serial', 'strategy', 'tags', 'tasks', 'throttle',
  'timeout', 'until', 'vars_files', 'vars_prompt', 'when', 'with_',
  'cycler', 'dict', 'joiner', 'lipsum', 'lookup', 'namespace', 'now', 'q', 'query', 'range', 'undef',
);

/** ansible.builtin.X / ansible.legacy.X → X; other names unchanged. */
export function shortName(name: string): string {
  const m = /^ansible\.(?:builtin|legacy)\.([^.]+)$/.exec(name);
  return m ? m[1] : name;
}
