// Initial cluster state for the simulated OpenShift API (the file the `oc` simulator reads):
// nodes with roles and labels, the pods a drain has to deal with (replicated, daemonset,
// local-data, slow and unevictable ones), router/registry DCs, the kubernetes Service.
// The lab builds it from the inventory; tests build small ones.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SeedNode {
  name: string;
  /** master, infra, compute: becomes node-role.kubernetes.io/<role>=true. */
  roles?: string[];
  labels?: Record<string, string>;
  /** OpenShift version the node runs until its node service reports one (e.g. "3.7.23"). */
  version?: string;
  schedulable?: boolean;
  address?: string;
}

export interface SeedPod {
  name: string;
  namespace?: string;
  node: string;
  /** What controls it: a ReplicaSet/RC (replicated), a DaemonSet, or nothing (bare pod). */
  owner?: 'ReplicaSet' | 'ReplicationController' | 'DaemonSet' | 'none';
  localData?: boolean;
  /** Seconds an eviction takes. */
  evictSeconds?: number;
  /** false: a disruption budget refuses eviction (drain waits until its timeout). */
  evictable?: boolean;
  labels?: Record<string, string>;
  /** Where replacements may run; default: compute nodes (daemonset pods: none). */
  nodeSelector?: Record<string, string>;
}

export interface SeedOptions {
  openshiftVersion: string;
  nodes: SeedNode[];
  pods?: SeedPod[];
  /** Extra objects (Services, DCs, CRDs, IBU...) stored as given. */
  objects?: Record<string, unknown>[];
  /** Add default router/registry DCs, the kubernetes Service and one replicated + one daemonset pod per node. */
  defaults?: boolean;
}

const NS_DEFAULT = 'default';

export function nodeObject(n: SeedNode, version: string): Record<string, unknown> {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': n.name, ...(n.labels ?? {}) };
  for (const r of n.roles ?? []) labels[`node-role.kubernetes.io/${r}`] = 'true';
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: { name: n.name, labels, annotations: { 'drover.sim/openshift-version': n.version ?? version } },
    spec: n.schedulable === false ? { unschedulable: true } : {},
    status: { addresses: [{ type: 'InternalIP', address: n.address ?? '127.0.0.1' }] },
  };
}

export function podObject(p: SeedPod): Record<string, unknown> {
  const owner = p.owner ?? 'ReplicaSet';
  const base = p.name.replace(/-[a-z0-9]{5}$/, '');
  const annotations: Record<string, string> = {};
  if (p.evictSeconds) annotations['drover.sim/evict-seconds'] = String(p.evictSeconds);
  if (p.evictable === false) annotations['drover.sim/evictable'] = 'false';
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: p.name,
      namespace: p.namespace ?? NS_DEFAULT,
      labels: p.labels ?? { app: base },
      annotations,
      ownerReferences: owner === 'none' ? [] : [{ kind: owner, name: base, controller: true }],
    },
    spec: {
      nodeName: p.node,
      nodeSelector: p.nodeSelector ?? (owner === 'DaemonSet' ? {} : { 'node-role.kubernetes.io/compute': 'true' }),
      volumes: p.localData ? [{ name: 'scratch', emptyDir: {} }] : [],
    },
    status: { phase: 'Running' },
  };
}

function defaultObjects(version: string, nodes: SeedNode[]): { objects: Record<string, unknown>[]; pods: SeedPod[] } {
  const tag = `v${version.split('.').slice(0, 2).join('.')}`;
  const dc = (name: string, image: string) => ({
    kind: 'DeploymentConfig',
    apiVersion: 'apps.openshift.io/v1',
    metadata: { name, namespace: NS_DEFAULT },
    spec: { replicas: 1, template: { spec: { containers: [{ name, image }] } } },
    status: { latestVersion: 1, replicas: 1 },
  });
  const objects = [
    dc('router', `registry.access.redhat.com/openshift3/ose-haproxy-router:${tag}`),
    dc('docker-registry', `registry.access.redhat.com/openshift3/ose-docker-registry:${tag}`),
    {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'kubernetes', namespace: NS_DEFAULT },
      spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    },
  ];
  const pods: SeedPod[] = [];
  nodes.forEach((n, i) => {
    pods.push({ name: `sdn-${String(i).padStart(5, 'a').slice(-5)}`, namespace: 'openshift-sdn', node: n.name, owner: 'DaemonSet' });
    if (!(n.roles ?? []).includes('master')) pods.push({ name: `app-${i}-${'abcde'}`, node: n.name, owner: 'ReplicaSet' });
  });
  return { objects, pods };
}

/** The cluster.json document for a seed. */
export function buildClusterState(opts: SeedOptions): Record<string, unknown> {
  const d = opts.defaults ? defaultObjects(opts.openshiftVersion, opts.nodes) : { objects: [], pods: [] };
  const minor = opts.openshiftVersion.split('.').slice(0, 2).join('.');
  const objects = [
    ...opts.nodes.map((n) => nodeObject(n, opts.openshiftVersion)),
    ...[...d.pods, ...(opts.pods ?? [])].map(podObject),
    ...d.objects,
    ...(opts.objects ?? []),
  ];
  let seq = 1;
  for (const o of objects) {
    const md = ((o as { metadata: Record<string, unknown> }).metadata ??= {});
    md.creationTimestamp ??= new Date().toISOString();
    md.uid ??= `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
    md.resourceVersion = String(seq);
  }
  return {
    apiVersion: 'drover.sim/v1',
    openshiftVersion: opts.openshiftVersion,
    policy: { clusterRoles: minor, clusterRoleBindings: minor, sccs: minor },
    seq,
    objects,
  };
}

/** Write cluster.json into a cluster state directory (created when missing). */
export function writeClusterState(dir: string, opts: SeedOptions): string {
  mkdirSync(path.join(dir, 'node-status'), { recursive: true });
  mkdirSync(path.join(dir, 'service-status'), { recursive: true });
  const file = path.join(dir, 'cluster.json');
  writeFileSync(file, JSON.stringify(buildClusterState(opts), null, 2) + '\n');
  return file;
}
