// The bad-input corpus under ansible-playbook 2.14: a sample of cases runs live and must give the
// exit code drover gives (or the documented difference); ANSIBLE_RECORD=1 runs every case and
// rewrites ansible-results.json, the reference badinput.test.ts holds drover to on every run.
import { readFileSync, writeFileSync } from 'node:fs';

import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { ansibleMissing } from '../examples/harness.js';
import { buildCorpus } from './corpus.js';
import { KNOWN_DIFFERENCES, RESULTS_FILE, type AnsibleResults } from './expected.js';
import { runAnsible, runDrover } from './run.js';

const CASES = buildCorpus();
const RECORD = process.env.ANSIBLE_RECORD === '1';
// every 10th case, always the same ones: a sample of each kind of fault
const ONLY = (process.env.ANSIBLE_RECORD_ONLY ?? '').split(',').filter(Boolean);
const SAMPLE = RECORD ? CASES.filter((c) => !ONLY.length || ONLY.includes(c.id)) : CASES.filter((_, i) => i % 10 === 0);
const limit = pLimit(2);

describe.skipIf(ansibleMissing() !== undefined)('bad-input corpus vs ansible-playbook 2.14', () => {
  const recorded = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as AnsibleResults;
  const fresh: AnsibleResults = {};

  it.concurrent.each(SAMPLE.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    // killed after 200 s: rc -1 records that ansible-playbook did not finish (it loops or hangs)
    const a = await limit(() => runAnsible(c, 200_000));
    fresh[c.id] = { rc: a.rc, connections: a.connections };
    if (RECORD) return;
    expect(a.rc, `ansible-playbook's exit code changed since it was recorded:\n${a.out.slice(-1500)}`).toBe(recorded[c.id].rc);
    const d = await runDrover(c);
    const known = KNOWN_DIFFERENCES[c.id];
    expect(d.rc, `${c.id}: drover\n${d.out.slice(-1500)}\n--- ansible-playbook\n${a.out.slice(-1500)}`).toBe(known?.droverRc ?? a.rc);
  }, 900_000);

  // registered only when recording, so a normal run has no skipped test here
  if (RECORD) it('writes ansible-results.json', () => {
    // ANSIBLE_RECORD_ONLY=id,...: re-record those cases, keep the others
    const merged = { ...recorded, ...fresh };
    const sorted = Object.fromEntries(CASES.map((c) => [c.id, merged[c.id]]));
    writeFileSync(RESULTS_FILE, JSON.stringify(sorted, null, 1) + '\n');
    expect(Object.keys(fresh)).toHaveLength(SAMPLE.length);
  });
});

