// Which shared ansible-core 2.14 targets drover passes (measured with run.sh; `npm run
// conformance` prints the targets that pass and are not listed yet), and the subset CI runs.
// A target that does not pass has a row in README.md's table instead.

/** Every target measured to pass with drover (and with ansible-playbook on this machine). */
export const PASSING: string[] = [
  'check_mode', 'command_nonexisting', 'filter_mathstuff', 'filter_urls', 'filter_urlsplit', 'group_by', 'groupby_filter',
  'handler_race', 'ignore_errors', 'include_import_tasks_nested', 'include_vars', 'includes_race', 'lookup_csvfile',
  'lookup_file', 'lookup_fileglob', 'lookup_first_found', 'lookup_ini', 'lookup_lines', 'lookup_nested', 'lookup_password',
  'lookup_pipe', 'lookup_random_choice', 'lookup_template', 'lookup_varnames', 'path_lookups', 'retry_task_name_in_callback',
  'set_fact', 'special_vars_hosts', 'test_files', 'test_mathstuff', 'test_uri', 'unicode', 'var_blending', 'var_inheritance',
  'yaml_parsing',
];

/**
 * Run in CI with drover only (each takes seconds): a spread over search paths, variables,
 * templating, lookups, handlers and modules. The full list runs with `npm run conformance`.
 */
export const CI_SUBSET: string[] = [
  'check_mode', 'filter_mathstuff', 'group_by', 'handler_race', 'ignore_errors', 'include_import_tasks_nested',
  'lookup_csvfile', 'lookup_file', 'lookup_ini', 'path_lookups', 'special_vars_hosts', 'test_uri', 'unicode',
  'var_blending', 'var_inheritance',
];
