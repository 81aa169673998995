// Handler flushes: at the end of each section and on meta: flush_handlers, every notified handler
// runs once for the hosts that notified it (force_handlers lets failed hosts run theirs), plus
// 2.14's lock-step quirk for the play's last handler (see README "Handler flush quirk").
import pLimit from 'p-limit';
import type { Task } from '../playbook/types.js';
import { toBool } from '../executor/truthy.js';
import { afterRound } from './failure-rules.js';
import type { PlayRunner } from './play-runner.js';
import { conditionsOf, inheritedKeyword, type KeywordFn, type Walk } from './walk.js';

/**
 * 2.14 lock-step quirk (PlayIterator cur_handlers_task): while the LAST handler of the play runs,
 * hosts of the flush with no handler left run their next task in the same round.
 */
export interface PendingHandler {
  handler: Task;
  hosts: string[];
  ahead: Set<string>;
  wasFailed: string[];
  /** The walk handlers run in (see handlerWalk). */
  walk: Walk;
}

/**
 * Handlers run outside the task tree, but a failing handler of a flush_handlers written in a
 * block is caught by that play-level block's rescue/always (2.14's _set_failed_state for the
 * HANDLERS state looks at the host's current top-level block).
 */
function handlerWalk(r: PlayRunner, w: Walk): Walk {
  return { frames: [{ node: r.play }], blocks: w.blocks.slice(0, 1), handler: true };
}

const NOT_MERGEABLE = ['meta', 'include_tasks', 'include', 'import_tasks', 'include_role', 'import_role', 'add_host'];

export async function flushHandlers(r: PlayRunner, hosts: string[], w: Walk): Promise<void> {
  const { state } = r.ctx;
  if (r.pendingLast) await runPendingHandler(r, undefined, [], w);
  // the play keyword, else --force-handlers / ANSIBLE_FORCE_HANDLERS (Play.force_handlers' default)
  const force = r.play.force_handlers !== undefined && r.play.force_handlers !== null ? toBool(r.renderKw(r.play.force_handlers, r.vars.hostScope(r.batch[0]))) : Boolean(r.ctx.options.forceHandlers);
  const handlers = r.play.handlers;
  for (const handler of handlers) {
    const notified = r.notified.get(handler);
    if (!notified) continue;
    const who = new Set(notified);
    if (r.rolling) {
      // hosts flush on their own: only theirs are consumed, other hosts' notifications wait
      for (const h of hosts) notified.delete(h);
      if (!notified.size) r.notified.delete(handler);
    } else {
      r.notified.delete(handler);
    }
    const run = hosts.filter((h) => who.has(h) && (r.active(h) || (force && !state.unreachable.has(h) && !r.ended.has(h))));
    if (!run.length) continue;
    // force_handlers lets failed hosts run their handlers; they stay failed afterwards
    const wasFailed = run.filter((h) => state.failed.has(h));
    const ahead = hosts.filter((h) => !run.includes(h) && r.active(h));
    if (handler === handlers[handlers.length - 1] && ahead.length && r.strategy !== 'free' && !r.rolling && !w.handler) {
      r.pendingLast = { handler, hosts: run, ahead: new Set(ahead), wasFailed, walk: handlerWalk(r, w) };
      return;
    }
    for (const h of wasFailed) state.failed.delete(h);
    await r.runTask(handler, run, handlerWalk(r, w));
    for (const h of wasFailed) state.failed.add(h);
  }
}

/**
 * Runs the held-back last handler. When `next` is an ordinary task, the hosts that were ahead
 * run it in the same round, in batch order (one banner, Ansible's mixed output); returns the
 * hosts that already ran `next`. Anything else (no next task, meta, include) runs it alone.
 */
export async function runPendingHandler(r: PlayRunner, next: Task | undefined, nextHosts: string[], w: Walk, keyword?: KeywordFn): Promise<string[]> {
  const { ctx } = r;
  const p = r.pendingLast;
  if (!p) return [];
  r.pendingLast = undefined;
  const hw = p.walk;
  const simple = !next || !keyword || w.handler || NOT_MERGEABLE.includes(next.action)
    || toBool(r.renderKw(keyword('run_once'), r.vars.taskScope(nextHosts[0], w.frames, next)));
  for (const h of p.wasFailed) ctx.state.failed.delete(h);
  if (simple || !next || !keyword) {
    await r.runTask(p.handler, p.hosts, hw);
    for (const h of p.wasFailed) ctx.state.failed.add(h);
    return [];
  }
  const aheadHere = nextHosts.filter((h) => p.ahead.has(h));
  const order = (h: string) => r.batch.indexOf(h);
  const round = [
    ...p.hosts.map((h) => ({ h, task: p.handler, w: hw, kw: inheritedKeyword(p.handler, hw.frames) })),
    ...aheadHere.map((h) => ({ h, task: next, w, kw: keyword })),
  ].sort((a, b) => order(a.h) - order(b.h));
  const first = round[0];
  ctx.emit({
    kind: 'task.start', taskId: first.task.id, name: ctx.taskTitle(first.task), action: first.task.action,
    handler: first.task === p.handler, file: first.task.origin.pos.file, line: first.task.origin.pos.line, hosts: round.map((x) => x.h),
  });
  const other = round.find((x) => x.task !== first.task);
  if (other) {
    ctx.emit({
      kind: 'task.start', taskId: other.task.id, name: ctx.taskTitle(other.task), action: other.task.action, merged: true,
      handler: other.task === p.handler, file: other.task.origin.pos.file, line: other.task.origin.pos.line, hosts: round.filter((x) => x.task === other.task).map((x) => x.h),
    });
  }
  const hostsLeft = r.batch.filter((h) => !ctx.state.unreachable.has(h));
  const roundFailed: string[] = [];
  const limit = pLimit(Math.max(1, ctx.options.forks));
  await Promise.all(
    round.map((x) =>
      limit(async () => {
        if (ctx.stopping) return; // interrupted: a queued handler does not start
        const out = await ctx.executor.run({
          task: x.task, host: x.h, scope: r.vars.taskScope(x.h, x.w.frames, x.task), keyword: x.kw,
          conditions: conditionsOf(x.task, x.w.frames), searchPaths: r.searchPaths(x.task),
          scopeOn: (d) => r.vars.taskScope(d, x.w.frames, x.task),
        });
        if (r.fold(x.task, x.h, out, x.w, x.kw, [x.h])) roundFailed.push(x.h);
      }),
    ),
  );
  for (const h of p.wasFailed) ctx.state.failed.add(h);
  ctx.checkInterrupt();
  await afterRound(r, keyword, roundFailed, false, hostsLeft, w);
  return aheadHere;
}
