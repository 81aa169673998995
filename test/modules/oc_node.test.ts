// oc_node against the simulated oc (a real process over a temp cluster state): schema, plans,
// cordon/drain/label idempotence, check mode, serial drains that keep the other nodes schedulable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import ocNode, { planNode, type NodeArgs } from '../../modules/oc_node.js';
import { SIM_DIR, simEnv, type SimEnv } from '../lab-openshift/helpers.js';
import { runModule } from './helpers.js';

const OC = path.join(SIM_DIR, 'oc.mjs');
let sim: SimEnv;
const saved = { ...process.env };

function setup() {
  sim = simEnv({
    openshiftVersion: '3.7.23',
    defaults: true,
    nodes: [
      { name: 'm1', roles: ['master'] },
      { name: 'n1', roles: ['compute'], labels: { region: 'group1' } },
      { name: 'n2', roles: ['compute'], labels: { region: 'group1' } },
      { name: 'n3', roles: ['compute'], labels: { region: 'group2' } },
    ],
    pods: [{ name: 'db-xyz12', node: 'n1', localData: true }, { name: 'bare', node: 'n1', owner: 'none' }],
  });
  Object.assign(process.env, sim.env);
}
beforeEach(setup);
afterEach(() => {
  sim.cleanup();
  process.env = { ...saved };
});

const run = (args: Record<string, unknown>, check = false) => runModule('oc_node', { oc_binary: OC, ...args }, { check });
const unschedulable = () => sim.cluster().objects.filter((o: any) => o.kind === 'Node' && o.spec.unschedulable).map((o: any) => o.metadata.name);

describe('oc_node schema', () => {
  it('accepts names, aliases and selectors; rejects bad combinations', () => {
    expect(validateArgs(ocNode, { name: 'n1', schedulable: false })).toBeNull();
    expect(validateArgs(ocNode, { node: ['n1', 'n2'], drain: true, drain_timeout: 300 })).toBeNull();
    expect(validateArgs(ocNode, { selector: 'region=group1', labels: { a: 'b' }, state: 'absent' })).toBeNull();
    expect(validateArgs(ocNode, { schedulable: false })).toContain('one of the following is required: name, selector');
    expect(validateArgs(ocNode, { name: 'n1', selector: 'a=b', schedulable: true })).toContain('mutually exclusive');
    expect(validateArgs(ocNode, { name: 'n1', state: 'gone' })).toContain('value of state must be one of');
    expect(validateArgs(ocNode, { name: 'n1', timeout: 'soon' })).toContain("argument 'timeout'");
    expect(validateArgs(ocNode, { name: 'n1', evacuate: true })).toContain('Unsupported parameters');
  });
});

describe('planNode', () => {
  const a: NodeArgs = { drain: false, force: true, delete_local_data: true, ignore_daemonsets: true, timeout: 0, state: 'present' };
  const node = { metadata: { name: 'n1', labels: { a: '1' } }, spec: {} };
  it('plans only the differences, cordon before drain', () => {
    expect(planNode(node, [], { ...a, schedulable: true }).commands).toEqual([]);
    expect(planNode(node, [], { ...a, labels: { a: 1, b: true } }).commands).toEqual([['label', 'node', 'n1', 'b=true', '--overwrite']]);
    expect(planNode(node, [], { ...a, labels: { a: 'x', c: 'y' }, state: 'absent' }).commands).toEqual([['label', 'node', 'n1', 'a-', '--overwrite']]);
    const pods = [{ metadata: { name: 'p', ownerReferences: [{ kind: 'ReplicaSet' }] } }];
    expect(planNode(node, pods, { ...a, drain: true, timeout: 60 }).commands).toEqual([
      ['adm', 'manage-node', 'n1', '--schedulable=false'],
      ['adm', 'drain', 'n1', '--force', '--delete-local-data', '--ignore-daemonsets', '--timeout=60s'],
    ]);
    const ds = [{ metadata: { name: 'sdn', ownerReferences: [{ kind: 'DaemonSet' }] } }];
    expect(planNode({ ...node, spec: { unschedulable: true } }, ds, { ...a, drain: true }).commands).toEqual([]);
  });
});

describe('oc_node on the simulated cluster', () => {
  it('cordons, then reports ok the second time; check mode changes nothing', async () => {
    const chk = await run({ name: 'n1', schedulable: false }, true);
    expect(chk.changed).toBe(true);
    expect(unschedulable()).toEqual([]);
    const first = await run({ name: 'n1', schedulable: false });
    expect(first.failed).toBeFalsy();
    expect(first.changed).toBe(true);
    expect(first.results).toEqual({ nodes: [{ name: 'n1', schedulable: false }] });
    expect(unschedulable()).toEqual(['n1']);
    const second = await run({ name: 'n1', schedulable: false });
    expect(second.changed).toBe(false);
    expect(sim.readEvents().filter((e) => e.kind === 'node.schedulable')).toHaveLength(1);
  });

  it('drains with the guide flags, idempotently, and uncordons', async () => {
    const d = await run({ name: 'n1', drain: true, timeout: 30 });
    expect(d.failed).toBeFalsy();
    expect(d.changed).toBe(true);
    expect(d.commands).toEqual([
      'oc adm manage-node n1 --schedulable=false',
      'oc adm drain n1 --force --delete-local-data --ignore-daemonsets --timeout=30s',
    ]);
    const kinds = sim.readEvents().map((e) => e.kind);
    expect(kinds).toEqual(['node.schedulable', 'pod.evicted', 'pod.evicted', 'pod.evicted', 'node.drained']);
    expect((await run({ name: 'n1', drain: true, timeout: 30 })).changed).toBe(false);
    const u = await run({ name: 'n1', schedulable: true });
    expect(u.changed).toBe(true);
    expect(unschedulable()).toEqual([]);
  });

  it('fails with oc’s message when the drain flags do not cover the pods', async () => {
    const r = await run({ name: 'n1', drain: true, force: false });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toContain('use --force to override');
  });

  it('works by selector and manages labels present/absent', async () => {
    const r = await run({ selector: 'region=group1', schedulable: false, labels: { color: 'blue' } });
    expect(r.changed).toBe(true);
    expect(unschedulable()).toEqual(['n1', 'n2']);
    expect((await run({ selector: 'region=group1', labels: { color: 'blue' } })).changed).toBe(false);
    const gone = await run({ selector: 'color=blue', labels: { color: '' }, state: 'absent' });
    expect(gone.changed).toBe(true);
    expect(sim.run('oc', ['get', 'nodes', '-l', 'color', '-o', 'name']).stdout).toBe('');
  });

  it('serial batches never leave more than the batch unschedulable', async () => {
    const nodes = ['n1', 'n2', 'n3'];
    for (const n of nodes) {
      await run({ name: n, drain: true, timeout: 10 });
      await run({ name: n, schedulable: true });
    }
    let down = 0;
    let max = 0;
    for (const e of sim.readEvents().filter((x) => x.kind === 'node.schedulable')) {
      down += e.schedulable ? -1 : 1;
      max = Math.max(max, down);
    }
    expect(max).toBe(1);
    expect(sim.readEvents().filter((e) => e.kind === 'node.drained').map((e) => e.node)).toEqual(nodes);
  });

  it('fails cleanly for an unknown node', async () => {
    const r = await run({ name: 'nope', schedulable: false });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toContain('not found');
  });
});
