// `--output json` of the real binary on every compatibility-suite playbook: each line is valid
// against engine/output/schema/events.v1.json (ajv), the stream is well formed (one
// playbook.start first, results point at a started task, a recap unless the case stops early).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CASES } from '../compat/cases.js';
import { DROVER, REPO_ROOT, droverLimit, runCase, type Runner } from '../compat/harness.js';
import type { EngineEventKind } from '../../engine/output/events.js';

const SCHEMA = JSON.parse(readFileSync(join(REPO_ROOT, 'engine/output/schema/events.v1.json'), 'utf8')) as {
  definitions: Record<string, unknown>;
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);
const JSON_RUNNER: Runner = { name: 'drover --output json', argv: [...DROVER.argv, '--output', 'json'] };

/** Every event kind, checked by the compiler against the EngineEvent union. */
const KINDS: Record<EngineEventKind, true> = {
  'playbook.start': true, 'play.start': true, 'play.nohosts': true, 'batch.start': true, 'batch.done': true,
  'task.start': true, 'host.result': true, 'task.async': true, 'task.retry': true, include: true, 'include.result': true, 'hook.start': true, warning: true,
  deprecation: true, no_more_hosts: true, 'play.done': true, recap: true, prompt: true, message: true,
};

describe('JSON event schema', () => {
  it('documents every event kind', () => {
    const documented = Object.keys(SCHEMA.definitions).filter((k) => k !== 'hostStats').sort();
    expect(documented).toEqual(Object.keys(KINDS).map((k) => k.replace('.', '_')).sort());
  });

  it('rejects what the schema forbids', () => {
    const ok = { v: 1, ts: '2026-12-01T08:00:00.000Z', kind: 'warning', message: 'x' };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, v: 2 })).toBe(false);
    expect(validate({ ...ok, ts: 'yesterday' })).toBe(false);
    expect(validate({ ...ok, message: undefined })).toBe(false);
    expect(validate({ ...ok, kind: 'host.result' })).toBe(false);
    expect(validate({ ...ok, surprise: true })).toBe(false);
  });
});

/** One case per playbook: every compat playbook is covered, each run once (CI time). */
const PER_PLAYBOOK = CASES.filter((c, i) => CASES.findIndex((o) => o.playbook === c.playbook) === i);

describe.concurrent('--output json on every compat playbook', () => {
  for (const c of PER_PLAYBOOK) {
    it(`${c.id} (${c.playbook})`, async () => {
      const r = await droverLimit(() => runCase(JSON_RUNNER, c));
      const why = `${c.id}\n--- stderr ---\n${r.stderr.slice(-1500)}`;
      // rc and counters against ansible-playbook are compat.test.ts's business; here: the shape.
      expect(r.timedOut, why).toBe(false);
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      if (c.noRecap) {
        expect(lines.some((l) => (JSON.parse(l) as { kind: string }).kind === 'recap'), why).toBe(false);
      } else {
        expect(lines.length, why).toBeGreaterThan(0);
      }
      const started = new Set<number>();
      let recap: Record<string, Record<string, number>> | undefined;
      lines.forEach((line, i) => {
        const ev = JSON.parse(line) as { kind: string; taskId?: number; stats?: Record<string, Record<string, number>> };
        const valid = validate(ev);
        expect(valid, `${c.id} line ${i + 1}: ${line.slice(0, 300)}\n${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
        // what loading reports (-vv 'statically imported', warnings) may come first, as ansible-playbook prints it
        if (i === lines.findIndex((l) => !/"kind":"(verbose|warning|deprecation|message)"/.test(l))) expect(ev.kind).toBe('playbook.start');
        if (ev.kind === 'task.start') started.add(ev.taskId as number);
        if (ev.kind === 'host.result' || ev.kind === 'task.retry') expect(started.has(ev.taskId as number), `${c.id} line ${i + 1}`).toBe(true);
        if (ev.kind === 'recap') recap = ev.stats;
      });
      if (!c.noRecap) expect(recap, why).toBeDefined();
    }, 120_000);
  }
});

