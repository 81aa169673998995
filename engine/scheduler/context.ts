// Shared services of a run: the inventory, templating, the executor, the event bus, run-wide host
// memory and stats. One RunContext per `drover playbook` invocation.
import type { RunInterrupt } from './interrupt.js';
import type { Inventory } from '../inventory/index.js';
import type { EngineEvent } from '../output/events.js';
import { RunStats } from '../output/stats.js';
import type { LoadOptions } from '../playbook/index.js';
import { roleDisplayName, type Task } from '../playbook/types.js';
import type { TaskExecutor } from '../executor/task-executor.js';
import type { RunSettings, TemplateEngine } from '../executor/types.js';
import type { Connection } from '../transport/types.js';
import type { VarLookup } from '../vars/scope.js';
import type { FactCache } from './fact-cache.js';
import { RunState } from './run-state.js';
import type { TagFilter } from './tags.js';

export interface RunOptions extends RunSettings {
  /** Ctrl-C/SIGTERM state (interrupt.ts); absent when nothing can interrupt the run (tests). */
  interrupt?: RunInterrupt;
  extraVars: Record<string, unknown>;
  limit?: string;
  tags: TagFilter;
  startAtTask?: string;
  /** drover extension: keep rolling past a batch where every host failed (all plays). */
  continueOnBatchFailure: boolean;
  inventorySources: string[];
  cwd: string;
  /** --force-handlers / force_handlers setting: the default of the play keyword. */
  forceHandlers?: boolean;
  /** The strategy setting (ANSIBLE_STRATEGY): plays without `strategy:` use it. */
  defaultStrategy?: string;
  /** error_on_missing_handler: notifying an unknown handler fails the run (else a warning). */
  errorOnMissingHandler?: boolean;
  /** DEFAULT_PRIVATE_ROLE_VARS: a role's vars are only seen by its own tasks. */
  privateRoleVars?: boolean;
  /** The connection timeout (--timeout, [defaults] timeout): ansible_timeout when unset. */
  connectionTimeoutSec?: number;
  /** The fact cache plugin (fact_caching); memory when absent. */
  factCache?: FactCache;
}

export class RunContext {
  readonly state: RunState;
  readonly stats = new RunStats();
  /** Set once --start-at-task found its task; later plays run normally. */
  startAtDone = false;

  constructor(
    readonly inventory: Inventory,
    readonly templar: TemplateEngine,
    readonly options: RunOptions,
    readonly executor: TaskExecutor,
    readonly loadOptions: LoadOptions,
    readonly emit: (e: EngineEvent) => void,
    readonly connect: (host: string) => Promise<Connection>,
  ) {
    this.state = new RunState(options.injectFacts !== false, options.factCache, options.hashBehaviour === 'merge');
  }

  /**
   * A display name for a task as Ansible prints it (role prefix, action when unnamed). With `vars`
   * (the first host's scope, as Ansible's linear strategy uses) a templated name is rendered; when
   * that fails (an undefined variable, say) Ansible prints the raw name, and so does this.
   */
  /** True once an interrupt asked the run to stop: no new task or queued host starts. */
  get stopping(): boolean {
    return this.options.interrupt?.stopping ?? false;
  }

  /** Throws Interrupted when the run must stop (before a task round and after it). */
  checkInterrupt(): void {
    this.options.interrupt?.check();
  }

  taskTitle(task: Task, vars?: VarLookup): string {
    // unnamed: the action as written (ansible.builtin.debug, ansible.legacy.debug, debug), and
    // for include_role "<action> : <role name>" (IncludeRole.get_name)
    let name = task.name ?? task.rawAction ?? task.action;
    if (!task.name && task.action === 'include_role') name = `${name} : ${String(task.args.name ?? task.args.role ?? '')}`;
    if (vars && task.name && /\{\{|\{%/.test(task.name)) {
      try {
        const r = this.templar.render(task.name, vars);
        if (r !== undefined && r !== null && typeof r !== 'object') name = String(r);
      } catch {
        /* raw name, as Ansible */
      }
    }
    // IncludeRole.get_name() replaces Task.get_name(): no "<role> : " prefix inside a role
    return task.origin.role && task.action !== 'include_role' ? `${roleDisplayName(task.origin.role)} : ${name}` : name;
  }
}
