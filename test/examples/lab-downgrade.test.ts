// End-to-end rehearsal of the way back (seed 001 §6) against `drover lab`: a small HA cluster
// (fixtures/lab-downgrade: 2 masters that are the etcd members, 1 node) provisioned as OpenShift
// 3.7, keys written with the real etcdctl (v2 and v3 API), then in order: etcd_backup.yml, the move
// to 3.9 with docker 1.13.1 (fixtures/lab-downgrade/upgrade_3.9_direct.yml, a cheap stand-in for
// upgrade.yml which lab-upgrade.test.ts rehearses; DROVER_DOWNGRADE_FULL_UPGRADE=1 runs upgrade.yml),
// docker_swap.yml on 3.9 (it must refuse before destroying anything: 3.9 needs docker 1.13),
// downgrade.yml (RPMs removed, the swap with containers and images removed, 3.7 reinstalled, etcd
// restored as §6.7 from the first pre-upgrade backup, configs restored), and a re-run of the swap
// that changes nothing. Checked from the lab's events, the host trees (rpm -q, files, the simulated
// docker state) and the real etcd cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { DROVER, runTool, type ToolResult } from './harness.js';
import type { Ev } from './invariants.js';

const NAME = `ex-dg-${process.pid}`;
const INV = 'test/examples/fixtures/lab-downgrade/hosts';
const MASTERS = ['master1.example.com', 'master2.example.com'];
const NODES = ['node1.example.com'];
const HOSTS = [...MASTERS, ...NODES];
const FULL_UPGRADE = process.env.DROVER_DOWNGRADE_FULL_UPGRADE === '1';

const drover = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'drover'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
/** The lab's event log; asked twice when the first answer is not JSON (bin/drover can be mid-rebuild on a shared checkout). */
function events(): Ev[] {
  const ask = () => drover('lab', 'events', NAME, '--json');
  let r = ask();
  if (r.status !== 0) r = ask();
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Ev[];
}
const missingTool = ['rpmbuild', 'createrepo_c', 'dnf', 'etcd', 'etcdctl'].find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = process.getuid?.() !== 0 ? 'the lab needs root' : missingTool ? `${missingTool} is not installed (bin/setup installs the lab's Debian packages)` : undefined;

/** The version the last start/restart of `service` on `host` ran ("" when never started). */
function runningVersion(ev: Ev[], host: string, service: string): string {
  const starts = ev.filter((e) => e.host === host && e.service === service && /^service\.(started|restarted)$/.test(e.kind));
  return String(starts.at(-1)?.version ?? '');
}

/** `changed=` per host from the PLAY RECAP. */
function recapChanged(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+: ok=\d+\s+changed=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

describe.skipIf(skip)('OpenShift 3.9 -> 3.7 downgrade rehearsal in the lab (backup, swap, downgrade, etcd restore)', () => {
  let labInv = '';
  let labDir = '';
  const root = (host: string) => join(labDir, 'hosts', host, 'root');
  const rpmQ = (host: string, pkg: string) => spawnSync('chroot', [root(host), 'rpm', '-q', '--qf', '%{version}', pkg], { encoding: 'utf8' }).stdout.trim();
  const file = (host: string, path: string) => readFileSync(join(root(host), path), 'utf8');
  const clientUrl = (host: string) => /^ETCD_ADVERTISE_CLIENT_URLS=([^,\n]+)/m.exec(file(host, 'etc/etcd/etcd.conf'))?.[1] ?? '';
  const peerUrl = (host: string) => /^ETCD_INITIAL_ADVERTISE_PEER_URLS=([^,\n]+)/m.exec(file(host, 'etc/etcd/etcd.conf'))?.[1] ?? '';
  /** The real etcdctl against one member (or all), API v2 or v3. */
  const etcdctl = (api: 2 | 3, endpoints: string[], ...args: string[]) =>
    spawnSync('etcdctl', [`--endpoints=${endpoints.map(clientUrl).join(',')}`, ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: String(api) }, timeout: 30_000 });
  const play = (pb: string, ...extra: string[]): Promise<ToolResult> =>
    runTool(DROVER, ['-i', labInv, pb.startsWith('test/') ? pb : `examples/openshift-3.9/${pb}`, '-e', 'lab_events=true', '-e', 'openshift_upgrade_storage_migration_delay=1', ...extra], {}, 600_000);

  // what step 1 wrote, to compare after the downgrade
  const v2Keys: Record<string, string> = { '/openshift.io/images/ose-pod': 'v3.7.44', '/openshift.io/users/alice': '{"name":"alice"}' };
  const v3Keys: Record<string, string> = { '/kubernetes.io/namespaces/default': '{"kind":"Namespace"}', '/kubernetes.io/configmaps/default/app': 'color=blue' };
  const configs: Record<string, Record<string, string>> = {};
  const configFiles = (host: string) => [
    ...(MASTERS.includes(host) ? ['etc/origin/master/master-config.yaml', 'etc/origin/master/scheduler.json', 'etc/sysconfig/atomic-openshift-master-api', 'etc/sysconfig/atomic-openshift-master-controllers'] : []),
    'etc/origin/node/node-config.yaml',
  ];
  let backups: string[] = [];

  beforeAll(async () => {
    const up = drover('lab', 'up', '-i', INV, '--name', NAME);
    expect(up.status, up.stderr).toBe(0);
    labInv = up.stdout.trim().split('\n').pop() ?? '';
    labDir = dirname(dirname(labInv));
    const prov = await play('lab/provision_3.7.yml');
    expect(prov.rc, prov.stdout.slice(-4000)).toBe(0);
    const seed = await play('test/examples/fixtures/lab-downgrade/seed_3.7.yml');
    expect(seed.rc, seed.stdout.slice(-4000)).toBe(0);
    for (const [k, v] of Object.entries(v2Keys)) expect(etcdctl(2, MASTERS, 'set', k, v).status, k).toBe(0);
    for (const [k, v] of Object.entries(v3Keys)) expect(etcdctl(3, MASTERS, 'put', k, v).status, k).toBe(0);
    // A real cluster never goes quiet (the masters renew leases every few seconds); the lab does.
    // etcd persists an entry's commit only with the next entry, and `etcdctl backup` (3.4) lowers
    // the commit by every v3 entry it strips, even those past it: on an idle member the last
    // writes before the backup would count as uncommitted and be dropped by force-new-cluster.
    // Two lease renewals after the keys stand for that traffic; they are not checked.
    for (const i of [1, 2]) expect(etcdctl(2, MASTERS, 'set', '/openshift.io/leases/controllers', `renewal-${i}`).status).toBe(0);
    for (const h of HOSTS) configs[h] = Object.fromEntries(configFiles(h).map((f) => [f, file(h, f)]));
  }, 600_000);
  afterAll(() => void drover('lab', 'down', NAME), 120_000);

  it('etcd_backup.yml backs up every member (v2 WAL, raft snapshot, v3 db) and records etcd.backup', async () => {
    const before = events().length;
    const r = await play('etcd_backup.yml');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    const ev = events().slice(before).filter((e) => e.kind === 'etcd.backup');
    expect(ev.map((e) => e.host).sort()).toEqual(MASTERS);
    backups = ev.map((e) => String(e.path));
    for (const e of ev) {
      expect(String(e.path)).toMatch(/^\/var\/lib\/etcd\/openshift-backup-pre-upgrade-\d{14}$/);
      const dir = join(root(e.host), String(e.path));
      expect(existsSync(join(dir, 'member/snap/db')), `${e.host}: ${dir}`).toBe(true);
      expect(readdirSync(join(dir, 'member/wal')).some((f) => f.endsWith('.wal')), dir).toBe(true);
      expect(readdirSync(join(dir, 'member/snap')).some((f) => f.endsWith('.snap')), dir).toBe(true);
    }
  }, 300_000);

  it(`moves the cluster to 3.9 with docker 1.13.1 (${FULL_UPGRADE ? 'upgrade.yml' : 'fixtures/lab-downgrade/upgrade_3.9_direct.yml'})`, async () => {
    // changes after the backup: the restore must undo them
    expect(etcdctl(2, MASTERS, 'set', '/openshift.io/images/ose-pod', 'v3.9.27').status).toBe(0);
    expect(etcdctl(3, MASTERS, 'put', '/kubernetes.io/configmaps/default/app', 'color=green').status).toBe(0);
    expect(etcdctl(3, MASTERS, 'put', '/kubernetes.io/after-backup', 'x').status).toBe(0);
    // backup folders are named to the second (as openshift-ansible's): on a fast machine the
    // upgrade's own backup could otherwise want the name the previous test's backup took
    await new Promise((r) => setTimeout(r, 1100));
    const r = FULL_UPGRADE ? await play('upgrade.yml') : await play('test/examples/fixtures/lab-downgrade/upgrade_3.9_direct.yml');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    const ev = events();
    for (const h of HOSTS) {
      expect(rpmQ(h, 'atomic-openshift-node'), h).toMatch(/^3\.9\./);
      expect(rpmQ(h, 'docker'), h).toBe('1.13.1');
      expect(runningVersion(ev, h, 'atomic-openshift-node'), h).toMatch(/^3\.9\./);
      expect(file(h, 'etc/origin/node/node-config.yaml'), h).not.toBe(configs[h]['etc/origin/node/node-config.yaml']);
    }
    for (const m of MASTERS) expect(file(m, 'etc/origin/master/master-config.yaml'), m).toContain('defaultNodeSelector: node-role.kubernetes.io/compute=true');
  }, 600_000);

  it('docker_swap.yml refuses on 3.9 (atomic-openshift-node needs docker 1.13) before removing any container or image', async () => {
    const before = events().length;
    const r = await play('docker_swap.yml');
    expect(r.rc).toBe(2);
    expect(r.stdout).toContain('cannot be swapped to 1.12.6 (nothing was removed)');
    expect(r.stdout).toContain('requires docker >= 2:1.13');
    const ev = events().slice(before);
    expect(ev.filter((e) => e.kind.startsWith('docker.') || e.kind === 'package.changed')).toEqual([]);
    for (const h of HOSTS) expect(rpmQ(h, 'docker'), h).toBe('1.13.1');
  }, 300_000);

  it('downgrade.yml: docker 1.12.6 emptied, 3.7 everywhere, etcd restored from the first backup (every key, healthy), configs back', async () => {
    const before = events().length;
    const r = await play('downgrade.yml');
    expect(r.rc, r.stdout.slice(-6000)).toBe(0);
    const ev = events().slice(before);
    // §6.5: every host swapped to docker 1.12.6 with its containers and images removed
    for (const h of HOSTS) {
      expect(rpmQ(h, 'docker'), h).toBe('1.12.6');
      expect(ev.some((e) => e.host === h && e.kind === 'docker.container.removed'), h).toBe(true);
      expect(ev.some((e) => e.host === h && e.kind === 'docker.image.removed'), h).toBe(true);
      const docker = JSON.parse(file(h, 'var/lib/drover-sim/docker.json')) as { containers: unknown[]; images: unknown[] };
      expect(docker, h).toEqual({ containers: [], images: [] });
      expect(runningVersion(ev, h, 'docker'), h).toMatch(/^1\.12\.6/);
    }
    // the swap happens after the OpenShift RPMs are gone (§6.4 before §6.5)
    const removed = ev.findIndex((e) => e.kind === 'package.changed' && e.name === 'atomic-openshift-node' && !e.to);
    const firstSwap = ev.findIndex((e) => e.kind === 'docker.container.removed');
    expect(removed).toBeGreaterThanOrEqual(0);
    expect(firstSwap).toBeGreaterThan(removed);
    // §6.6/§6.8: 3.7 packages and services on every host, etcd not installed on the plain node
    for (const h of HOSTS) {
      expect(rpmQ(h, 'atomic-openshift-node'), h).toMatch(/^3\.7\./);
      expect(runningVersion(ev, h, 'atomic-openshift-node'), h).toMatch(/^3\.7\./);
    }
    for (const m of MASTERS) {
      expect(rpmQ(m, 'atomic-openshift-master'), m).toMatch(/^3\.7\./);
      expect(runningVersion(ev, m, 'atomic-openshift-master-api'), m).toMatch(/^3\.7\./);
      expect(runningVersion(ev, m, 'atomic-openshift-master-controllers'), m).toMatch(/^3\.7\./);
    }
    for (const n of NODES) expect(rpmQ(n, 'etcd'), n).toBe('package etcd is not installed');
    // §6.7: restored once, on the first member, from the first pre-upgrade backup
    const restores = ev.filter((e) => e.kind === 'etcd.restore');
    expect(restores.map((e) => [e.host, e.path])).toEqual([[MASTERS[0], backups[0]]]);
    const health = etcdctl(3, [MASTERS[0]], 'endpoint', 'health', '--cluster');
    expect(health.status, health.stderr).toBe(0);
    const members = etcdctl(3, [MASTERS[0]], 'member', 'list').stdout;
    for (const m of MASTERS) expect(members, members).toContain(`started, ${m}, ${peerUrl(m)}, ${clientUrl(m)}`);
    expect(members).not.toContain('localhost');
    // every key of step 1 with its step-1 value, read from each member alone; later writes gone
    for (const m of MASTERS) {
      for (const [k, v] of Object.entries(v2Keys)) expect(etcdctl(2, [m], 'get', k).stdout.trim(), `${m} v2 ${k}`).toBe(v);
      for (const [k, v] of Object.entries(v3Keys)) expect(etcdctl(3, [m], 'get', k, '--print-value-only').stdout.trim(), `${m} v3 ${k}`).toBe(v);
      expect(etcdctl(3, [m], 'get', '/kubernetes.io/after-backup').stdout.trim(), m).toBe('');
    }
    // §6.8: the pre-upgrade configuration files are back
    for (const h of HOSTS) for (const f of configFiles(h)) expect(file(h, f), `${h}:${f}`).toBe(configs[h][f]);
  }, 600_000);

  it('re-running docker_swap.yml after the downgrade changes nothing', async () => {
    const before = events().length;
    const r = await play('docker_swap.yml');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    expect(recapChanged(r.stdout)).toEqual(Object.fromEntries(HOSTS.map((h) => [h, 0])));
    expect(events().slice(before)).toEqual([]);
  }, 300_000);
});
