// The lab is an independent witness: the same upgrade (examples/openshift-3.9/upgrade.yml on the
// smallest cluster, one master running etcd and one node, provisioned as 3.7) run by
// ansible-playbook on one lab and by drover on another leaves the same lab event trail, up to
// timing and the order between hosts (each host's own sequence must match). The events come only
// from the lab (rpm databases, simulated systemd/cluster/docker, the etcdctl wrapper): the run
// passes no lab_events, and every event is valid against the lab event schema.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labEventErrors, typedKinds } from '../lab/lab-events-schema.js';
import { REPO_ROOT } from './cases.js';
import { ANSIBLE, DROVER, ansibleMissing, runTool } from './harness.js';
import { droverSync, labSkip, labUp } from './lab-rehearsal.js';

const INV = 'test/examples/fixtures/lab-tiny/hosts';
const A = `ex-wa-${process.pid}`;
const D = `ex-wd-${process.pid}`;
const UPGRADE = ['examples/openshift-3.9/upgrade.yml', '-e', 'openshift_upgrade_storage_migration_delay=1'];
/** Ansible picks the yum3 backend for RHEL 7 hosts; the lab has dnf (see the plugin's comment). */
const ANSIBLE_ENV = { ANSIBLE_ACTION_PLUGINS: join(REPO_ROOT, 'test/examples/fixtures/ansible-dnf') };

type Ev = Record<string, unknown> & { kind: string; host: string; time: string };
const events = (lab: string): Ev[] => JSON.parse(droverSync('lab', 'events', lab, '--json').stdout) as Ev[];

/** One event without what differs between two runs: time, timestamps in backup names, generated pod suffixes. */
function norm(e: Ev): string {
  const { time: _t, ...rest } = e;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : 1))))
    .replace(/\d{14}/g, 'TIMESTAMP')
    .replace(/-[a-z0-9]{5}"/g, '-XXXXX"');
}

/**
 * Each host's events in time order, normalised. Package changes are compared per package, each
 * package's versions in order: the rpm watcher records a quiet database, so two transactions a
 * fast run makes within its quiet time come as one group, later than the first really ended
 * (drover's excluder update then lands after the storage migration ansible's lands before).
 */
function trail(evs: Ev[]): { events: Record<string, string[]>; packages: Record<string, string[]> } {
  const events: Record<string, string[]> = {};
  const packages: Record<string, string[]> = {};
  for (const e of evs) {
    if (e.kind === 'package.changed') (packages[`${e.host} ${String(e.name)}`] ??= []).push(norm(e));
    else (events[e.host] ??= []).push(norm(e));
  }
  return { events, packages };
}

const skip = labSkip(['rpmbuild', 'createrepo_c', 'dnf', 'etcd']) ?? ansibleMissing();

describe.skipIf(skip)('the lab witnesses an upgrade alike, whoever runs it', () => {
  const since: Record<string, number> = {};
  const inv: Record<string, string> = {};

  beforeAll(async () => {
    for (const lab of [A, D]) inv[lab] = labUp(INV, lab);
    const prov = await Promise.all([A, D].map((lab) => runTool(DROVER, ['-i', inv[lab], 'examples/openshift-3.9/lab/provision_3.7.yml'], {}, 300_000)));
    for (const p of prov) expect(p.rc, p.stdout.slice(-3000)).toBe(0);
    for (const lab of [A, D]) since[lab] = events(lab).length;
  }, 600_000);
  afterAll(() => {
    for (const lab of [A, D]) droverSync('lab', 'down', lab);
  }, 120_000);

  it('ansible-playbook and drover leave the same per-host trail of valid, typed events', async () => {
    const [ans, drv] = await Promise.all([runTool(ANSIBLE, ['-i', inv[A], ...UPGRADE], ANSIBLE_ENV, 900_000), runTool(DROVER, ['-i', inv[D], ...UPGRADE], {}, 900_000)]);
    expect(ans.rc, ans.stdout.slice(-4000)).toBe(0);
    expect(drv.rc, drv.stdout.slice(-4000)).toBe(0);
    const a = events(A).slice(since[A]);
    const d = events(D).slice(since[D]);
    expect.soft([...a, ...d].map(labEventErrors).filter(Boolean)).toEqual([]);
    // only the lab wrote them: every kind is one the schema types, none a playbook's own
    const typed = new Set(typedKinds());
    expect.soft([...new Set(d.map((e) => e.kind))].filter((k) => !typed.has(k) || k === 'hook.run')).toEqual([]);
    // what the user missed: the backups (one per control-plane pass, 3.8 then 3.9), seen by the lab's etcdctl
    const backup = ['master1.example.com', 'v2', '/var/lib/etcd/openshift-backup-pre-upgrade-TS'];
    expect.soft(d.filter((e) => e.kind === 'etcd.backup').map((e) => [e.host, e.api, String(e.path).replace(/\d{14}$/, 'TS')])).toEqual([backup, backup]);
    // the packages, from the rpm databases: both hosts end on 3.9
    for (const h of ['master1.example.com', 'node1.example.com']) {
      const node = d.filter((e) => e.host === h && e.kind === 'package.changed' && e.name === 'atomic-openshift-node');
      expect.soft(String(node.at(-1)?.to), h).toMatch(/^3\.9\./);
    }
    expect.soft(d.some((e) => e.kind === 'node.schedulable' && e.schedulable === false)).toBe(true);
    expect(trail(a)).toEqual(trail(d));
  }, 1_200_000);
});
