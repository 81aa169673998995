// drover against ansible-playbook: every compat case runs under `drover playbook` and must give
// the exit code, PLAY RECAP counters, work log order and output outline that ansible-core 2.14
// gave for the same case. The ansible side is recorded in expected/<id>.json and re-checked
// live by corpus-sanity.test.ts whenever ansible-playbook is installed (CI installs it), so the
// references cannot drift from what Ansible really does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { DROVER, EXPECTED_DIR, comparableOutline, droverLimit, runCase, snapshot, type Snapshot } from './harness.js';

describe.concurrent('drover matches ansible-playbook on the compat corpus', () => {
  for (const c of CASES) {
    it(`${c.id} (${c.playbook})`, async () => {
      const recorded = JSON.parse(readFileSync(join(EXPECTED_DIR, `${c.id}.json`), 'utf8')) as Snapshot;
      const r = await droverLimit(() => runCase(DROVER, c));
      expect(r.timedOut, `${c.id} timed out`).toBe(false);
      const snap = snapshot(r, c);
      const why = `${c.id}: ${c.note}\n--- drover stderr ---\n${r.stderr.slice(-1500)}\n--- drover stdout ---\n${r.stdout.slice(-2500)}`;
      expect(snap.rc, why).toBe(recorded.rc);
      expect(snap.recap, why).toEqual(recorded.recap);
      expect(snap.log, why).toEqual(recorded.log);
      expect(comparableOutline(snap.outline, c), why).toEqual(comparableOutline(recorded.outline, c));
    }, 120_000);
  }
});
