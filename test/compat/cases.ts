// The compat corpus: which playbook runs against which inventory with which arguments, what the
// case demonstrates, and the exit code ansible-core 2.14 gives (checked by corpus-sanity.test.ts).
// Every playbook appends "<inventory_hostname> <step>" to the file given by `-e log=...`, so the
// order of work across hosts, batches and plays is what gets compared.

export interface CompatCase {
  /** Unique test name. */
  id: string;
  /** File under test/compat/playbooks/. */
  playbook: string;
  /** File under test/compat/inventories/. */
  inventory: string;
  /** Extra ansible-playbook arguments; `-f 1` is added unless a fork count is given. */
  extraArgs: string[];
  /** false for strategy free: compare each host's own sequence instead of the global order. */
  compareLogOrder: boolean;
  /** ansible-playbook's exit code for this case (ansible-core 2.14). */
  expectRc: number;
  /** Error cases that stop before running anything: no PLAY RECAP, empty log. */
  noRecap?: boolean;
  /** The run stops before any task writes to the work log (recap only). */
  emptyLog?: boolean;
  /** forks > 1: hosts of one task report in completion order, compared sorted per task. */
  unorderedResults?: boolean;
  /** What the case shows (the matching playbook's header comment has the details). */
  note: string;
}

const L10 = 'local10.ini';
const UNR = 'unreachable.ini';
const OSE = 'openshift.ini';
const MIX = 'mixed-order.ini';

function c(
  id: string,
  playbook: string,
  inventory: string,
  extraArgs: string[],
  expectRc: number,
  note: string,
  more: Partial<CompatCase> = {},
): CompatCase {
  return { id, playbook, inventory, extraArgs, compareLogOrder: true, expectRc, note, ...more };
}

export const CASES: CompatCase[] = [
  // §1 serial: batch shapes
  c('serial-int', '01-serial-int.yml', L10, [], 0, 'serial 3 -> 3,3,3,1; whole play per batch; run_once per batch'),
  c('serial-percent', '02-serial-percent.yml', L10, [], 0, '"30%" -> 3,3,3,1 (truncation)'),
  c('serial-list', '03-serial-list.yml', L10, [], 0, '[1, "20%", 3] -> 1,2,3,3,1 (last value repeats)'),
  c('serial-oversize', '04-serial-oversize.yml', L10, [], 0, '50, "150%", 0, -1 -> one batch; recap lists only h01'),
  c('serial-tiny-percent', '05-serial-tiny-percent.yml', L10, [], 0, '"0%" and "5%" -> 1 host per batch'),
  c('serial-list-zero', '06-serial-list-zero.yml', L10, [], 0, '[2, 0] -> 2,8'),
  c('serial-limit-list', '07-serial-limit-percent.yml', L10, ['-l', 'h01,h02,h03,h04,h05,h06'], 0, '"50%" of the post-limit count (6) -> 3,3'),
  c('serial-limit-glob', '07-serial-limit-percent.yml', L10, ['-l', 'h0*'], 0, '"50%" of 9 -> 4,4,1'),
  c('serial-limit-group', '07-serial-limit-percent.yml', L10, ['-l', 'canary'], 0, '"50%" of 2 -> 1,1'),
  c('serial-limit-order', '07-serial-limit-percent.yml', L10, ['-l', 'h03,h01'], 0, 'limit order is ignored: play order h01,h03'),
  c('limit-range-gotcha', '07-serial-limit-percent.yml', L10, ['-l', 'h0[1-4]'], 1, 'h0[1-4] = host "h0" + subscript -> no hosts, rc 1', { noRecap: true }),
  c('serial-order', '08-serial-order.yml', MIX, [], 0, 'order: inventory / reverse_inventory / sorted / reverse_sorted applied before slicing'),
  c('serial-failed-slots', '09-serial-failed-slots.yml', L10, [], 2, 'hosts failed in play 1 still occupy batch slots in play 2'),
  c('serial-failed-slots-whole-batch', '09-serial-failed-slots.yml', L10, ['-e', 'fail_hosts=h01,h02,h03'], 2, 'a batch made only of earlier-failed hosts runs nothing and does not stop the play'),
  c('serial-templated-default', '10-serial-templated.yml', L10, [], 0, 'serial "{{ upgrade_serial | default(1) }}" -> 1 per batch'),
  c('serial-templated-int', '10-serial-templated.yml', L10, ['-e', 'upgrade_serial=4'], 0, 'serial from -e string "4" -> 4,4,2'),
  c('serial-templated-percent', '10-serial-templated.yml', L10, ['-e', 'upgrade_serial=40%'], 0, 'serial from -e "40%" -> 4,4,2'),
  c('serial-templated-list', '10-serial-templated.yml', L10, ['-e', '{"upgrade_serial": [1, "30%"]}'], 0, 'serial list from JSON -e -> 1,3,3,3'),
  c('batch-failure-whole', '11-serial-batch-failure.yml', L10, ['-e', 'fail_hosts=h03,h04'], 2, 'whole batch 2 fails -> later batches and plays skipped'),
  c('batch-failure-partial', '11-serial-batch-failure.yml', L10, ['-e', 'fail_hosts=h03'], 2, 'one of two fails -> run continues, h03 dropped from later plays'),
  c('batch-failure-serial1', '11-serial-batch-failure.yml', L10, ['-e', 's=1', '-e', 'fail_hosts=h02'], 2, 'serial 1: the first failure stops the run'),
  c('serial-invalid', '12-serial-invalid.yml', L10, [], 250, 'serial "33.3%" -> unexpected exception, rc 250', { noRecap: true }),

  // §2 max_fail_percentage / any_errors_fatal / ignore_errors / unreachable
  c('mfp-at-threshold', '13-mfp-threshold.yml', L10, ['-e', 'fail_hosts=h01,h05'], 2, '1/4 = 25% is not > 25 -> everything runs'),
  c('mfp-above-threshold', '13-mfp-threshold.yml', L10, ['-e', 'fail_hosts=h05,h06'], 2, '2/4 > 25% -> abort, h07,h08 force-failed without failed=, batch 3 and play 2 skipped'),
  c('mfp-zero-no-serial', '14-mfp-zero-no-serial.yml', L10, [], 2, 'no serial, mfp 0, 1/10 fails -> abort'),
  c('mfp-unreachable', '15-mfp-unreachable.yml', UNR, [], 4, 'unreachable hosts are not counted by mfp; rc 4'),
  c('mfp-block-failures', '16-mfp-block-failures.yml', L10, [], 2, 'failures in block-with-always and rescued failures are not counted'),
  c('mfp-templated-ok', '17-mfp-templated.yml', L10, ['-e', 'openshift_upgrade_nodes_serial=4', '-e', 'openshift_upgrade_nodes_max_fail_percentage=50', '-e', 'fail_hosts=h05,h06'], 2, 'templated serial/mfp: 2/4 = 50% continues'),
  c('mfp-templated-abort', '17-mfp-templated.yml', L10, ['-e', 'openshift_upgrade_nodes_serial=4', '-e', 'openshift_upgrade_nodes_max_fail_percentage=50', '-e', 'fail_hosts=h05,h06,h07'], 2, 'templated serial/mfp: 3/4 > 50% aborts'),
  c('mfp-templated-defaults', '17-mfp-templated.yml', L10, ['-e', 'fail_hosts=h03'], 2, 'defaults serial 1 / mfp 0: h03 fails -> stop'),
  c('mfp-failed-slots', '61-mfp-failed-slots.yml', L10, [], 2, 'numerator = this batch only; earlier-failed h01 is in the denominator'),
  c('mfp-failed-slots-quirk', '61-mfp-failed-slots.yml', L10, ['-e', 'fail_hosts=h02,h03'], 2, '2.14: mfp abort in a batch holding an earlier-failed host does not stop later batches; later plays are skipped'),
  c('aef-play', '18-any-errors-fatal.yml', L10, [], 2, 'any_errors_fatal play: one failure stops everyone'),
  c('aef-task-fatal', '19-any-errors-fatal-task.yml', L10, [], 2, 'any_errors_fatal on a block: ordinary failure removes one host, fatal one stops all'),
  c('aef-task-no-fatal', '19-any-errors-fatal-task.yml', L10, ['-e', 'fatal=no'], 2, 'only the ordinary failure'),
  c('aef-unreachable', '20-any-errors-fatal-unreachable.yml', UNR, [], 2, 'unreachable host + any_errors_fatal -> abort, rc 2 (not 4)'),
  c('aef-rescued', '21-any-errors-fatal-rescued.yml', L10, [], 0, 'rescued failure does not trigger any_errors_fatal (2.14)'),
  c('aef-serial', '60-any-errors-fatal-serial.yml', L10, ['-e', 'fail_hosts=h05'], 2, 'any_errors_fatal in batch 2 stops batches and plays'),
  c('aef-serial1-unreachable', '60-any-errors-fatal-serial.yml', UNR, ['-e', 's=1'], 4, '2.14 quirk (#73795): unreachable one-host batch -> NO MORE HOSTS, yet later batches run; later play skipped; rc 4'),
  c('aef-serial2-unreachable', '60-any-errors-fatal-serial.yml', UNR, ['-e', 's=2'], 2, 'unreachable + aef in batch 2 of 2 hosts: batch 3 still starts'),
  c('ignore-errors', '22-ignore-errors.yml', L10, [], 0, 'ignore_errors: ok+ignored(+changed), register still "is failed"', { unorderedResults: true }),
  c('unreachable', '23-unreachable.yml', UNR, [], 4, 'unreachable hosts dropped; rc 4 even with a failed host; ignore_unreachable'),

  // blocks, handlers
  c('blocks', '24-blocks.yml', L10, [], 2, 'rescue/always, ansible_failed_task/result, failure in rescue, nested blocks, block vars/when'),
  c('handlers', '25-handlers.yml', L10, [], 0, 'definition order, listen, chained handler, changed-only, once per flush'),
  c('handlers-serial', '26-handlers-serial.yml', L10, [], 0, 'handlers flushed per batch (after pre_tasks and at the end)'),
  c('handlers-flush', '27-handlers-flush.yml', L10, [], 0, 'meta: flush_handlers mid-section, re-notify after flush, section flushes'),
  c('handlers-failed', '28-handlers-failed.yml', L10, [], 2, 'failed hosts lose handlers; force_handlers; failing handler'),
  c('handlers-lockstep-quirk', '59-handlers-lockstep-quirk.yml', L10, [], 0, '2.14: host with nothing to flush runs ahead when the notified handler is the last one'),

  // includes, imports, hooks, tags
  c('hooks-none', '29-include-hooks.yml', L10, [], 0, 'hook includes skipped when the hook vars are undefined; include_tasks counts ok'),
  c('hooks-all', '29-include-hooks.yml', L10, ['-e', 'openshift_master_upgrade_pre_hook=hooks/pre_master.yml', '-e', 'openshift_master_upgrade_hook=hooks/mid_master.yml', '-e', 'openshift_master_upgrade_post_hook=hooks/post_master.yml', '-e', 'restart_mode=system'], 0, 'templated include_tasks paths, relative to the playbook'),
  c('hooks-post-fails', '29-include-hooks.yml', L10, ['-e', 'openshift_master_upgrade_post_hook=hooks/post_master.yml', '-e', 'hook_fail_hosts=h03'], 2, 'failing post hook with serial 1 stops the rolling upgrade'),
  c('import-include-when', '30-import-include-when.yml', L10, [], 0, 'when on import_tasks re-evaluated per task; on include_tasks once'),
  c('tags-none', '31-tags.yml', L10, [], 0, 'no tag options: never-tagged task skipped'),
  c('tags-deploy', '31-tags.yml', L10, ['--tags', 'deploy'], 0, '--tags deploy (+ always)'),
  c('tags-skip-deploy', '31-tags.yml', L10, ['--skip-tags', 'deploy'], 0, '--skip-tags deploy'),
  c('tags-never', '31-tags.yml', L10, ['--tags', 'debug'], 0, 'a never task runs when one of its other tags is asked for'),
  c('tags-include', '31-tags.yml', L10, ['--tags', 'inc'], 0, 'tagged include_tasks: include runs, untagged inner tasks skipped'),
  c('tags-apply', '31-tags.yml', L10, ['--tags', 'app'], 0, 'include_tasks apply: tags reach inner tasks'),
  c('tags-tagged', '31-tags.yml', L10, ['--tags', 'tagged'], 0, 'special tag "tagged"'),
  c('tags-skip-always', '31-tags.yml', L10, ['--skip-tags', 'always'], 0, '--skip-tags always'),
  c('tags-play', '31-tags.yml', L10, ['-t', 'play2,imp'], 0, 'play-level tags and import_tasks tags'),

  // task keywords
  c('until-retries', '32-until-retries.yml', L10, [], 2, 'until/retries/delay 0, attempts, exhaustion (attempts = retries), retries 0', { unorderedResults: true }),
  c('loops', '33-loops.yml', L10, [], 0, 'loop, with_items/dict/nested/sequence, loop_control, when per item, empty loop'),
  c('register-when', '34-register-when.yml', L10, [], 0, 'register + is failed/changed/skipped/succeeded, results list', { unorderedResults: true }),
  c('changed-failed-when', '35-changed-failed-when.yml', L10, [], 2, 'changed_when/failed_when: lists, own result, rc'),
  c('run-once', '36-run-once.yml', L10, [], 2, 'run_once per batch, play_batch/play_hosts/play_hosts_all, run_once register/set_fact'),
  c('run-once-failure', '37-run-once-failure.yml', L10, [], 2, 'failing run_once task fails the whole play'),
  c('delegate', '38-delegate.yml', L10, [], 0, 'delegate_to keeps inventory_hostname and register; local_action; delegate_facts'),
  c('add-host', '39-add-host.yml', L10, [], 0, 'add_host groups and vars used by later plays'),
  c('group-by', '40-group-by.yml', OSE, [], 0, 'group_by keys and parents used by later plays'),
  c('set-fact-plays', '41-set-fact-plays.yml', L10, [], 0, 'set_fact across plays, hostvars, hostvars["localhost"]'),
  c('gate-open', '42-localhost-gate.yml', OSE, [], 0, 'localhost gate passes'),
  c('gate-closed', '42-localhost-gate.yml', OSE, ['-e', 'unhealthy=n2'], 2, 'localhost gate fails -> no later play runs'),
  c('play-sections', '43-play-sections.yml', L10, [], 0, 'pre_tasks -> roles -> tasks -> post_tasks with handler flushes'),
  c('roles', '44-roles.yml', L10, [], 0, 'defaults/vars/handlers/meta deps, dedup, params, import_role/include_role tasks_from'),
  c('import-playbook', '45-import-playbook.yml', L10, [], 0, 'import_playbook vars in hosts:, when false skips every task'),
  c('import-playbook-when', '45-import-playbook.yml', L10, ['-e', 'run_optional=true'], 0, 'import_playbook when true'),
  c('vars-precedence', '46-vars-precedence.yml', L10, [], 0, 'inventory < play vars < vars_files < block < task < set_fact'),
  c('vars-precedence-extra', '46-vars-precedence.yml', L10, ['-e', 'v_extra=42', '-e', 'v_inv_only=from-extra'], 0, '-e wins over everything and is a string'),
  c('meta-end', '47-meta-end.yml', L10, [], 0, 'end_host, end_batch, end_play (later plays still run)'),
  c('no-hosts', '48-no-hosts.yml', L10, [], 0, '"no hosts matched" plays, rc 0'),
  c('no-hosts-target', '48-no-hosts.yml', L10, ['-e', 'target=h03'], 0, 'templated hosts pattern from -e'),
  c('counters', '49-counters.yml', L10, [], 0, 'recap counter case of ansible-semantics.md section 7 (+1 ok for the log task)'),
  c('strategy-free', '50-strategy-free.yml', L10, [], 2, 'free strategy: per-host order; mfp ignored', { compareLogOrder: false }),
  c('throttle', '51-throttle.yml', L10, ['-f', '4'], 0, 'throttle: 1 on task and block serialises hosts even with -f 4', { unorderedResults: true }),
  c('parse-error', '52-parse-error.yml', L10, [], 4, 'unknown task keyword -> parser error, rc 4', { noRecap: true }),
  c('openshift-upgrade', '53-openshift-upgrade.yml', OSE, [], 0, 'openshift-ansible-shaped upgrade, default serial 1'),
  c('openshift-upgrade-serial2', '53-openshift-upgrade.yml', OSE, ['-e', 'openshift_upgrade_nodes_serial=2', '-e', 'openshift_node_upgrade_pre_hook=hooks/node_pre.yml', '-e', 'openshift_node_upgrade_post_hook=hooks/node_post.yml'], 0, 'node batches of 2 with node hooks'),
  c('openshift-upgrade-broken-node', '53-openshift-upgrade.yml', OSE, ['-e', 'openshift_upgrade_nodes_serial=2', '-e', 'openshift_upgrade_nodes_max_fail_percentage=50', '-e', 'broken_nodes=n3'], 2, 'one broken node in a batch of 2 at 50%: continues'),
  c('openshift-upgrade-broken-master', '53-openshift-upgrade.yml', OSE, ['-e', 'broken_masters=m2'], 2, 'broken master with serial 1 stops before the nodes'),
  c('openshift-upgrade-precheck', '53-openshift-upgrade.yml', OSE, ['-e', 'broken_precheck=n2'], 2, 'any_errors_fatal pre-check stops everything', { emptyLog: true }),
  c('host-patterns', '54-host-patterns.yml', OSE, [], 0, 'unions, !, &, globs, ~regex, subscripts, comma lists, n[1-2] gotcha'),
  c('gather-facts', '55-gather-facts.yml', L10, [], 0, 'Gathering Facts per batch, counted ok'),
  c('include-loop', '56-include-loop.yml', L10, [], 0, 'include_tasks in a loop, include_role in a loop'),
  c('when-none', '57-when-conditions.yml', L10, [], 0, 'when lists, defined, bool, version tests'),
  c('when-flag-no', '57-when-conditions.yml', L10, ['-e', 'flag=no'], 0, '"no" | bool is false, but the bare string is truthy'),
  c('when-flag-true', '57-when-conditions.yml', L10, ['-e', 'flag=True'], 0, '"True" | bool'),
  c('assert-fail', '58-assert-fail.yml', L10, [], 2, 'assert/fail remove hosts from later plays'),

  // check mode, environment, prompts, facts, timeout, loop_control
  c('check-mode-off', '62-check-mode.yml', L10, [], 0, 'check_mode keyword without -C: check_mode: true forces a dry run'),
  c('check-mode-on', '62-check-mode.yml', L10, ['-C'], 0, '-C: modules dry-run, raw skipped, check_mode: false runs for real'),
  c('env-prompt-facts', '63-env-prompt-facts.yml', L10, [], 0, 'environment play/task, vars_prompt default without a TTY, include_vars, no_log, timeout, loop_control pause/label/extended, with_sequence, clear_facts'),
  c('task-timeout', '64-task-timeout.yml', L10, [], 2, 'timeout keyword: 2.14 message, other hosts go on, rescued in a block, next task runs'),
  c('loop-undefined', '65-loop-undefined.yml', L10, [], 2, 'loop over a skipped result: a false when (own or block) skips, a true one or one needing the item fails'),

  // exit codes of the CLI itself
  c('rc-extra-vars-path', '01-serial-int.yml', L10, ['-e', './vars.yml'], 5, '-e ./file without @ -> AnsibleOptionsError, rc 5', { noRecap: true }),
  c('rc-unknown-option', '01-serial-int.yml', L10, ['--no-such-option'], 2, 'unknown CLI option -> usage error, rc 2', { noRecap: true }),
];
