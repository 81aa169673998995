// Plugs the simulated OpenShift into `drover lab` (lab.ts calls setupHost for every host of an
// inventory): for an OpenShift inventory (a `masters` or `nodes` group) it seeds the lab-wide
// cluster state from the inventory once, then installs the tools into each host. A failure
// here only warns: a lab without the OpenShift simulation is still useful.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installOpenShiftSim } from './install.js';
import { writeClusterState, type SeedNode } from './seed.js';

/** What lab.ts hands over (structural, so this file does not import the lab core). */
export interface OpenShiftSetupContext {
  lab: { dir: string; hosts: { name: string; groups: string[] }[] };
  inventory: { hostVars(host: string): Record<string, unknown> };
  host: { name: string; groups: string[] };
  root: string;
  usrUpper: string;
}

/** Version the seeded nodes run until their node service reports one. */
export const DEFAULT_SEED_VERSION = '3.7.23';

export const clusterDirOf = (labDir: string) => join(labDir, 'openshift-cluster');

/** openshift_node_labels as a dict (Ansible dict, JSON text or Python-ish "{'k': 'v'}"). */
export function nodeLabels(v: unknown): Record<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  if (typeof v === 'string' && v.trim()) {
    try {
      return nodeLabels(JSON.parse(v.replace(/'/g, '"')));
    } catch {
      return {};
    }
  }
  return {};
}

/** The seed nodes of an inventory: every host of `nodes` and `masters`, with roles and labels. */
export function seedNodes(ctx: OpenShiftSetupContext): SeedNode[] {
  const out: SeedNode[] = [];
  for (const h of ctx.lab.hosts) {
    const g = h.groups;
    if (!g.includes('nodes') && !g.includes('masters')) continue;
    const vars = ctx.inventory.hostVars(h.name);
    const labels = nodeLabels(vars.openshift_node_labels);
    const master = g.includes('masters');
    const roles = master ? ['master'] : labels.region === 'infra' ? ['infra'] : ['compute'];
    const schedulable = vars.openshift_schedulable === undefined ? !master : String(vars.openshift_schedulable).toLowerCase() === 'true';
    out.push({ name: String(vars.openshift_hostname ?? h.name), roles, labels, schedulable, version: String(vars.drover_lab_openshift_version ?? DEFAULT_SEED_VERSION) });
  }
  return out;
}

/**
 * The joining nodes of an inventory: hosts of `new_nodes` (blue-green, scale-up) that are not in
 * `nodes`/`masters`. They are not in the seeded cluster; their node service registers them with
 * their `openshift_node_labels` (the kubelet's node-labels) and, with `openshift_schedulable=false`,
 * unschedulable (the kubelet's register-schedulable=false).
 */
export function joiningNodes(ctx: OpenShiftSetupContext): { host: string; node: SeedNode }[] {
  const out: { host: string; node: SeedNode }[] = [];
  for (const h of ctx.lab.hosts) {
    const g = h.groups;
    if (!g.includes('new_nodes') || g.includes('nodes') || g.includes('masters')) continue;
    const vars = ctx.inventory.hostVars(h.name);
    const schedulable = vars.openshift_schedulable === undefined ? true : String(vars.openshift_schedulable).toLowerCase() === 'true';
    out.push({ host: h.name, node: { name: String(vars.openshift_hostname ?? h.name), labels: nodeLabels(vars.openshift_node_labels), schedulable } });
  }
  return out;
}

export function setupHost(ctx: OpenShiftSetupContext): void {
  try {
    const nodes = seedNodes(ctx);
    if (nodes.length === 0) return;
    const joining = joiningNodes(ctx);
    const dir = clusterDirOf(ctx.lab.dir);
    const state = join(dir, 'cluster.json');
    if (!existsSync(state) || readFileSync(state, 'utf8').trim() === '') {
      writeClusterState(dir, { openshiftVersion: nodes[0].version ?? DEFAULT_SEED_VERSION, nodes, defaults: true });
    }
    const me =
      nodes.find((n, i) => ctx.lab.hosts.filter((h) => h.groups.includes('nodes') || h.groups.includes('masters'))[i]?.name === ctx.host.name) ??
      joining.find((j) => j.host === ctx.host.name)?.node;
    installOpenShiftSim(ctx.root, dir, {
      host: ctx.host.name,
      hosts: ctx.lab.hosts.map((h) => h.name),
      nodes: [...nodes, ...joining.map((j) => j.node)].map((n) => n.name),
      nodeName: me?.name ?? ctx.host.name,
      nodeLabels: me?.labels,
      registerSchedulable: me?.schedulable !== false,
      usrDir: ctx.usrUpper,
    });
  } catch (e) {
    process.stderr.write(`drover lab: OpenShift simulation not installed on ${ctx.host.name}: ${(e as Error).message}\n`);
  }
}
