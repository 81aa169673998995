// drover's `strategy: rolling` (an extension; see README.md "strategy: rolling"): a sliding
// window instead of lock-step batches. Each host runs the whole play on its own (like `free`),
// at most `serial` hosts are in flight, and the next host starts as soon as one finishes. The
// failure rules of a batch are applied to the window of the last `serial` hosts that finished.
import type { Task } from '../playbook/types.js';
import { toBool } from '../executor/truthy.js';
import { exceedsMaxFail, rollingWindows } from '../plan/batches.js';
import type { PlayRunner } from './play-runner.js';
import { conditionsOf, PlayAbort, type KeywordFn, type Walk } from './walk.js';

interface Finished {
  host: string;
  /** failed or unreachable (the whole-window rule) */
  failed: boolean;
  /** counts toward max_fail_percentage (unreachable only with count_unreachable_as_failed) */
  counted: boolean;
}

export class RollingWindow {
  /** Hosts whose play is running. */
  readonly inFlight = new Set<string>();
  /** No new host starts (failure budget spent, any_errors_fatal, end_play, whole window failed). */
  stopped = false;
  /** The last `window` finished hosts all failed: the run ends as after a failed batch. */
  windowFailed = false;
  private readonly finished: Finished[] = [];
  private readonly once = new Map<Task, Promise<void>>();
  private readonly done = new Set<string>();
  private noMoreHostsShown = false;

  constructor(private readonly r: PlayRunner) {}

  /** Run the play over `hosts` (play order), keeping at most the window size in flight. */
  async run(hosts: string[], serial: unknown, continueOnBatchFailure: boolean): Promise<void> {
    const { r } = this;
    const windows = rollingWindows(hosts.length, serial);
    const forks = Math.max(1, r.ctx.options.forks);
    const running = new Map<string, Promise<void>>();
    const facts = r.gatherFacts() ? r.factsTask() : undefined;
    for (let i = 0; i < hosts.length && !this.stopped; ) {
      const h = hosts[i];
      if (!r.active(h)) {
        i++; // failed in an earlier play: takes no slot
        continue;
      }
      if (running.size >= Math.min(windows[i], forks)) {
        await Promise.race(running.values());
        continue;
      }
      const window = windows[i];
      i++;
      this.inFlight.add(h);
      const p = this.runHost(h, facts).then(() => {
        running.delete(h);
        this.inFlight.delete(h);
        this.done.add(h);
        this.onFinished(h, window, continueOnBatchFailure);
      });
      running.set(h, p);
    }
    await Promise.all(running.values());
  }

  private async runHost(h: string, facts: Task | undefined): Promise<void> {
    const { r } = this;
    const root: Walk = { frames: [{ node: r.play }], blocks: [] };
    try {
      if (facts) await r.runTask(facts, [h], root);
      for (const section of [r.play.pre_tasks, [...r.play.roles, ...r.play.tasks], r.play.post_tasks]) {
        await r.walk(section, [h], root);
        await r.flushHandlers([h], root);
      }
    } catch (e) {
      if (!(e instanceof PlayAbort)) throw e;
      if (e.reason === 'end_play') {
        // the whole play ends: nobody starts, hosts in flight stop at their next task
        r.endPlay = true;
        this.stopped = true;
        for (const x of this.inFlight) r.ended.add(x);
      }
      // end_batch ends this host's play only (there are no batches)
    }
  }

  /** The failure rules of a batch, over the window of the last `n` hosts that finished. */
  private onFinished(h: string, n: number, continueOnBatchFailure: boolean): void {
    const { r } = this;
    const { failed, unreachable } = r.ctx.state;
    this.finished.push({ host: h, failed: failed.has(h) || unreachable.has(h), counted: failed.has(h) || (r.countUnreachable && unreachable.has(h)) });
    if (this.stopped) return;
    const last = this.finished.slice(-n);
    if (exceedsMaxFail(last.filter((f) => f.counted).length, n, r.maxFail)) {
      // failure budget spent: nobody new starts; hosts in flight finish their play
      this.stopped = true;
      r.breakPlay = true;
      this.noMoreHosts();
    } else if (last.length === n && last.every((f) => f.failed) && !continueOnBatchFailure) {
      this.stopped = true;
      this.windowFailed = true;
    }
  }

  private noMoreHosts(): void {
    if (this.noMoreHostsShown) return;
    this.noMoreHostsShown = true;
    this.r.ctx.emit({ kind: 'no_more_hosts' });
  }

  /**
   * any_errors_fatal (or a failed run_once task): nobody new starts and the hosts in flight are
   * failed at their next task, as Ansible fails the rest of a batch.
   */
  afterRound(keyword: KeywordFn, roundFailed: string[], runOnce: boolean, host: string): void {
    const { r } = this;
    if (!roundFailed.length) return;
    const scope = r.vars.hostScope(host);
    const fatal = runOnce || toBool(r.renderKw(keyword('any_errors_fatal'), scope));
    if (!fatal || toBool(r.renderKw(keyword('ignore_errors'), scope))) return;
    this.stopped = true;
    r.breakPlay = true;
    for (const x of this.inFlight) r.ctx.state.failed.add(x);
    this.noMoreHosts();
  }

  /**
   * run_once (and add_host) under rolling: once per play. The first host to reach the task runs
   * it; its result, registered variable and facts go to every host of the play that has not
   * finished; hosts reaching the task later (or while it runs) wait for it and do not run it.
   */
  async runOnce(task: Task, host: string, w: Walk, keyword: KeywordFn): Promise<void> {
    const running = this.once.get(task);
    if (running) return running;
    const p = this.runOnceNow(task, host, w, keyword);
    this.once.set(task, p);
    return p;
  }

  private async runOnceNow(task: Task, host: string, w: Walk, keyword: KeywordFn): Promise<void> {
    const { r } = this;
    const { ctx } = r;
    ctx.checkInterrupt();
    ctx.emit({
      kind: 'task.start', taskId: task.id, name: ctx.taskTitle(task), action: task.action,
      handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line, hosts: [host],
    });
    const out = await ctx.executor.run({
      task, host, scope: r.vars.taskScope(host, w.frames, task), keyword, conditions: conditionsOf(task, w.frames), searchPaths: r.searchPaths(task),
      scopeOn: (d) => r.vars.taskScope(d, w.frames, task),
    });
    const targets = r.vars.playHostsAll.filter((x) => x === host || (r.active(x) && !this.done.has(x)));
    const failed = r.fold(task, host, out, w, keyword, targets);
    this.afterRound(keyword, failed ? [host] : [], true, host);
  }
}
