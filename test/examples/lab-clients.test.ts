// The client-side seeds end to end against one lab (fixtures/lab-clients/hosts: a bastion in
// stf_client, osm_client and sno_client; engine/lab/cluster-apps seeds the simulated cluster with
// STF 1.2, an osm-edge 1.1.0 mesh and an Idle ImageBasedUpgrade on 4.15.14). Each example runs
// with `drover playbook` over SSH and is checked from the cluster's state and the lab's events:
// STF 1.2 -> 1.3 in the seed's order, resumed after a run that stopped half-way, the noted clouds
// back and the Smart Gateways recreated; the SNO image-based upgrade through its stages in order
// (Prep, Upgrade, Rollback, and a finished upgrade), a wrong move refused; the osm-edge mesh upgrade
// failing with the scheduler's reason while the cluster is short of CPU, then on the CLI's version
// with the MeshConfig kept, and a helm upgrade with a new Pipy image restarting the meshed pods.
// Every example is run a second time and must change nothing. The three run at the same time, on
// their own objects of the one cluster, so the file takes about as long as the longest (SNO).
//
// Why the earlier draft failed under load: after the CPU-shortage run the simulated scheduler
// never started the Pending control plane pods, so the next osm-edge run waited its 60 retries and
// ran past the test's time limit, and the next test started while it still ran; `osm` ignored the
// host's CLI version (1.3.0 instead of 1.2.0); the lab was brought up with a synchronous spawn,
// which blocks vitest's timers, so a slow `lab up` hung the file instead of failing it. Now every
// long step is spawned asynchronously with a time limit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { DROVER, runTool, type Tool, type ToolResult } from './harness.js';
import type { Ev } from './invariants.js';

const NAME = `ex-clients-${process.pid}`;
const INV = 'test/examples/fixtures/lab-clients/hosts';
const LAB_DIR = join(process.env.DROVER_LAB_DIR ?? '/var/lib/drover/labs', NAME);
const NS = 'service-telemetry';
const skip = process.getuid?.() !== 0 ? 'the lab needs root' : undefined;

/** `drover ARGS` (lab subcommands), asynchronous with a time limit (harness.runTool). */
const DROVER_CLI: Tool = { name: 'drover', argv: [process.execPath, join(REPO_ROOT, 'bin', 'drover')] };
const droverCmd = (args: string[], timeoutMs: number): Promise<ToolResult> => runTool(DROVER_CLI, args, {}, timeoutMs);

/** The lab's event log (a quick local read; bounded anyway). */
function events(): Ev[] {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'drover'), 'lab', 'events', NAME, '--json'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`drover lab events: ${r.stderr}`);
  return JSON.parse(r.stdout) as Ev[];
}

/** A simulated tool run from outside the hosts against the lab's cluster state (setup and checks). */
function sim(tool: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'engine/lab/openshift/sim', `${tool}.mjs`), ...args], {
    env: { PATH: process.env.PATH ?? '', DROVER_CLUSTER_STATE: join(LAB_DIR, 'openshift-cluster'), DROVER_SIM_NO_RPM: '1', DROVER_SIM_OSM_CLI_VERSION: '1.2.0' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
function simOk(tool: string, ...args: string[]): string {
  const r = sim(tool, ...args);
  if (r.rc !== 0) throw new Error(`${tool} ${args.join(' ')}: rc ${String(r.rc)}: ${r.err}`);
  return r.out;
}
const getJson = (tool: string, ...args: string[]): any => JSON.parse(simOk(tool, ...args, '-o', 'json'));

/** The recap's counters for the bastion. */
function recap(stdout: string): Record<string, number> {
  const m = /bastion\.example\.com\s*:\s*(.*)$/m.exec(stdout.slice(stdout.lastIndexOf('PLAY RECAP')));
  return Object.fromEntries([...(m?.[1] ?? '').matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
}

/** Index of the first event after `from` matching `pred`, -1 when none. */
function indexAfter(ev: Ev[], from: number, pred: (e: Ev) => boolean): number {
  for (let i = from + 1; i < ev.length; i++) if (pred(ev[i])) return i;
  return -1;
}

/** Each example's share of the lab's events (the three run at the same time on one cluster). */
const STF_EV = (e: Ev) => e.namespace === NS || (e.resource === 'CustomResourceDefinition' && /smartgateway/.test(String(e.name)));
const SNO_EV = (e: Ev) => e.kind === 'ibu.stage' || e.resource === 'ImageBasedUpgrade';
const OSM_EV = (e: Ev) => ['osm-system', 'bookstore'].includes(String(e.namespace)) || /^(osm|helm)\./.test(e.kind);

interface Pod { metadata: { name: string; labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] }; status: { phase: string } }

describe.skipIf(skip)('client-side seeds in the lab (STF, SNO image-based upgrade, osm-edge)', () => {
  let labInv = '';
  const play = (pb: string, ...extra: string[]) => runTool(DROVER, ['-i', labInv, `examples/${pb}`, ...extra], {}, 240_000);
  const since = (n: number, mine: (e: Ev) => boolean) => events().slice(n).filter(mine);
  /** Runs the playbook again with the same arguments: rc 0, nothing changed, no lab event of its own. */
  async function converges(x: typeof expect, mine: (e: Ev) => boolean, pb: string, ...extra: string[]) {
    const n = events().length;
    const r = await play(pb, ...extra);
    x(r.rc, r.stdout.slice(-3000)).toBe(0);
    x(recap(r.stdout)).toMatchObject({ changed: 0, failed: 0 });
    x(since(n, mine)).toEqual([]);
  }

  beforeAll(async () => {
    const up = await droverCmd(['lab', 'up', '-i', INV, '--name', NAME], 240_000);
    expect(up.rc, up.stderr).toBe(0);
    const inv = await droverCmd(['lab', 'inventory', NAME], 60_000);
    labInv = inv.stdout.trim();
    expect(labInv).toMatch(/hosts\.yml$/);
  }, 300_000);
  afterAll(async () => {
    await droverCmd(['lab', 'down', NAME], 120_000);
  }, 150_000);

  // The three examples run at the same time (each on its own objects of the one cluster); every
  // check looks at its own events only.
  it.concurrent('STF 1.2 -> 1.3: a run stopped half-way resumes with the noted clouds; the seed\'s order; gateways recreated; a re-run changes nothing', async ({ expect }) => {
    const stf0 = getJson('oc', 'get', 'stf', 'default', '-n', NS);
    const podsBefore = (getJson('oc', 'get', 'pods', '-n', NS, '-l', 'app=smart-gateway').items as Pod[]).map((p) => p.metadata.name);
    expect(podsBefore).toHaveLength(2);
    const n = events().length;
    // A channel the catalog does not have: the run empties clouds, removes the old operator and
    // then waits in vain for the new CSVs (the run stops half-way).
    let r = await play('stf-1.3/upgrade.yml', '-e', 'stf_wait_delay=1', '-e', 'stf_wait_retries=1', '-e', 'stf_channel=stable-9.9');
    expect(r.rc, r.stdout.slice(-3000)).toBe(2);
    expect(r.stdout).toMatch(/TASK \[Wait for the new Smart Gateway Operator and the 1\.3 Service Telemetry Operator\][\s\S]*fatal:/);
    let stf = getJson('oc', 'get', 'stf', 'default', '-n', NS);
    expect(stf.spec.clouds).toEqual([]);
    expect(JSON.parse(stf.metadata.annotations['stf-upgrade.drover.example/clouds-before-1.3'])).toEqual({ clouds: stf0.spec.clouds });
    // The run that finishes the job.
    r = await play('stf-1.3/upgrade.yml', '-e', 'stf_wait_delay=1');
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    const ev = since(n, STF_EV);
    const is = (kind: string, resource: string, name: RegExp) => (e: Ev) => e.kind === kind && e.resource === resource && name.test(String(e.name));
    // lab-event keeps a non-string field as its JSON text
    const patchOf = (e: Ev) => (typeof e.patch === 'string' ? JSON.parse(e.patch) : e.patch) as { spec?: { clouds?: unknown[]; channel?: string } } | undefined;
    // the seed's steps, in order
    const emptied = ev.findIndex((e) => e.kind === 'object.patched' && e.resource === 'ServiceTelemetry' && JSON.stringify(patchOf(e)?.spec?.clouds) === '[]');
    const gone = podsBefore.map((p) => indexAfter(ev, emptied, (e) => e.kind === 'pod.terminated' && e.pod === p));
    const subDeleted = indexAfter(ev, Math.max(...gone), is('object.deleted', 'Subscription', /^smart-gateway-operator-stable-1\.2/));
    const csvDeleted = indexAfter(ev, subDeleted, is('object.deleted', 'ClusterServiceVersion', /^smart-gateway-operator\.v2\./));
    const crdDeleted = indexAfter(ev, csvDeleted, is('object.deleted', 'CustomResourceDefinition', /^smartgateways\.smartgateway\.infra\.watch$/));
    const channel = indexAfter(ev, crdDeleted, (e) => e.kind === 'object.patched' && e.resource === 'Subscription' && patchOf(e)?.spec?.channel === 'stable-1.3');
    const sgo3 = indexAfter(ev, channel, (e) => e.kind === 'csv.phase' && /^smart-gateway-operator\.v3\./.test(String(e.csv)) && e.phase === 'Succeeded');
    const sto12Deleted = indexAfter(ev, sgo3, is('object.deleted', 'ClusterServiceVersion', /^service-telemetry-operator\.v1\.2\./));
    const restored = indexAfter(ev, sto12Deleted, (e) => e.kind === 'object.patched' && e.resource === 'ServiceTelemetry' && JSON.stringify(patchOf(e)?.spec?.clouds) === JSON.stringify(stf0.spec.clouds));
    const recreated = indexAfter(ev, restored, is('object.created', 'Pod', /smartgateway/));
    expect([emptied, ...gone, subDeleted, csvDeleted, crdDeleted, channel, sgo3, sto12Deleted, restored, recreated].every((i) => i >= 0), ev.map((e) => `${e.kind} ${String(e.resource ?? '')} ${String(e.name ?? e.csv ?? e.pod ?? '')}`).join('\n')).toBe(true);
    // nothing before its step: no gateway pod created and no 1.2 CSV deleted before the clouds came back / the new SGO ran
    expect(ev.slice(0, restored).filter(is('object.created', 'Pod', /smartgateway/))).toEqual([]);
    expect(ev.filter((e) => e.kind === 'csv.phase' && e.phase === 'Failed')).toEqual([]);
    // the end state
    const csvs = getJson('oc', 'get', 'csv', '-n', NS).items as { metadata: { name: string }; status: { phase: string } }[];
    const names = csvs.map((c) => c.metadata.name);
    expect(names).toContain('service-telemetry-operator.v1.3.1622734200');
    expect(names).toContain('smart-gateway-operator.v3.0.1622734308');
    expect(names.filter((x) => /^(service-telemetry-operator\.v1\.2|smart-gateway-operator\.v2)\./.test(x))).toEqual([]);
    expect(csvs.filter((c) => c.status.phase !== 'Succeeded')).toEqual([]);
    expect(getJson('oc', 'get', 'sub', 'service-telemetry-operator', '-n', NS).spec.channel).toBe('stable-1.3');
    stf = getJson('oc', 'get', 'stf', 'default', '-n', NS);
    expect(stf.spec.clouds).toEqual(stf0.spec.clouds);
    expect(stf.metadata.annotations?.['stf-upgrade.drover.example/clouds-before-1.3']).toBeUndefined();
    const pods = getJson('oc', 'get', 'pods', '-n', NS, '-l', 'app=smart-gateway').items as Pod[];
    expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    expect(pods.map((p) => p.metadata.labels['smart-gateway']).sort()).toEqual(['default-cloud1-ceil-meter', 'default-cloud1-coll-meter']);
    expect(pods.filter((p) => podsBefore.includes(p.metadata.name))).toEqual([]);
    await converges(expect, STF_EV, 'stf-1.3/upgrade.yml', '-e', 'stf_wait_delay=1');
  }, 600_000);

  it.concurrent('SNO image-based upgrade: stages in order, wrong moves refused, rollback, finished upgrade; a re-run changes nothing', async ({ expect }) => {
    const ibu = (v: string) => ['-e', `ibu_seed_image=quay.io/example/seed:${v}`, '-e', `ibu_target_version=${v}`, '-e', 'ibu_wait_delay=1'];
    const state = () => getJson('oc', 'get', 'ibu', 'upgrade');
    const n = events().length;
    // the Lifecycle Agent's webhook refuses to skip Prep
    const wrong = sim('oc', 'patch', 'ibu', 'upgrade', '--type=merge', '-p', '{"spec":{"stage":"Upgrade"}}');
    expect(wrong.rc).toBe(1);
    expect(wrong.err).toMatch(/stage transition is not permitted: Idle -> Upgrade/);
    expect(state().spec.stage).toBe('Idle');
    let r = await play('sno-ibu/upgrade.yml', ...ibu('4.16.1'), '-e', 'ibu_stop_after=Prep');
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    expect([state().spec.stage, state().spec.seedImageRef.image]).toEqual(['Prep', 'quay.io/example/seed:4.16.1']);
    // nothing upgraded yet: the playbook refuses to roll back
    r = await play('sno-ibu/upgrade.yml', '-e', 'ibu_rollback=true', '-e', 'ibu_wait_delay=1');
    expect(r.rc).toBe(2);
    expect(r.stdout).toMatch(/in the Prep stage: nothing is upgraded yet/);
    r = await play('sno-ibu/upgrade.yml', ...ibu('4.16.1'), '-e', 'ibu_stop_after=Upgrade');
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    expect([state().spec.stage, state().status.currentVersion]).toEqual(['Upgrade', '4.16.1']);
    r = await play('sno-ibu/upgrade.yml', '-e', 'ibu_rollback=true', '-e', 'ibu_wait_delay=1');
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    expect([state().spec.stage, state().status.currentVersion]).toEqual(['Idle', '4.15.14']);
    r = await play('sno-ibu/upgrade.yml', ...ibu('4.16.1'));
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    expect([state().spec.stage, state().status.currentVersion]).toEqual(['Idle', '4.16.1']);
    await converges(expect, SNO_EV, 'sno-ibu/upgrade.yml', ...ibu('4.16.1'));
    const stages = since(n, SNO_EV).filter((e) => e.kind === 'ibu.stage').map((e) => `${String(e.from)}>${String(e.to)}`);
    expect(stages).toEqual(['Idle>Prep', 'Prep>Upgrade', 'Upgrade>Rollback', 'Rollback>Idle', 'Idle>Prep', 'Prep>Upgrade', 'Upgrade>Idle']);
  }, 600_000);

  it.concurrent('osm-edge: short of CPU it stops with the scheduler\'s reason; with CPU a re-run finds the control plane on the CLI\'s version, MeshConfig kept, nothing changed; then helm to a chart version with a new Pipy image restarts the meshed pods', async ({ expect }) => {
    simOk('kubectl', 'patch', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system', '--type=merge', '-p', '{"spec":{"sidecar":{"logLevel":"debug"}}}');
    const mc0 = getJson('kubectl', 'get', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system').spec;
    simOk('kubectl', 'annotate', 'namespace', 'osm-system', 'drover.sim/insufficient-cpu=true');
    const n = events().length;
    let r = await play('osm-edge/upgrade.yml', '-e', 'osm_wait_delay=1');
    expect(r.rc, r.stdout.slice(-3000)).toBe(2);
    expect(recap(r.stdout)).toMatchObject({ rescued: 1, failed: 1 });
    // the reason comes from the pods' events (kubectl describe), not only from the hint text
    expect(r.stdout).toMatch(/Pod events: \[Warning\s+FailedScheduling\s+.*0\/1 nodes are available: 1 Insufficient cpu\./);
    simOk('kubectl', 'annotate', 'namespace', 'osm-system', 'drover.sim/insufficient-cpu-');
    // the failed run did upgrade the release; once the pods can run, a re-run only waits for them
    // and changes nothing (it is also the convergence check)
    const m = events().length;
    r = await play('osm-edge/upgrade.yml', '-e', 'osm_wait_delay=1');
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/mesh osm in osm-system: 1\.2\.0 -> 1\.2\.0 \(already there\)/);
    expect(recap(r.stdout)).toMatchObject({ changed: 0, failed: 0 });
    expect(since(m, OSM_EV)).toEqual([]);
    const ev = since(n, OSM_EV);
    expect(ev.filter((e) => e.kind === 'osm.upgraded').map((e) => [e.from, e.to])).toEqual([['1.1.0', '1.2.0']]);
    expect(ev.filter((e) => e.kind === 'osm.crd.upgraded').map((e) => e.version)).toEqual(Array(6).fill('1.2.0'));
    expect(simOk('osm', 'version')).toMatch(/^osm\s+osm-system\s+v1\.2\.0/m);
    const hist = JSON.parse(simOk('helm', 'history', 'osm', '-n', 'osm-system', '-o', 'json')) as { chart: string; status: string }[];
    expect(hist.map((h) => [h.chart, h.status])).toEqual([['osm-1.1.0', 'superseded'], ['osm-1.2.0', 'deployed']]);
    const pods = getJson('kubectl', 'get', 'pods', '-n', 'osm-system').items as Pod[];
    expect(pods.map((p) => p.metadata.labels.app).sort()).toEqual(['osm-bootstrap', 'osm-controller', 'osm-injector']);
    expect(pods.filter((p) => p.status.phase !== 'Running' || !p.spec.containers[0].image.endsWith(':v1.2.0'))).toEqual([]);
    expect(getJson('kubectl', 'get', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system').spec).toEqual(mc0);

    // helm to a chart version, with a new Pipy image for the meshed namespace
    const before = (getJson('kubectl', 'get', 'pods', '-n', 'bookstore').items as Pod[]).map((p) => p.metadata.name);
    const args = ['-e', 'osm_wait_delay=1', '-e', 'osm_upgrade_method=helm', '-e', 'osm_chart_version=1.2.1', '-e', 'osm_sidecar_image=flomesh/pipy:0.90.1-1', '-e', '{"osm_meshed_namespaces": ["bookstore"]}'];
    const n2 = events().length;
    r = await play('osm-edge/upgrade.yml', ...args);
    expect(r.rc, r.stdout.slice(-3000)).toBe(0);
    const ev2 = since(n2, OSM_EV);
    expect(ev2.filter((e) => e.kind === 'helm.upgraded').map((e) => [e.from, e.to])).toEqual([['1.2.0', '1.2.1']]);
    const mcPatched = ev2.findIndex((e) => e.kind === 'object.patched' && e.resource === 'MeshConfig');
    const rolled = ev2.map((e, i) => (e.kind === 'deployment.rolled' && e.namespace === 'bookstore' ? i : -1)).filter((i) => i >= 0);
    expect(rolled.map((i) => ev2[i].deployment)).toEqual(['bookbuyer', 'bookstore']);
    expect(mcPatched).toBeGreaterThanOrEqual(0);
    expect(Math.min(...rolled)).toBeGreaterThan(mcPatched);
    const booked = getJson('kubectl', 'get', 'pods', '-n', 'bookstore').items as Pod[];
    expect(booked).toHaveLength(3);
    expect(booked.filter((p) => before.includes(p.metadata.name))).toEqual([]);
    expect(booked.map((p) => p.spec.containers.find((c) => c.name === 'sidecar')?.image)).toEqual(Array(3).fill('flomesh/pipy:0.90.1-1'));
    expect(getJson('kubectl', 'get', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system').spec).toEqual({ ...mc0, sidecar: { ...mc0.sidecar, sidecarImage: 'flomesh/pipy:0.90.1-1' } });
    const cp = getJson('kubectl', 'get', 'pods', '-n', 'osm-system').items as Pod[];
    expect(cp.filter((p) => p.status.phase !== 'Running' || !p.spec.containers[0].image.endsWith(':v1.2.1'))).toEqual([]);
    await converges(expect, OSM_EV, 'osm-edge/upgrade.yml', ...args);
  }, 600_000);
});
