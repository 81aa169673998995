// JSON lines and the json-doc document, fed with engine events directly.
import { describe, expect, it } from 'vitest';
import { JsonDocReporter, JsonLinesReporter, jsonEvent, redactHiddenInput, summarizeStats, toJsonSafe } from '../../engine/output/json.js';
import type { EngineEvent } from '../../engine/output/events.js';

const T = new Date('2026-12-01T08:00:00.123Z');
const stats = { ok: 2, changed: 1, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 };

const RUN: EngineEvent[] = [
  { kind: 'playbook.start', file: '/p/site.yml' },
  { kind: 'play.start', name: 'web', pattern: 'web', hosts: ['a', 'b'], strategy: 'linear', serial: undefined },
  { kind: 'task.start', taskId: 3, name: 'Install', action: 'dnf', handler: false, file: '/p/site.yml', line: 7 },
  { kind: 'host.result', taskId: 3, host: 'a', status: 'changed', result: { changed: true }, ignored: false },
  { kind: 'host.result', taskId: 3, host: 'b', status: 'failed', result: { msg: 'nope' }, ignored: false },
  { kind: 'task.start', taskId: 4, name: 'Ask', action: 'pause', handler: false, file: '/p/site.yml', line: 9 },
  { kind: 'host.result', taskId: 4, host: 'a', status: 'ok', result: { echo: false, user_input: 'hunter2' }, ignored: false },
  { kind: 'play.done', name: 'web' },
  { kind: 'recap', stats: { a: { ...stats, failed: 0 }, b: stats } },
];

describe('JSON lines', () => {
  it('adds version and timestamp to every event', () => {
    const lines: string[] = [];
    const r = new JsonLinesReporter((l) => lines.push(l), () => T);
    RUN.forEach((e) => r.handle(e));
    expect(lines).toHaveLength(RUN.length);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({ v: 1, ts: '2026-12-01T08:00:00.123Z', kind: 'playbook.start', file: '/p/site.yml' });
    expect(lines.join('')).not.toContain('hunter2');
  });

  it('never writes hidden prompt input', () => {
    expect(redactHiddenInput({ echo: false, user_input: 's3' }).user_input).toBe('********');
    expect(redactHiddenInput({ echo: true, user_input: 'yes' }).user_input).toBe('yes');
    const e = jsonEvent({ kind: 'host.result', taskId: 1, host: 'h', status: 'ok', result: { echo: false, user_input: 's3' }, ignored: false }, T);
    expect(JSON.stringify(e)).not.toContain('s3');
  });

  it('makes any value JSON-safe', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    expect(toJsonSafe({ big: 10n, f: () => 1, u: undefined, inf: Infinity, d: new Date(0), cyc, shared: [T, T] })).toEqual({
      big: '10', inf: 'Infinity', d: '1970-01-01T00:00:00.000Z', cyc: { a: 1, self: '[Circular]' }, shared: [T.toISOString(), T.toISOString()],
    });
  });
});

describe('json-doc (Ansible json callback shape)', () => {
  it('groups results by play and task, with summarized stats', () => {
    let out = '';
    const r = new JsonDocReporter((t) => (out += t), () => T);
    RUN.forEach((e) => r.handle(e));
    r.close();
    const doc = JSON.parse(out);
    expect(Object.keys(doc).sort()).toEqual(['custom_stats', 'global_custom_stats', 'plays', 'stats']);
    expect(doc.plays).toHaveLength(1);
    expect(doc.plays[0].play).toMatchObject({ name: 'web', path: '/p/site.yml', duration: { start: '2026-12-01T08:00:00.123000Z', end: '2026-12-01T08:00:00.123000Z' } });
    const [install, ask] = doc.plays[0].tasks;
    expect(install.task).toMatchObject({ name: 'Install', path: '/p/site.yml:7' });
    expect(install.hosts.a).toEqual({ changed: true, action: 'dnf' });
    expect(install.hosts.b).toEqual({ msg: 'nope', failed: true, action: 'dnf' });
    expect(ask.hosts.a.user_input).toBe('********');
    expect(doc.stats.b).toEqual({ changed: 1, failures: 1, ignored: 0, ok: 2, rescued: 0, skipped: 0, unreachable: 0 });
  });

  it('starts a play entry per serial batch, as Ansible does', () => {
    const r = new JsonDocReporter(() => undefined, () => T);
    r.handle({ kind: 'play.start', name: 'p', pattern: 'all', hosts: ['a'], strategy: 'linear', serial: 1 });
    r.handle({ kind: 'play.start', name: 'p', pattern: 'all', hosts: ['b'], strategy: 'linear', serial: 1 });
    expect((r.document().plays as unknown[]).length).toBe(2);
    expect(summarizeStats({})).toEqual({});
  });
});
