// Runs one play over a batch with the linear (lock-step) or free strategy, or over all its hosts
// with drover's rolling window (rolling.ts): the sections
// (pre_tasks, roles + tasks, post_tasks) with handler flushes between them. The state of the
// play lives here; the parts of the work live next to it:
//   task-round.ts     one task over the batch's hosts (run_once, throttle, executor calls)
//   host-outcome.ts   folding one host's result (recap, ignore_*, rescue, notify)
//   failure-rules.ts  any_errors_fatal / max_fail_percentage at the end of a round
//   block-rescue.ts   block / rescue / always
//   handlers.ts       handler flushes and 2.14's last-handler quirk
//   meta-tasks.ts     meta: tasks
//   includes.ts       include_tasks / include_role at run time
//   walk.ts           walk state (frames, blocks) and inherited keywords
//   rolling.ts        strategy: rolling (sliding window, a drover extension)
import pLimit from 'p-limit';
import type { Item, Play, Task } from '../playbook/types.js';
import { toBool } from '../executor/truthy.js';
import type { TaskOutcome } from '../executor/types.js';
import { runBlock } from './block-rescue.js';
import type { RunContext } from './context.js';
import { flushHandlers, runPendingHandler, type PendingHandler } from './handlers.js';
import { foldOutcome } from './host-outcome.js';
import { HandlerNames } from './notify.js';
import { RollingWindow } from './rolling.js';
import { runTaskRound } from './task-round.js';
import { taskSearchStack } from '../search/needle.js';
import { PlayVariables } from './variables.js';
import { PlayAbort, type KeywordFn, type Walk } from './walk.js';

let syntheticId = -1;

export class PlayRunner {
  readonly vars: PlayVariables;
  /** Handler → hosts that notified it since the last flush. */
  readonly notified = new Map<Task, Set<string>>();
  /** The play's handler names, templated once (notify lookup). */
  readonly handlerNames = new HandlerNames(this);
  /** Hosts that ran meta: end_host. */
  readonly ended = new Set<string>();
  batch: string[] = [];
  /**
   * Hosts that failed in this batch with nothing left to rescue them, plus hosts force-failed by
   * any_errors_fatal / max_fail_percentage (Ansible's TQM `_failed_hosts`, cleared per batch):
   * the max_fail_percentage numerator and the "NO MORE HOSTS LEFT" test.
   */
  batchFailed = new Set<string>();
  maxFail: number | undefined;
  /** drover extension (play keyword count_unreachable_as_failed): unreachable hosts count toward max_fail_percentage. */
  countUnreachable = false;
  /** The batch ended with RUN_FAILED_BREAK_PLAY: the play's later plays are skipped. */
  breakPlay = false;
  endPlay = false;
  /** The play's last handler, held back to share its round with hosts that had nothing to flush. */
  pendingLast?: PendingHandler;
  /** Counts meta: clear_host_errors runs: a host failed before an always stays failed after it unless errors were cleared meanwhile. */
  errorsCleared = 0;
  /** throttle: one limit per task, shared by the hosts that run it (under free they arrive one by one). */
  private readonly throttles = new Map<number, ReturnType<typeof pLimit>>();
  /** Set while the play runs with strategy: rolling. */
  rolling?: RollingWindow;

  constructor(
    readonly ctx: RunContext,
    readonly play: Play,
    playHosts: string[],
    readonly playbookDir: string,
    readonly strategy: string,
  ) {
    this.vars = new PlayVariables(ctx, play, playHosts, playbookDir);
  }

  active(h: string): boolean {
    return !this.ctx.state.failed.has(h) && !this.ctx.state.unreachable.has(h) && !this.ended.has(h);
  }

  /** Run the whole play for one batch. */
  async runBatch(batch: string[], maxFail: number | undefined): Promise<void> {
    this.batch = batch;
    this.maxFail = maxFail;
    this.batchFailed = new Set();
    this.breakPlay = false;
    this.pendingLast = undefined;
    this.vars.setBatch(batch);
    this.vars.loadVarsFiles(batch);
    this.countUnreachable = toBool(this.renderKw(this.play.count_unreachable_as_failed, this.vars.hostScope(batch[0])) ?? false);
    const root: Walk = { frames: [{ node: this.play }], blocks: [] };
    try {
      if (this.gatherFacts()) await this.runTask(this.factsTask(), batch, root);
      for (const section of [this.play.pre_tasks, [...this.play.roles, ...this.play.tasks], this.play.post_tasks]) {
        await this.section(section, batch, root);
        await this.flushHandlers(batch, root);
      }
      await this.runPendingHandler(undefined, [], root);
    } catch (e) {
      if (!(e instanceof PlayAbort)) throw e;
      if (e.reason === 'end_play') this.endPlay = true;
      else if (e.reason === 'break') this.breakPlay = true;
    }
  }

  /** strategy: rolling — the whole play over all its hosts with a sliding window (rolling.ts). */
  async runRolling(hosts: string[], serial: unknown, maxFail: number | undefined, continueOnBatchFailure: boolean): Promise<RollingWindow> {
    this.batch = hosts;
    this.maxFail = maxFail;
    this.batchFailed = new Set();
    this.breakPlay = false;
    this.pendingLast = undefined;
    this.vars.setBatch(hosts);
    this.vars.loadVarsFiles(hosts);
    this.countUnreachable = toBool(this.renderKw(this.play.count_unreachable_as_failed, this.vars.hostScope(hosts[0])) ?? false);
    this.rolling = new RollingWindow(this);
    await this.rolling.run(hosts, serial, continueOnBatchFailure);
    return this.rolling;
  }

  private async section(items: Item[], hosts: string[], w: Walk): Promise<void> {
    if (this.strategy === 'free') {
      const limit = pLimit(Math.max(1, this.ctx.options.forks));
      await Promise.all(hosts.map((h) => limit(() => this.walk(items, [h], { ...w, blocks: [] }))));
    } else {
      await this.walk(items, hosts, w);
    }
  }

  throttleFor(task: Task, n: number): ReturnType<typeof pLimit> {
    let limit = this.throttles.get(task.id);
    if (!limit) this.throttles.set(task.id, (limit = pLimit(Math.max(1, n))));
    return limit;
  }

  gatherFacts(): boolean {
    const g = this.play.gather_facts;
    return g === undefined || g === null ? true : toBool(this.ctx.templar.render(g, this.vars.hostScope(this.batch[0])));
  }

  /** The play's gather_subset, gather_timeout and fact_path for its fact gathering. */
  private factsArgs(): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    if (this.play.gather_subset !== undefined) args.gather_subset = this.play.gather_subset;
    if (this.play.gather_timeout !== undefined) args.gather_timeout = this.play.gather_timeout;
    if (this.play.fact_path !== undefined) args.fact_path = this.play.fact_path;
    return args;
  }

  factsTask(): Task {
    return {
      kind: 'task', id: syntheticId--, name: 'Gathering Facts', action: 'gather_facts', args: this.factsArgs(), tags: ['always'],
      // PlayIterator: a play's run_once would copy one host's facts to all (#39453)
      run_once: false,
      origin: this.play.origin,
    };
  }

  async walk(items: Item[], hosts: string[], w: Walk): Promise<void> {
    for (const item of items) {
      if (item.kind === 'block') await runBlock(this, item, hosts, w);
      else await this.runTask(item, hosts, w);
    }
  }

  runTask(task: Task, hosts: string[], w: Walk): Promise<void> {
    return runTaskRound(this, task, hosts, w);
  }

  /** Returns true when the host failed (or went unreachable) without rescue or ignore. */
  fold(task: Task, host: string, out: TaskOutcome, w: Walk, keyword: KeywordFn, targets: string[]): boolean {
    return foldOutcome(this, task, host, out, w, keyword, targets);
  }

  flushHandlers(hosts: string[], w: Walk): Promise<void> {
    return flushHandlers(this, hosts, w);
  }

  runPendingHandler(next: Task | undefined, nextHosts: string[], w: Walk, keyword?: KeywordFn): Promise<string[]> {
    return runPendingHandler(this, next, nextHosts, w, keyword);
  }

  /**
   * Ansible's search stack for the task's relative files (engine/search/needle.ts): its
   * ansible_search_path, then the play's folder as the last resort.
   */
  searchPaths(task: Task): string[] {
    // ActionBase._find_needle: task.get_search_path(), then dwim's basedir (not deduplicated:
    // a play task's folder is listed twice in "Searched in", as 2.14 lists it)
    return [...taskSearchStack(task.origin), this.playbookDir];
  }

  /** --start-at-task: true while the task to start at has not been reached. */
  startAtSkips(task: Task): boolean {
    const want = this.ctx.options.startAtTask;
    if (!want || this.ctx.startAtDone) return false;
    const title = this.ctx.taskTitle(task);
    if (task.name === want || title === want) {
      this.ctx.startAtDone = true;
      return false;
    }
    return true;
  }

  renderKw(v: unknown, scope: ReturnType<PlayVariables['hostScope']>): unknown {
    return v === undefined ? undefined : this.ctx.templar.render(v, scope);
  }
}
