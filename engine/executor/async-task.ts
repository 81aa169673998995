// `async:` / `poll:` on a task, as ansible-core 2.14 runs them: the module becomes a background
// job on the host (engine/modules-sdk/async-job.ts) and the task gets the job's id at once; with
// poll > 0 the executor then checks the job every `poll` seconds with async_status until it
// finishes or `async` seconds are used up ("async task did not complete within the requested
// time"), and erases the job file of a finished job (TaskExecutor._poll_async_result).
import { finishJob, jobStatus, runInJob, startJob } from '../modules-sdk/async-job.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../modules-sdk/types.js';
import { moduleInvocation } from './invocation.js';

export interface AsyncSpec {
  /** async: the job's time limit in seconds (> 0). */
  limitSec: number;
  /** poll: seconds between checks; 0 = fire and forget. */
  pollSec: number;
}

/** What the executor shows while it polls (the default callback's ASYNC POLL / OK / FAILED lines). */
export type AsyncReport = (phase: 'poll' | 'ok' | 'failed', result: ModuleResult) => void;

/** 2.14's default poll interval (DEFAULT_POLL_INTERVAL). */
const DEFAULT_POLL = 15;

/** The task's async settings from its rendered `async` / `poll` keywords; undefined when not async. */
export function asyncSpec(asyncVal: unknown, pollVal: unknown): AsyncSpec | undefined {
  const limit = Number(asyncVal ?? 0);
  if (!Number.isFinite(limit) || limit <= 0) return undefined;
  const poll = pollVal === undefined || pollVal === null ? DEFAULT_POLL : Number(pollVal);
  return { limitSec: Math.trunc(limit), pollSec: Number.isFinite(poll) && poll > 0 ? poll : 0 };
}

/** ActionBase.run's refusals, with the exception text AnsibleActionFail leaves. */
function refused(msg: string): ModuleResult {
  return { failed: true, changed: false, msg, exception: 'NoneType: None\n' };
}

function sleep(sec: number): Promise<void> {
  return new Promise((res) => setTimeout(res, sec * 1000));
}

/** Run `mod` as an async job; with poll > 0, wait for it as 2.14's TaskExecutor does. */
export async function runAsync(mod: ModuleDefinition, args: Record<string, unknown>, ctx: ModuleContext, spec: AsyncSpec, report: AsyncReport): Promise<ModuleResult> {
  if (mod.supportsAsync === false || mod.controllerOnly) return refused('async is not supported for this task.');
  if (ctx.check) return refused('check mode and async cannot be used on same task.');
  const job = await startJob(ctx, spec.limitSec);
  if ('failed' in job) return { failed: true, changed: false, msg: job.failed };
  const jobCtx: ModuleContext = { ...ctx, asyncJob: true, run: (command, opts) => runInJob(ctx, job, command, opts) };
  // the job goes on without the task: its result lands in the job file, read by async_status
  void (async () => {
    let result: ModuleResult;
    try {
      result = await mod.run(args, jobCtx);
    } catch (e) {
      result = { failed: true, msg: (e as Error).message };
    }
    await finishJob(ctx, job, mod.opaqueArgs ? result : { ...result, invocation: moduleInvocation(mod, args) });
  })().catch(() => undefined); // the run may end (connections closed) before the job does
  // async_wrapper's answer; the action marks it changed
  const started: ModuleResult = { failed: 0 as unknown as boolean, started: 1, finished: 0, ansible_job_id: job.jid, results_file: job.file, changed: true };
  if (spec.pollSec === 0) return started;

  let status: ModuleResult = started;
  for (let left = spec.limitSec; left > 0; ) {
    await sleep(spec.pollSec);
    status = await jobStatus(ctx, job.jid, 'status');
    if (Number(status.finished) === 1 || status.failed !== undefined || status.skipped !== undefined) break;
    left -= spec.pollSec;
    report('poll', status);
  }
  let result: ModuleResult;
  if (Number(status.finished) !== 1) {
    result = { failed: true, changed: false, msg: `async task did not complete within the requested time - ${spec.limitSec}s`, async_result: status };
  } else {
    await jobStatus(ctx, job.jid, 'cleanup');
    result = status;
  }
  report(result.failed ? 'failed' : 'ok', result);
  return result;
}
