// End-to-end rehearsal of examples/openshift-3.9 against `drover lab` (a small HA cluster: 2
// masters with etcd, 3 nodes in two regions, provisioned as OpenShift 3.7 by
// examples/openshift-3.9/lab/provision_3.7.yml), checked with issue #6's invariants from the lab's
// event log: backup before master packages, masters one at a time in hook order, never more than
// openshift_upgrade_nodes_serial nodes unschedulable, drained before and schedulable after, the
// label selecting exactly its nodes, a re-run touching nothing on finished nodes, and the running
// version of every node service (what the cluster reports) following the packages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupBeforeMasterPackages, drainedAroundMaintenance, drainedAroundPackages, masterHookOrder, mastersOneAtATime, maxUnschedulable, touched, unschedulableAfter, upgradedHosts, type Ev } from './invariants.js';
import { droverSync as drover, labPlay, labSkip, labUp, runningVersion } from './lab-rehearsal.js';

const NAME = `ex-e2e-${process.pid}`;
const INV = 'test/examples/fixtures/lab-ha-small/hosts';
const MASTERS = ['master1.example.com', 'master2.example.com'];
const GROUP1 = ['node1.example.com', 'node2.example.com'];
const GROUP2 = ['node3.example.com'];
const NODES = [...GROUP1, ...GROUP2];

const events = (): Ev[] => JSON.parse(drover('lab', 'events', NAME, '--json').stdout) as Ev[];
const skip = labSkip(['rpmbuild', 'createrepo_c', 'dnf', 'etcd']);

describe.skipIf(skip)('OpenShift 3.7 -> 3.9 rehearsal in the lab', () => {
  let labInv = '';
  const play = (pb: string, ...extra: string[]) => labPlay(labInv, pb, ...extra);

  beforeAll(async () => {
    labInv = labUp(INV, NAME);
    const prov = await play('lab/provision_3.7.yml');
    expect(prov.rc, prov.stdout.slice(-4000)).toBe(0);
    for (const h of [...MASTERS, ...NODES]) expect(runningVersion(events(), h, 'atomic-openshift-node'), h).toMatch(/^3\.7\./);
  }, 600_000);
  afterAll(() => void drover('lab', 'down', NAME), 120_000);

  it('docker_upgrade.yml moves docker 1.12.6 -> 1.13.1 one host at a time, drained around it; 3.7 masters stay unschedulable; a re-run touches nothing', async () => {
    const before = events().length;
    const r = await play('docker_upgrade.yml');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    const ev = events().slice(before);
    const hosts = [...MASTERS, ...NODES];
    for (const h of hosts) {
      const docker = ev.filter((e) => e.host === h && e.kind === 'package.changed' && e.name === 'docker');
      expect(docker.map((e) => `${String(e.from).split('-')[0]} -> ${String(e.to).split('-')[0]}`), h).toEqual(['1.12.6 -> 1.13.1']);
    }
    // serial: 1 — no two hosts' docker packages change while another host is out of service
    expect(maxUnschedulable(ev, NODES)).toBe(1);
    expect(drainedAroundMaintenance(ev, hosts, MASTERS)).toEqual([]);
    expect(unschedulableAfter(ev, hosts, MASTERS)).toEqual(MASTERS);
    // docker is excluded from yum again afterwards (the excluder was lifted only for the install)
    const again = await play('docker_upgrade.yml');
    expect(again.rc, again.stdout.slice(-4000)).toBe(0);
    expect(touched(events().slice(before + ev.length), hosts)).toEqual([]);
    expect(again.stdout).not.toMatch(/changed=[1-9]/);
  }, 600_000);

  it('upgrades the control plane after the etcd backup, one master at a time, hooks in order; then the labelled nodes two at a time', async () => {
    const before = events().length;
    const r = await play('upgrade.yml', '-e', 'openshift_upgrade_nodes_serial=2', '-e', 'openshift_upgrade_nodes_label=region=group1');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    const ev = events().slice(before);
    expect(backupBeforeMasterPackages(ev, MASTERS)).toEqual([]);
    expect(mastersOneAtATime(ev, MASTERS)).toEqual([]);
    expect(masterHookOrder(ev, MASTERS)).toEqual([]);
    // two passes (3.8, then 3.9) per master, and each master's services end on 3.9
    for (const m of MASTERS) {
      expect(ev.filter((e) => e.host === m && e.kind === 'hook.run' && e.hook === 'pre_master'), m).toHaveLength(2);
      expect(runningVersion(ev, m, 'atomic-openshift-master-api'), m).toMatch(/^3\.9\./);
      expect(runningVersion(ev, m, 'atomic-openshift-master-controllers'), m).toMatch(/^3\.9\./);
      expect(runningVersion(ev, m, 'atomic-openshift-node'), m).toMatch(/^3\.9\./);
    }
    // no node package changes before the control plane is done
    const lastMaster = ev.map((e, i) => (MASTERS.includes(e.host) && e.kind === 'hook.run' && e.hook === 'post_master' ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    expect(lastMaster).toBeGreaterThan(0);
    expect(ev.findIndex((e) => NODES.includes(e.host) && e.kind === 'package.changed')).toBeGreaterThan(lastMaster);
    // the label picks exactly group1, two at a time, each drained around its packages
    expect(upgradedHosts(ev, NODES)).toEqual(GROUP1);
    expect(maxUnschedulable(ev, NODES)).toBe(2);
    expect(drainedAroundPackages(ev, NODES)).toEqual([]);
    for (const n of GROUP1) expect(runningVersion(ev, n, 'atomic-openshift-node'), n).toMatch(/^3\.9\./);
    expect(runningVersion(events(), GROUP2[0], 'atomic-openshift-node')).toMatch(/^3\.7\./);
  }, 600_000);

  it('upgrades the remaining nodes and leaves the finished ones alone', async () => {
    const before = events().length;
    const r = await play('upgrade_nodes.yml');
    expect(r.rc, r.stdout.slice(-4000)).toBe(0);
    const ev = events().slice(before);
    expect(touched(ev, [...MASTERS, ...GROUP1])).toEqual([]);
    expect(upgradedHosts(ev, NODES)).toEqual(GROUP2);
    expect(maxUnschedulable(ev, NODES)).toBe(1);
    expect(drainedAroundPackages(ev, NODES)).toEqual([]);
    const all = events();
    for (const h of [...MASTERS, ...NODES]) expect(runningVersion(all, h, 'atomic-openshift-node'), h).toMatch(/^3\.9\./);
  }, 600_000);
});
