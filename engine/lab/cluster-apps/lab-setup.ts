// Plugs the client-side seeds into `drover lab`: a host of `stf_client`, `osm_client` or
// `sno_client` (seeds 000, 003, 002) is a bastion whose `oc`/`kubectl` talk to a simulated
// cluster. The cluster is the lab-wide state the OpenShift simulation uses
// (<lab>/openshift-cluster/), seeded here with what each seed starts from: STF 1.2 (operators,
// subscriptions, CSVs, Smart Gateways), an osm-edge mesh installed by Helm with a meshed
// `bookstore` namespace, a single-node cluster with an Idle ImageBasedUpgrade. The workload
// logic is the simulators' own (../openshift/sim/workloads.mjs), so seeding and later changes
// agree. See README.md.
import { existsSync, mkdirSync, readFileSync, appendFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOST_LIB_DIR, installOpenShiftSim, SIM_SOURCE } from '../openshift/install.js';
import { clusterDirOf, type OpenShiftSetupContext } from '../openshift/lab-setup.js';
import { buildClusterState } from '../openshift/seed.js';

export const CLIENT_GROUPS = ['stf_client', 'osm_client', 'sno_client'] as const;
/** Tools linked into a client host besides the OpenShift ones. */
export const CLIENT_TOOLS: Record<string, string> = { kubectl: 'kubectl.mjs', helm: 'helm.mjs', osm: 'osm.mjs' };
/** The simulated cluster's one node. */
export const CLIENT_NODE = 'worker-0';

type Obj = Record<string, any>;
interface Workloads {
  settle(state: Obj): unknown[];
  upgradeOsm(state: Obj, o: Obj, events: unknown[]): Obj;
  applyDeployment(state: Obj, dep: Obj, events: unknown[]): boolean;
  deployment(ns: string, name: string, containers: [string, string][], o?: Obj): Obj;
  csvObject(ns: string, name: string, version: string, replaces: string, phase: string, display: string): Obj;
  smartGatewayCrd(): Obj;
}

const ns = (name: string, labels: Record<string, string> = {}): Obj => ({ kind: 'Namespace', apiVersion: 'v1', metadata: { name, labels } });

function stfObjects(w: Workloads, vars: Record<string, unknown>): Obj[] {
  const n = String(vars.stf_namespace ?? 'service-telemetry');
  const defaultClouds = String(vars.drover_lab_stf_clouds ?? '') === 'default';
  const sub = (name: string, pkg: string, channel: string, csv: string): Obj => ({
    kind: 'Subscription',
    apiVersion: 'operators.coreos.com/v1alpha1',
    metadata: { name, namespace: n },
    spec: { name: pkg, channel, source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
    status: { installedCSV: csv, currentCSV: csv },
  });
  return [
    ns(n),
    {
      kind: 'ServiceTelemetry',
      apiVersion: 'infra.watch/v1beta1',
      metadata: { name: 'default', namespace: n },
      spec: {
        ...(defaultClouds ? {} : { clouds: [{ name: 'cloud1', metrics: { collectors: [{ collectorType: 'collectd', subscriptionAddress: 'collectd/telemetry' }, { collectorType: 'ceilometer', subscriptionAddress: 'anycast/ceilometer/metering.sample' }] } }] }),
        alerting: { enabled: true },
      },
    },
    sub('service-telemetry-operator', 'service-telemetry-operator', 'stable-1.2', 'service-telemetry-operator.v1.2.1623675667'),
    sub('smart-gateway-operator-stable-1.2-redhat-operators-openshift-marketplace', 'smart-gateway-operator', 'stable-1.2', 'smart-gateway-operator.v2.2.1623675667'),
    w.csvObject(n, 'amq7-cert-manager.v1.0.0', '1.0.0', '', 'Succeeded', 'Red Hat Integration - AMQ Certificate Manager'),
    w.csvObject(n, 'amq7-interconnect-operator.v1.2.4', '1.2.4', 'amq7-interconnect-operator.v1.2.3', 'Succeeded', 'Red Hat Integration - AMQ Interconnect'),
    w.csvObject(n, 'elastic-cloud-eck.v1.6.0', '1.6.0', 'elastic-cloud-eck.v1.5.0', 'Succeeded', 'Elasticsearch (ECK) Operator'),
    w.csvObject(n, 'prometheusoperator.0.47.0', '0.47.0', 'prometheusoperator.0.37.0', 'Succeeded', 'Prometheus Operator'),
    w.csvObject(n, 'service-telemetry-operator.v1.2.1623675667', '1.2.1623675667', '', 'Succeeded', 'Service Telemetry Operator'),
    w.csvObject(n, 'smart-gateway-operator.v2.2.1623675667', '2.2.1623675667', '', 'Succeeded', 'Smart Gateway Operator'),
    w.smartGatewayCrd(),
  ];
}

const OSM_CRDS = ['meshconfigs.config.openservicemesh.io', 'meshrootcertificates.config.openservicemesh.io', 'egresses.policy.openservicemesh.io', 'ingressbackends.policy.openservicemesh.io', 'upstreamtrafficsettings.policy.openservicemesh.io', 'retries.policy.openservicemesh.io'];

function osmObjects(vars: Record<string, unknown>): Obj[] {
  const n = String(vars.osm_namespace ?? 'osm-system');
  const mesh = String(vars.osm_mesh_name ?? 'osm');
  const version = String(vars.drover_lab_osm_version ?? '1.1.0');
  const crds: Obj[] = OSM_CRDS.map((name) => {
    const [plural, ...group] = name.split('.');
    const kind = { meshconfigs: 'MeshConfig', meshrootcertificates: 'MeshRootCertificate', egresses: 'Egress', ingressbackends: 'IngressBackend', upstreamtrafficsettings: 'UpstreamTrafficSetting', retries: 'Retry' }[plural] ?? plural;
    return {
      kind: 'CustomResourceDefinition',
      apiVersion: 'apiextensions.k8s.io/v1',
      metadata: { name, labels: { 'app.kubernetes.io/name': 'openservicemesh.io', 'openservicemesh.io/osm-version': `v${version}` } },
      spec: { group: group.join('.'), scope: 'Namespaced', names: { kind, plural, singular: kind.toLowerCase() }, versions: [{ name: 'v1alpha2' }] },
    };
  });
  return [
    ns(n, { 'openservicemesh.io/monitored-by': mesh }),
    ns('bookstore', { 'openservicemesh.io/monitored-by': mesh }),
    ...crds,
    {
      kind: 'MeshConfig',
      apiVersion: 'config.openservicemesh.io/v1alpha2',
      metadata: { name: 'osm-mesh-config', namespace: n, labels: { 'openservicemesh.io/mesh-name': mesh } },
      spec: { sidecar: { sidecarImage: String(vars.drover_lab_osm_sidecar_image ?? 'flomesh/pipy:0.90.0-18'), logLevel: 'info' }, traffic: { enablePermissiveTrafficPolicyMode: true } },
    },
  ];
}

function snoObjects(vars: Record<string, unknown>): Obj[] {
  const from = String(vars.drover_lab_sno_version ?? '4.15.14');
  return [
    { kind: 'ClusterVersion', apiVersion: 'config.openshift.io/v1', metadata: { name: 'version' }, spec: { channel: 'stable-4.16' }, status: { desired: { version: from }, history: [{ state: 'Completed', version: from }] } },
    {
      kind: 'ImageBasedUpgrade',
      apiVersion: 'lca.openshift.io/v1',
      metadata: { name: 'upgrade', generation: 1 },
      spec: { stage: 'Idle' },
      status: { observedGeneration: 1, conditions: [{ type: 'Idle', status: 'True', reason: 'Idle' }], currentVersion: from },
    },
  ];
}

/** Add the seeds' objects for the client groups present to a cluster state (idempotent). */
export function seedClientApps(state: Obj, groups: Set<string>, vars: (g: string) => Record<string, unknown>, w: Workloads): void {
  const key = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  const have = new Set((state.objects as Obj[]).map(key));
  const add = (objs: Obj[]) => {
    for (const o of objs) {
      if (have.has(key(o))) continue;
      (state.objects as Obj[]).push(o);
      have.add(key(o));
    }
  };
  if (groups.has('stf_client')) {
    add(stfObjects(w, vars('stf_client')));
    w.settle(state);
  }
  if (groups.has('osm_client') && !(state.objects as Obj[]).some((o) => o.kind === 'Deployment' && o.metadata?.name === 'osm-controller')) {
    const v = vars('osm_client');
    add(osmObjects(v));
    const n = String(v.osm_namespace ?? 'osm-system');
    const ev: unknown[] = [];
    w.upgradeOsm(state, { name: String(v.osm_mesh_name ?? 'osm'), namespace: n, chartVersion: String(v.drover_lab_osm_version ?? '1.1.0'), values: { osm: { meshName: String(v.osm_mesh_name ?? 'osm'), osmNamespace: n, deployPrometheus: true, deployGrafana: true } }, description: 'Install complete' }, ev);
    w.applyDeployment(state, w.deployment('bookstore', 'bookstore', [['bookstore', 'flomesh/bookstore:latest']], { replicas: 2 }), ev);
    w.applyDeployment(state, w.deployment('bookstore', 'bookbuyer', [['bookbuyer', 'flomesh/bookbuyer:latest']]), ev);
  }
  if (groups.has('sno_client')) add(snoObjects(vars('sno_client')));
}

export async function setupHost(ctx: OpenShiftSetupContext): Promise<void> {
  const clientGroups = new Set(ctx.host.groups.filter((g) => (CLIENT_GROUPS as readonly string[]).includes(g)));
  if (clientGroups.size === 0) return;
  try {
    const w = (await import(pathToFileURL(join(SIM_SOURCE, 'workloads.mjs')).href)) as Workloads;
    const dir = clusterDirOf(ctx.lab.dir);
    const file = join(dir, 'cluster.json');
    const ocp3 = ctx.lab.hosts.some((h) => h.groups.includes('masters') || h.groups.includes('nodes'));
    let state: Obj;
    if (existsSync(file) && readFileSync(file, 'utf8').trim() !== '') state = JSON.parse(readFileSync(file, 'utf8')) as Obj;
    else if (ocp3) {
      process.stderr.write(`drover lab: ${ctx.host.name} is a client of the OpenShift 3 cluster, whose simulation seeds the state\n`);
      return;
    } else {
      state = buildClusterState({ openshiftVersion: '4.7.0', nodes: [{ name: CLIENT_NODE, roles: ['master', 'worker'] }] });
      mkdirSync(join(dir, 'node-status'), { recursive: true });
      mkdirSync(join(dir, 'service-status'), { recursive: true });
    }
    const vars = (g: string) => {
      const h = ctx.lab.hosts.find((x) => x.groups.includes(g));
      return h ? ctx.inventory.hostVars(h.name) : {};
    };
    seedClientApps(state, clientGroups, vars, w);
    writeFileSync(file, JSON.stringify(state, null, 2) + '\n');
    const nodes = (state.objects as Obj[]).filter((o) => o.kind === 'Node').map((o) => String(o.metadata.name));
    installOpenShiftSim(ctx.root, dir, { host: ctx.host.name, hosts: ctx.lab.hosts.map((h) => h.name), nodes, usrDir: ctx.usrUpper });
    const bin = join(ctx.usrUpper, 'local/bin');
    for (const [tool, script] of Object.entries(CLIENT_TOOLS)) {
      rmSync(join(bin, tool), { force: true });
      symlinkSync(`${HOST_LIB_DIR}/openshift/${script}`, join(bin, tool));
    }
    const hv = ctx.inventory.hostVars(ctx.host.name);
    appendFileSync(join(ctx.root, 'etc/drover-sim/openshift.env'), `DROVER_SIM_OSM_CLI_VERSION=${String(hv.drover_lab_osm_cli_version ?? '1.2.0')}\n`);
  } catch (e) {
    process.stderr.write(`drover lab: cluster apps simulation not installed on ${ctx.host.name}: ${(e as Error).message}\n`);
  }
}
