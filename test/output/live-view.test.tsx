// The ink components rendered with ink-testing-library: frames of a batch in progress, a
// failure, a hook run and a prompt answered through stdin.
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import chalk from 'chalk';
import { LiveApp } from '../../engine/output/live/view.js';
import { initialState, reduce, type LiveState } from '../../engine/output/live/model.js';
import { snapshot } from '../../engine/output/live/snapshot.js';
import type { EngineEvent } from '../../engine/output/events.js';
import { batch, playStart } from './live-scenario.js';

const T0 = 1_700_000_000_000;

function stateOf(events: EngineEvent[]): LiveState {
  const s = initialState(T0);
  for (const e of events) reduce(s, e, T0 + 3000);
  return s;
}

function frame(s: LiveState, opts: { columns?: number; color?: boolean; onAnswer?: (a: string) => void } = {}) {
  const view = snapshot(s, T0 + 65_000, { columns: opts.columns ?? 80, rows: 24, stuckAfterMs: 300_000 });
  return render(<LiveApp view={view} log={s.log} color={opts.color ?? false} promptKey={1} onAnswer={opts.onAnswer ?? (() => undefined)} onInterrupt={() => undefined} />);
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('live view frames', () => {
  it('a batch in progress: header, progress, budget and host rows', () => {
    const s = stateOf([...playStart(), ...batch(0, { done: true }), ...batch(1)]);
    reduce(s, { kind: 'task.start', taskId: 8, name: 'Upgrade packages', action: 'dnf', handler: false, hosts: ['node03', 'node04'] }, T0 + 5000);
    const out = frame(s).lastFrame() ?? '';
    expect(out).toContain('upgrade_nodes.yml · PLAY [Upgrade nodes] · linear');
    expect(out).toContain('1:05');
    expect(out).toContain('batch 2/3: node03, node04');
    expect(out).toMatch(/█+░+ 2\/6 hosts/);
    expect(out).toContain('failures: 0 so far · this batch 0 of 1 allowed (max_fail_percentage 50%)');
    expect(out).toContain('TASK [Upgrade packages]');
    expect(out).toMatch(/node03 +Upgrade packages +1:00 +running/);
    expect(out).toContain('batch 1/3 done: 2 ok');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a failure stays visible with its message', () => {
    const s = stateOf([...playStart(), ...batch(0, { fail: 'node02' })]);
    const out = frame(s).lastFrame() ?? '';
    expect(out).toContain('failures: 1 so far · this batch 1 of 1 allowed');
    expect(out).toContain('failed / unreachable (1):');
    expect(out).toContain('  node02 FAILED (batch 1, Upgrade packages): No package atomic-openshift-3.9 av…');
    expect(frame(s, { columns: 120 }).lastFrame()).toContain('node02 FAILED (batch 1, Upgrade packages): No package atomic-openshift-3.9 available.');
    expect(out).toContain('FAILED [node02] Upgrade packages: No package');
    expect(out).not.toMatch(/^node02 +Upgrade/m);
  });

  it('a hook run is marked with its file on each host', () => {
    const s = stateOf([...playStart(), ...batch(0, { hook: true })]);
    const out = frame(s, { columns: 120 }).lastFrame() ?? '';
    expect(out).toMatch(/node01 +hook pre_node\.yml › Check node health/);
    expect(out).toMatch(/node02 +hook pre_node\.yml › Check node health/);
    expect(out).toContain('hook pre_node.yml for node01, node02');
  });

  it('a prompt is answered through stdin', async () => {
    const s = stateOf([...playStart(), ...batch(0)]);
    reduce(s, { kind: 'ui.prompt', message: 'Proceed with the node upgrade?', echo: true }, T0);
    const answers: string[] = [];
    const r = frame(s, { onAnswer: (a) => answers.push(a) });
    expect(r.lastFrame()).toContain('? Proceed with the node upgrade?');
    await tick();
    r.stdin.write('yes');
    await tick();
    expect(r.lastFrame()).toContain('› yes');
    r.stdin.write('\r');
    await tick();
    expect(answers).toEqual(['yes']);
  });

  it('hidden prompts do not echo', async () => {
    const s = stateOf(playStart());
    reduce(s, { kind: 'ui.prompt', message: 'BECOME password', echo: false }, T0);
    const answers: string[] = [];
    const r = frame(s, { onAnswer: (a) => answers.push(a) });
    await tick();
    r.stdin.write('s3cret');
    await tick();
    expect(r.lastFrame()).not.toContain('s3cret');
    r.stdin.write('\r');
    await tick();
    expect(answers).toEqual(['s3cret']);
  });

  it('colour only when asked (NO_COLOR)', () => {
    chalk.level = 1; // the test's stdout is no terminal: let ink colour when told to
    const s = stateOf([...playStart(), ...batch(0, { fail: 'node02' })]);
    expect(frame(s, { color: false }).lastFrame()).not.toMatch(/\u001b\[/);
    expect(frame(s, { color: true }).lastFrame()).toMatch(/\u001b\[31m/);
  });
});
