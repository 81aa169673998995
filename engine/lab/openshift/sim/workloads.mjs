// Workload controllers of the simulated cluster that the client-side seeds need (helm, osm,
// kubectl, STF): Deployments with their pods (sidecar injection for meshed namespaces, Pending
// pods when a namespace is marked short of CPU), helm releases stored as Secrets the way Helm 3
// stores them, the osm-edge chart, and the OLM/STF reconciliation `oc` runs after every write.
// Pure functions over the state object; the CLIs (helm.mjs, osm.mjs, kubectl.mjs) do the I/O.
// @ts-check
import { Buffer } from 'node:buffer';
import * as C from './cluster.mjs';
import { clone, SimError } from './lib.mjs';

/** @typedef {[string, Record<string, unknown>][]} Events */

const rand = (state, n = 5) => C.nextId(state).toString(36).padStart(n, '0').slice(-n);

const meta = (kind, ns, name, extra = {}) => ({ kind, metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra } });

/** The MeshConfig of the mesh watching namespace `ns` (label openservicemesh.io/monitored-by), if any. */
export function meshConfigFor(state, ns) {
  const nsObj = C.findObject(state, 'Namespace', '', ns);
  const mesh = nsObj?.metadata?.labels?.['openservicemesh.io/monitored-by'];
  if (!mesh) return undefined;
  return state.objects.find((o) => o.kind === 'MeshConfig');
}

const shortOfCpu = (state, ns) => C.findObject(state, 'Namespace', '', ns)?.metadata?.annotations?.['drover.sim/insufficient-cpu'] === 'true';

/**
 * Replace the pods of a Deployment with new ones from its template (what a rollout does): the
 * sidecar is injected with the MeshConfig's current sidecarImage when the namespace is meshed.
 * @returns {string[]} the new pods' names
 */
export function rollout(state, dep, events) {
  const ns = dep.metadata.namespace;
  const name = dep.metadata.name;
  for (const p of state.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === ns && o.metadata.labels?.app === name)) C.removeObject(state, p);
  const containers = clone(dep.spec?.template?.spec?.containers ?? []);
  const mc = meshConfigFor(state, ns);
  if (mc && dep.spec?.template?.metadata?.annotations?.['openservicemesh.io/sidecar-injection'] !== 'disabled') {
    containers.push({ name: 'sidecar', image: mc.spec?.sidecar?.sidecarImage ?? 'flomesh/pipy:latest' });
  }
  const rs = `${name}-${rand(state, 10)}`;
  const node = state.objects.find((o) => o.kind === 'Node')?.metadata.name;
  const pending = shortOfCpu(state, ns);
  const names = [];
  for (let i = 0; i < Number(dep.spec?.replicas ?? 1); i++) {
    const pod = {
      ...meta('Pod', ns, `${rs}-${rand(state)}`, {
        labels: { app: name, ...(dep.spec?.template?.metadata?.labels ?? {}) },
        ownerReferences: [{ kind: 'ReplicaSet', name: rs, controller: true }],
      }),
      apiVersion: 'v1',
      spec: { ...(pending ? {} : { nodeName: node }), containers, initContainers: clone(dep.spec?.template?.spec?.initContainers ?? []) },
      status: { phase: pending ? 'Pending' : 'Running' },
    };
    C.putObject(state, pod);
    names.push(pod.metadata.name);
    if (pending) {
      C.putObject(state, {
        ...meta('Event', ns, `${pod.metadata.name}.${rand(state, 8)}`),
        apiVersion: 'v1',
        involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: ns },
        type: 'Warning',
        reason: 'FailedScheduling',
        source: { component: 'default-scheduler' },
        message: '0/1 nodes are available: 1 Insufficient cpu.',
      });
    }
  }
  dep.status = { replicas: names.length, readyReplicas: pending ? 0 : names.length, observedGeneration: Number(dep.metadata.generation ?? 1) };
  events.push(['deployment.rolled', { deployment: name, namespace: ns, images: containers.map((c) => c.image), pods: names }]);
  return names;
}

/** A Deployment object with one container per [name, image]. */
export function deployment(ns, name, containers, { labels = {}, initContainers = [], replicas = 1 } = {}) {
  return {
    ...meta('Deployment', ns, name, { labels: { app: name, ...labels } }),
    apiVersion: 'apps/v1',
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: { containers: containers.map(([n, image]) => ({ name: n, image })), initContainers: initContainers.map(([n, image]) => ({ name: n, image })) },
      },
    },
  };
}

/** Put a Deployment; a new one or a changed pod template rolls its pods. */
export function applyDeployment(state, dep, events) {
  const cur = C.findObject(state, 'Deployment', dep.metadata.namespace, dep.metadata.name);
  if (cur && JSON.stringify(cur.spec?.template) === JSON.stringify(dep.spec?.template) && cur.spec?.replicas === dep.spec?.replicas) return false;
  const next = cur ? { ...cur, spec: dep.spec, metadata: { ...cur.metadata, generation: Number(cur.metadata.generation ?? 1) + 1 } } : dep;
  C.putObject(state, next);
  rollout(state, next, events);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Helm 3 releases: Secrets `sh.helm.release.v1.<name>.v<revision>` (type helm.sh/release.v1,
// labels owner=helm, name, status, version) holding the release as base64 JSON.

const RELEASE_TYPE = 'helm.sh/release.v1';

/** Every revision of every release (decoded), oldest first. */
export function releases(state, ns) {
  return state.objects
    .filter((o) => o.kind === 'Secret' && o.type === RELEASE_TYPE && (ns === undefined || o.metadata.namespace === ns))
    .map((o) => JSON.parse(Buffer.from(o.data.release, 'base64').toString('utf8')))
    .sort((a, b) => a.version - b.version);
}

/** The current (deployed) revision of a release, or undefined. */
export function currentRelease(state, ns, name) {
  const all = releases(state, ns).filter((r) => r.name === name);
  return all.filter((r) => r.info.status === 'deployed').pop() ?? all.pop();
}

function storeRelease(state, rel) {
  C.putObject(state, {
    ...meta('Secret', rel.namespace, `sh.helm.release.v1.${rel.name}.v${rel.version}`, {
      labels: { owner: 'helm', name: rel.name, status: rel.info.status, version: String(rel.version) },
    }),
    apiVersion: 'v1',
    type: RELEASE_TYPE,
    data: { release: Buffer.from(JSON.stringify(rel)).toString('base64') },
  });
}

/** Record a new revision (previous deployed ones become superseded). */
export function recordRelease(state, { name, namespace, chart, chartVersion, appVersion, values, description }) {
  const all = releases(state, namespace).filter((r) => r.name === name);
  const now = new Date().toISOString();
  for (const r of all.filter((x) => x.info.status === 'deployed')) {
    r.info.status = 'superseded';
    storeRelease(state, r);
  }
  const rel = {
    name,
    namespace,
    version: (all.at(-1)?.version ?? 0) + 1,
    info: { status: 'deployed', first_deployed: all[0]?.info.first_deployed ?? now, last_deployed: now, description },
    chart: { metadata: { name: chart, version: chartVersion, appVersion } },
    config: values,
  };
  storeRelease(state, rel);
  return rel;
}

// ---------------------------------------------------------------------------------------------
// The osm-edge chart (seed 003): osm-controller, osm-injector, osm-bootstrap (its init
// container upgrades the CRDs), optionally Prometheus/Grafana/Jaeger. MeshConfig is created at
// install only: an upgrade never changes it, as the guide warns.

/** Chart versions the simulated repository serves. */
export const OSM_CHART_VERSIONS = ['1.0.0', '1.1.0', '1.1.1', '1.2.0', '1.2.1', '1.3.0'];
export const OSM_DEFAULT_REPO = 'https://openservicemesh.github.io/osm';

/** Values with defaults filled in. */
export function osmValues(values, chartVersion) {
  const v = clone(values ?? {});
  const osm = (v.osm ??= {});
  osm.image ??= {};
  osm.image.registry ??= 'flomesh';
  osm.image.tag ??= `v${chartVersion}`;
  osm.meshName ??= 'osm';
  osm.osmNamespace ??= 'osm-system';
  osm.deployPrometheus ??= false;
  osm.deployGrafana ??= false;
  osm.deployJaeger ??= false;
  return v;
}

/** Deployments the chart renders at a version with values. */
export function renderOsm(ns, chartVersion, values) {
  const osm = osmValues(values, chartVersion).osm;
  const img = (n) => `${osm.image.registry}/${n}:${osm.image.tag}`;
  const l = { 'openservicemesh.io/osm-version': `v${chartVersion}`, meshName: osm.meshName };
  const out = [
    deployment(ns, 'osm-controller', [['osm-controller', img('osm-edge-controller')]], { labels: l }),
    deployment(ns, 'osm-injector', [['osm-injector', img('osm-edge-injector')]], { labels: l }),
    deployment(ns, 'osm-bootstrap', [['osm-bootstrap', img('osm-edge-bootstrap')]], { labels: l, initContainers: [['init-osm-bootstrap', img('osm-edge-crds')]] }),
  ];
  if (osm.deployPrometheus) out.push(deployment(ns, 'osm-prometheus', [['prometheus', 'prom/prometheus:v2.18.1']], { labels: l }));
  if (osm.deployGrafana) out.push(deployment(ns, 'osm-grafana', [['grafana', 'grafana/grafana:8.0.0']], { labels: l }));
  if (osm.deployJaeger) out.push(deployment(ns, 'jaeger', [['jaeger', 'jaegertracing/all-in-one:1.22.0']], { labels: l }));
  return out;
}

/**
 * helm install/upgrade of the osm chart: render, roll changed deployments (third-party images
 * set by hand are kept when the chart's own image did not change), upgrade the CRDs through
 * the bootstrap init container, record the revision. Returns the new release.
 */
export function upgradeOsm(state, { name, namespace, chartVersion, values, description }, events) {
  if (!OSM_CHART_VERSIONS.includes(chartVersion)) {
    throw new SimError(`Error: chart "osm" version "${chartVersion}" not found in ${OSM_DEFAULT_REPO} repository`);
  }
  const prev = currentRelease(state, namespace, name);
  const full = osmValues(values, chartVersion);
  if (full.osm.meshName !== (prev?.config?.osm?.meshName ?? full.osm.meshName) || full.osm.osmNamespace !== namespace) {
    throw new SimError('Error: UPGRADE FAILED: osm.meshName and osm.osmNamespace cannot change in an upgrade');
  }
  for (const dep of renderOsm(namespace, chartVersion, full)) {
    const cur = C.findObject(state, 'Deployment', namespace, dep.metadata.name);
    const prevRendered = prev ? renderOsm(namespace, prev.chart.metadata.version, prev.config).find((d) => d.metadata.name === dep.metadata.name) : undefined;
    if (cur && prevRendered && /^(osm-prometheus|osm-grafana|jaeger)$/.test(dep.metadata.name) && JSON.stringify(prevRendered.spec.template) === JSON.stringify(dep.spec.template)) continue;
    applyDeployment(state, dep, events);
  }
  // Components the new values no longer deploy go away (the guide's warning: install-time
  // settings such as the metrics deployments revert unless passed again).
  if (prev) {
    const keep = new Set(renderOsm(namespace, chartVersion, full).map((d) => d.metadata.name));
    for (const old of renderOsm(namespace, prev.chart.metadata.version, prev.config)) {
      const cur = C.findObject(state, 'Deployment', namespace, old.metadata.name);
      if (keep.has(old.metadata.name) || !cur) continue;
      C.removeObject(state, cur);
      for (const p of state.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.labels?.app === old.metadata.name)) C.removeObject(state, p);
      events.push(['deployment.deleted', { deployment: old.metadata.name, namespace }]);
    }
  }
  // The bootstrap pod's init container brings the CRDs to the chart version.
  for (const crd of state.objects.filter((o) => o.kind === 'CustomResourceDefinition' && o.metadata.labels?.['app.kubernetes.io/name'] === 'openservicemesh.io')) {
    if (crd.metadata.labels['openservicemesh.io/osm-version'] !== `v${chartVersion}`) {
      crd.metadata.labels['openservicemesh.io/osm-version'] = `v${chartVersion}`;
      C.putObject(state, crd);
      events.push(['osm.crd.upgraded', { crd: crd.metadata.name, version: chartVersion }]);
    }
  }
  const rel = recordRelease(state, { name, namespace, chart: 'osm', chartVersion, appVersion: `v${chartVersion}`, values: full, description: description ?? (prev ? 'Upgrade complete' : 'Install complete') });
  events.push(['helm.upgraded', { release: name, namespace, chart: 'osm', from: prev?.chart.metadata.version ?? '', to: chartVersion, revision: rel.version }]);
  return rel;
}

/**
 * The scheduler: Pending pods of a namespace that is no longer short of CPU get the node and run
 * (a rollout made while the annotation was set leaves them Pending; removing it lets them start,
 * as adding CPU to a real cluster does).
 * @returns {Events}
 */
export function schedulePending(state) {
  /** @type {Events} */
  const events = [];
  const node = state.objects.find((o) => o.kind === 'Node')?.metadata.name;
  if (!node) return events;
  for (const pod of state.objects.filter((o) => o.kind === 'Pod' && o.status?.phase === 'Pending' && !o.spec?.nodeName)) {
    if (shortOfCpu(state, pod.metadata.namespace)) continue;
    pod.spec = { ...(pod.spec ?? {}), nodeName: node };
    pod.status = { ...(pod.status ?? {}), phase: 'Running' };
    C.putObject(state, pod);
    events.push(['pod.scheduled', { pod: pod.metadata.name, namespace: pod.metadata.namespace, node }]);
  }
  for (const dep of state.objects.filter((o) => o.kind === 'Deployment' && o.status && o.status.readyReplicas !== o.status.replicas)) {
    const pods = state.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === dep.metadata.namespace && o.metadata.labels?.app === dep.metadata.name);
    dep.status = { ...dep.status, readyReplicas: pods.filter((p) => p.status?.phase === 'Running').length };
  }
  return events;
}

/** Control plane pods that are not running (after an upgrade). */
export const notRunning = (state, ns) => state.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === ns && !['Running', 'Succeeded'].includes(o.status?.phase));

// ---------------------------------------------------------------------------------------------
// OLM and the Service Telemetry Framework operators (seed 000), run after every oc write.

/** CSV each channel's head installs: package → channel → [csv name, version, replaces]. */
const CHANNEL_HEADS = {
  'service-telemetry-operator': {
    'stable-1.2': ['service-telemetry-operator.v1.2.1623675667', '1.2.1623675667', ''],
    'stable-1.3': ['service-telemetry-operator.v1.3.1622734200', '1.3.1622734200', 'service-telemetry-operator.v1.2.1623675667'],
  },
  'smart-gateway-operator': {
    'stable-1.2': ['smart-gateway-operator.v2.2.1623675667', '2.2.1623675667', ''],
    'stable-1.3': ['smart-gateway-operator.v3.0.1622734308', '3.0.1622734308', ''],
  },
};
const SG_CRD = 'smartgateways.smartgateway.infra.watch';
const COLLECTOR_SHORT = { ceilometer: 'ceil', collectd: 'coll', sensubility: 'sens' };
/** Smart Gateways STF creates when `clouds` is not set. */
export const DEFAULT_CLOUDS = [{ name: 'cloud1', metrics: { collectors: [{ collectorType: 'collectd' }, { collectorType: 'ceilometer' }] } }];

export function csvObject(ns, name, version, replaces, phase, displayName) {
  return {
    ...meta('ClusterServiceVersion', ns, name),
    apiVersion: 'operators.coreos.com/v1alpha1',
    spec: { displayName, version, ...(replaces ? { replaces } : {}) },
    status: { phase },
  };
}

export function smartGatewayCrd() {
  return {
    ...meta('CustomResourceDefinition', '', SG_CRD),
    apiVersion: 'apiextensions.k8s.io/v1',
    spec: { group: 'smartgateway.infra.watch', scope: 'Namespaced', names: { kind: 'SmartGateway', plural: 'smartgateways', singular: 'smartgateway' }, versions: [{ name: 'v2' }] },
  };
}

/**
 * Bring the STF world in line with its objects: OLM installs each Subscription's channel head
 * (the 1.3 Service Telemetry Operator also installs the new Smart Gateway Operator, and stays
 * Pending while the 1.2 CSV is there; the new Smart Gateway Operator fails while the old one
 * still owns the CRD); the Service Telemetry Operator keeps one SmartGateway per cloud collector
 * (removing others only with cloudsRemoveOnMissing); the Smart Gateway Operator keeps one
 * Running pod per SmartGateway; pods whose SmartGateway is gone are garbage collected. First
 * the scheduler places Pending pods that can run now (schedulePending).
 * @returns {Events}
 */
export function settle(state) {
  /** @type {Events} */
  const events = schedulePending(state);
  for (const stf of state.objects.filter((o) => o.kind === 'ServiceTelemetry')) settleStf(state, stf, events);
  return events;
}

function put(state, obj, events, verb = 'created') {
  C.putObject(state, obj);
  events.push([`object.${verb}`, { resource: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? '' }]);
}

function del(state, obj, events) {
  C.removeObject(state, obj);
  events.push(['object.deleted', { resource: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? '' }]);
}

function settleStf(state, stf, events) {
  const ns = stf.metadata.namespace;
  const csvs = () => state.objects.filter((o) => o.kind === 'ClusterServiceVersion' && o.metadata.namespace === ns);
  // OLM: install channel heads.
  for (const sub of state.objects.filter((o) => o.kind === 'Subscription' && o.metadata.namespace === ns)) {
    const head = CHANNEL_HEADS[sub.spec?.name]?.[sub.spec?.channel];
    if (!head || csvs().some((c) => c.metadata.name === head[0])) continue;
    const display = sub.spec.name === 'service-telemetry-operator' ? 'Service Telemetry Operator' : 'Smart Gateway Operator';
    put(state, csvObject(ns, head[0], head[1], head[2], 'Pending', display), events);
    if (sub.status?.installedCSV !== head[0]) {
      sub.status = { ...(sub.status ?? {}), currentCSV: head[0], installedCSV: head[0] };
      C.putObject(state, sub);
    }
    if (sub.spec.name === 'service-telemetry-operator' && sub.spec.channel === 'stable-1.3') {
      const sgo = CHANNEL_HEADS['smart-gateway-operator']['stable-1.3'];
      if (!csvs().some((c) => c.metadata.name === sgo[0])) put(state, csvObject(ns, sgo[0], sgo[1], '', 'Pending', 'Smart Gateway Operator'), events);
    }
  }
  // OLM: phases. A replacing CSV waits for the CSV it replaces to go; the 3.0 SGO cannot own the
  // CRD while the 2.x SGO CSV still exists.
  for (const csv of csvs()) {
    let phase = csv.status?.phase ?? 'Succeeded';
    if (csv.metadata.name.startsWith('smart-gateway-operator.v3')) {
      phase = csvs().some((c) => c.metadata.name.startsWith('smart-gateway-operator.v2')) ? 'Failed' : 'Succeeded';
      if (phase === 'Succeeded' && !C.findObject(state, 'CustomResourceDefinition', '', SG_CRD)) put(state, smartGatewayCrd(), events);
    } else if (csv.metadata.name.startsWith('service-telemetry-operator.v1.3')) {
      phase = csvs().some((c) => c.metadata.name === csv.spec.replaces) ? 'Pending' : 'Succeeded';
    } else if (csv.metadata.name.startsWith('service-telemetry-operator.v1.2') && csvs().some((c) => c.metadata.name.startsWith('service-telemetry-operator.v1.3'))) {
      phase = 'Pending';
    }
    if (phase !== csv.status?.phase) {
      csv.status = { ...(csv.status ?? {}), phase };
      C.putObject(state, csv);
      events.push(['csv.phase', { csv: csv.metadata.name, namespace: ns, phase }]);
    }
  }
  const sgKind = C.findObject(state, 'CustomResourceDefinition', '', SG_CRD) !== undefined;
  const stoUp = csvs().some((c) => c.metadata.name.startsWith('service-telemetry-operator.') && c.status?.phase === 'Succeeded');
  const sgoUp = csvs().some((c) => c.metadata.name.startsWith('smart-gateway-operator.') && c.status?.phase === 'Succeeded');
  const gateways = () => state.objects.filter((o) => o.kind === 'SmartGateway' && o.metadata.namespace === ns);
  if (!sgKind) {
    // Deleting the CRD deletes its objects.
    for (const sg of gateways()) del(state, sg, events);
  } else if (stoUp) {
    const clouds = stf.spec?.clouds ?? DEFAULT_CLOUDS;
    const want = clouds.flatMap((c) => (c.metrics?.collectors ?? []).map((col) => `${stf.metadata.name}-${c.name}-${COLLECTOR_SHORT[col.collectorType] ?? col.collectorType}-meter`));
    for (const n of want) {
      if (!C.findObject(state, 'SmartGateway', ns, n)) put(state, { ...meta('SmartGateway', ns, n), apiVersion: 'smartgateway.infra.watch/v2', spec: { size: 1 } }, events);
    }
    if (stf.spec?.cloudsRemoveOnMissing === true) for (const sg of gateways().filter((g) => !want.includes(g.metadata.name))) del(state, sg, events);
  }
  // Pods: garbage-collect the ones of vanished gateways, the running SGO starts missing ones.
  for (const pod of state.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === ns && o.metadata.labels?.app === 'smart-gateway')) {
    if (!gateways().some((g) => g.metadata.name === pod.metadata.labels['smart-gateway'])) {
      del(state, pod, events);
      events.push(['pod.terminated', { pod: pod.metadata.name, namespace: ns }]);
    }
  }
  if (sgoUp) {
    for (const sg of gateways()) {
      const has = state.objects.some((o) => o.kind === 'Pod' && o.metadata.namespace === ns && o.metadata.labels?.['smart-gateway'] === sg.metadata.name);
      if (has) continue;
      const node = state.objects.find((o) => o.kind === 'Node')?.metadata.name;
      put(state, {
        ...meta('Pod', ns, `${sg.metadata.name}-smartgateway-${rand(state, 10)}-${rand(state)}`, {
          labels: { app: 'smart-gateway', 'smart-gateway': sg.metadata.name },
          ownerReferences: [{ kind: 'ReplicaSet', name: `${sg.metadata.name}-smartgateway`, controller: true }],
        }),
        apiVersion: 'v1',
        spec: { nodeName: node, containers: [{ name: 'sg-core', image: 'registry.redhat.io/stf/sg-core-rhel8:latest' }] },
        status: { phase: 'Running' },
      }, events);
    }
  }
}
