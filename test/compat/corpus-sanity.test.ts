// Keeps the compat corpus honest without drover: every playbook is used by a case, every case
// runs under ansible-playbook with the exit code annotated in cases.ts, produces a recap and a
// work log, and still matches the reference recorded in expected/<id>.json.
// Refresh the references after changing a playbook: COMPAT_UPDATE=1 npx vitest run test/compat/corpus-sanity.test.ts
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import {
  ANSIBLE,
  EXPECTED_DIR,
  INVENTORY_DIR,
  PLAYBOOK_DIR,
  ansibleAvailable,
  ansibleLimit,
  comparableOutline,
  runCase,
  snapshot,
  type Snapshot,
} from './harness.js';

const UPDATE = process.env.COMPAT_UPDATE === '1';

describe('compat corpus layout', () => {
  it('has unique case ids and existing playbooks and inventories', () => {
    const ids = CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CASES) {
      expect(existsSync(join(PLAYBOOK_DIR, c.playbook)), c.playbook).toBe(true);
      expect(existsSync(join(INVENTORY_DIR, c.inventory)), c.inventory).toBe(true);
    }
  });

  it('uses every playbook in playbooks/ in at least one case', () => {
    const used = new Set(CASES.map((c) => c.playbook));
    const files = readdirSync(PLAYBOOK_DIR).filter((f) => /^\d\d-.*\.yml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(45);
    expect(files.filter((f) => !used.has(f))).toEqual([]);
  });

  it('has a recorded reference for every case and no stale ones', () => {
    if (UPDATE) return;
    const recorded = existsSync(EXPECTED_DIR) ? readdirSync(EXPECTED_DIR).filter((f) => f.endsWith('.json')) : [];
    const ids = new Set(CASES.map((c) => `${c.id}.json`));
    expect(CASES.map((c) => `${c.id}.json`).filter((f) => !recorded.includes(f))).toEqual([]);
    expect(recorded.filter((f) => !ids.has(f))).toEqual([]);
  });
});

describe.skipIf(!ansibleAvailable()).concurrent('compat corpus under ansible-playbook', () => {
  for (const c of CASES) {
    it(`${c.id} (${c.playbook})`, async () => {
      // No second attempt: where ansible-playbook's own output depends on timing (results of
      // hosts in arrival order, '...ignoring' after its host's result), comparableOutline
      // compares only the deterministic part, so a mismatch is a real change.
      await checkCase(c);
    }, 900_000);
  }
});

async function checkCase(c: (typeof CASES)[number]): Promise<void> {
  const r = await ansibleLimit(() => runCase(ANSIBLE, c, { timeoutMs: 300_000 }));
  expect(r.timedOut).toBe(false);
  expect(r.rc, `${c.id}: ${r.stderr.slice(-600)}`).toBe(c.expectRc);
  if (c.noRecap) {
    expect(r.recap).toEqual({});
    expect(r.log).toEqual([]);
  } else {
    expect(Object.keys(r.recap).length).toBeGreaterThan(0);
    if (c.emptyLog) expect(r.log).toEqual([]);
    else expect(r.log.length).toBeGreaterThan(0);
    for (const line of r.log) expect(line).toMatch(/^\S+ \S/);
  }
  const snap = snapshot(r, c);
  const file = join(EXPECTED_DIR, `${c.id}.json`);
  if (UPDATE) {
    mkdirSync(EXPECTED_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify({ case: c, ...snap }, null, 2) + '\n');
    return;
  }
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Snapshot & { case: unknown };
  expect({ ...snap, outline: comparableOutline(snap.outline, c) }).toEqual({
    rc: recorded.rc, recap: recorded.recap, log: recorded.log, outline: comparableOutline(recorded.outline, c),
  });
}
