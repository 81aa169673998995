// The simulated cluster API behind `oc`: an object store (kind/namespace/name) kept in one JSON file
// shared by every master of a lab cluster, plus the behaviour a drain/upgrade exercises: node
// status from the node service's running version, scheduling, eviction, resource kinds.
// Pure functions over a state object; oc.mjs does argv and printing, lib.mjs the locking.
// @ts-check
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clone, readJson, SimError } from './lib.mjs';

/** Kubernetes version each OpenShift 3.x minor ships (what `oc get nodes` shows as VERSION). */
export const KUBE_VERSIONS = {
  '3.6': 'v1.6.1+5115d708d7',
  '3.7': 'v1.7.6+a08f5eeb62',
  '3.8': 'v1.8.1+0d5291c',
  '3.9': 'v1.9.1+a0ce1bc657',
  '3.10': 'v1.10.0+b81c8f8',
  '3.11': 'v1.11.0+d4cacc0',
};

/** @param {string} osVersion e.g. "3.9.14" */
export function kubeVersionOf(osVersion) {
  const minor = /^v?(\d+\.\d+)/.exec(osVersion)?.[1] ?? '';
  return KUBE_VERSIONS[minor] ?? `v${osVersion}`;
}

/** [Kind, namespaced, apiVersion, ...names] of the built-in resource types. */
const BUILTIN_KINDS = [
  ['Node', false, 'v1', 'nodes', 'node', 'no'],
  ['Pod', true, 'v1', 'pods', 'pod', 'po'],
  ['Service', true, 'v1', 'services', 'service', 'svc'],
  ['Endpoints', true, 'v1', 'endpoints', 'ep'],
  ['Namespace', false, 'v1', 'namespaces', 'namespace', 'ns'],
  ['Project', false, 'project.openshift.io/v1', 'projects', 'project'],
  ['ConfigMap', true, 'v1', 'configmaps', 'configmap', 'cm'],
  ['Secret', true, 'v1', 'secrets', 'secret'],
  ['Event', true, 'v1', 'events', 'event', 'ev'],
  ['DeploymentConfig', true, 'apps.openshift.io/v1', 'deploymentconfigs', 'deploymentconfig', 'dc'],
  ['Deployment', true, 'apps/v1', 'deployments', 'deployment', 'deploy'],
  ['DaemonSet', true, 'apps/v1', 'daemonsets', 'daemonset', 'ds'],
  ['ReplicaSet', true, 'apps/v1', 'replicasets', 'replicaset', 'rs'],
  ['StatefulSet', true, 'apps/v1', 'statefulsets', 'statefulset', 'sts'],
  ['ReplicationController', true, 'v1', 'replicationcontrollers', 'replicationcontroller', 'rc'],
  ['ImageStream', true, 'image.openshift.io/v1', 'imagestreams', 'imagestream', 'is'],
  ['ClusterRole', false, 'rbac.authorization.k8s.io/v1', 'clusterroles', 'clusterrole'],
  ['ClusterRoleBinding', false, 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'clusterrolebinding'],
  ['SecurityContextConstraints', false, 'security.openshift.io/v1', 'securitycontextconstraints', 'scc'],
  ['CustomResourceDefinition', false, 'apiextensions.k8s.io/v1', 'customresourcedefinitions', 'customresourcedefinition', 'crd', 'crds'],
  ['Subscription', true, 'operators.coreos.com/v1alpha1', 'subscriptions', 'subscription', 'sub', 'subs'],
  ['ClusterServiceVersion', true, 'operators.coreos.com/v1alpha1', 'clusterserviceversions', 'clusterserviceversion', 'csv', 'csvs'],
  ['InstallPlan', true, 'operators.coreos.com/v1alpha1', 'installplans', 'installplan', 'ip'],
  ['ServiceTelemetry', true, 'infra.watch/v1beta1', 'servicetelemetrys', 'servicetelemetry', 'stf'],
  ['SmartGateway', true, 'smartgateway.infra.watch/v2', 'smartgateways', 'smartgateway'],
  ['ImageBasedUpgrade', false, 'lca.openshift.io/v1', 'imagebasedupgrades', 'imagebasedupgrade', 'ibu'],
  ['ClusterVersion', false, 'config.openshift.io/v1', 'clusterversions', 'clusterversion'],
];

/** @typedef {{kind: string, namespaced: boolean, apiVersion: string, names: string[]}} KindInfo */

/** Resolve `nodes`, `dc`, `csv`, `imagebasedupgrade.lca.openshift.io`, `Node`... to a kind. */
export function resolveKind(state, word) {
  const w = word.toLowerCase().split('.')[0];
  /** @type {KindInfo[]} */
  const infos = BUILTIN_KINDS.map(([kind, namespaced, apiVersion, ...names]) => ({
    kind: /** @type {string} */ (kind),
    namespaced: /** @type {boolean} */ (namespaced),
    apiVersion: /** @type {string} */ (apiVersion),
    names: /** @type {string[]} */ (names),
  }));
  for (const crd of state.objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const n = crd.spec?.names ?? {};
    if (!n.kind) continue;
    const ver = crd.spec?.versions?.[0]?.name ?? crd.spec?.version ?? 'v1';
    infos.push({
      kind: n.kind,
      namespaced: crd.spec?.scope !== 'Cluster',
      apiVersion: `${crd.spec?.group ?? 'example.com'}/${ver}`,
      names: [n.plural, n.singular, ...(n.shortNames ?? [])].filter(Boolean).map((s) => String(s).toLowerCase()),
    });
  }
  const hit = infos.find((i) => i.kind.toLowerCase() === w || i.names.includes(w));
  if (!hit) throw new SimError(`the server doesn't have a resource type "${word}"`);
  return hit;
}

/** An empty cluster. */
export function emptyState() {
  return { apiVersion: 'drover.sim/v1', openshiftVersion: '3.7.0', policyVersion: '', seq: 1, objects: [] };
}

export function nextId(state) {
  state.seq = (state.seq ?? 1) + 1;
  return state.seq;
}

/** @param {any} o */
export const keyOf = (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

export function findObject(state, kind, ns, name) {
  return state.objects.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === (ns ?? '') && o.metadata.name === name);
}

/** Add or replace an object, filling metadata the API server would. */
export function putObject(state, obj) {
  const md = (obj.metadata ??= {});
  md.creationTimestamp ??= new Date().toISOString();
  md.uid ??= `00000000-0000-4000-8000-${String(nextId(state)).padStart(12, '0')}`;
  md.resourceVersion = String(nextId(state));
  const i = state.objects.findIndex((o) => keyOf(o) === keyOf(obj));
  if (i >= 0) state.objects[i] = obj;
  else state.objects.push(obj);
  return obj;
}

export function removeObject(state, obj) {
  state.objects = state.objects.filter((o) => keyOf(o) !== keyOf(obj));
}

/**
 * Parse a label selector: `a=b,c!=d,e,!f,g in (x,y),h notin (z)`.
 * @param {string} sel @returns {(labels: Record<string,string>|undefined) => boolean}
 */
export function parseSelector(sel) {
  /** @type {((l: Record<string,string>) => boolean)[]} */
  const tests = [];
  const parts = sel.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw))) {
      const [, k, op, list] = m;
      const vals = list.split(',').map((s) => s.trim());
      tests.push(op === 'in' ? (l) => k in l && vals.includes(l[k]) : (l) => !(k in l) || !vals.includes(l[k]));
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(raw))) {
      const [, k, op, v] = m;
      tests.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = /^!([\w./-]+)$/.exec(raw))) {
      const k = m[1];
      tests.push((l) => !(k in l));
    } else if ((m = /^([\w./-]+)$/.exec(raw))) {
      const k = m[1];
      tests.push((l) => k in l);
    } else {
      throw new SimError(`unable to parse requirement: invalid label selector "${sel}"`);
    }
  }
  return (labels) => tests.every((t) => t(labels ?? {}));
}

/** Where node and service status files live (written by the service hook, read by oc). */
export const nodeStatusFile = (dir, node) => path.join(dir, 'node-status', `${node}.json`);
/** One file per host: {services: {NAME: {running, version}}}. */
export const serviceStatusFile = (dir, host) => path.join(dir, 'service-status', `${host}.json`);

/**
 * A node's current condition and version: the node service's status file when one exists
 * (written by openshift-sim-hook when the service starts/stops), else what the state seeded.
 * @returns {{ready: boolean, version: string}}
 */
export function nodeRuntime(dir, node) {
  const st = readJson(nodeStatusFile(dir, node.metadata.name), null);
  const seeded = node.metadata.annotations?.['drover.sim/openshift-version'] ?? '3.7.0';
  const seededReady = node.metadata.annotations?.['drover.sim/ready'] !== 'false';
  if (!st) return { ready: seededReady, version: seeded };
  return { ready: !!st.running, version: st.version || seeded };
}

/** A node with status filled in from its runtime (what the API returns). */
export function materializeNode(dir, node) {
  const rt = nodeRuntime(dir, node);
  const n = clone(node);
  const status = (n.status ??= {});
  status.conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== 'Ready'),
    { type: 'Ready', status: rt.ready ? 'True' : 'Unknown', reason: rt.ready ? 'KubeletReady' : 'NodeStatusUnknown' },
  ];
  status.nodeInfo = { ...(status.nodeInfo ?? {}), kubeletVersion: kubeVersionOf(rt.version), kubeProxyVersion: kubeVersionOf(rt.version), openshiftVersion: rt.version };
  return n;
}

/**
 * The server (master API) version: the lowest version a running master-api service reports,
 * else the state's openshiftVersion. Throws "connection refused" when every master API is down.
 */
export function serverVersion(dir, state) {
  const base = path.join(dir, 'service-status');
  /** @type {{running: boolean, version: string}[]} */
  const apis = [];
  let files = [];
  try {
    files = fs.readdirSync(base).filter((f) => f.endsWith('.json'));
  } catch {
    /* no service status reported: standalone */
  }
  for (const f of files) {
    const st = readJson(path.join(base, f), null);
    for (const svc of ['atomic-openshift-master-api', 'atomic-openshift-master', 'origin-master-api']) {
      if (st?.services?.[svc]) apis.push(st.services[svc]);
    }
  }
  if (apis.length === 0) return state.openshiftVersion;
  const up = apis.filter((a) => a.running);
  if (up.length === 0) throw new SimError('The connection to the server was refused - did you specify the right host or port?');
  return up.map((a) => a.version || state.openshiftVersion).sort(compareVersions)[0];
}

/** Compare dotted versions numerically. @param {string} a @param {string} b */
export function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

export const podsOn = (state, nodeName) => state.objects.filter((o) => o.kind === 'Pod' && o.spec?.nodeName === nodeName);
const controllerOf = (pod) => (pod.metadata.ownerReferences ?? []).find((r) => r.controller !== false);
export const isDaemonSetPod = (pod) => controllerOf(pod)?.kind === 'DaemonSet';
export const isManaged = (pod) => controllerOf(pod) !== undefined;
export const hasLocalData = (pod) => (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined);
/** Seconds eviction takes: annotation `drover.sim/evict-seconds`; Infinity when `drover.sim/evictable: "false"` (a PDB blocks it). */
export function evictSeconds(pod) {
  const a = pod.metadata.annotations ?? {};
  if (a['drover.sim/evictable'] === 'false') return Infinity;
  return Number(a['drover.sim/evict-seconds'] ?? 0) || 0;
}

/** Ready, schedulable nodes matching the pod's nodeSelector a replacement may land on, emptiest first. */
function placeFor(dir, state, pod) {
  const want = Object.entries(pod.spec?.nodeSelector ?? {});
  const nodes = state.objects.filter(
    (o) =>
      o.kind === 'Node' &&
      o.metadata.name !== pod.spec?.nodeName &&
      !o.spec?.unschedulable &&
      want.every(([k, v]) => o.metadata.labels?.[k] === v) &&
      nodeRuntime(dir, o).ready,
  );
  nodes.sort((a, b) => podsOn(state, a.metadata.name).length - podsOn(state, b.metadata.name).length || a.metadata.name.localeCompare(b.metadata.name));
  return nodes[0]?.metadata.name;
}

/**
 * Remove a pod from its node; a controller-managed (non-daemonset) pod is recreated elsewhere
 * as its ReplicaSet/RC would, Pending when no node can take it. Returns the replacement's name.
 */
export function evictPod(dir, state, pod) {
  removeObject(state, pod);
  const ctl = controllerOf(pod);
  if (!ctl || ctl.kind === 'DaemonSet') return undefined;
  const repl = clone(pod);
  const base = pod.metadata.name.replace(/-[a-z0-9]{5}$/, '');
  repl.metadata = { ...repl.metadata, name: `${base}-${nextId(state).toString(36).padStart(5, '0').slice(-5)}` };
  delete repl.metadata.uid;
  delete repl.metadata.creationTimestamp;
  const target = placeFor(dir, state, pod);
  repl.spec.nodeName = target;
  if (!target) delete repl.spec.nodeName;
  repl.status = { phase: target ? 'Running' : 'Pending' };
  putObject(state, repl);
  return repl.metadata.name;
}

/**
 * What a drain must do with a node's pods, per kubectl 1.9's rules: daemonset pods are skipped
 * with --ignore-daemonsets (else an error), unmanaged pods need --force, pods with emptyDir need
 * --delete-local-data. Returns {errors, evict}.
 */
export function planDrain(state, nodeName, { force, deleteLocalData, ignoreDaemonsets, podSelector }) {
  const errors = { unmanaged: [], daemonset: [], local: [] };
  const evict = [];
  const match = podSelector ? parseSelector(podSelector) : () => true;
  for (const pod of podsOn(state, nodeName)) {
    if (!match(pod.metadata.labels)) continue;
    if (isDaemonSetPod(pod)) {
      if (!ignoreDaemonsets) errors.daemonset.push(pod.metadata.name);
      continue;
    }
    if (!isManaged(pod) && !force) errors.unmanaged.push(pod.metadata.name);
    if (hasLocalData(pod) && !deleteLocalData) errors.local.push(pod.metadata.name);
    evict.push(pod);
  }
  /** @type {string[]} */
  const msgs = [];
  if (errors.unmanaged.length)
    msgs.push(`pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override): ${errors.unmanaged.join(', ')}`);
  if (errors.daemonset.length) msgs.push(`DaemonSet-managed pods (use --ignore-daemonsets to ignore): ${errors.daemonset.join(', ')}`);
  if (errors.local.length) msgs.push(`pods with local storage (use --delete-local-data to override): ${errors.local.join(', ')}`);
  return { errors: msgs, evict };
}

/** Services whose ports repeat (port + protocol): what makes `oc adm migrate storage` fail (guide 7.2). */
export function duplicatePortServices(state) {
  return state.objects.filter((o) => {
    if (o.kind !== 'Service') return false;
    const seen = new Set();
    for (const p of o.spec?.ports ?? []) {
      const k = `${p.port}/${p.protocol ?? 'TCP'}`;
      if (seen.has(k)) return true;
      seen.add(k);
    }
    return false;
  });
}

/** JSON merge patch (RFC 7386). */
export function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** JSON patch (RFC 6902): add, remove, replace, test. */
export function jsonPatch(target, ops) {
  let doc = clone(target);
  for (const op of ops) {
    const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let parent = doc;
    for (const p of parts) {
      if (parent[p] === undefined) throw new SimError(`jsonpatch: path ${op.path} not found`);
      parent = parent[p];
    }
    if (last === undefined) {
      if (op.op === 'replace' || op.op === 'add') doc = clone(op.value);
      continue;
    }
    const isArr = Array.isArray(parent);
    if (op.op === 'add') {
      if (isArr) parent.splice(last === '-' ? parent.length : Number(last), 0, clone(op.value));
      else parent[last] = clone(op.value);
    } else if (op.op === 'replace') {
      if (!(last in parent)) throw new SimError(`jsonpatch replace operation does not apply: doc is missing key: ${op.path}`);
      parent[last] = clone(op.value);
    } else if (op.op === 'remove') {
      if (!(last in parent)) throw new SimError(`jsonpatch remove operation does not apply: doc is missing path: ${op.path}`);
      if (isArr) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new SimError(`testing value ${op.path} failed`);
    } else throw new SimError(`Unexpected kind: ${op.op}`);
  }
  return doc;
}

/** Valid ImageBasedUpgrade stage transitions (seed 002): Idle → Prep → Upgrade, Rollback from Upgrade, Idle from any to finish or cancel. */
const IBU_NEXT = { Idle: ['Idle', 'Prep'], Prep: ['Prep', 'Upgrade', 'Idle'], Upgrade: ['Upgrade', 'Rollback', 'Idle'], Rollback: ['Rollback', 'Idle'] };

/**
 * Admission and controllers run after every write: rejects invalid IBU transitions, marks the
 * reached IBU stage complete, keeps CSVs of deleted Subscriptions. Returns events to emit.
 * @returns {[string, Record<string, unknown>][]}
 */
export function reconcile(before, after) {
  /** @type {[string, Record<string, unknown>][]} */
  const events = [];
  if (after?.kind === 'ImageBasedUpgrade') {
    const from = before?.spec?.stage ?? 'Idle';
    const to = after.spec?.stage ?? 'Idle';
    if (!(IBU_NEXT[from] ?? []).includes(to)) {
      throw new SimError(`admission webhook "vimagebasedupgrade.kb.io" denied the request: the stage transition is not permitted: ${from} -> ${to}`);
    }
    const condType = { Idle: 'Idle', Prep: 'PrepCompleted', Upgrade: 'UpgradeCompleted', Rollback: 'RollbackCompleted' }[to];
    after.status = { ...(after.status ?? {}), observedGeneration: Number(after.metadata.generation ?? 1), conditions: [{ type: condType, status: 'True', reason: 'Completed' }] };
    if (to === 'Upgrade' && from !== to && after.spec?.seedImageRef?.version) {
      after.status.rollbackVersion = before?.status?.currentVersion;
      after.status.currentVersion = after.spec.seedImageRef.version;
    }
    if (to === 'Rollback' && from !== to && before?.status?.rollbackVersion) after.status.currentVersion = before.status.rollbackVersion;
    if (from !== to) events.push(['ibu.stage', { name: after.metadata.name, from, to }]);
  }
  return events;
}
