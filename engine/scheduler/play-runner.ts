// Runs one play over its batches with the linear (lock-step) or free strategy: sections with
// handler flushes, blocks with rescue/always, includes, meta tasks, and the failure rules of
// Ansible (max_fail_percentage per batch, any_errors_fatal, run_once). Work per task and host
// is delegated to the executor; bookkeeping to fold.ts.
import pLimit from 'p-limit';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DroverError, PlaybookError } from '../errors/index.js';
import { loopItems } from '../executor/loops.js';
import { loopOverlay } from '../executor/task-executor.js';
import { loadRole, loadTaskFile } from '../playbook/index.js';
import type { Block, CommonKeywords, Item, Play, Task } from '../playbook/types.js';
import { censor } from '../executor/task-executor.js';
import { toBool } from '../executor/truthy.js';
import type { TaskOutcome } from '../executor/types.js';
import { exceedsMaxFail } from '../plan/batches.js';
import type { RunContext } from './context.js';
import { applyResultVars, handlersFor } from './fold.js';
import { tagsSelected } from './tags.js';
import { PlayVariables, type Frame } from './variables.js';

/** Thrown to stop the rest of the play (end_play, max_fail_percentage, any_errors_fatal). */
export class PlayAbort extends Error {
  constructor(readonly reason: 'end_play' | 'break' | 'end_batch') {
    super(reason);
  }
}

/** A block being walked: who entered it, who awaits its rescue. */
interface BlockState {
  block: Block;
  part: 'block' | 'rescue' | 'always';
  toRescue: Set<string>;
}

interface Walk {
  frames: Frame[];
  blocks: BlockState[];
  handler?: boolean;
}

let syntheticId = -1;

/** Marks "no loop" in the include item list (undefined can be a real item). */
const NO_ITEM = Symbol('no item');

/**
 * 2.14 lock-step quirk (PlayIterator cur_handlers_task): while the LAST handler of the play runs,
 * hosts of the flush with no handler left run their next task in the same round.
 */
interface PendingHandler {
  handler: Task;
  hosts: string[];
  ahead: Set<string>;
  wasFailed: string[];
}

interface IncludeGroup {
  target: string;
  hosts: string[];
  itemVars: Map<string, Record<string, unknown>>;
  args: Record<string, unknown>;
  label: unknown;
  hasItem: boolean;
}

export class PlayRunner {
  readonly vars: PlayVariables;
  private readonly notified = new Map<Task, Set<string>>();
  private readonly ended = new Set<string>();
  private batch: string[] = [];
  /**
   * Hosts that failed in this batch with nothing left to rescue them, plus hosts force-failed by
   * any_errors_fatal / max_fail_percentage (Ansible's TQM `_failed_hosts`, cleared per batch):
   * the max_fail_percentage numerator and the "NO MORE HOSTS LEFT" test.
   */
  private batchFailed = new Set<string>();
  private maxFail: number | undefined;
  /** drover extension (play keyword count_unreachable_as_failed): unreachable hosts count toward max_fail_percentage. */
  private countUnreachable = false;
  /** The batch ended with RUN_FAILED_BREAK_PLAY: the play's later plays are skipped. */
  breakPlay = false;
  endPlay = false;
  /** The play's last handler, held back to share its round with hosts that had nothing to flush. */
  private pendingLast?: PendingHandler;

  constructor(
    private readonly ctx: RunContext,
    private readonly play: Play,
    playHosts: string[],
    private readonly playbookDir: string,
    private readonly strategy: string,
  ) {
    this.vars = new PlayVariables(ctx, play, playHosts, playbookDir);
  }

  private active(h: string): boolean {
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

  private async section(items: Item[], hosts: string[], w: Walk): Promise<void> {
    if (this.strategy === 'free') {
      const limit = pLimit(Math.max(1, this.ctx.options.forks));
      await Promise.all(hosts.map((h) => limit(() => this.walk(items, [h], { ...w, blocks: [] }))));
    } else {
      await this.walk(items, hosts, w);
    }
  }

  private gatherFacts(): boolean {
    const g = this.play.gather_facts;
    return g === undefined || g === null ? true : toBool(this.ctx.templar.render(g, this.vars.hostScope(this.batch[0])));
  }

  private factsTask(): Task {
    return {
      kind: 'task', id: syntheticId--, name: 'Gathering Facts', action: 'gather_facts', args: this.play.gather_subset === undefined ? {} : { gather_subset: this.play.gather_subset }, tags: ['always'],
      origin: this.play.origin,
    };
  }

  async walk(items: Item[], hosts: string[], w: Walk): Promise<void> {
    for (const item of items) {
      if (item.kind === 'block') await this.runBlock(item, hosts, w);
      else await this.runTask(item, hosts, w);
    }
  }

  private async runBlock(block: Block, hosts: string[], w: Walk): Promise<void> {
    const entered = hosts.filter((h) => this.active(h));
    if (!entered.length) return;
    const state: BlockState = { block, part: 'block', toRescue: new Set() };
    const inner: Walk = { ...w, frames: [...w.frames, { node: block }], blocks: [...w.blocks, state] };
    await this.walk(block.block, entered, inner);
    if (block.rescue.length && state.toRescue.size) {
      state.part = 'rescue';
      const rescued = entered.filter((h) => state.toRescue.has(h) && !this.ctx.state.unreachable.has(h));
      for (const h of rescued) this.ctx.state.failed.delete(h);
      await this.walk(block.rescue, rescued, inner);
    }
    if (block.always.length) {
      state.part = 'always';
      const wasFailed = entered.filter((h) => this.ctx.state.failed.has(h));
      for (const h of wasFailed) this.ctx.state.failed.delete(h);
      await this.walk(block.always, entered.filter((h) => !this.ctx.state.unreachable.has(h) && !this.ended.has(h)), inner);
      for (const h of wasFailed) this.ctx.state.failed.add(h);
    }
  }

  /** Keyword value inherited from task → blocks → play. */
  private keyword(task: Task, frames: Frame[]) {
    return (name: string): unknown => {
      // environment is merged from the play down to the task (inner keys win): every level's
      // value in order, rendered and merged by the executor
      if (name === 'environment') {
        const layers = [...frames.map((f) => (f.node as Record<string, unknown>).environment), (task as unknown as Record<string, unknown>).environment];
        const set = layers.filter((l) => l !== undefined && l !== null);
        return set.length ? set : undefined;
      }
      const own = (task as unknown as Record<string, unknown>)[name];
      if (own !== undefined) return own;
      for (let i = frames.length - 1; i >= 0; i--) {
        const v = (frames[i].node as Record<string, unknown>)[name];
        if (v !== undefined && name !== 'vars') return v;
      }
      return undefined;
    };
  }

  private conditions(task: Task, frames: Frame[]): unknown[] {
    const out: unknown[] = [];
    for (const f of frames) out.push(...((f.node as CommonKeywords).when ?? []));
    out.push(...(task.when ?? []));
    return out;
  }

  private tags(task: Task, frames: Frame[]): string[] {
    const out = new Set<string>();
    for (const f of frames) for (const t of (f.node as CommonKeywords).tags ?? []) out.add(t);
    for (const t of task.tags ?? []) out.add(t);
    return [...out];
  }

  private searchPaths(task: Task): string[] {
    const paths = [task.origin.baseDir];
    if (task.origin.role) paths.unshift(task.origin.role.path);
    paths.push(this.playbookDir);
    return paths;
  }

  private startAtSkips(task: Task): boolean {
    const want = this.ctx.options.startAtTask;
    if (!want || this.ctx.startAtDone) return false;
    const title = this.ctx.taskTitle(task);
    if (task.name === want || title === want) {
      this.ctx.startAtDone = true;
      return false;
    }
    return true;
  }

  async runTask(task: Task, hosts: string[], w: Walk): Promise<void> {
    if (!w.handler && !tagsSelected(this.tags(task, w.frames), this.ctx.options.tags)) return;
    if (task.action !== 'gather_facts' && this.startAtSkips(task)) return;
    let runHosts = hosts.filter((h) => this.active(h));
    if (!runHosts.length) return;
    const keyword = this.keyword(task, w.frames);
    if (this.pendingLast) {
      const merged = await this.runPendingHandler(task, runHosts, w, keyword);
      runHosts = runHosts.filter((h) => !merged.includes(h) && this.active(h));
      if (!runHosts.length) return;
    }
    if (task.action === 'meta') return this.runMeta(task, runHosts, w, keyword);
    if (task.action === 'include_tasks' || task.action === 'include' || task.action === 'import_tasks' || task.action === 'include_role' || task.action === 'import_role') {
      return this.runInclude(task, runHosts, w, keyword);
    }
    const scopeOf = (h: string) => this.vars.taskScope(h, w.frames, task);
    // add_host bypasses the host loop (Ansible's BYPASS_HOST_LOOP): it runs once, like run_once
    const runOnce = task.action === 'add_host' || toBool(this.renderKw(keyword('run_once'), scopeOf(runHosts[0])));
    const batchActive = this.batch.filter((h) => this.active(h));
    // Ansible's hosts_left: the batch minus unreachable hosts, taken before the round runs
    const hostsLeft = this.batch.filter((h) => !this.ctx.state.unreachable.has(h));
    if (runOnce) runHosts = [runHosts[0]];
    this.ctx.emit({
      kind: 'task.start', taskId: task.id, name: this.ctx.taskTitle(task), action: task.action,
      handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line,
      hosts: runHosts, // live view rows
    });
    const throttle = Number(this.renderKw(keyword('throttle'), scopeOf(runHosts[0])) ?? 0);
    const limit = pLimit(Math.max(1, throttle > 0 ? Math.min(throttle, this.ctx.options.forks) : this.ctx.options.forks));
    // each host's result is folded (and printed) as soon as it arrives, as Ansible's callbacks do
    const roundFailed: string[] = [];
    await Promise.all(
      runHosts.map((h) =>
        limit(async () => {
          const out = await this.ctx.executor.run({
            task, host: h, scope: scopeOf(h), keyword, conditions: this.conditions(task, w.frames), searchPaths: this.searchPaths(task),
          });
          if (this.fold(task, h, out, w, keyword, runOnce ? batchActive : [h])) roundFailed.push(h);
        }),
      ),
    );
    await this.afterRound(task, keyword, roundFailed, runOnce, hostsLeft, w);
  }

  private renderKw(v: unknown, scope: ReturnType<PlayVariables['hostScope']>): unknown {
    return v === undefined ? undefined : this.ctx.templar.render(v, scope);
  }

  /** Returns true when the host failed (or went unreachable) without rescue or ignore. */
  private fold(task: Task, host: string, out: TaskOutcome, w: Walk, keyword: (n: string) => unknown, targets: string[]): boolean {
    const { stats, state } = this.ctx;
    const scope = this.vars.taskScope(host, w.frames, task);
    const noLog = toBool(this.renderKw(keyword('no_log'), scope));
    const delegateFacts = out.delegatedTo && toBool(this.renderKw(keyword('delegate_facts'), scope)) ? out.delegatedTo : undefined;
    applyResultVars(this.ctx, task, out, targets, delegateFacts);
    let ignored = false;
    let failedForReal = false;
    switch (out.status) {
      case 'unreachable':
        if (toBool(this.renderKw(keyword('ignore_unreachable'), scope))) {
          stats.increment(host, 'ok');
          stats.increment(host, 'ignored');
          ignored = true;
        } else {
          stats.increment(host, 'unreachable');
          state.unreachable.add(host);
          failedForReal = true;
        }
        break;
      case 'failed':
        if (toBool(this.renderKw(keyword('ignore_errors'), scope))) {
          stats.increment(host, 'ok');
          stats.increment(host, 'ignored');
          if (out.result.changed) stats.increment(host, 'changed');
          ignored = true;
          break;
        }
        failedForReal = this.markFailed(host, w, out, task);
        if (targets.length > 1) for (const t of targets) state.failed.add(t);
        break;
      case 'skipped':
        stats.increment(host, 'skipped');
        break;
      default:
        stats.increment(host, 'ok');
        if (out.status === 'changed') {
          stats.increment(host, 'changed');
          this.notify(task, targets, scope);
        }
    }
    const shown = noLog ? censor(out.result) : out.result;
    if (!(task.loop !== undefined && (out.status === 'ok' || out.status === 'changed'))) {
      this.ctx.emit({
        kind: 'host.result', taskId: task.id, host, status: out.status, result: shown, ignored, delegatedTo: out.delegatedTo,
        verboseAlways: task.action === 'debug', loop: task.loop !== undefined || undefined,
      });
    }
    return failedForReal;
  }

  /** A failed host: rescued by an enclosing block, or failed for the rest of the play. */
  private markFailed(host: string, w: Walk, out: TaskOutcome, task: Task): boolean {
    const { stats, state } = this.ctx;
    state.failed.add(host);
    const rescuer = [...w.blocks].reverse().find((b) => b.part === 'block' && b.block.rescue.length > 0);
    if (rescuer) {
      stats.increment(host, 'rescued');
      rescuer.toRescue.add(host);
      state.setHostFacts(host, {
        ansible_failed_task: { name: task.name ?? task.action, action: task.action, args: task.args },
        ansible_failed_result: out.result,
      });
      return false;
    }
    stats.increment(host, 'failed');
    // Ansible 2.14 does not count a failure in a block with a pending `always` toward max_fail_percentage
    const alwaysPending = w.blocks.some((b) => b.part !== 'always' && b.block.always.length > 0);
    if (!alwaysPending) this.batchFailed.add(host);
    return true;
  }

  private notify(task: Task, hosts: string[], scope: ReturnType<PlayVariables['hostScope']>): void {
    for (const raw of task.notify ?? []) {
      const name = String(this.ctx.templar.render(raw, scope));
      for (const h of handlersFor(this.play.handlers, name)) {
        let set = this.notified.get(h);
        if (!set) this.notified.set(h, (set = new Set()));
        for (const host of hosts) set.add(host);
      }
    }
  }

  /**
   * Ansible's end-of-round checks (linear strategy): any_errors_fatal/run_once force-fails every
   * host left, max_fail_percentage compares this batch's failures with the batch size, and the
   * batch stops only when every host left is counted failed ("NO MORE HOSTS LEFT"); otherwise the
   * remaining hosts go on and only the later plays are skipped.
   */
  private async afterRound(task: Task, keyword: (n: string) => unknown, roundFailed: string[], runOnce: boolean, hostsLeft: string[], w: Walk): Promise<void> {
    if (this.strategy === 'free') return;
    const scope = this.vars.hostScope(this.batch[0]);
    const fatal = runOnce || toBool(this.renderKw(keyword('any_errors_fatal'), scope));
    if (fatal && roundFailed.length && !toBool(this.renderKw(keyword('ignore_errors'), scope))) {
      const inRescue = new Set(w.blocks.flatMap((b) => [...b.toRescue]));
      for (const h of hostsLeft) {
        if (inRescue.has(h)) continue;
        this.batchFailed.add(h);
        this.ctx.state.failed.add(h);
        this.breakPlay = true;
      }
    }
    if (this.countUnreachable) for (const h of roundFailed) if (this.ctx.state.unreachable.has(h)) this.batchFailed.add(h);
    if (exceedsMaxFail(this.batchFailed.size, this.batch.length, this.maxFail)) {
      for (const h of hostsLeft) {
        if (roundFailed.includes(h) && !this.ctx.state.unreachable.has(h)) continue;
        this.batchFailed.add(h);
        this.ctx.state.failed.add(h);
      }
      this.ctx.emit({ kind: 'no_more_hosts' });
      this.breakPlay = true;
    }
    if (this.breakPlay && this.batchFailed.size >= hostsLeft.length) {
      this.ctx.emit({ kind: 'no_more_hosts' });
      throw new PlayAbort('break');
    }
  }

  async flushHandlers(hosts: string[], w: Walk): Promise<void> {
    if (this.pendingLast) await this.runPendingHandler(undefined, [], w);
    const force = toBool(this.play.force_handlers);
    const handlers = this.play.handlers;
    for (const handler of handlers) {
      const who = this.notified.get(handler);
      if (!who) continue;
      this.notified.delete(handler);
      const run = hosts.filter((h) => who.has(h) && (this.active(h) || (force && !this.ctx.state.unreachable.has(h) && !this.ended.has(h))));
      if (!run.length) continue;
      // force_handlers lets failed hosts run their handlers; they stay failed afterwards
      const wasFailed = run.filter((h) => this.ctx.state.failed.has(h));
      const ahead = hosts.filter((h) => !run.includes(h) && this.active(h));
      if (handler === handlers[handlers.length - 1] && ahead.length && this.strategy !== 'free' && !w.handler) {
        this.pendingLast = { handler, hosts: run, ahead: new Set(ahead), wasFailed };
        return;
      }
      for (const h of wasFailed) this.ctx.state.failed.delete(h);
      await this.runTask(handler, run, { frames: [{ node: this.play }], blocks: [], handler: true });
      for (const h of wasFailed) this.ctx.state.failed.add(h);
    }
  }

  /**
   * Runs the held-back last handler. When `next` is an ordinary task, the hosts that were ahead
   * run it in the same round, in batch order (one banner, Ansible's mixed output); returns the
   * hosts that already ran `next`. Anything else (no next task, meta, include) runs it alone.
   */
  async runPendingHandler(next: Task | undefined, nextHosts: string[], w: Walk, keyword?: (n: string) => unknown): Promise<string[]> {
    const p = this.pendingLast;
    if (!p) return [];
    this.pendingLast = undefined;
    const handlerWalk: Walk = { frames: [{ node: this.play }], blocks: [], handler: true };
    const simple = !next || !keyword || w.handler || ['meta', 'include_tasks', 'include', 'import_tasks', 'include_role', 'import_role', 'add_host'].includes(next.action)
      || toBool(this.renderKw(keyword('run_once'), this.vars.taskScope(nextHosts[0], w.frames, next)));
    for (const h of p.wasFailed) this.ctx.state.failed.delete(h);
    if (simple || !next || !keyword) {
      await this.runTask(p.handler, p.hosts, handlerWalk);
      for (const h of p.wasFailed) this.ctx.state.failed.add(h);
      return [];
    }
    const aheadHere = nextHosts.filter((h) => p.ahead.has(h));
    const order = (h: string) => this.batch.indexOf(h);
    const round = [
      ...p.hosts.map((h) => ({ h, task: p.handler, w: handlerWalk, kw: this.keyword(p.handler, handlerWalk.frames) })),
      ...aheadHere.map((h) => ({ h, task: next, w, kw: keyword })),
    ].sort((a, b) => order(a.h) - order(b.h));
    const first = round[0];
    this.ctx.emit({
      kind: 'task.start', taskId: first.task.id, name: this.ctx.taskTitle(first.task), action: first.task.action,
      handler: first.task === p.handler, file: first.task.origin.pos.file, line: first.task.origin.pos.line, hosts: round.map((r) => r.h),
    });
    const other = round.find((r) => r.task !== first.task);
    if (other) {
      this.ctx.emit({
        kind: 'task.start', taskId: other.task.id, name: this.ctx.taskTitle(other.task), action: other.task.action, merged: true,
        handler: other.task === p.handler, file: other.task.origin.pos.file, line: other.task.origin.pos.line, hosts: round.filter((r) => r.task === other.task).map((r) => r.h),
      });
    }
    const hostsLeft = this.batch.filter((h) => !this.ctx.state.unreachable.has(h));
    const roundFailed: string[] = [];
    const limit = pLimit(Math.max(1, this.ctx.options.forks));
    await Promise.all(
      round.map((r) =>
        limit(async () => {
          const out = await this.ctx.executor.run({
            task: r.task, host: r.h, scope: this.vars.taskScope(r.h, r.w.frames, r.task), keyword: r.kw,
            conditions: this.conditions(r.task, r.w.frames), searchPaths: this.searchPaths(r.task),
          });
          if (this.fold(r.task, r.h, out, r.w, r.kw, [r.h])) roundFailed.push(r.h);
        }),
      ),
    );
    for (const h of p.wasFailed) this.ctx.state.failed.add(h);
    await this.afterRound(next, keyword, roundFailed, false, hostsLeft, w);
    return aheadHere;
  }


  /**
   * Meta tasks as the linear strategy runs them: each host that reaches the task prints the banner
   * and is handled in turn, except for the play-wide actions (end_batch, end_play, clear_facts,
   * clear_host_errors, refresh_inventory) which run for the first host only. A false `when`
   * prints "skipping". Meta results are not counted in the recap.
   */
  private async runMeta(task: Task, hosts: string[], w: Walk, keyword: (n: string) => unknown): Promise<void> {
    const what = String(task.args._raw_params ?? task.args.name ?? '').trim();
    const conds = this.conditions(task, w.frames);
    const holds = (h: string) => conds.every((c) => this.ctx.templar.evaluateCondition(c, this.vars.taskScope(h, w.frames, task), { file: task.origin.pos.file, line: task.origin.pos.line }));
    void keyword;
    const perHost = ['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete'].includes(what);
    if (!perHost && !['end_batch', 'end_play', 'clear_facts', 'clear_host_errors', 'refresh_inventory'].includes(what)) {
      throw new PlaybookError(`invalid meta action requested: ${what}`, task.origin.pos);
    }
    const flushFor: string[] = [];
    for (const h of perHost ? hosts : hosts.slice(0, 1)) {
      this.ctx.emit({ kind: 'task.start', taskId: task.id, name: this.ctx.taskTitle(task), action: task.action, handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line });
      const conditional = !['noop', 'refresh_inventory', 'reset_connection', 'role_complete'].includes(what);
      if (conditional && !holds(h)) {
        this.ctx.emit({ kind: 'host.result', taskId: task.id, host: h, status: 'skipped', result: { changed: false, skipped: true, skip_reason: `${what} conditional evaluated to False` }, ignored: false });
        continue;
      }
      switch (what) {
        case 'flush_handlers':
          flushFor.push(h);
          break;
        case 'end_host':
          this.ended.add(h);
          break;
        case 'end_play':
          throw new PlayAbort('end_play');
        case 'end_batch':
          throw new PlayAbort('end_batch');
        case 'clear_facts':
          for (const x of this.vars.playHostsAll) this.ctx.state.clearFacts(x);
          break;
        case 'clear_host_errors':
          for (const x of this.vars.playHostsAll) {
            this.ctx.state.failed.delete(x);
            this.ctx.state.unreachable.delete(x);
          }
          break;
        default:
          break;
      }
    }
    if (flushFor.length) await this.flushHandlers(flushFor, w);
  }

  /**
   * include_tasks / include_role, resolved per host (and per loop item) at run time. Hosts that
   * include the same file with the same arguments and item share one inclusion, as Ansible's
   * IncludedFile does; every "included:" line is printed before any included task runs.
   */
  private async runInclude(task: Task, hosts: string[], w: Walk, keyword: (n: string) => unknown): Promise<void> {
    this.ctx.emit({ kind: 'task.start', taskId: task.id, name: this.ctx.taskTitle(task), action: task.action, handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line });
    const isRole = task.action.endsWith('_role');
    const where = { file: task.origin.pos.file, line: task.origin.pos.line, what: `task '${this.ctx.taskTitle(task)}'` };
    const groups = new Map<string, IncludeGroup>();
    const hookVar = /\{\{\s*([A-Za-z_]\w*_hook)\b/.exec(String(task.args._raw_params ?? task.args.file ?? ''))?.[1];
    const lc = task.loop_control ?? {};
    const loopVar = (lc.loop_var as string | undefined) || 'item';
    for (const h of hosts) {
      const scope = this.vars.taskScope(h, w.frames, task);
      let included = 0;
      try {
        const items = task.loop !== undefined ? loopItems(this.ctx.templar.render(task.loop, scope, where), task.loopWith, task.origin.baseDir) : [NO_ITEM];
        for (let i = 0; i < items.length; i++) {
          const overlay = items[i] === NO_ITEM ? {} : loopOverlay(items, i, loopVar, lc.index_var as string | undefined);
          const s = scope.with(overlay);
          if (!this.conditions(task, w.frames).every((c) => this.ctx.templar.evaluateCondition(c, s, where))) continue;
          included++;
          const args = this.ctx.templar.render(task.args, s, where) as Record<string, unknown>;
          const target = isRole ? String(args.name ?? args.role) : this.resolveTaskFile(String(args.file ?? args._raw_params ?? ''), task);
          const label = items[i] === NO_ITEM ? undefined : lc.label !== undefined ? this.ctx.templar.render(lc.label, s) : items[i];
          const key = JSON.stringify([target, args, items[i] === NO_ITEM ? null : { ...overlay, ansible_loop: undefined }]);
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { target, hosts: [], itemVars: new Map(), args, label, hasItem: items[i] !== NO_ITEM }));
          g.hosts.push(h);
          if (items[i] !== NO_ITEM) g.itemVars.set(h, overlay);
        }
      } catch (e) {
        this.includeFailed(task, [h], e, w, keyword);
        continue;
      }
      if (!included) {
        this.ctx.stats.increment(h, 'skipped');
        this.ctx.emit({ kind: 'host.result', taskId: task.id, host: h, status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' }, ignored: false });
      } else if (!isRole) {
        // 2.14 counts one ok per included file (per loop item); include_role counts nothing
        this.ctx.stats.increment(h, 'ok', included);
      }
    }
    const loaded: { g: IncludeGroup; items: Item[] }[] = [];
    for (const g of groups.values()) {
      try {
        if (isRole) {
          const role = loadRole(g.target, this.ctx.loadOptions, task.origin.baseDir, {}, {
            tasks_from: g.args.tasks_from as string | undefined, vars_from: g.args.vars_from as string | undefined,
            defaults_from: g.args.defaults_from as string | undefined, handlers_from: g.args.handlers_from as string | undefined,
          }, this.play.roleState?.seen);
          for (const hd of role.handlers) if (!this.play.handlers.includes(hd)) this.play.handlers.push(hd);
          loaded.push({ g, items: role.tasks });
        } else {
          this.ctx.emit({ kind: 'include', file: g.target, hosts: g.hosts, hook: Boolean(hookVar), item: g.hasItem ? { label: g.label } : undefined });
          loaded.push({ g, items: loadTaskFile(g.target, this.ctx.loadOptions, { role: task.origin.role }) });
        }
      } catch (e) {
        if (e instanceof PlaybookError && /could not find or access|could not be found|was not found/i.test(e.message)) {
          this.includeFailed(task, g.hosts, e, w, keyword);
          continue;
        }
        throw e;
      }
    }
    for (const { g, items } of loaded) {
      const active = g.hosts.filter((h) => this.active(h));
      if (!active.length) continue;
      if (hookVar) for (const h of active) this.ctx.emit({ kind: 'hook.start', host: h, file: g.target, hookVar });
      const apply = (g.args.apply ?? {}) as CommonKeywords;
      const applyTags = apply.tags === undefined ? undefined : ([] as unknown[]).concat(apply.tags).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean);
      const applyWhen = apply.when === undefined ? undefined : ([] as unknown[]).concat(apply.when);
      const frame: Frame = { node: { ...apply, vars: undefined, when: applyWhen, tags: applyTags }, params: task.vars, hostVars: g.itemVars };
      await this.walk(items, active, { ...w, frames: [...w.frames, frame] });
    }
  }

  /** An include whose file could not be read fails its hosts (as Ansible's failed includes). */
  private includeFailed(task: Task, hosts: string[], e: unknown, w: Walk, keyword: (n: string) => unknown): void {
    const msg = e instanceof DroverError ? e.describe() : (e as Error).message;
    for (const h of hosts) this.fold(task, h, { status: 'failed', result: { failed: true, changed: false, msg } }, w, keyword, [h]);
  }

  private resolveTaskFile(name: string, task: Task): string {
    if (isAbsolute(name)) return name;
    const candidates = [join(task.origin.baseDir, name)];
    if (task.origin.role) candidates.push(join(task.origin.role.path, 'tasks', name));
    candidates.push(join(this.playbookDir, name));
    return candidates.find((c) => existsSync(c)) ?? candidates[0];
  }
}
