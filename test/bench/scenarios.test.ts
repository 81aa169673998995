// Unit tests of the benchmark's pure parts (test/bench/scenarios.mjs): the recap parser, the
// host-state digest and the cross-tool check must catch a wrong run, or the benchmark would
// time broken runs as if they were correct.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

type Recap = Record<string, Record<string, number>>;
interface Row {
  tool: string;
  recap?: Recap;
  perHost?: Record<string, string>;
  digest?: string;
  exit?: number;
  check?: string;
  skipped?: string;
  wall?: number;
  cpu?: number;
  timedOut?: number;
}
interface Scenarios {
  parseRecap(out: string): Recap;
  recapKey(r: Recap): string;
  treeDigest(dir: string): string;
  fleetDigest(per: Record<string, string>): string;
  checkRows(rows: Row[]): Row[];
  playbookText(s: string, hosts: string[]): string;
  rawCommands(s: string, host: string): string[] | null;
  renderTemplate(host: string): string;
  ratios(rows: Row[], base?: string): Record<string, { wall?: number; cpu?: number; atMost?: boolean }>;
  formatRatios(rs: Record<string, { wall?: number; cpu?: number; atMost?: boolean }>, base?: string): string;
  hostNames(n: number): string[];
  parseSizes(t: string): number[];
  parseTools(t: string): { tool: string; max: number }[];
  growthTable(series: { hosts: number; rows: Row[] }[]): string;
}
// a computed specifier: the module is plain JavaScript run by node directly, without declarations
const S = (await import(pathToFileURL(join(import.meta.dirname, 'scenarios.mjs')).href)) as Scenarios;

const RECAP = `PLAY RECAP *********************************************************************
bench-0001                 : ok=10   changed=4    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
bench-0002                 : ok=3    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
`;

describe('bench scenarios', () => {
  it('parses the recap and keys it so that any counter difference shows', () => {
    const r = S.parseRecap(`noise\n${RECAP}`);
    expect(r['bench-0002']).toEqual({ ok: 3, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 });
    const other = S.parseRecap(RECAP.replace('changed=4', 'changed=5'));
    expect(S.recapKey(other)).not.toBe(S.recapKey(r));
    expect(S.recapKey(S.parseRecap(`\x1b[0;33m${RECAP}`))).toBe(S.recapKey(r));
  });

  it('digests contents and modes, not times', () => {
    const d = tempDir('bench-digest-');
    mkdirSync(join(d, 'a'));
    writeFileSync(join(d, 'a', 'f'), 'x\n');
    const first = S.treeDigest(join(d, 'a'));
    writeFileSync(join(d, 'a', 'f'), 'x\n');
    expect(S.treeDigest(join(d, 'a'))).toBe(first);
    chmodSync(join(d, 'a', 'f'), 0o600);
    const moded = S.treeDigest(join(d, 'a'));
    expect(moded).not.toBe(first);
    writeFileSync(join(d, 'a', 'f'), 'y\n');
    expect(S.treeDigest(join(d, 'a'))).not.toBe(moded);
    expect(S.treeDigest(join(d, 'missing'))).not.toBe(S.treeDigest(join(d, 'a')));
  });

  it('flags a tool whose recap, digest or exit differs from the reference', () => {
    const recap = S.parseRecap(RECAP);
    const per = { 'bench-0001': 'aa', 'bench-0002': 'bb' };
    const rows = S.checkRows([
      { tool: 'ansible', recap, perHost: per, digest: S.fleetDigest(per), exit: 2 },
      { tool: 'drover', recap, perHost: per, digest: S.fleetDigest(per), exit: 2 },
      { tool: 'mitogen', recap: S.parseRecap(RECAP.replace('failed=1', 'failed=0')), perHost: per, digest: S.fleetDigest(per), exit: 2 },
      { tool: 'raw', perHost: { ...per, 'bench-0002': 'cc' }, digest: S.fleetDigest({ ...per, 'bench-0002': 'cc' }), exit: 0 },
      { tool: 'x', recap, perHost: per, digest: S.fleetDigest(per), exit: 0 },
      { tool: 'y', skipped: 'n/a: not installed' },
    ]);
    expect(rows.map((r) => r.check)).toEqual([
      'ok',
      'ok',
      'MISMATCH: recap differs from ansible',
      'MISMATCH: digest differs from ansible on 1 hosts (bench-0002)',
      'MISMATCH: exit 0 vs ansible 2',
      undefined,
    ]);
  });

  it('writes the serial scenario with one failing host and the mixed task list', () => {
    const hosts = S.hostNames(12);
    expect(hosts[11]).toBe('bench-0012');
    const serial = S.playbookText('serial', hosts);
    expect(serial).toContain('serial: "25%"');
    expect(serial).toContain('inventory_hostname == "bench-0002"');
    expect(S.playbookText('mixed', hosts).match(/- name:/g)).toHaveLength(10);
    expect(S.playbookText('trivial', hosts).match(/command: \/bin\/true/g)).toHaveLength(10);
    expect(() => S.playbookText('nope', hosts)).toThrow(/unknown scenario/);
    // python-modules: ansible-core modules drover runs over the module protocol, leaving no user or group behind
    const py = S.playbookText('python-modules', hosts);
    for (const m of ['getent', 'group', 'user', 'yum_repository', 'unarchive', 'stat', 'lineinfile', 'slurp', 'command']) expect(py).toContain(`      ${m}: `);
    expect(py).toContain('user: { name: benchusr, state: absent }');
    expect(S.rawCommands('python-modules', 'h')).toBeNull();
    expect(S.rawCommands('serial', 'h')).toBeNull();
    expect((S.rawCommands('mixed', "it's") ?? []).join('\n')).toContain(`'it'\\''s'`);
    expect(S.renderTemplate('h1')).toBe('# bench template for h1\nhost=h1\nitem0=0\nitem1=7\nitem2=14\nupper=H1\n');
  });

  it('computes drover ratios against every tool that ran', () => {
    const r = S.ratios([
      { tool: 'ansible', wall: 100, cpu: 50 },
      { tool: 'drover', wall: 5, cpu: 5 },
      { tool: 'mitogen', skipped: 'n/a' },
    ]);
    expect(r).toEqual({ ansible: { wall: 0.05, cpu: 0.1 } });
    // another drover row as the base (drover-python against mitogen)
    const p = S.ratios([{ tool: 'mitogen', wall: 30, cpu: 6 }, { tool: 'drover-python', wall: 15, cpu: 3 }, { tool: 'drover', wall: 10, cpu: 3 }], 'drover-python');
    expect(p).toEqual({ mitogen: { wall: 0.5, cpu: 0.5 }, drover: { wall: 1.5, cpu: 1 } });
    expect(S.formatRatios(p, 'drover-python')).toContain('drover-python/mitogen: wall 0.500 (drover-python 2.0× faster)');
  });

  it('parses growth sizes and TOOL@MAX, and reports cost growth per host growth', () => {
    expect(S.parseSizes('1000,50,200,50')).toEqual([50, 200, 1000]);
    expect(() => S.parseSizes('50,x')).toThrow(/positive whole numbers/);
    expect(S.parseTools('ansible@200,drover')).toEqual([
      { tool: 'ansible', max: 200 },
      { tool: 'drover', max: Infinity },
    ]);
    expect(() => S.parseTools('drover@')).toThrow(/TOOL or TOOL@MAXHOSTS/);
    const table = S.growthTable([
      { hosts: 50, rows: [{ tool: 'drover', wall: 10, cpu: 5, check: 'ok' }, { tool: 'ansible', wall: 100, cpu: 50 }] },
      { hosts: 200, rows: [{ tool: 'drover', wall: 40, cpu: 40, check: 'ok' }, { tool: 'mitogen', skipped: 'n/a' }] },
    ]);
    const drover200 = table.split('\n').find((l) => /^drover\s+200\s/.test(l)) ?? '';
    // 4x the hosts: cpu 8x (2.00 = twice the cost per host), wall 4x (1.00 = linear)
    expect(drover200.split(/\s{2,}/).slice(5, 8)).toEqual(['200.0', '2.00', '1.00']);
    expect(table).toMatch(/^ansible\s+50\s/m);
    expect(table).not.toContain('mitogen');
  });

  it('does not check or take as reference a tool stopped by --tool-timeout; its ratio is a bound', () => {
    const recap = S.parseRecap(RECAP);
    const per = { 'bench-0001': 'aa' };
    const rows = S.checkRows([
      { tool: 'ansible', wall: 1200, timedOut: 1200, recap: {}, exit: 137 },
      { tool: 'drover', wall: 60, cpu: 6, recap, perHost: per, digest: S.fleetDigest(per), exit: 2 },
      { tool: 'mitogen', wall: 600, cpu: 60, recap: S.parseRecap(RECAP.replace('failed=1', 'failed=0')), perHost: per, digest: S.fleetDigest(per), exit: 2 },
    ]);
    expect(rows.map((r) => r.check)).toEqual(['TIMEOUT: stopped after 1200 s, not checked', 'ok', 'MISMATCH: recap differs from drover']);
    expect(S.ratios(rows).ansible).toEqual({ wall: 0.05, atMost: true });
  });
});
