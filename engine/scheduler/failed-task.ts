// `ansible_failed_task` as ansible-core 2.14 exposes it in a rescue: Task.serialize() of the
// finalized task (StrategyBase._process_pending_results). Every field attribute is there, with
// its value or default; an unnamed task's `name` is empty although its banner shows the action,
// and there is no `parent`.
import { toBool } from '../executor/truthy.js';
import type { Task } from '../playbook/types.js';
import type { VarLookup } from '../vars/scope.js';
import type { KeywordFn } from './walk.js';

/** Run-wide values a keyword falls back to (--check, --diff, -c). */
export interface TaskDefaults {
  check: boolean;
  diff: boolean;
  connection?: string;
}

/** Task.serialize() of a failed task; `kw` gives inherited keywords, rendered by `render`. The
 *  caller wrap_var's it (host-outcome.ts). */
export function serializeFailedTask(task: Task, kw: KeywordFn, render: (v: unknown) => unknown, scope: VarLookup, d: TaskDefaults): Record<string, unknown> {
  const value = (name: string, dflt: unknown): unknown => {
    const v = kw(name);
    return v === undefined || v === null ? dflt : lenient(v);
  };
  function lenient(v: unknown): unknown {
    try {
      return render(v);
    } catch {
      return v;
    }
  }
  const lc = task.loop_control ?? {};
  const bool = (v: unknown) => toBool(v);
  const env = kw('environment');
  return {
    action: task.rawAction ?? task.action,
    any_errors_fatal: bool(value('any_errors_fatal', false)),
    // post_validate templated the args and the name, unless that failed (then they stay as written)
    args: lenient(task.args),
    async: 0,
    async_val: 0,
    become: bool(value('become', false)),
    become_exe: null,
    become_flags: value('become_flags', null),
    become_method: value('become_method', 'sudo'),
    become_user: value('become_user', null),
    changed_when: task.changed_when ?? [],
    check_mode: bool(value('check_mode', d.check)),
    collections: [],
    connection: value('connection', d.connection ?? scope.get('ansible_connection') ?? 'ssh'),
    debugger: null,
    delay: task.delay ?? 5,
    delegate_facts: value('delegate_facts', null),
    delegate_to: value('delegate_to', null),
    diff: bool(value('diff', d.diff)),
    environment: Array.isArray(env) && env.length ? env : [{}],
    failed_when: task.failed_when ?? [],
    finalized: true,
    ignore_errors: value('ignore_errors', null),
    ignore_unreachable: value('ignore_unreachable', null),
    loop: task.loop ?? null,
    loop_control: {
      extended: lc.extended ?? null,
      extended_allitems: true,
      finalized: true,
      index_var: lc.index_var ?? null,
      label: lc.label ?? null,
      loop_var: lc.loop_var ?? 'item',
      pause: lc.pause ?? 0,
      squashed: false,
      uuid: `drover-${task.id}-loop-control`,
    },
    loop_with: task.loopWith ?? null,
    module_defaults: [],
    name: task.name === undefined ? '' : lenient(task.name),
    no_log: bool(value('no_log', false)),
    notify: task.notify ?? null,
    poll: 15,
    port: value('port', null),
    register: task.register ?? null,
    remote_user: value('remote_user', null),
    retries: task.retries ?? 3,
    run_once: value('run_once', null),
    squashed: true,
    tags: task.tags ?? [],
    throttle: value('throttle', 0),
    timeout: value('timeout', 0),
    until: task.until ?? [],
    uuid: `drover-${task.id}`,
    vars: task.vars ?? {},
    when: task.when ?? [],
  };
}
