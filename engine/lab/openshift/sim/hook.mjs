#!/usr/bin/env node
// openshift-sim-hook SERVICE start|stop|restart [--version V] [--node NAME]: what the lab's
// simulated systemctl calls after it changes an OpenShift service, so the cluster API sees it:
// the node service's running version and readiness (node-status/<node>.json, read by `oc get
// nodes`), master API up/down and version (service-status/<host>.json). A node whose
// service starts for the first time registers itself, as a real node does (blue-green upgrades),
// with DROVER_SIM_NODE_LABELS and, when DROVER_SIM_NODE_SCHEDULABLE=false, unschedulable.
// @ts-check
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import * as C from './cluster.mjs';
import { emitEvent, loadHostEnv, main, parseArgs, readJson, rpmVersion, SimError, withLock, writeJson } from './lib.mjs';

/** The rpm whose version a service runs. */
export const SERVICE_PACKAGES = {
  'atomic-openshift-node': 'atomic-openshift-node',
  'origin-node': 'origin-node',
  'atomic-openshift-master-api': 'atomic-openshift-master',
  'atomic-openshift-master-controllers': 'atomic-openshift-master',
  'atomic-openshift-master': 'atomic-openshift-master',
  'origin-master-api': 'origin-master',
};
const NODE_SERVICES = ['atomic-openshift-node', 'origin-node'];

main(() => {
  loadHostEnv();
  const a = parseArgs(process.argv.slice(2), ['version', 'node']);
  const [service, action] = a.pos;
  if (!service || !['start', 'stop', 'restart', 'reload', 'try-restart'].includes(action ?? '')) {
    throw new SimError('usage: openshift-sim-hook SERVICE start|stop|restart [--version V] [--node NAME]', 2);
  }
  const dir = process.env.DROVER_CLUSTER_STATE;
  if (!dir) return 0; // not part of a simulated cluster: nothing to tell
  const host = process.env.DROVER_SIM_HOST || os.hostname();
  const running = action !== 'stop';
  const clusterFile = path.join(dir, 'cluster.json');
  const node = String(a.opts.node ?? process.env.DROVER_SIM_NODE_NAME ?? host);
  // every shared file is written under the cluster lock: they may be hard links seen by other hosts
  const registered = withLock(clusterFile, () => {
    const svcFile = C.serviceStatusFile(dir, host);
    const all = readJson(svcFile, { services: {} });
    const prev = all.services?.[service];
    const version = running ? String(a.opts.version ?? rpmVersion(SERVICE_PACKAGES[service] ?? service) ?? prev?.version ?? '') : prev?.version ?? '';
    all.services = { ...(all.services ?? {}), [service]: { running, version, ts: new Date().toISOString() } };
    writeJson(svcFile, all);
    if (!NODE_SERVICES.includes(service)) return false;
    writeJson(C.nodeStatusFile(dir, node), { node, host, running, version, ts: new Date().toISOString() });
    if (!running) return false;
    const st = readJson(clusterFile, C.emptyState());
    if (C.findObject(st, 'Node', '', node)) return false;
    const labels = { 'kubernetes.io/hostname': node };
    for (const kv of (process.env.DROVER_SIM_NODE_LABELS ?? '').split(',').filter(Boolean)) {
      const i = kv.indexOf('=');
      labels[kv.slice(0, i)] = kv.slice(i + 1);
    }
    // DROVER_SIM_NODE_SCHEDULABLE=false: the kubelet's --register-schedulable=false (openshift_schedulable=false)
    const schedulable = process.env.DROVER_SIM_NODE_SCHEDULABLE !== 'false';
    C.putObject(st, { kind: 'Node', apiVersion: 'v1', metadata: { name: node, labels, annotations: { 'drover.sim/openshift-version': version } }, spec: schedulable ? {} : { unschedulable: true }, status: {} });
    writeJson(clusterFile, st);
    return { version, schedulable };
  });
  if (registered !== false) emitEvent('node.registered', { node, version: registered.version, schedulable: registered.schedulable });
  return 0;
});
