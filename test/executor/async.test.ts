// async jobs on a local connection (engine/executor/async-task.ts, engine/modules-sdk/async-job.ts):
// what the task gets at once and after polling, the job file on the host in each state, the
// time limit seen by the poller and enforced by the host-side supervisor, async_status, and
// the refusals (no async support, check mode).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncSpec, runAsync, type AsyncReport } from '../../engine/executor/async-task.js';
import { jobStatus } from '../../engine/modules-sdk/async-job.js';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleResult } from '../../engine/modules-sdk/types.js';
import { makeCtx, tempDir } from '../modules/helpers.js';

const JID = /^j\d+\.\d+$/;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('asyncSpec', () => {
  const cases: [unknown, unknown, ReturnType<typeof asyncSpec>][] = [
    [undefined, undefined, undefined],
    [0, 5, undefined],
    [10, undefined, { limitSec: 10, pollSec: 15 }], // DEFAULT_POLL_INTERVAL
    ['10', '0', { limitSec: 10, pollSec: 0 }],
    [3, 1, { limitSec: 3, pollSec: 1 }],
  ];
  for (const [a, p, want] of cases) it(`async=${String(a)} poll=${String(p)}`, () => expect(asyncSpec(a, p)).toEqual(want));
});

describe('async jobs on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  let phases: string[];
  const report: AsyncReport = (phase) => void phases.push(phase);
  const ctx = (check = false) => makeCtx({ vars: { ansible_async_dir: t.p('async') }, check });
  beforeEach(() => {
    t = tempDir('drover-async-');
    phases = [];
  });
  afterEach(() => t.cleanup());

  it('poll 0: the job id at once, the file "started", then the module result', async () => {
    const r = await runAsync(getModule('command')!, { _raw_params: 'sleep 1' }, ctx(), { limitSec: 10, pollSec: 0 }, report);
    expect(r).toMatchObject({ started: 1, finished: 0, changed: true, failed: 0, results_file: t.p('async', String(r.ansible_job_id)) });
    expect(r.ansible_job_id).toMatch(JID);
    expect(JSON.parse(readFileSync(String(r.results_file), 'utf8'))).toEqual({ started: 1, finished: 0, ansible_job_id: r.ansible_job_id });
    expect(readFileSync(String(r.results_file), 'utf8')).toBe(`{"started": 1, "finished": 0, "ansible_job_id": "${String(r.ansible_job_id)}"}`);
    const running = await jobStatus(ctx(), String(r.ansible_job_id), 'status');
    expect(running).toMatchObject({ started: 1, finished: 0, ansible_job_id: r.ansible_job_id, stdout: '', stdout_lines: [] });
    expect(await until(() => readFileSync(String(r.results_file), 'utf8').includes('"rc"'), 10_000)).toBe(true);
    const done = JSON.parse(readFileSync(String(r.results_file), 'utf8')) as ModuleResult;
    expect(done).toMatchObject({ cmd: ['sleep', '1'], rc: 0, changed: true, invocation: { module_args: { _raw_params: 'sleep 1' } } });
    // the helper files of the job's command and the running marker go, the job file stays
    expect(await until(() => readdirSync(t.p('async')).length === 1, 5_000)).toBe(true);
    expect(readdirSync(t.p('async'))).toEqual([r.ansible_job_id]);
    const status = await jobStatus(ctx(), String(r.ansible_job_id), 'status');
    expect(status).toMatchObject({ started: 1, finished: 1, rc: 0, ansible_job_id: r.ansible_job_id });
    expect(phases).toEqual([]);
  }, 30_000);

  it('poll > 0: waits, returns the module result with the job keys, erases the job file', async () => {
    const r = await runAsync(getModule('shell')!, { _raw_params: 'echo hi; echo err >&2' }, ctx(), { limitSec: 10, pollSec: 1 }, report);
    expect(r).toMatchObject({ started: 1, finished: 1, stdout: 'hi', stderr: 'err', stdout_lines: ['hi'], rc: 0, changed: true });
    expect(existsSync(String(r.results_file))).toBe(false);
    expect(phases).toEqual(['ok']);
  }, 30_000);

  it('a job past the limit: the poller gives up, the supervisor kills it and writes Timeout exceeded', async () => {
    const r = await runAsync(getModule('command')!, { _raw_params: 'sleep 30' }, ctx(), { limitSec: 1, pollSec: 1 }, report);
    expect(r).toMatchObject({ failed: true, msg: 'async task did not complete within the requested time - 1s' });
    const inner = r.async_result as ModuleResult;
    expect(inner).toMatchObject({ started: 1, finished: 0 });
    expect(phases).toEqual(['poll', 'failed']);
    const file = t.p('async', String(inner.ansible_job_id));
    const pgid = Number(readFileSync(`${file}.pid`, 'utf8'));
    const groupAlive = () => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(groupAlive()).toBe(true);
    // async_wrapper's supervisor: a first 5 s step, then steps until the limit is used up
    expect(await until(() => readFileSync(file, 'utf8').includes('Timeout exceeded'), 15_000)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ msg: 'Timeout exceeded', failed: true });
    expect(await until(() => readdirSync(t.p('async')).length === 1, 5_000)).toBe(true);
    // the whole process group of the job's command (sh and its sleep) is gone
    expect(await until(() => !groupAlive(), 5_000)).toBe(true);
  }, 40_000);

  it('async_status: a missing job, cleanup', async () => {
    const missing = await jobStatus(ctx(), 'j1.2', 'status');
    expect(missing).toMatchObject({ failed: true, msg: 'could not find job', started: 1, finished: 1, ansible_job_id: 'j1.2', results_file: t.p('async', 'j1.2') });
    const r = await runAsync(getModule('command')!, { _raw_params: 'true' }, ctx(), { limitSec: 5, pollSec: 0 }, report);
    const erased = await jobStatus(ctx(), String(r.ansible_job_id), 'cleanup');
    expect(erased).toMatchObject({ started: 0, finished: 0, erased: r.results_file });
    expect(existsSync(String(r.results_file))).toBe(false);
  }, 30_000);

  it('refusals: a module without async support, check mode', async () => {
    const no = await runAsync(getModule('copy')!, { content: 'x', dest: t.p('f') }, ctx(), { limitSec: 5, pollSec: 1 }, report);
    expect(no).toMatchObject({ failed: true, msg: 'async is not supported for this task.', exception: 'NoneType: None\n' });
    const check = await runAsync(getModule('command')!, { _raw_params: 'true' }, ctx(true), { limitSec: 5, pollSec: 1 }, report);
    expect(check).toMatchObject({ failed: true, msg: 'check mode and async cannot be used on same task.' });
    expect(existsSync(t.p('async'))).toBe(false);
  });
});
