// Folding one host's task outcome into the play: recap counters, ignore_errors /
// ignore_unreachable, rescue by an enclosing block, the batch's failure count, handler
// notifications, and the host.result event. Run-wide variables and facts go through fold.ts.
import { DroverError, ExitCode } from '../errors/index.js';
import { isIdentifier } from '../playbook/normalize.js';
import type { Task } from '../playbook/types.js';
import { censor } from '../executor/result-shapes.js';
import { Unsafe } from '../template/index.js';
import { toBool } from '../executor/truthy.js';
import type { TaskOutcome } from '../executor/types.js';
import { serializeFailedTask } from './failed-task.js';
import { applyResultVars } from './fold.js';
import { notifyHandlers } from './notify.js';
import type { PlayRunner } from './play-runner.js';
import type { KeywordFn, Walk } from './walk.js';

/** Returns true when the host failed (or went unreachable) without rescue or ignore. */
export function foldOutcome(r: PlayRunner, task: Task, host: string, outcome: TaskOutcome, w: Walk, keyword: KeywordFn, targets: string[]): boolean {
  const { stats, state } = r.ctx;
  // a register name that is no identifier fails the task (TaskExecutor), then stops the run (strategy)
  const badRegister = task.register !== undefined && !isIdentifier(task.register) ? `Invalid variable name in 'register' specified: '${task.register}'` : undefined;
  const out: TaskOutcome = badRegister && outcome.status !== 'skipped' ? { status: 'failed', result: { msg: badRegister } } : outcome;
  const scope = r.vars.taskScope(host, w.frames, task);
  const noLogKw = keyword('no_log');
  const noLog = out.noLog ?? (noLogKw === undefined || noLogKw === null ? Boolean(r.ctx.options.noLog) : toBool(r.renderKw(noLogKw, scope)));
  const delegateFacts = out.delegatedTo && toBool(r.renderKw(keyword('delegate_facts'), scope)) ? out.delegatedTo : undefined;
  applyResultVars(r.ctx, task, out, targets, delegateFacts, scope);
  emitDeferredItems(r, task, host, out);
  let ignored = false;
  let failedForReal = false;
  switch (out.status) {
    case 'unreachable':
      if (toBool(r.renderKw(keyword('ignore_unreachable'), scope))) {
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
      if (toBool(r.renderKw(keyword('ignore_errors'), scope))) {
        stats.increment(host, 'ok');
        stats.increment(host, 'ignored');
        if (out.result.changed) stats.increment(host, 'changed');
        ignored = true;
        break;
      }
      failedForReal = markFailed(r, host, w, out, task, keyword);
      if (targets.length > 1) for (const t of targets) state.failed.add(t);
      break;
    case 'skipped':
      stats.increment(host, 'skipped');
      break;
    default:
      stats.increment(host, 'ok');
      if (out.status === 'changed') {
        stats.increment(host, 'changed');
        notifyHandlers(r, keyword('notify'), targets, scope);
      }
  }
  const shown = noLog ? censor(out.result) : out.result;
  // a loop's ok summary is not shown (its items were), unless no_log censored it into a plain result
  if (noLog || !(task.loop !== undefined && (out.status === 'ok' || out.status === 'changed'))) {
    r.ctx.emit({
      kind: 'host.result', taskId: task.id, host, status: out.status, result: shown, ignored, delegatedTo: out.delegatedTo, delegatedAddress: out.delegatedAddress,
      verboseAlways: (out.action ?? task.action) === 'debug', loop: task.loop !== undefined || undefined,
    });
  }
  if (badRegister) throw new DroverError(badRegister, { exitCode: ExitCode.ERROR });
  return failedForReal;
}

/** add_host/group_by loop items, printed with the `changed` the fold decided (strategy's v2_runner_item_on_ok). */
function emitDeferredItems(r: PlayRunner, task: Task, host: string, out: TaskOutcome): void {
  const results = out.result.results as Record<string, unknown>[] | undefined;
  for (const d of out.deferredItems ?? []) {
    const item = results?.[d.index];
    if (!item) continue;
    r.ctx.emit({
      kind: 'host.result', taskId: task.id, host, status: item.changed === true ? 'changed' : 'ok', result: d.noLog ? censor(item) : item,
      ignored: false, item: { label: d.label }, delegatedTo: out.delegatedTo, delegatedAddress: out.delegatedAddress,
    });
  }
}

/** A failed host: rescued by an enclosing block, or failed for the rest of the play. */
function markFailed(r: PlayRunner, host: string, w: Walk, out: TaskOutcome, task: Task, keyword: KeywordFn): boolean {
  const { stats, state } = r.ctx;
  state.failed.add(host);
  const rescuer = [...w.blocks].reverse().find((b) => b.part === 'block' && b.block.rescue.length > 0);
  if (rescuer) {
    rescuer.toRescue.add(host);
    // a failed handler caught by a block still counts as failed (2.14: the HANDLERS state is not
    // "rescuing", so neither rescued nor ansible_failed_task)
    if (w.handler) {
      stats.increment(host, 'failed');
      return false;
    }
    stats.increment(host, 'rescued');
    const scope = r.vars.taskScope(host, w.frames, task);
    const { check, diff, connection } = r.ctx.options;
    // wrap_var(): both are data, never templated again (a failed template stays as written)
    state.setHostFacts(host, unsafeDeep({
      ansible_failed_task: serializeFailedTask(task, keyword, (v) => r.renderKw(v, scope), scope, { check, diff, connection }),
      ansible_failed_result: out.result,
    }) as Record<string, unknown>);
    return false;
  }
  stats.increment(host, 'failed');
  // Ansible 2.14 does not count a failure in a block with a pending `always` toward max_fail_percentage
  const alwaysPending = w.blocks.some((b) => b.part !== 'always' && b.block.always.length > 0);
  if (!alwaysPending) r.batchFailed.add(host);
  return true;
}

function unsafeDeep(v: unknown): unknown {
  if (typeof v === 'string') return new Unsafe(v);
  if (Array.isArray(v)) return v.map(unsafeDeep);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsafeDeep(x)]));
  }
  return v;
}
