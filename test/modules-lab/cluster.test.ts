// The cluster modules over SSH on `drover lab` (one small lab for the file: m1 = master + real
// etcd member, n1 and n2 nodes; the simulated oc keeps the cluster in <lab>/openshift-cluster):
// oc_obj (get/list by name and selector, merge patch, create, delete by name and selector),
// oc_node (labels, schedulable false/true by name and selector, drain with a timeout, a drain a
// disruption budget blocks), etcd_backup/etcd_restore (keys written with the real etcdctl, v3
// snapshot and v2 backup, data wiped, restored, every key read back from the controller) and
// swapoff (the lab's per-host /proc/swaps). fixtures/cluster/cluster.yml runs under --check
// --diff first (predicts, changes nothing in the cluster state, the event log, swap or etcd),
// then for real (exactly the predicted tasks change), then again (ok); the restore playbooks the
// same way. Skipped without root/sshd or etcd.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labEvents, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths, type LabRecord } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { timedPlaybook } from './timing.js';

const FIX = join(import.meta.dirname, 'fixtures', 'cluster');
const M1 = 'm1.example.com';
const N1 = 'n1.example.com';
const N2 = 'n2.example.com';
const KEYS = 20;
const INVENTORY = `[masters]
${M1}
[etcd]
${M1}
[nodes]
${M1}
${N1} openshift_node_labels="{'region': 'primary'}"
${N2} openshift_node_labels="{'region': 'primary'}"
`;
const haveEtcd = existsSync('/usr/bin/etcd') && existsSync('/usr/bin/etcdctl');
const skip = labSkipReason() ?? (haveEtcd ? undefined : 'etcd is not installed (Debian etcd-server, etcd-client)');
if (skip) console.warn(`cluster modules lab test skipped: ${skip}`);

/** "task [host]" for every changed result, in order (loop items collapsed into their task; hosts of one task in the order they finished). */
function changed(out: string): string[] {
  const names: string[] = [];
  let task = '';
  for (const line of out.split('\n')) {
    const t = /^TASK \[(.*)\] \*+$/.exec(line);
    if (t) task = t[1];
    const c = /^changed: \[([^\]]+)\]/.exec(line);
    if (c && !names.includes(`${task} [${c[1]}]`)) names.push(`${task} [${c[1]}]`);
  }
  return names;
}

function recapOf(out: string): Record<string, Record<string, number>> {
  const r: Record<string, Record<string, number>> = {};
  for (const m of out.matchAll(/^(\S+)\s+: (ok=.*)$/gm)) r[m[1]] = Object.fromEntries([...m[2].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
  return r;
}

const at = (host: string, ...tasks: string[]) => tasks.map((t) => `${t} [${host}]`);

describe.skipIf(!!skip)('cluster modules on drover lab: oc_node, oc_obj, etcd_backup/restore, swapoff', () => {
  const name = uniqueLabName('t-modclu');
  let lab: LabRecord | undefined;
  let extra: string[] = [];
  const root = (h: string) => hostPaths(lab!.dir, h).root;
  const cluster = () => JSON.parse(readFileSync(join(lab!.dir, 'openshift-cluster', 'cluster.json'), 'utf8')) as { objects: any[] };
  const obj = (kind: string, n: string) => cluster().objects.find((o) => o.kind === kind && o.metadata.name === n);
  const pods = (node: string) => cluster().objects.filter((o) => o.kind === 'Pod' && o.spec?.nodeName === node).map((o) => String(o.metadata.name)).sort();
  const swaps = (h: string) => readFileSync(join(hostPaths(lab!.dir, h).base, 'swaps'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/)[0]);
  const events = (from = 0) => labEvents(name).slice(from);
  const run = (pb: string, ...more: string[]) => timedPlaybook(`${pb} ${more.join(' ')}`, ['-i', labPaths(lab!.dir).inventory, join(FIX, pb), ...extra, ...more]);
  const member = () => lab!.hosts.find((h) => h.name === M1)!.etcd!;
  /** etcdctl from the controller against the lab member; stdout, or undefined when it fails. */
  const ctl = (api: 2 | 3, ...args: string[]): string | undefined => {
    try {
      return execFileSync('/usr/bin/etcdctl', [`--endpoints=${member().clientUrl}`, ...args], { env: { ...process.env, ETCDCTL_API: String(api) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      return undefined;
    }
  };
  const v3Keys = () => (ctl(3, 'get', '--prefix', '/drover/v3/') ?? '').trim().split('\n').filter(Boolean);
  const v2Value = (i: number) => ctl(2, 'get', `/drover/v2/key-${i}`)?.trim();
  const expectedV3 = Array.from({ length: KEYS }, (_x, i) => [`/drover/v3/key-${i + 1}`, `v3 value ${i + 1}`]).sort((a, b) => a[0].localeCompare(b[0])).flat();
  const watched = (from: number) => events(from).filter((e) => /^(node|object|pod|etcd|swap)\./.test(e.kind));
  /** run(), expected to pass; returns the result and its changed "task [host]" list. */
  const runOk = async (pb: string, ...more: string[]) => {
    const r = await run(pb, ...more);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return { ...r, changed: changed(r.stdout) };
  };
  /** A restore playbook run again: passes, changes nothing, no etcd or service event. */
  const restoreAgainIsOk = async (pb: string) => {
    const ev1 = events().length;
    expect((await runOk(pb)).changed).toEqual([]);
    expect(events(ev1).filter((e) => /^(etcd|service)\./.test(e.kind))).toEqual([]);
  };

  beforeAll(async () => {
    if (skip) return;
    const dir = writeTemp({ hosts: INVENTORY });
    const t0 = Date.now();
    lab = await labUp({ inventory: [join(dir, 'hosts')], name, rebootSeconds: 1 });
    if (process.env.MODLAB_TIMING) process.stderr.write(`[timing] lab up: ${Date.now() - t0} ms\n`);
    const conf = readFileSync(join(root(M1), 'etc/etcd/etcd.conf'), 'utf8');
    const token = /^ETCD_INITIAL_CLUSTER_TOKEN=(.*)$/m.exec(conf)![1];
    extra = ['-e', `etcd_keys=${KEYS}`, '-e', `etcd_client=${member().clientUrl}`, '-e', `etcd_peer=${member().peerUrl}`, '-e', `etcd_name=${M1}`, '-e', `etcd_token=${token}`];
    const prep = await run('prep.yml');
    if (prep.code !== 0) throw new Error(`prep.yml failed:\n${prep.stdout}${prep.stderr}`);
  }, 600_000);

  afterAll(async () => {
    if (lab) await labDown(name);
  }, 120_000);

  it('the starting state: keys in etcd, swap on (n2 by its boot), stale objects', () => {
    expect(v3Keys()).toEqual(expectedV3);
    expect(v2Value(KEYS)).toBe(`v2 value ${KEYS}`);
    expect(swaps(N1)).toEqual(['/dev/mapper/centos-swap', '/swapfile']);
    expect(swaps(N2)).toEqual(['/dev/mapper/centos-swap', '/swapfile']);
    const n2boot = events().filter((e) => e.host === N2 && /^(swap\.on|host\.rebooted)$/.test(e.kind)).map((e) => e.kind);
    expect(n2boot).toEqual(['swap.on', 'swap.on', 'host.rebooted']);
    expect(obj('ConfigMap', 'stale-1').metadata.labels).toEqual({ stale: 'true' });
    expect(obj('Node', N1).metadata.labels.legacy).toBe('yes');
    expect(readFileSync('/proc/swaps', 'utf8')).not.toContain('centos-swap'); // the machine's swap is not the lab's
  });

  const MASTER_CHANGES = at(M1, 'patch the router dc', 'create a configmap', 'delete the registry dc', 'delete stale configmaps by selector', 'label n1', 'remove a label', 'master schedulable', 'cordon n1 by selector', 'drain n1');
  const ETCD_CHANGES = at(M1, 'v3 snapshot backup', 'v2 backup', 'timestamped backup');
  const FIRST = [...MASTER_CHANGES, ...ETCD_CHANGES, ...at(N1, 'swap off now and at boot'), ...at(N2, 'swap off now and at boot')];

  it('cluster.yml --check --diff predicts every change and changes nothing', async () => {
    const before = { cluster: cluster(), ev: events().length, n1: swaps(N1), n2: swaps(N2), fstab: readFileSync(join(root(N1), 'etc/fstab'), 'utf8') };
    const r = await runOk('cluster.yml', '--check', '--diff');
    expect(r.changed.sort()).toEqual([...FIRST].sort());
    expect(cluster()).toEqual(before.cluster);
    expect(watched(before.ev)).toEqual([]);
    expect([swaps(N1), swaps(N2)]).toEqual([before.n1, before.n2]);
    expect(readFileSync(join(root(N1), 'etc/fstab'), 'utf8')).toBe(before.fstab);
    expect(existsSync(join(root(M1), 'var/lib/etcd-backups'))).toBe(false);
    // diffs: the merge patch of the dc (oc_obj) and the fstab edit (swapoff)
    expect(r.stdout).toMatch(/-\s+"replicas": 1,?\n\+\s+"replicas": 2/);
    expect(r.stdout).toContain(
      '-/dev/mapper/centos-swap swap  swap defaults 0 0\n-/swapfile               none  swap sw       0 0\n+#/dev/mapper/centos-swap swap  swap defaults 0 0\n+#/swapfile               none  swap sw       0 0\n',
    );
  }, 300_000);

  it('cluster.yml changes exactly that, and the cluster, etcd backups and swap show it', async () => {
    const ev0 = events().length;
    const r = await runOk('cluster.yml');
    expect(r.changed.sort()).toEqual([...FIRST].sort());
    expect(obj('DeploymentConfig', 'router').spec.replicas).toBe(2);
    expect(obj('ConfigMap', 'drover-test').data).toEqual({ upgraded: 'yes' });
    expect(obj('DeploymentConfig', 'docker-registry')).toBeUndefined();
    expect(obj('ConfigMap', 'stale-1') ?? obj('ConfigMap', 'stale-2')).toBeUndefined();
    const n1 = obj('Node', N1);
    expect(n1.metadata.labels).toMatchObject({ upgrade: 'done', region: 'primary' });
    expect(n1.metadata.labels.legacy).toBeUndefined();
    expect(n1.spec.unschedulable).toBe(true);
    expect(obj('Node', M1).spec.unschedulable).toBeFalsy();
    expect(pods(N1)).toEqual(['sdn-aaaa1']); // the app pod moved, the daemonset pod stays
    expect(pods(N2).filter((p) => p.startsWith('app-1-'))).toHaveLength(1);
    const ev = watched(ev0);
    expect(ev.filter((e) => e.kind === 'pod.evicted').map((e) => e.pod)).toEqual(['app-1-abcde']);
    expect(ev.filter((e) => e.kind === 'node.drained').map((e) => e.node)).toEqual([N1]);
    // what the lab's etcdctl saw: the v3 snapshot files, the v2 backup tree (its v3 db is part of it)
    expect(ev.filter((e) => e.kind === 'etcd.backup').map((e) => `${String(e.api)} ${String(e.path).replace(/\d{14}/, 'TS')}`)).toEqual([
      'v3 /var/lib/etcd-backups/v3/snapshot.db', 'v2 /var/lib/etcd-backups/v2', 'v3 /var/lib/etcd-backups/openshift-backup-ts-TS/snapshot.db',
    ]);
    const backups = join(root(M1), 'var/lib/etcd-backups');
    expect(existsSync(join(backups, 'v3/snapshot.db'))).toBe(true);
    expect(existsSync(join(backups, 'v2/member/snap/db'))).toBe(true);
    expect([swaps(N1), swaps(N2)]).toEqual([[], []]);
    expect(ev.filter((e) => e.kind === 'swap.off').map((e) => `${e.host} ${e.device}`).sort()).toEqual([
      `${N1} /dev/mapper/centos-swap`, `${N1} /swapfile`, `${N2} /dev/mapper/centos-swap`, `${N2} /swapfile`,
    ]);
    expect(readFileSync(join(root(N2), 'etc/fstab'), 'utf8')).toBe(
      '/dev/mapper/centos-root /     xfs  defaults 0 0\n#/dev/mapper/centos-swap swap  swap defaults 0 0\n#/swapfile               none  swap sw       0 0\n',
    );
  }, 300_000);

  it('cluster.yml again: ok everywhere but the timestamped backup (a new one each run)', async () => {
    const before = { cluster: cluster(), ev: events().length };
    const r = await runOk('cluster.yml');
    expect(r.changed).toEqual(at(M1, 'timestamped backup'));
    expect(cluster()).toEqual(before.cluster);
    expect(watched(before.ev).map((e) => e.kind)).toEqual(['etcd.backup']);
    expect(recapOf(r.stdout)[N1]).toMatchObject({ changed: 0, failed: 0 });
  }, 300_000);

  it('a reboot leaves swap off (fstab no longer turns it on)', async () => {
    const ev0 = events().length;
    const pb = join(writeTemp({ 'reboot.yml': `- hosts: ${N1}\n  gather_facts: false\n  tasks:\n    - reboot: { reboot_timeout: 120 }\n` }), 'reboot.yml');
    const r = await timedPlaybook('reboot', ['-i', labPaths(lab!.dir).inventory, pb]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(events(ev0).filter((e) => e.host === N1).map((e) => e.kind)).toContain('host.rebooted');
    expect(events(ev0).filter((e) => e.kind === 'swap.on')).toEqual([]);
    expect(swaps(N1)).toEqual([]);
  }, 300_000);

  it('a drain a disruption budget blocks evicts the rest, fails after its timeout and leaves the node cordoned; without the pod it is ok', async () => {
    const ev0 = events().length;
    const r = await runOk('guarded.yml');
    expect(r.stdout).toContain('Drain did not complete within 2s');
    expect(r.stdout).toMatch(/TASK \[drain n2 with a timeout\] \*+\nfatal: \[m1\.example\.com\]: FAILED![^\n]*\n\.\.\.ignoring/);
    expect(r.changed).toEqual(at(M1, 'a protected pod on n2', 'delete the protected pod', 'primary nodes schedulable'));
    expect(recapOf(r.stdout)[M1]).toMatchObject({ failed: 0, ignored: 1 });
    const ev = watched(ev0);
    // cordoned by the blocked drain, still cordoned for the second one, then both uncordoned
    expect(ev.filter((e) => e.kind === 'node.schedulable').map((e) => `${e.node}=${e.schedulable}`)).toEqual([`${N2}=false`, `${N1}=true`, `${N2}=true`]);
    const evicted = ev.filter((e) => e.kind === 'pod.evicted').map((e) => `${String(e.pod).replace(/-[a-z0-9]{5}$/, '')} ${e.node}`);
    expect(evicted.sort()).toEqual([`app-1 ${N2}`, `app-2 ${N2}`]);
    expect(ev.filter((e) => e.kind === 'node.drained')).toEqual([]);
    expect(obj('Pod', 'guarded-abcde')).toBeUndefined();
    expect(pods(N2)).toEqual(['sdn-aaaa2']);
    expect([obj('Node', N1).spec.unschedulable, obj('Node', N2).spec.unschedulable].map(Boolean)).toEqual([false, false]);
  }, 300_000);

  const V3_FIRST = at(M1, 'would the restore change the member', 'stop etcd', 'wipe the data dir', 'restore the snapshot');

  it('restore-v3.yml: --check changes nothing; the run wipes and restores, every v3 key back; again ok', async () => {
    const ev0 = events().length;
    expect((await runOk('restore-v3.yml', '--check')).changed).toEqual(V3_FIRST);
    expect(watched(ev0)).toEqual([]);
    expect(events(ev0).filter((e) => e.kind.startsWith('service.'))).toEqual([]);
    expect(v2Value(1)).toBe('v2 value 1');

    // the v2 keys are the control: a v3 snapshot does not hold the v2 store
    expect((await runOk('restore-v3.yml')).changed).toEqual([...V3_FIRST, ...at(M1, 'start etcd')]);
    expect(events(ev0).filter((e) => e.kind === 'etcd.restore').map((e) => e.path)).toEqual(['/var/lib/etcd-backups/v3/snapshot.db']);
    expect(v3Keys()).toEqual(expectedV3);
    expect(v2Value(1)).toBeUndefined();
    expect(ctl(3, 'endpoint', 'health', '-w', 'json')).toContain('"health":true');
    expect(readFileSync(join(root(M1), 'var/lib/etcd/.drover-restored-from'), 'utf8')).toMatch(/^v3 \/var\/lib\/etcd-backups\/v3 [0-9a-f]{64}\n$/);

    await restoreAgainIsOk('restore-v3.yml');
  }, 300_000);

  it('restore-v2.yml: --check changes nothing; the run restores v2 and v3 keys (force-new-cluster once); again ok', async () => {
    const ev0 = events().length;
    expect((await runOk('restore-v2.yml', '--check')).changed).toEqual(at(M1, 'would the restore change the member', 'stop etcd', 'wipe the data dir', 'restore the backup', 'start once as a new cluster'));
    expect(events(ev0).filter((e) => /^(etcd|service)\./.test(e.kind))).toEqual([]);
    expect(v2Value(1)).toBeUndefined();

    expect((await runOk('restore-v2.yml')).changed).toEqual(
      at(M1, 'would the restore change the member', 'stop etcd', 'wipe the data dir', 'restore the backup', 'start once as a new cluster', 'start etcd', 'back to a normal start', 'restart etcd without it'),
    );
    for (let i = 1; i <= KEYS; i++) expect(v2Value(i)).toBe(`v2 value ${i}`);
    expect(v3Keys()).toEqual(expectedV3);
    expect(ctl(3, 'endpoint', 'health', '-w', 'json')).toContain('"health":true');
    expect(readFileSync(join(root(M1), 'etc/etcd/etcd.conf'), 'utf8')).not.toContain('FORCE_NEW_CLUSTER');
    // a v2 restore is a copy: the lab knows the backup's log when etcd starts on it (once, not at the restart)
    expect(events(ev0).filter((e) => e.kind === 'etcd.restore').map((e) => [e.api, e.path, e.data_dir])).toEqual([['v2', '/var/lib/etcd-backups/v2', '/var/lib/etcd']]);

    await restoreAgainIsOk('restore-v2.yml');
  }, 300_000);
});
