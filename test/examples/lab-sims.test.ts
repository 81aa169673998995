// The client-side seeds' simulations without a lab (fast): a cluster state seeded as
// engine/lab/cluster-apps seeds it, the simulated helm/osm/kubectl/oc run as real processes.
// osm-edge: the CLI upgrades the Helm release to its own version and rolls the control plane,
// the MeshConfig stays, a sidecar image change reaches the pods only after a rollout restart, a
// namespace short of CPU makes the upgrade time out with the scheduler's event. STF: emptying
// `clouds` removes the Smart Gateways, the 3.0 Smart Gateway Operator fails while the 2.x one is
// there, the 1.3 operator stays Pending until the 1.2 CSV is deleted.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedClientApps } from '../../engine/lab/cluster-apps/lab-setup.js';
import { buildClusterState } from '../../engine/lab/openshift/seed.js';
import { SIM_DIR } from '../lab-openshift/helpers.js';
import { tempDir } from '../support/tmp.js';

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

async function cluster(groups: string[], vars: Record<string, unknown> = {}) {
  dir = tempDir('drover-apps-');
  const w = await import(join(SIM_DIR, 'workloads.mjs'));
  const st = buildClusterState({ openshiftVersion: '4.7.0', nodes: [{ name: 'worker-0' }] });
  seedClientApps(st, new Set(groups), () => vars, w);
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(st));
  writeFileSync(join(dir, 'events.jsonl'), '');
  const env = { PATH: process.env.PATH ?? '', DROVER_CLUSTER_STATE: dir, DROVER_SIM_NO_RPM: '1', DROVER_SIM_EVENTS: join(dir, 'events.jsonl'), DROVER_SIM_OSM_CLI_VERSION: '1.2.0' };
  const run = (tool: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [join(SIM_DIR, `${tool}.mjs`), ...args], { env, encoding: 'utf8' });
    return { rc: r.status, out: r.stdout, err: r.stderr };
  };
  const json = (tool: string, ...args: string[]) => JSON.parse(run(tool, ...args, '-o', 'json').out);
  const events = () => readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { run, json, events };
}

describe('osm-edge simulation', () => {
  it('osm mesh upgrade moves the release and the control plane to the CLI version, MeshConfig kept', async () => {
    const c = await cluster(['osm_client']);
    expect(c.run('osm', 'version').out).toMatch(/CLI Version: version.Info\{Version:"v1.2.0"[\s\S]*osm\s+osm-system\s+v1.1.0/);
    c.run('kubectl', 'patch', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system', '--type=merge', '-p', '{"spec":{"sidecar":{"logLevel":"debug"}}}');
    const r = c.run('osm', 'mesh', 'upgrade', '--mesh-name', 'osm', '--osm-namespace', 'osm-system');
    expect(r.err).toBe('');
    expect(r.out).toBe('osm-edge successfully upgraded mesh osm\n');
    expect(c.run('osm', 'version').out).toMatch(/osm\s+osm-system\s+v1.2.0/);
    const hist = JSON.parse(c.run('helm', 'history', 'osm', '-n', 'osm-system', '-o', 'json').out) as { status: string; chart: string }[];
    expect(hist.map((h) => [h.chart, h.status])).toEqual([['osm-1.1.0', 'superseded'], ['osm-1.2.0', 'deployed']]);
    const pods = c.json('kubectl', 'get', 'pods', '-n', 'osm-system').items as { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] }; status: { phase: string } }[];
    const ctl = pods.filter((p) => p.metadata.labels.app === 'osm-controller');
    expect(ctl.map((p) => p.spec.containers[0].image)).toEqual(['flomesh/osm-edge-controller:v1.2.0']);
    // The CLI does not carry the install values: the metrics deployments are gone (the guide's warning).
    expect(pods.some((p) => p.metadata.labels.app === 'osm-prometheus')).toBe(false);
    expect(c.json('kubectl', 'get', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system').spec.sidecar.logLevel).toBe('debug');
    expect(c.events().filter((e) => e.kind === 'osm.upgraded')).toMatchObject([{ mesh: 'osm', from: '1.1.0', to: '1.2.0' }]);
  });

  it('helm upgrade to a chart version, sidecars move only after a rollout restart', async () => {
    const c = await cluster(['osm_client']);
    expect(c.run('helm', 'upgrade', 'osm', 'osm', '--repo', 'https://openservicemesh.github.io/osm', '--version', '9.9.9', '--namespace', 'osm-system').rc).toBe(1);
    const r = c.run('helm', 'upgrade', 'osm', 'osm', '--repo', 'https://openservicemesh.github.io/osm', '--version', '1.1.1', '--namespace', 'osm-system', '--set', 'osm.deployPrometheus=true');
    expect(r.out, r.err).toMatch(/has been upgraded/);
    expect(c.json('helm', 'list', '-n', 'osm-system')).toMatchObject([{ name: 'osm', chart: 'osm-1.1.1', status: 'deployed', revision: '2' }]);
    const sidecars = () => (c.json('kubectl', 'get', 'pods', '-n', 'bookstore').items as { spec: { containers: { name: string; image: string }[] } }[]).map((p) => p.spec.containers.find((x) => x.name === 'sidecar')?.image);
    expect(sidecars()).toEqual(['flomesh/pipy:0.90.0-18', 'flomesh/pipy:0.90.0-18', 'flomesh/pipy:0.90.0-18']);
    c.run('kubectl', 'patch', 'meshconfig', 'osm-mesh-config', '-n', 'osm-system', '--type=merge', '-p', '{"spec":{"sidecar":{"sidecarImage":"flomesh/pipy:0.90.1-1"}}}');
    expect(new Set(sidecars())).toEqual(new Set(['flomesh/pipy:0.90.0-18']));
    expect(c.run('kubectl', 'rollout', 'restart', 'deploy', '-n', 'bookstore').out).toBe('deployment.apps/bookbuyer restarted\ndeployment.apps/bookstore restarted\n');
    expect(new Set(sidecars())).toEqual(new Set(['flomesh/pipy:0.90.1-1']));
    expect(c.run('kubectl', 'set', 'image', 'deployment/osm-prometheus', '-n', 'osm-system', 'prometheus=prom/prometheus:v2.19.1').out).toMatch(/image updated/);
    expect(c.events().filter((e) => e.kind === 'deployment.rolled' && e.namespace === 'bookstore')).toHaveLength(2);
  });

  it('times out when the control plane pods cannot be scheduled, and describe shows why', async () => {
    const c = await cluster(['osm_client']);
    c.run('kubectl', 'annotate', 'namespace', 'osm-system', 'drover.sim/insufficient-cpu=true');
    const r = c.run('osm', 'mesh', 'upgrade');
    expect(r.rc).toBe(1);
    expect(r.err).toMatch(/timed out waiting for the condition/);
    const pending = (c.json('kubectl', 'get', 'pods', '-n', 'osm-system').items as { metadata: { name: string }; status: { phase: string } }[]).filter((p) => p.status.phase === 'Pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(c.run('kubectl', 'describe', 'pod', pending[0].metadata.name, '-n', 'osm-system').out).toMatch(/FailedScheduling\s+.*0\/1 nodes are available: 1 Insufficient cpu\./);
  });
});

describe('STF simulation', () => {
  it('follows the 1.2 -> 1.3 procedure and refuses the wrong order', async () => {
    const c = await cluster(['stf_client']);
    const oc = (...a: string[]) => c.run('oc', '-n', 'service-telemetry', ...a);
    const sg = () => oc('get', 'pods', '--selector', 'app=smart-gateway', '-o', 'name').out.trim().split('\n').filter(Boolean);
    expect(sg()).toHaveLength(2);
    oc('patch', 'stf', 'default', '--type=merge', '-p', '{"spec":{"clouds":[],"cloudsRemoveOnMissing":true}}');
    expect(sg()).toEqual([]);
    // Switching the channel before removing the old Smart Gateway Operator: the new one fails.
    oc('patch', 'sub', 'service-telemetry-operator', '--type=merge', '-p', '{"spec":{"channel":"stable-1.3"}}');
    const phase = (name: string) => (JSON.parse(oc('get', 'csv', '-o', 'json').out).items as { metadata: { name: string }; status: { phase: string } }[]).find((x) => x.metadata.name.startsWith(name))?.status.phase;
    expect(phase('smart-gateway-operator.v3')).toBe('Failed');
    oc('delete', 'sub', 'smart-gateway-operator-stable-1.2-redhat-operators-openshift-marketplace');
    oc('delete', 'csv', 'smart-gateway-operator.v2.2.1623675667');
    oc('delete', 'crd', 'smartgateways.smartgateway.infra.watch');
    expect(phase('smart-gateway-operator.v3')).toBe('Succeeded');
    expect(phase('service-telemetry-operator.v1.3')).toBe('Pending');
    oc('delete', 'csv', 'service-telemetry-operator.v1.2.1623675667');
    expect(phase('service-telemetry-operator.v1.3')).toBe('Succeeded');
    expect(sg()).toEqual([]);
    oc('patch', 'stf', 'default', '--type=json', '-p', '[{"op":"remove","path":"/spec/clouds"}]');
    expect(sg()).toHaveLength(2);
  });
});
