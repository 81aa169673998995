// The live view's model and snapshot, without a terminal: events in, state and frame data out.
import { describe, expect, it } from 'vitest';
import { initialState, reduce, failureMessage, type LiveState } from '../../engine/output/live/model.js';
import { duration, failureBudget, fit, hostList, progressBar, snapshot } from '../../engine/output/live/snapshot.js';
import type { EngineEvent } from '../../engine/output/events.js';
import { batch, NODES, playStart } from './live-scenario.js';

function run(events: EngineEvent[], t0 = 1_000_000, step = 1000): LiveState {
  const s = initialState(t0);
  events.forEach((e, i) => reduce(s, e, t0 + i * step));
  return s;
}

const SIZE = { columns: 80, rows: 24, stuckAfterMs: 60_000 };

describe('live model', () => {
  it('tracks play, batch and per-host tasks', () => {
    const s = run([...playStart(), ...batch(0, { done: true }), ...batch(1)]);
    expect(s.play).toBe('Upgrade nodes');
    expect(s.batch).toMatchObject({ index: 1, count: 3, hosts: ['node03', 'node04'], maxFailPercentage: 50 });
    expect(s.playTotal).toBe(6);
    expect(s.playDone).toBe(2);
    expect(s.folded).toEqual({ ok: 2, failed: 0, unreachable: 0 });
    expect([...s.rows.keys()]).toEqual(['node03', 'node04']);
    expect(s.rows.get('node03')).toMatchObject({ phase: 'waiting', task: 'Drain node', last: 'changed' });
    expect(s.results.changed).toBe(4);
  });

  it('keeps failed hosts with their message and reconciles at batch end', () => {
    const s = run([...playStart(), ...batch(0, { fail: 'node02' })]);
    expect(s.rows.get('node02')).toMatchObject({ phase: 'failed', message: 'No package atomic-openshift-3.9 available.' });
    expect(s.failures.get('node02')).toMatchObject({ task: 'Upgrade packages', batch: 1, unreachable: false });
    reduce(s, { kind: 'batch.done', index: 0, failed: ['node02'], unreachable: [] }, 0);
    expect(s.folded).toEqual({ ok: 1, failed: 1, unreachable: 0 });
    expect(s.failures.has('node02')).toBe(true);
    expect(s.log.map((l) => l.text)).toContain('batch 1/3 done: 1 ok, 1 failed (node02)');
  });

  it('forgets a failure the batch does not report (rescued)', () => {
    const s = run([...playStart(), ...batch(0, { fail: 'node01' })]);
    reduce(s, { kind: 'batch.done', index: 0, failed: [], unreachable: [] }, 0);
    expect(s.failures.size).toBe(0);
    expect(s.folded.ok).toBe(2);
  });

  it('ignored failures are not failures', () => {
    const s = run([...playStart(), ...batch(0)]);
    reduce(s, { kind: 'host.result', taskId: 9, host: 'node01', status: 'failed', result: { msg: 'x' }, ignored: true }, 0);
    expect(s.rows.get('node01')?.phase).toBe('waiting');
    expect(s.failures.size).toBe(0);
  });

  it('marks hook runs per host until a task from another file starts', () => {
    const s = run([...playStart(), ...batch(0, { hook: true })]);
    expect(s.rows.get('node01')?.hook).toEqual({ file: '/srv/hooks/pre_node.yml', hookVar: 'openshift_node_upgrade_pre_hook' });
    expect(s.log.map((l) => l.text)).toContain('hook pre_node.yml for node01, node02');
    reduce(s, { kind: 'task.start', taskId: 5, name: 'Restart node', action: 'service', handler: false, file: '/srv/upgrade/upgrade_nodes.yml', hosts: ['node01'] }, 0);
    expect(s.rows.get('node01')?.hook).toBeUndefined();
    expect(s.rows.get('node02')?.hook).toBeDefined();
  });

  it('free strategy: a task.start only touches its own host', () => {
    const s = run([...playStart(), ...batch(0)]);
    reduce(s, { kind: 'task.start', taskId: 7, name: 'Reboot', action: 'reboot', handler: false, hosts: ['node02'] }, 5);
    expect(s.rows.get('node02')).toMatchObject({ phase: 'running', task: 'Reboot', since: 5 });
    expect(s.rows.get('node01')?.task).toBe('Drain node');
  });

  it('prompts open and close', () => {
    const s = run(playStart());
    reduce(s, { kind: 'ui.prompt', message: 'Continue?', echo: false }, 0);
    expect(s.prompt).toEqual({ message: 'Continue?', echo: false });
    reduce(s, { kind: 'ui.answered' }, 0);
    expect(s.prompt).toBeUndefined();
  });

  it('picks the useful part of a failed result', () => {
    expect(failureMessage({ msg: 'boom\nmore' })).toBe('boom');
    expect(failureMessage({ stderr: 'E: no', rc: 2 })).toBe('E: no');
    expect(failureMessage({ rc: 3 })).toBe('non-zero return code 3');
    expect(failureMessage({ censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result" })).toMatch(/hidden/);
  });
});

describe('snapshot', () => {
  it('computes the failure budget from max_fail_percentage like the scheduler', () => {
    expect(failureBudget(2, 50)).toBe(1);
    expect(failureBudget(10, 30)).toBe(3);
    expect(failureBudget(3, 0)).toBe(0);
    expect(failureBudget(4, undefined)).toBe(3);
  });

  it('formats durations, bars, host lists and cuts', () => {
    expect(duration(75_000)).toBe('1:15');
    expect(duration(3_725_000)).toBe('1:02:05');
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(hostList(NODES, 200)).toBe(NODES.join(', '));
    const short = hostList(NODES, 30);
    expect(short.length).toBeLessThanOrEqual(30);
    expect(short).toBe('node01, node02, node03, … (+3)');
  });

  it('shows batch, progress and the budget of the current batch', () => {
    const s = run([...playStart(), ...batch(0, { done: true }), ...batch(1, { fail: 'node04' })]);
    const v = snapshot(s, s.startedAt + 125_000, SIZE);
    expect(v.elapsed).toBe('2:05');
    expect(v.batchLine).toBe('batch 2/3: node03, node04');
    expect(v.progress.label).toBe('3/6 hosts');
    expect(v.failLine).toBe('failures: 1 so far · this batch 1 of 1 allowed (max_fail_percentage 50%)');
    expect(v.failTone).toBe('warn');
    expect(v.rows.map((r) => r.host)).toEqual(['node03']);
    expect(v.failures[0].text).toMatch(/^node04 FAILED \(batch 2, Upgrade packages\): No package/);
  });

  it('flags a host stuck past the threshold', () => {
    const s = run([...playStart(), { kind: 'batch.start', index: 0, count: 1, hosts: ['a', 'b'] }]);
    reduce(s, { kind: 'task.start', taskId: 1, name: 'Wait for API', action: 'wait_for', handler: false, hosts: ['a', 'b'] }, 10_000);
    reduce(s, { kind: 'host.result', taskId: 1, host: 'b', status: 'ok', result: {}, ignored: false }, 11_000);
    const v = snapshot(s, 10_000 + 61_000, SIZE);
    const a = v.rows.find((r) => r.host === 'a');
    expect(a).toMatchObject({ stuck: true, last: 'STUCK', time: '1:01' });
    expect(v.rows.find((r) => r.host === 'b')?.stuck).toBe(false);
  });

  it('fits 1,000 hosts into 80×24 and stays cheap', () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => `node${String(i).padStart(4, '0')}.cluster.example.com`);
    const s = run([...playStart(), { kind: 'batch.start', index: 0, count: 1, hosts, playHosts: 1000 }]);
    reduce(s, { kind: 'task.start', taskId: 1, name: 'x'.repeat(200), action: 'command', handler: false, hosts }, 0);
    for (const h of hosts.slice(0, 30)) reduce(s, { kind: 'host.result', taskId: 1, host: h, status: 'failed', result: { msg: 'no' }, ignored: false }, 0);
    const v = snapshot(s, 5000, SIZE);
    const lines = 7 + v.rows.length + (v.moreRows ? 1 : 0) + v.failures.length + 1 + (v.moreFailures ? 1 : 0);
    expect(lines).toBeLessThanOrEqual(23);
    expect(v.moreRows).toBe(970 - v.rows.length);
    for (const r of v.rows) expect(r.host.length + r.task.length + r.time.length + r.last.length + 4).toBeLessThanOrEqual(80);
    expect(v.batchLine!.length).toBeLessThanOrEqual(80);
  });

  it('uses the width of a wide terminal', () => {
    const s = run([...playStart(), ...batch(0)]);
    const narrow = snapshot(s, 0, SIZE);
    const wide = snapshot(s, 0, { ...SIZE, columns: 200 });
    expect(wide.widths.task).toBeGreaterThan(narrow.widths.task + 100);
  });
});
