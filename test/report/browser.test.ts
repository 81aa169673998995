// The rollout report of a lab rehearsal, loaded in a real browser (Debian's chromium, headless):
// a small HA cluster (test/examples/fixtures/lab-ha-small) provisioned as OpenShift 3.7 and
// upgraded with examples/openshift-3.9/upgrade.yml -e openshift_upgrade_nodes_serial=2 --report
// --report-lab. From chromium's DOM: every host of the run has a visible row, the out-of-service
// windows never overlap beyond the serial (and there are some), the versions table is what the
// lab's own event log says (computed here independently, with the groups from `drover
// inventory --list`), the page fetched nothing and its filter works. A screenshot is taken;
// DROVER_REPORT_SCREENSHOT=PATH keeps it (docs/rollout-report.png is made that way). Without a lab:
// a synthetic 1,000-host rollout renders every row, and only its failing host shows when filtered.
import { copyFileSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { droverSync as drover, labPlay, labSkip, labUp } from '../examples/lab-rehearsal.js';
import { renderReport } from '../../engine/report/html.js';
import { buildReport } from '../../engine/report/model.js';
import { chromiumMissing, loadInChromium, type Probe } from './chromium.js';
import { nodeNames, rollout } from './synthetic.js';
import { tempDir } from '../support/tmp.js';

const NAME = `report-${process.pid}`;
const INV = 'test/examples/fixtures/lab-ha-small/hosts';
const SERIAL = 2;
const skip = labSkip(['rpmbuild', 'createrepo_c', 'dnf', 'etcd']) ?? chromiumMissing();

interface Ev { kind: string; time: string; host: string; name?: string; to?: string }

/** Per group and changed package: version -> host count before (at `from`) and after (at `to`), from the lab's log. */
function expectedVersions(events: Ev[], groups: Record<string, string[]>, from: string, to: string) {
  const state = new Map<string, { before: string; after: string }>();
  const changed = new Set<string>();
  for (const e of events.filter((x) => x.kind === 'package.changed' && x.time <= to)) {
    const key = `${e.host}\t${e.name}`;
    const s = state.get(key) ?? { before: '', after: '' };
    if (e.time < from) s.before = e.to ?? '';
    else changed.add(e.name ?? '');
    s.after = e.to ?? '';
    state.set(key, s);
  }
  const out: Record<string, { before: Record<string, number>; after: Record<string, number> }> = {};
  for (const [group, hosts] of Object.entries(groups)) {
    for (const [key, s] of state) {
      const [host, pkg] = key.split('\t');
      if (!hosts.includes(host) || !changed.has(pkg)) continue;
      const row = (out[`${group} ${pkg}`] ??= { before: {}, after: {} });
      row.before[s.before] = (row.before[s.before] ?? 0) + 1;
      row.after[s.after] = (row.after[s.after] ?? 0) + 1;
    }
  }
  return out;
}

describe.skipIf(skip)('the rollout report of a lab rehearsal, in chromium', () => {
  let dir = '';
  let probe: Probe;
  let events: Ev[] = [];
  let groups: Record<string, string[]> = {};
  let runHosts: string[] = [];
  let from = '';
  let to = '';

  beforeAll(async () => {
    dir = tempDir('drover-report-browser-');
    const report = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    const labInv = labUp(INV, NAME);
    const prov = await labPlay(labInv, 'lab/provision_3.7.yml');
    expect(prov.rc, prov.stdout.slice(-4000)).toBe(0);
    from = new Date().toISOString();
    const r = await labPlay(labInv, 'upgrade.yml', '-e', `openshift_upgrade_nodes_serial=${SERIAL}`, '--report', report, '--report-lab', NAME);
    to = new Date().toISOString();
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    expect(r.stderr).toMatch(/rollout report written to .*report\.html \(\d+ KiB\)/);
    events = JSON.parse(drover('lab', 'events', NAME, '--json').stdout) as Ev[];
    const list = JSON.parse(drover('inventory', '-i', labInv, '--list').stdout) as Record<string, { hosts?: string[]; children?: string[] }>;
    groups = Object.fromEntries(Object.entries(list).filter(([g, v]) => g !== '_meta' && g !== 'all' && v.hosts?.length && !v.children?.length).map(([g, v]) => [g, v.hosts ?? []]));
    runHosts = [...new Set(Object.values(groups).flat())];
    probe = loadInChromium(report, { png, filterFor: 'node3' });
    if (process.env.DROVER_REPORT_SCREENSHOT) copyFileSync(png, process.env.DROVER_REPORT_SCREENSHOT);
  }, 900_000);
  afterAll(() => {
    drover('lab', 'down', NAME);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('every host of the run has a visible row, with its group and batch', () => {
    expect(runHosts.length).toBe(5);
    expect(probe.rows.map((r) => r.host).sort()).toEqual([...runHosts].sort());
    for (const r of probe.rows) {
      expect(r.height, r.host).toBeGreaterThan(0);
      expect(r.group, r.host).not.toBe('');
      expect(r.batch, r.host).toMatch(/^\d+\/\d+ /);
    }
    expect(probe.rows.find((r) => r.host === 'node3.example.com')?.batch).toMatch(/^2\/2 Drain and upgrade nodes/);
  });

  it(`out-of-service windows never overlap beyond openshift_upgrade_nodes_serial=${SERIAL}`, () => {
    const windows = probe.rows.flatMap((r) => r.windows.map((w) => ({ ...w, host: r.host })));
    // the three nodes were drained; the masters went through their own play
    expect(new Set(windows.map((w) => w.host))).toEqual(new Set(['node1.example.com', 'node2.example.com', 'node3.example.com']));
    for (const w of windows) expect(w.width, w.host).toBeGreaterThan(0);
    let most = 0;
    for (const w of windows) most = Math.max(most, windows.filter((x) => x.from <= w.from && w.from < x.to).length);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(SERIAL);
    expect(Number(probe.maxOos)).toBe(most);
  });

  it("the versions table is what the lab's events say", () => {
    const want = expectedVersions(events, groups, from, to);
    const got: typeof want = {};
    for (const row of probe.versions) {
      got[`${row.group} ${row.package}`] = {
        before: Object.fromEntries(row.before.map((c) => [c.v, c.n])),
        after: Object.fromEntries(row.after.map((c) => [c.v, c.n])),
      };
    }
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(got).toEqual(want);
    expect(Object.keys(got['nodes atomic-openshift-node']?.after ?? {})).toEqual([expect.stringMatching(/^3\.9\./)]);
  });

  it('fetches nothing, runs only inline script, and its filter hides the other rows', () => {
    expect(probe.resources).toBe(0);
    expect(probe.scripts).toEqual({ inline: 2, external: 0 }); // the report's own script and the probe
    expect(probe.filtered).toBe(1);
    const png = join(dir, 'report.png');
    expect(existsSync(png) && statSync(png).size).toBeGreaterThan(20_000);
  });
});

describe.skipIf(chromiumMissing())('a 1,000-host rollout report, in chromium', () => {
  it('lays out every row and window; "only hosts with problems" leaves the failed and unreachable ones', () => {
    const dir = tempDir('drover-report-browser-');
    try {
      const { run, lab } = rollout(nodeNames(1000), 20, { fail: ['node7.example.com'], unreachable: ['node990.example.com'], pct: 10 });
      const file = join(dir, 'big.html');
      writeFileSync(file, renderReport(buildReport(run, lab)));
      const probe = loadInChromium(file, { problemsOnly: true });
      expect(probe.rows).toHaveLength(1000);
      expect(probe.rows.every((r) => r.height > 0 && r.windows.length === 1 && r.windows[0].width > 0)).toBe(true);
      expect(Number(probe.maxOos)).toBe(20);
      expect(probe.filtered).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
