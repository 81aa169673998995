// The simulated oc as a real process over a temp cluster state: node listing, scheduling,
// drain rules and timing, labels, deletes, storage migration, policy, generic objects, events.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedOptions } from '../../engine/lab/openshift/seed.js';
import { simEnv, type SimEnv } from './helpers.js';

const SEED: SeedOptions = {
  openshiftVersion: '3.7.23',
  defaults: true,
  nodes: [
    { name: 'm1', roles: ['master'] },
    { name: 'n1', roles: ['compute'], labels: { region: 'group1' } },
    { name: 'n2', roles: ['compute'], labels: { region: 'group2' } },
    { name: 'n3', roles: ['compute'], labels: { region: 'group2' } },
  ],
  pods: [
    { name: 'db-xyz12', node: 'n1', localData: true },
    { name: 'bare', node: 'n1', owner: 'none' },
    { name: 'slow-aaaaa', node: 'n2', evictSeconds: 1 },
    { name: 'pdb-bbbbb', node: 'n3', evictable: false },
  ],
};

let sim: SimEnv;
afterEach(() => sim?.cleanup());

describe('oc get nodes', () => {
  it('lists nodes with status, roles and the seeded version', () => {
    sim = simEnv(SEED);
    const r = sim.run('oc', ['get', 'nodes']);
    expect(r.rc).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['m1', 'n1', 'n2', 'n3']);
    expect(lines[2]).toMatch(/^n1\s+Ready\s+compute\s+\S+\s+v1\.7\.6\+a08f5eeb62$/);
  });

  it('filters by selector, shows labels and returns one object or a List as JSON', () => {
    sim = simEnv(SEED);
    const sel = sim.run('oc', ['get', 'nodes', '-l', 'region=group2', '--show-labels']);
    expect(sel.stdout).toMatch(/n2 .*region=group2/);
    expect(sel.stdout).not.toMatch(/\bn1\b/);
    const one = JSON.parse(sim.run('oc', ['get', 'node', 'n1', '-o', 'json']).stdout);
    expect(one.kind).toBe('Node');
    expect(one.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    const list = JSON.parse(sim.run('oc', ['get', 'nodes', '-o', 'json']).stdout);
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(4);
    const jp = sim.run('oc', ['get', 'nodes', '-l', 'region in (group1,group2)', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(jp.stdout).toBe('n1 n2 n3');
  });

  it('fails for an unknown node and an unknown kind', () => {
    sim = simEnv(SEED);
    const r = sim.run('oc', ['get', 'node', 'nope']);
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain('nodes "nope" not found');
    expect(sim.run('oc', ['get', 'widgets']).stderr).toContain("doesn't have a resource type");
  });

  it('refuses to talk without a cluster state', () => {
    sim = simEnv();
    const r = sim.run('oc', ['get', 'nodes']);
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain('refused');
  });

  it('reports the version the node service runs (node-status file) and NotReady when it stops', () => {
    sim = simEnv(SEED);
    const hook = (args: string[]) => sim.run('openshift-sim-hook', args, { DROVER_SIM_NODE_NAME: 'n1' });
    expect(hook(['atomic-openshift-node', 'start', '--version', '3.9.14']).rc).toBe(0);
    expect(sim.run('oc', ['get', 'node', 'n1']).stdout).toMatch(/n1\s+Ready\s+compute\s+\S+\s+v1\.9\.1\+a0ce1bc657/);
    hook(['atomic-openshift-node', 'stop']);
    expect(sim.run('oc', ['get', 'node', 'n1']).stdout).toMatch(/n1\s+NotReady/);
  });
});

describe('oc adm manage-node / cordon', () => {
  it('marks nodes unschedulable by name and selector, events only on change', () => {
    sim = simEnv(SEED);
    expect(sim.run('oc', ['adm', 'manage-node', 'n1', '--schedulable=false']).stdout).toMatch(/n1\s+Ready,SchedulingDisabled/);
    sim.run('oc', ['adm', 'manage-node', 'n1', '--schedulable=false']);
    sim.run('oc', ['adm', 'manage-node', '--selector=region=group2', '--schedulable=false']);
    const ev = sim.readEvents().filter((e) => e.kind === 'node.schedulable');
    expect(ev.map((e) => [e.node, e.schedulable])).toEqual([['n1', false], ['n2', false], ['n3', false]]);
    expect(sim.run('oc', ['adm', 'uncordon', 'n2']).stdout).toBe('node "n2" uncordoned\n');
    expect(sim.run('oc', ['adm', 'uncordon', 'n2']).stdout).toBe('node "n2" already uncordoned\n');
    sim.run('oc', ['adm', 'manage-node', 'n1', '--schedulable']);
    const nodes = sim.cluster().objects.filter((o: any) => o.kind === 'Node');
    expect(nodes.filter((n: any) => n.spec.unschedulable).map((n: any) => n.metadata.name)).toEqual(['n3']);
  });
});

describe('oc adm drain', () => {
  it('refuses local-data and unmanaged pods without the flags, but leaves the node cordoned', () => {
    sim = simEnv(SEED);
    const r = sim.run('oc', ['adm', 'drain', 'n1', '--ignore-daemonsets']);
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain('use --force to override): bare');
    expect(r.stderr).toContain('use --delete-local-data to override): db-xyz12');
    expect(sim.readEvents().map((e) => e.kind)).toEqual(['node.schedulable']);
    const d = sim.run('oc', ['adm', 'drain', 'n1', '--force', '--delete-local-data']);
    expect(d.stderr).toContain('DaemonSet-managed pods');
  });

  it('evicts pods, recreates replicated ones on schedulable nodes and drops bare ones', () => {
    sim = simEnv(SEED);
    const r = sim.run('oc', ['adm', 'drain', 'n1', '--force', '--delete-local-data', '--ignore-daemonsets']);
    expect(r.stderr).toBe('');
    expect(r.rc).toBe(0);
    expect(r.stdout).toContain('node "n1" drained');
    const pods = sim.cluster().objects.filter((o: any) => o.kind === 'Pod');
    const onN1 = pods.filter((p: any) => p.spec.nodeName === 'n1').map((p: any) => p.metadata.name);
    expect(onN1).toHaveLength(1); // the sdn daemonset pod stays
    expect(pods.some((p: any) => p.metadata.name === 'bare')).toBe(false);
    const db = pods.filter((p: any) => p.metadata.name.startsWith('db-'));
    expect(db).toHaveLength(1);
    expect(['n2', 'n3']).toContain(db[0].spec.nodeName);
    const kinds = sim.readEvents().map((e) => e.kind);
    expect(kinds[0]).toBe('node.schedulable');
    expect(kinds.filter((k) => k === 'pod.evicted')).toHaveLength(3);
    expect(kinds[kinds.length - 1]).toBe('node.drained');
  });

  it('waits for slow evictions and times out on pods a disruption budget protects', () => {
    sim = simEnv(SEED);
    const t0 = Date.now();
    const slow = sim.run('oc', ['adm', 'drain', 'n2', '--force', '--delete-local-data', '--ignore-daemonsets', '--timeout=30s']);
    expect(slow.rc).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const stuck = sim.run('oc', ['adm', 'drain', 'n3', '--force', '--delete-local-data', '--ignore-daemonsets', '--timeout=1s']);
    expect(stuck.rc).toBe(1);
    expect(stuck.stderr).toContain('disruption budget');
    expect(stuck.stderr).toContain('Drain did not complete within 1s');
    expect(sim.readEvents().filter((e) => e.kind === 'node.drained').map((e) => e.node)).toEqual(['n2']);
  });
});

describe('labels, deletes and objects', () => {
  it('labels nodes, refuses to overwrite without --overwrite, removes with k-', () => {
    sim = simEnv(SEED);
    expect(sim.run('oc', ['label', 'node', 'n1', 'color=blue']).stdout).toBe('node "n1" labeled\n');
    const r = sim.run('oc', ['label', 'node', 'n1', 'color=green']);
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain("'color' already has a value (blue)");
    sim.run('oc', ['label', 'node', 'n1', 'color=green', '--overwrite']);
    sim.run('oc', ['label', 'node', '-l', 'region=group2', 'color=blue']);
    expect(sim.run('oc', ['get', 'nodes', '-l', 'color=blue', '-o', 'name']).stdout).toBe('node/n2\nnode/n3\n');
    sim.run('oc', ['label', 'node', 'n1', 'color-']);
    const labeled = sim.readEvents().filter((e) => e.kind === 'node.labeled');
    expect(labeled).toHaveLength(5);
    expect((labeled[4].labels as Record<string, string>).color).toBeUndefined();
  });

  it('deletes nodes by selector and reschedules their replicated pods', () => {
    sim = simEnv(SEED);
    sim.run('oc', ['adm', 'manage-node', '--selector=region=group2', '--schedulable=false']);
    const d = sim.run('oc', ['delete', 'node', '--selector=region=group2']);
    expect(d.stdout).toBe('node "n2" deleted\nnode "n3" deleted\n');
    const pods = sim.cluster().objects.filter((o: any) => o.kind === 'Pod');
    expect(pods.filter((p: any) => p.metadata.name.startsWith('slow-'))[0].spec.nodeName).toBe('n1');
  });

  it('migrate storage fails on a Service with duplicate ports (known issue 7.2) and passes once fixed', () => {
    sim = simEnv({
      ...SEED,
      objects: [{ kind: 'Service', apiVersion: 'v1', metadata: { name: 'dup', namespace: 'app' }, spec: { ports: [{ port: 80 }, { port: 80 }] } }],
    });
    const bad = sim.run('oc', ['adm', 'migrate', 'storage', '--include=*', '--confirm']);
    expect(bad.rc).toBe(1);
    expect(bad.stderr).toContain('services/dup');
    expect(sim.run('oc', ['patch', 'svc', 'dup', '-n', 'app', '-p', '{"spec":{"ports":[{"port":80},{"port":81}]}}']).rc).toBe(0);
    expect(sim.run('oc', ['adm', 'migrate', 'storage', '--include=*', '--confirm']).rc).toBe(0);
  });

  it('reconciles policy to the server version once', () => {
    sim = simEnv(SEED);
    sim.run('openshift-sim-hook', ['atomic-openshift-master-api', 'start', '--version', '3.9.14'], { DROVER_SIM_HOST: 'm1' });
    expect(sim.run('oc', ['adm', 'policy', 'reconcile-cluster-roles']).stdout).toContain('clusterrole/admin');
    expect(sim.run('oc', ['adm', 'policy', 'reconcile-cluster-roles', '--confirm']).rc).toBe(0);
    expect(sim.run('oc', ['adm', 'policy', 'reconcile-cluster-roles']).stdout).toBe('');
    expect(sim.readEvents().filter((e) => e.kind === 'policy.reconciled')).toHaveLength(1);
    expect(sim.run('oc', ['version']).stdout).toContain('openshift v3.9.14');
    sim.run('openshift-sim-hook', ['atomic-openshift-master-api', 'stop'], { DROVER_SIM_HOST: 'm1' });
    expect(sim.run('oc', ['get', 'nodes']).stderr).toContain('refused');
  });

  it('gets and patches dc, applies YAML objects and enforces ImageBasedUpgrade stage order', () => {
    sim = simEnv(SEED);
    const img = JSON.parse(sim.run('oc', ['get', '-n', 'default', 'dc/router', '-o', 'json']).stdout).spec.template.spec.containers[0].image;
    expect(img).toContain(':v3.7');
    const p = sim.run('oc', ['patch', 'dc', 'router', '-n', 'default', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
    expect(p.stdout).toBe('deploymentconfig "router" patched\n');
    expect(sim.run('oc', ['patch', 'dc', 'router', '-n', 'default', '-p', '{"spec":{"replicas":2}}']).stdout).toContain('not patched');
    const yml = `${sim.dir}/ibu.yaml`;
    writeFileSync(yml, 'apiVersion: lca.openshift.io/v1\nkind: ImageBasedUpgrade\nmetadata:\n  name: upgrade\nspec:\n  stage: Idle\n  seedImageRef:\n    version: 4.15.2\n');
    expect(sim.run('oc', ['apply', '-f', yml]).stdout).toBe('imagebasedupgrade "upgrade" created\n');
    const skip = sim.run('oc', ['patch', 'ibu', 'upgrade', '--type=merge', '-p', 'spec:\n  stage: Upgrade']);
    expect(skip.rc).toBe(1);
    expect(skip.stderr).toContain('Idle -> Upgrade');
    expect(sim.run('oc', ['patch', 'imagebasedupgrade.lca.openshift.io', 'upgrade', '--type=merge', '-p', '{"spec":{"stage":"Prep"}}']).rc).toBe(0);
    expect(sim.run('oc', ['patch', 'ibu', 'upgrade', '--type=merge', '-p', '{"spec":{"stage":"Upgrade"}}']).rc).toBe(0);
    const ibu = JSON.parse(sim.run('oc', ['get', 'ibu', 'upgrade', '-o', 'json']).stdout);
    expect(ibu.status.conditions[0].type).toBe('UpgradeCompleted');
    expect(sim.readEvents().filter((e) => e.kind === 'ibu.stage').map((e) => e.to)).toEqual(['Prep', 'Upgrade']);
  });
});
