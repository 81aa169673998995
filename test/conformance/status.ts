// Which shared ansible-core 2.14 targets drover passes (measured with run.sh; `npm run
// conformance` prints the targets that pass and are not listed yet), and the subset CI runs.
// A target that does not pass has a row in README.md's table instead.

/** Every target measured to pass with drover (and with ansible-playbook on this machine). */
export const PASSING: string[] = [
  'add_host', 'assert', 'async', 'async_extra_data', 'blockinfile', 'blocks', 'changed_when', 'check_mode',
  'command_nonexisting', 'command_shell', 'debug', 'environment', 'failed_when', 'filter_mathstuff', 'filter_urls',
  'filter_urlsplit', 'group_by', 'groupby_filter', 'handler_race', 'handlers', 'hash', 'ignore_errors', 'import_tasks',
  'include_import', 'include_import_tasks_nested', 'include_vars', 'include_when_parent_is_static', 'includes',
  'includes_race', 'inventory', 'inventory_constructed', 'inventory_script', 'inventory_yaml', 'lineinfile',
  'lookup_csvfile', 'lookup_file', 'lookup_fileglob',
  'lookup_first_found', 'lookup_indexed_items', 'lookup_ini', 'lookup_lines', 'lookup_nested', 'lookup_password',
  'lookup_pipe', 'lookup_random_choice', 'lookup_template', 'lookup_unvault', 'lookup_varnames', 'lookup_vars',
  'loop-connection', 'loop-until', 'module_defaults', 'no_log', 'path_lookups', 'ping', 'raw', 'register', 'replace', 'retry_task_name_in_callback', 'roles',
  'roles_var_inheritance', 'script', 'set_fact', 'shell', 'special_vars', 'special_vars_hosts', 'strategy_linear', 'tasks',
  'tempfile', 'template', 'template_jinja2_non_native', 'templating', 'templating_lookups', 'templating_settings', 'test_core', 'test_files',
  'test_mathstuff', 'test_uri', 'throttle', 'unicode', 'until', 'unvault', 'var_blending', 'var_inheritance', 'var_precedence',
  'var_reserved', 'wait_for', 'yaml_parsing',
  // not in targets.txt; run.sh runs them by name (they call `ansible`: the harness's shim sends it to drover adhoc)
  'adhoc', 'include_vars-ad-hoc', 'inventory_cache', 'limit_inventory', 'lookup_env', 'plugin_config_for_inventory',
];

/**
 * Run in CI with drover only (each takes seconds): a spread over search paths, variables,
 * templating, lookups, handlers, inventory sources and modules. The full list runs with
 * `npm run conformance`.
 */
// Not inventory_yaml: its result is decided by a grep for a warning that Display wraps at 80
// columns, so it passes or fails with the length of the folder it runs in (for ansible too).
export const CI_SUBSET: string[] = [
  'check_mode', 'command_shell', 'filter_mathstuff', 'group_by', 'handler_race', 'ignore_errors', 'include_import_tasks_nested',
  'inventory', 'inventory_constructed', 'inventory_script', 'lookup_csvfile', 'lookup_file', 'lookup_ini',
  'path_lookups', 'roles_var_inheritance', 'special_vars', 'special_vars_hosts', 'tempfile',
  'test_uri', 'unicode', 'var_blending', 'var_inheritance', 'var_precedence',
  'adhoc', 'limit_inventory', 'module_defaults', 'until',
  // issue 16's vault and inventory targets
  'inventory_cache', 'lookup_unvault', 'plugin_config_for_inventory', 'test_core', 'unvault',
];
