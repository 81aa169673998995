// oc_node: the node operations of a rolling upgrade, idempotent like openshift-ansible's
// oc_adm_manage_node/oc_label: mark nodes (by name or selector) schedulable or not, drain them
// (--force --delete-local-data --ignore-daemonsets, with a timeout), set or remove labels. Reads
// `oc get nodes -o json` first and only runs the oc commands that change something.
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { itemsOf, labelString, OcError, ocFailure, ocGetJson, ocOptions, runOc, type OcOptions } from './lib/oc-client.js';

export interface NodeArgs {
  name?: string[];
  selector?: string;
  schedulable?: boolean;
  drain: boolean;
  force: boolean;
  delete_local_data: boolean;
  ignore_daemonsets: boolean;
  timeout: number;
  grace_period?: number;
  labels?: Record<string, unknown>;
  state: 'present' | 'absent';
}

export interface NodePlan {
  name: string;
  /** oc argv lists, in order. */
  commands: string[][];
  schedulable: boolean;
  labels: Record<string, string>;
  drained: boolean;
}

/** Pods a drain would remove (everything but daemonset pods). */
export function evictablePods(pods: any[]): any[] {
  return pods.filter((p) => !(p.metadata?.ownerReferences ?? []).some((r: any) => r.kind === 'DaemonSet' && r.controller !== false));
}

/** What to run for one node given its current state (from `oc get node -o json`) and its pods. */
export function planNode(node: any, pods: any[], a: NodeArgs): NodePlan {
  const name = String(node.metadata.name);
  const commands: string[][] = [];
  const labels: Record<string, string> = { ...(node.metadata.labels ?? {}) };
  let schedulable = !node.spec?.unschedulable;
  const changes: string[] = [];
  for (const [k, v] of Object.entries(a.labels ?? {})) {
    if (a.state === 'absent') {
      if (k in labels) {
        changes.push(`${k}-`);
        delete labels[k];
      }
    } else if (labels[k] !== labelString(v)) {
      changes.push(`${k}=${labelString(v)}`);
      labels[k] = labelString(v);
    }
  }
  if (changes.length) commands.push(['label', 'node', name, ...changes, '--overwrite']);
  if ((a.schedulable === false || a.drain) && schedulable) {
    commands.push(['adm', 'manage-node', name, '--schedulable=false']);
    schedulable = false;
  }
  let drained = false;
  if (a.drain && evictablePods(pods).length > 0) {
    const flags = [
      ...(a.force ? ['--force'] : []),
      ...(a.delete_local_data ? ['--delete-local-data'] : []),
      ...(a.ignore_daemonsets ? ['--ignore-daemonsets'] : []),
      `--timeout=${a.timeout}s`,
      ...(a.grace_period === undefined ? [] : [`--grace-period=${a.grace_period}`]),
    ];
    commands.push(['adm', 'drain', name, ...flags]);
    drained = true;
  }
  if (a.schedulable === true && !schedulable) {
    commands.push(['adm', 'manage-node', name, '--schedulable=true']);
    schedulable = true;
  }
  return { name, commands, schedulable, labels, drained };
}

async function podsOn(ctx: ModuleContext, o: OcOptions, node: string): Promise<any[]> {
  const { doc } = await ocGetJson(ctx, o, ['pods', '--all-namespaces', `--field-selector=spec.nodeName=${node}`]);
  return itemsOf(doc);
}

const ocNode: ModuleDefinition = {
  name: 'oc_node',
  aliases: ['oc_adm_manage_node'],
  description: 'Mark OpenShift nodes (un)schedulable, drain them and manage their labels through oc (idempotent)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'array', items: { type: 'string' }, 'x-aliases': ['node', 'nodes'] },
      selector: { type: 'string' },
      schedulable: { type: 'boolean' },
      drain: { type: 'boolean', default: false },
      force: { type: 'boolean', default: true },
      delete_local_data: { type: 'boolean', default: true },
      ignore_daemonsets: { type: 'boolean', default: true },
      timeout: { type: 'integer', minimum: 0, default: 0, 'x-aliases': ['drain_timeout'] },
      grace_period: { type: 'integer', minimum: -1 },
      labels: { type: 'object' },
      state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
      kubeconfig: { type: 'string' },
      oc_binary: { type: 'string', default: 'oc' },
      debug: { type: 'boolean', default: false },
    },
    additionalProperties: false,
    'x-required-one-of': [['name', 'selector']],
    'x-mutually-exclusive': [['name', 'selector']],
  },
  async run(args, ctx): Promise<ModuleResult> {
    const a = args as unknown as NodeArgs;
    if (a.drain && a.schedulable === true) return { failed: true, changed: false, msg: 'drain and schedulable=true are mutually exclusive: uncordon in a later task' };
    if (a.schedulable === undefined && !a.drain && !a.labels) return { failed: true, changed: false, msg: 'one of schedulable, drain or labels is required' };
    const o = ocOptions(args);
    let nodes: any[];
    try {
      const names = a.name ?? [];
      const { run, doc } = await ocGetJson(ctx, o, names.length ? ['nodes', ...names] : ['nodes', '-l', String(a.selector)]);
      if (!doc) return ocFailure(run, { changed: false }, o.oc);
      nodes = itemsOf(doc);
      const plans: NodePlan[] = [];
      for (const n of nodes) plans.push(planNode(n, a.drain ? await podsOn(ctx, o, n.metadata.name) : [], a));
      const commands = plans.flatMap((p) => p.commands.map((c) => ['oc', ...c].join(' ')));
      const changed = commands.length > 0;
      const summary = plans.map((p) => ({ name: p.name, schedulable: p.schedulable, labels: p.labels, drained: p.drained }));
      const base = { changed, nodes: summary, results: { nodes: summary.map((s) => ({ name: s.name, schedulable: s.schedulable })) }, commands };
      if (ctx.check || !changed) return { ...base, msg: nodes.length ? '' : `no node matches ${a.selector}` };
      for (const p of plans) {
        for (const c of p.commands) {
          const r = await runOc(ctx, o, c, undefined);
          if (r.rc !== 0) return ocFailure(r, { ...base, changed: true, node: p.name }, o.oc);
        }
      }
      return { ...base, msg: '' };
    } catch (e) {
      if (e instanceof OcError) return ocFailure(e.run, { changed: false }, o.oc);
      throw e;
    }
  },
};

export default ocNode;
