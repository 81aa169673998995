// The compat corpus over SSH (issue #4): every inventory of the corpus becomes a `drover lab`
// (one lab per inventory, hosts behind the lab's real sshd), and each case runs under
// `drover playbook` against the lab's generated inventory. drover must give the exit code, PLAY
// RECAP counters, work-log order and output outline that ansible-playbook 2.14 gives.
//
// References: ansible-playbook's results do not depend on the connection for this corpus, so the
// reference of a case is its local one (expected/<id>.json) unless expected-ssh/<id>.json
// overrides it. ansible-playbook itself runs live against the same labs for a rotating subset
// (COMPAT_SSH_LIVE, see README.md), which keeps that claim checked without paying ~1 min of
// ansible per case on every run. COMPAT_SSH_LIVE=all COMPAT_UPDATE=1 re-records the overrides.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labSkipReason, startLab, type TestLab } from '../support/lab.js';
import { CASES, type CompatCase } from './cases.js';
import {
  ANSIBLE,
  COMPAT_DIR,
  DROVER,
  EXPECTED_DIR,
  INVENTORY_DIR,
  ansibleAvailable,
  ansibleLimit,
  droverLimit,
  runCase,
  snapshot,
  snapshotDiff,
  type RunResult,
  type Runner,
  type Snapshot,
} from './harness.js';

export const EXPECTED_SSH_DIR = join(COMPAT_DIR, 'expected-ssh');

/** Cases that do not run over SSH, and why (the id is the case's). */
export const SSH_EXCLUDED: Record<string, string> = {
  'limit-range-gotcha': 'fails on the host pattern before any connection is made (compat.test.ts covers it)',
  'serial-invalid': 'fails on the serial value before any connection is made',
  'parse-error': 'fails while parsing the playbook, before any connection is made',
  'rc-extra-vars-path': 'fails on the command line, before the inventory is read',
  'rc-unknown-option': 'fails on the command line, before the inventory is read',
};

/**
 * Hosts that must be unreachable over SSH. Locally they point at port 1 of 127.0.0.1; in the lab
 * they get a lab address like every other host, so the lab's `down` fault refuses them instead.
 */
const UNREACHABLE_HOSTS: Record<string, string[]> = { 'unreachable.ini': ['bad1', 'bad2'] };

/**
 * Lab addresses differ from one lab to the next; where the output shows one (Ansible labels a
 * delegated result "n1 -> m1(127.0.X.Y)" when the delegate's ansible_host differs from its name)
 * it becomes <address of HOST>, so a wrong host's address still shows as a difference.
 */
export function withLabAddresses(snap: Snapshot, hosts: { name: string; address: string }[], c: CompatCase): Snapshot {
  const byAddress = new Map(hosts.map((h) => [h.address, h.name]));
  const fix = (l: string) => l.replace(/\b\d+\.\d+\.\d+\.\d+\b/g, (a) => (byAddress.has(a) ? `<address of ${byAddress.get(a)}>` : a));
  const outline = snap.outline.map(fix);
  return { ...snap, outline: c.compareLogOrder ? outline : outline.sort() };
}

export const SSH_CASES: CompatCase[] = CASES.filter((c) => !(c.id in SSH_EXCLUDED));

/** The reference for a case over SSH: expected-ssh/<id>.json, else the local expected/<id>.json. */
export function sshReference(c: CompatCase): Snapshot {
  const over = join(EXPECTED_SSH_DIR, `${c.id}.json`);
  return JSON.parse(readFileSync(existsSync(over) ? over : join(EXPECTED_DIR, `${c.id}.json`), 'utf8')) as Snapshot;
}

/**
 * Which cases ansible-playbook runs live against the labs. COMPAT_SSH_LIVE: unset -> 2 cases,
 * N -> N cases, starting at case N * COMPAT_SSH_LIVE_ROUND (default 0; CI may pass its build number
 * to rotate through the corpus), "all", "0"/"none", or a comma list of case ids. Never the date:
 * the same checkout and environment run the same cases.
 */
export function liveCases(spec = process.env.COMPAT_SSH_LIVE, round = Number(process.env.COMPAT_SSH_LIVE_ROUND ?? 0)): CompatCase[] {
  if (!Number.isInteger(round) || round < 0) throw new Error(`COMPAT_SSH_LIVE_ROUND: expected a whole number, got ${process.env.COMPAT_SSH_LIVE_ROUND}`);
  const day = round;
  const s = (spec ?? '2').trim();
  if (s === 'all') return SSH_CASES;
  if (s === '' || s === '0' || s === 'none') return [];
  if (/^\d+$/.test(s)) {
    const n = Math.min(Number(s), SSH_CASES.length);
    return Array.from({ length: n }, (_, k) => SSH_CASES[(day * n + k) % SSH_CASES.length]);
  }
  const ids = s.split(',').map((x) => x.trim());
  const unknown = ids.filter((id) => !SSH_CASES.some((c) => c.id === id));
  if (unknown.length) throw new Error(`COMPAT_SSH_LIVE: unknown or excluded case ids ${unknown.join(', ')}`);
  return SSH_CASES.filter((c) => ids.includes(c.id));
}

const UPDATE = process.env.COMPAT_UPDATE === '1';
const skip = labSkipReason();
const LIVE = liveCases();
// generous: a loaded 2-core CI machine, SSH handshakes and Python start-up for every host
const RUN_TIMEOUT_MS = 300_000;

describe('compat over SSH: case selection and references', () => {
  it('excludes only known cases, each with a reason', () => {
    for (const [id, why] of Object.entries(SSH_EXCLUDED)) {
      expect(CASES.some((c) => c.id === id), id).toBe(true);
      expect(why.length).toBeGreaterThan(10);
    }
    expect(SSH_CASES.length).toBe(CASES.length - Object.keys(SSH_EXCLUDED).length);
  });

  it('picks the same live subset on every run unless told to rotate, and rotates through every case', () => {
    expect(liveCases('2').map((c) => c.id)).toEqual(liveCases('2', 0).map((c) => c.id));
    expect(liveCases('2', 0).map((c) => c.id)).toEqual(SSH_CASES.slice(0, 2).map((c) => c.id));
    const seen = new Set<string>();
    for (let day = 0; day < Math.ceil(SSH_CASES.length / 2); day++) for (const c of liveCases('2', day)) seen.add(c.id);
    expect(seen.size).toBe(SSH_CASES.length);
    expect(liveCases('serial-int,blocks').map((c) => c.id)).toEqual(['serial-int', 'blocks']);
    expect(() => liveCases('parse-error')).toThrow(/excluded/);
  });

  it('has overrides only for cases that run over SSH', () => {
    if (!existsSync(EXPECTED_SSH_DIR)) return;
    for (const f of readdirSync(EXPECTED_SSH_DIR).filter((n) => n.endsWith('.json'))) expect(SSH_CASES.map((c) => `${c.id}.json`), f).toContain(f);
  });

  it('replaces lab addresses in the outline by the host they belong to', () => {
    const c = SSH_CASES.find((x) => x.id === 'delegate')!;
    const hosts = [{ name: 'h01', address: '127.0.5.1' }, { name: 'h10', address: '127.0.5.10' }];
    const snap: Snapshot = { rc: 0, recap: {}, log: [], outline: ['changed: [h02 -> h10(127.0.5.10)]', 'changed: [h02 -> h01(127.0.5.1)]', 'ok: [x -> y(10.0.0.1)]'] };
    expect(withLabAddresses(snap, hosts, c).outline).toEqual(['changed: [h02 -> h10(<address of h10>)]', 'changed: [h02 -> h01(<address of h01>)]', 'ok: [x -> y(10.0.0.1)]']);
  });

  it('reports a deliberately wrong reference (the comparison can fail)', () => {
    const c = SSH_CASES.find((x) => x.id === 'serial-int')!;
    const ref = sshReference(c);
    expect(snapshotDiff(ref, ref, c)).toEqual([]);
    const log = [...(ref.log as string[])];
    [log[4], log[5]] = [log[5], log[4]]; // h02 works before h01
    expect(snapshotDiff({ ...ref, log }, ref, c).join('\n')).toMatch(/^log:/);
    const recap = { ...ref.recap, h05: { ...ref.recap.h05, changed: ref.recap.h05.changed + 1 } };
    expect(snapshotDiff({ ...ref, recap }, ref, c).join('\n')).toMatch(/^recap h05:/);
    expect(snapshotDiff({ ...ref, rc: 2 }, ref, c).join('\n')).toMatch(/^rc:/);
    expect(snapshotDiff({ ...ref, outline: ref.outline.slice(1) }, ref, c).join('\n')).toMatch(/^outline differs/);
  });
});

describe.skipIf(skip !== undefined)('compat corpus over SSH against drover lab', () => {
  const labs = new Map<string, TestLab>();
  const inventories = [...new Set(SSH_CASES.map((c) => c.inventory))];

  beforeAll(async () => {
    const started = await Promise.allSettled(
      inventories.map((inv) => startLab(join(INVENTORY_DIR, inv), { prefix: `cx-${inv.replace(/\.ini$/, '').slice(0, 8)}`, shared: true })),
    );
    started.forEach((r, i) => r.status === 'fulfilled' && labs.set(inventories[i], r.value));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    for (const [inv, hosts] of Object.entries(UNREACHABLE_HOSTS)) for (const h of hosts) await labs.get(inv)?.fault(h, 'down');
  }, 300_000);

  afterAll(async () => {
    // all at once: on a loaded machine one lab's teardown can take a minute
    await Promise.all([...labs.values()].map((lab) => lab.down().catch((e) => process.stderr.write(`[compat-ssh] lab down ${lab.name}: ${String(e)}\n`))));
  }, 600_000);

  const runOnLab = (runner: Runner, c: CompatCase) => {
    const lab = labs.get(c.inventory)!;
    return runCase(runner, c, { inventory: lab.inventory, workDir: lab.shared, timeoutMs: RUN_TIMEOUT_MS });
  };
  const snapshotOnLab = (r: RunResult, c: CompatCase) => withLabAddresses(snapshot(r, c), labs.get(c.inventory)!.record.hosts, c);
  const why = (c: CompatCase, who: string, r: { stdout: string; stderr: string }, diff: string[]) =>
    `${c.id} (${who} over SSH): ${c.note}\n${diff.join('\n')}\n--- stderr ---\n${r.stderr.slice(-1500)}\n--- stdout ---\n${r.stdout.slice(-3000)}`;

  describe.concurrent('drover', () => {
    for (const c of SSH_CASES) {
      it(`${c.id} (${c.playbook})`, async () => {
        const r = await droverLimit(() => runOnLab(DROVER, c));
        expect(r.timedOut, `${c.id} timed out`).toBe(false);
        const diff = snapshotDiff(snapshotOnLab(r, c), sshReference(c), c);
        expect(diff, why(c, 'drover', r, diff)).toEqual([]);
      }, RUN_TIMEOUT_MS + 60_000);
    }
  });

  describe.skipIf(!ansibleAvailable() || LIVE.length === 0).concurrent('ansible-playbook (live subset: COMPAT_SSH_LIVE)', () => {
    for (const c of LIVE) {
      it(`${c.id} (${c.playbook})`, async () => {
        const r = await ansibleLimit(() => runOnLab(ANSIBLE, c));
        expect(r.timedOut, `${c.id} timed out`).toBe(false);
        const snap = snapshotOnLab(r, c);
        const local = JSON.parse(readFileSync(join(EXPECTED_DIR, `${c.id}.json`), 'utf8')) as Snapshot;
        const override = join(EXPECTED_SSH_DIR, `${c.id}.json`);
        if (UPDATE) {
          // an override only where Ansible over SSH differs from Ansible locally
          if (snapshotDiff(snap, local, c).length === 0) rmSync(override, { force: true });
          else {
            mkdirSync(EXPECTED_SSH_DIR, { recursive: true });
            writeFileSync(override, JSON.stringify({ case: c, ...snap }, null, 2) + '\n');
          }
          return;
        }
        const diff = snapshotDiff(snap, sshReference(c), c);
        expect(diff, why(c, 'ansible-playbook', r, diff)).toEqual([]);
      }, RUN_TIMEOUT_MS + 60_000);
    }
  });
});
