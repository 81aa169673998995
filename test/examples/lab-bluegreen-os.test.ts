// End-to-end rehearsals of the blue-green node upgrade (seed 001 §4, examples/openshift-3.9/
// blue_green.yml) and the OS update (§5, os_update.yml) against `drover lab`, checked from the
// lab's event log and the simulated cluster's final state:
// - blue-green (fixtures/lab-bluegreen: 1 master, 2 blue nodes seeded on 3.9, 2 green [new_nodes]): the
//   green nodes join unschedulable and stay so until the switch, the blue ones are cordoned, then
//   evacuated (every replacement on a green node), then deleted; `oc get nodes` ends with the
//   master and the green nodes, every replicated pod Running on a green node.
// - OS update (fixtures/lab-osupdate: 1 master, 3 nodes, OS packages one release behind, OpenShift
//   3.7.23 with 3.7.44 in the repositories) with os_update_serial=2: a pod a disruption budget
//   protects makes node2's drain fail, so the run stops after the first batch with node3
//   untouched; once the pod is gone a re-run updates the rest, never more than 2 nodes
//   unschedulable, each drained before its packages change and its reboot and schedulable again
//   after (the 3.7 master stays unschedulable), the excluders holding OpenShift and docker back; a
//   third run changes nothing.
// The two labs run side by side (one beforeAll) and everything is asserted afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { TOOL_ENV } from './harness.js';
import { blueGreenOrder, drainedAroundMaintenance, maxUnschedulable, touched, unschedulableAfter, type Ev } from './invariants.js';
import { tempDir } from '../support/tmp.js';

const missingTool = ['rpmbuild', 'createrepo_c', 'dnf', 'etcd'].find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = process.getuid?.() !== 0 ? 'the lab needs root' : missingTool ? `${missingTool} is not installed (bin/setup installs the lab's Debian packages)` : undefined;

interface Run {
  rc: number;
  out: string;
}

/** Runs a command from the repository root without blocking the other lab's flow. */
function run(argv: string[], env: Record<string, string> = {}, timeoutMs = 600_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: REPO_ROOT, env: { ...process.env, ...TOOL_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: code ?? -1, out });
    });
  });
}

const drover = (args: string[], env: Record<string, string> = {}) => run([process.execPath, join(REPO_ROOT, 'bin', 'drover'), ...args], env);

class Lab {
  inventory = '';
  constructor(readonly name: string) {}
  async up(inventory: string, env: Record<string, string> = {}): Promise<void> {
    const r = await drover(['lab', 'up', '-i', inventory, '--name', this.name], env);
    if (r.rc !== 0) throw new Error(`lab up ${this.name}: ${r.out}`);
    this.inventory = r.out.trim().split('\n').pop() ?? '';
  }
  async play(playbook: string, ...extra: string[]): Promise<Run> {
    return drover(['playbook', '-i', this.inventory, playbook, ...extra]);
  }
  async events(): Promise<Ev[]> {
    const r = await drover(['lab', 'events', this.name, '--json']);
    return JSON.parse(r.out) as Ev[];
  }
  /** The simulated cluster's `oc`, run on the controller against the lab's cluster state. */
  async oc(...args: string[]): Promise<Run> {
    const state = join(dirname(dirname(this.inventory)), 'openshift-cluster');
    return run([process.execPath, join(REPO_ROOT, 'engine/lab/openshift/sim/oc.mjs'), ...args], { DROVER_CLUSTER_STATE: state, DROVER_SIM_NO_RPM: '1' });
  }
  down(): Promise<Run> {
    return drover(['lab', 'down', this.name]);
  }
}

interface K8sList {
  items: { metadata: { name: string; ownerReferences?: { kind: string }[] }; spec: { nodeName?: string }; status: { phase?: string } }[];
}

// --- blue-green -----------------------------------------------------------------------------

const BG_MASTER = 'master1.example.com';
const BLUE = ['infra1.example.com', 'node1.example.com'];
const GREEN = ['infra2.example.com', 'node2.example.com'];

interface BlueGreen {
  run: Run;
  ev: Ev[];
  nodes: string[];
  pods: K8sList['items'];
}

async function blueGreen(lab: Lab): Promise<BlueGreen> {
  // No provisioning of the current hosts: blue-green only asks their cluster API objects (seeded at
  // 3.9.27, Ready) to move; fixtures/lab-bluegreen/provision_3.9.yml installs them for a manual run.
  await lab.up('test/examples/fixtures/lab-bluegreen/hosts');
  const before = (await lab.events()).length;
  const r = await lab.play('examples/openshift-3.9/blue_green.yml');
  const ev = (await lab.events()).slice(before);
  const nodes = (JSON.parse((await lab.oc('get', 'nodes', '-o', 'json')).out) as K8sList).items.map((n) => n.metadata.name).sort();
  const pods = (JSON.parse((await lab.oc('get', 'pods', '--all-namespaces', '-o', 'json')).out) as K8sList).items;
  return { run: r, ev, nodes, pods };
}

// --- OS update ------------------------------------------------------------------------------

const OS_MASTER = 'master1.example.com';
const OS_NODES = ['node1.example.com', 'node2.example.com', 'node3.example.com'];
const OS_ARGS = ['-e', 'os_update_serial=2', '-e', 'os_update_drain_timeout=3', '-e', 'os_update_ready_delay=2'];
/** A replicated pod a disruption budget protects: node2's drain cannot finish. */
const BLOCKER = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'db-0', namespace: 'default', annotations: { 'drover.sim/evictable': 'false' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'db', controller: true }] },
  spec: { nodeName: 'node2.example.com', nodeSelector: { 'node-role.kubernetes.io/compute': 'true' } },
  status: { phase: 'Running' },
};

interface OsUpdate {
  faulty: Run;
  faultyEv: Ev[];
  fixed: Run;
  fixedEv: Ev[];
  /** Nodes left unschedulable by the faulty run (the fixed run starts from them). */
  cordonedAfterFault: string[];
  again: Run;
  againEv: Ev[];
  all: Ev[];
}

async function osUpdate(lab: Lab): Promise<OsUpdate> {
  await lab.up('test/examples/fixtures/lab-osupdate/hosts', { DROVER_LAB_REBOOT_SECONDS: '1' });
  const prov = await lab.play('test/examples/fixtures/lab-osupdate/provision_os.yml');
  if (prov.rc !== 0) throw new Error(`OS update provisioning failed:\n${prov.out.slice(-4000)}`);
  const blocker = join(tempDir('drover-os-blocker-'), 'blocker.json');
  writeFileSync(blocker, JSON.stringify(BLOCKER));
  const created = await lab.oc('create', '-f', blocker);
  if (created.rc !== 0) throw new Error(`oc create: ${created.out}`);
  const pb = 'examples/openshift-3.9/os_update.yml';
  const mark = async () => (await lab.events()).length;
  let at = await mark();
  const faulty = await lab.play(pb, ...OS_ARGS);
  const faultyEv = (await lab.events()).slice(at);
  const removed = await lab.oc('delete', 'pod', 'db-0');
  if (removed.rc !== 0) throw new Error(`oc delete: ${removed.out}`);
  at = await mark();
  const fixed = await lab.play(pb, ...OS_ARGS);
  const fixedEv = (await lab.events()).slice(at);
  at = await mark();
  const again = await lab.play(pb, ...OS_ARGS);
  const all = await lab.events();
  return { faulty, faultyEv, fixed, fixedEv, cordonedAfterFault: unschedulableAfter(faultyEv, OS_NODES), again, againEv: all.slice(at), all };
}

/** The version the host's last change of `name` left installed ("" when never changed). */
const lastVersion = (ev: Ev[], host: string, name: string) => String(ev.filter((e) => e.host === host && e.kind === 'package.changed' && e.name === name).at(-1)?.to ?? '');

// --- the checks -----------------------------------------------------------------------------

describe('blue-green and OS maintenance invariants (hand-written logs)', () => {
  let t = 0;
  const ev = (host: string, kind: string, d: Record<string, unknown> = {}): Ev => ({ time: `T${String(t++).padStart(4, '0')}`, host, kind, ...d });
  const sched = (node: string, s: boolean) => ev('m', 'node.schedulable', { node, schedulable: s });
  const evict = (node: string, to: string) => ev('m', 'pod.evicted', { pod: `p-${node}`, node, replacement: 'r', to });
  const good = [
    ev('g1', 'node.registered', { node: 'g1', schedulable: false }),
    sched('g1', true),
    sched('b1', false),
    evict('b1', 'g1'),
    ev('m', 'node.deleted', { node: 'b1' }),
  ];

  it('blueGreenOrder holds on the guide order and names each violation', () => {
    expect(blueGreenOrder(good, ['g1'], ['b1'])).toEqual([]);
    expect(blueGreenOrder([ev('g1', 'node.registered', { node: 'g1', schedulable: true }), ...good.slice(1)], ['g1'], ['b1'])).toEqual(['g1: did not join unschedulable (first event: node.registered)']);
    expect(blueGreenOrder([good[0], good[2], good[1], ...good.slice(3)], ['g1'], ['b1'])).toEqual(['g1: made schedulable only after the blue nodes were cordoned or evacuated']);
    expect(blueGreenOrder([...good.slice(0, 3), ev('m', 'node.deleted', { node: 'b1' })], ['g1'], ['b1'])).toEqual(['b1: deleted without an evacuation']);
    expect(blueGreenOrder([good[0], good[1], evict('b1', 'g1'), sched('b1', false), good[4]], ['g1'], ['b1'])).toEqual(['b1: evacuated without being unschedulable first']);
    expect(blueGreenOrder([...good.slice(0, 3), evict('b1', ''), good[4]], ['g1'], ['b1'])).toEqual(['b1: p-b1 replaced on "", not on a green node']);
  });

  it('drainedAroundMaintenance and unschedulableAfter', () => {
    const pkg = (h: string) => ev(h, 'package.changed', { name: 'tzdata', from: '2018c', to: '2018e' });
    const boot = (h: string) => ev(h, 'host.reboot.requested');
    const ok = [sched('n1', false), ev('m', 'node.drained', { node: 'n1' }), pkg('n1'), boot('n1'), sched('n1', true)];
    expect(drainedAroundMaintenance(ok, ['n1'])).toEqual([]);
    expect(drainedAroundMaintenance([pkg('n1'), ...ok], ['n1'])).toEqual(['n1: package.changed without a drain before']);
    expect(drainedAroundMaintenance([ev('m', 'node.drained', { node: 'n1' }), boot('n1'), sched('n1', true)], ['n1'], ['n1'])).toEqual(['n1: made schedulable although it was not before']);
    expect(drainedAroundMaintenance(ok.slice(0, 4), ['n1'])).toEqual(['n1: not schedulable again after its maintenance']);
    expect(unschedulableAfter(ok.slice(0, 3), ['n1', 'n2'])).toEqual(['n1']);
    expect(unschedulableAfter(ok, ['n1'])).toEqual([]);
  });
});

describe.skipIf(skip)('blue-green and OS update rehearsals in the lab', () => {
  const bgLab = new Lab(`ex-bg-${process.pid}`);
  const osLab = new Lab(`ex-os-${process.pid}`);
  let bg: BlueGreen;
  let os: OsUpdate;

  beforeAll(async () => {
    const t0 = Date.now();
    const timed = async <T>(what: string, p: Promise<T>) => {
      const r = await p;
      console.log(`${what}: ${Math.round((Date.now() - t0) / 1000)} s`);
      return r;
    };
    [bg, os] = await Promise.all([timed('blue-green flow', blueGreen(bgLab)), timed('OS update flow', osUpdate(osLab))]);
  }, 1_200_000);
  // One after the other, each retried once: a lab left up holds addresses, mounts and etcd.
  afterAll(async () => {
    for (const lab of [bgLab, osLab]) {
      let r = await lab.down();
      if (r.rc !== 0) r = await lab.down();
      if (r.rc !== 0) console.error(`drover lab down ${lab.name} failed (rc ${r.rc}):\n${r.out}`);
    }
  }, 300_000);

  it('blue-green: green nodes join unschedulable until the switch, blue ones are evacuated onto them and deleted', () => {
    expect(bg.run.rc, bg.run.out.slice(-4000)).toBe(0);
    expect(blueGreenOrder(bg.ev, GREEN, BLUE)).toEqual([]);
    // the green nodes run the target version; the cluster ends with the master and the green nodes
    for (const g of GREEN) expect(bg.ev.find((e) => e.kind === 'node.registered' && e.node === g)?.version, g).toMatch(/^3\.9\./);
    expect(bg.nodes).toEqual([BG_MASTER, ...GREEN].sort());
    expect(unschedulableAfter(bg.ev, GREEN)).toEqual([]);
    // every pod a controller replicates runs on a green node; nothing waits for a node
    const replicated = bg.pods.filter((p) => !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet'));
    expect(replicated.length).toBeGreaterThan(0);
    for (const p of replicated) {
      expect(p.status.phase, p.metadata.name).toBe('Running');
      expect(GREEN, p.metadata.name).toContain(p.spec.nodeName);
    }
    // the blue nodes' packages and services were left alone (they stay powered on)
    expect(bg.ev.filter((e) => BLUE.includes(e.host) && /^(package\.changed|service\.)/.test(e.kind))).toEqual([]);
  });

  it('OS update: a node whose drain fails stops the run, the later batch stays untouched', () => {
    expect(os.faulty.rc, os.faulty.out.slice(-4000)).toBe(2);
    expect(os.faulty.out).toMatch(/fatal: \[node2\.example\.com -> master1\.example\.com.*Drain did not complete within 3s/);
    expect(touched(os.faultyEv, ['node3.example.com'])).toEqual([]);
    expect(os.faultyEv.filter((e) => e.host === 'node2.example.com' && (e.kind === 'package.changed' || e.kind === 'host.reboot.requested'))).toEqual([]);
    // the master went first and completely
    expect(drainedAroundMaintenance(os.faultyEv, [OS_MASTER], [OS_MASTER])).toEqual([]);
    expect(lastVersion(os.faultyEv, OS_MASTER, 'redhat-release-server')).toMatch(/^7\.5-/);
    expect(os.faultyEv.some((e) => e.host === OS_MASTER && e.kind === 'host.rebooted')).toBe(true);
    // node2 stays cordoned (drain failed), as kubectl leaves it
    expect(os.cordonedAfterFault).toContain('node2.example.com');
  });

  it('OS update: after the fix, two nodes at a time, drained before packages and reboot, schedulable after; excluders hold OpenShift back', () => {
    expect(os.fixed.rc, os.fixed.out.slice(-4000)).toBe(0);
    const ev = os.fixedEv;
    expect(maxUnschedulable(ev, OS_NODES, os.cordonedAfterFault)).toBe(2);
    expect(drainedAroundMaintenance(ev, OS_NODES)).toEqual([]);
    expect(unschedulableAfter(ev, OS_NODES, os.cordonedAfterFault)).toEqual([]);
    // the master finished in the first run: nothing happens to it now
    expect(touched(ev, [OS_MASTER])).toEqual([]);
    for (const n of OS_NODES) {
      expect(lastVersion(ev, n, 'redhat-release-server'), n).toMatch(/^7\.5-/);
      expect(lastVersion(ev, n, 'NetworkManager'), n).toMatch(/^1\.10\.2-/);
      expect(ev.some((e) => e.host === n && e.kind === 'host.rebooted'), n).toBe(true);
    }
    // batches: node3 (second batch) is drained only after node1 and node2 are schedulable again
    const idx = (pred: (e: Ev) => boolean) => ev.findIndex(pred);
    const node3Drained = idx((e) => e.kind === 'node.drained' && e.node === 'node3.example.com');
    for (const n of OS_NODES.slice(0, 2)) expect(idx((e) => e.kind === 'node.schedulable' && e.node === n && String(e.schedulable) === 'true'), n).toBeLessThan(node3Drained);
    // across both runs: the excluders keep OpenShift and docker where they are; the 3.7 master stays unschedulable
    const held = [...os.faultyEv, ...ev].filter((e) => e.kind === 'package.changed' && /^(atomic-openshift(?!-(docker-)?excluder$)|docker)/.test(String(e.name)));
    expect(held).toEqual([]);
    expect([...os.faultyEv, ...ev].filter((e) => e.kind === 'node.schedulable' && e.node === OS_MASTER)).toEqual([]);
  });

  it('OS update: a re-run finds nothing to update and touches no host', () => {
    expect(os.again.rc, os.again.out.slice(-4000)).toBe(0);
    expect(touched(os.againEv, [OS_MASTER, ...OS_NODES])).toEqual([]);
    expect(os.againEv.filter((e) => e.kind === 'pod.evicted' || e.kind === 'host.reboot.requested')).toEqual([]);
  });
});
