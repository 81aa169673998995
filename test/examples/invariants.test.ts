// The event-log invariants on small hand-written logs: each holds on a good log and reports the
// violation on a log that breaks it.
import { describe, expect, it } from 'vitest';
import { backupBeforeMasterPackages, drainedAroundPackages, masterHookOrder, mastersOneAtATime, maxUnschedulable, touched, upgradedHosts, type Ev } from './invariants.js';

let t = 0;
const ev = (host: string, kind: string, d: Record<string, unknown> = {}): Ev => ({ time: `T${String(t++).padStart(4, '0')}`, host, kind, ...d });
const pkg = (host: string, name = 'atomic-openshift-master') => ev(host, 'package.changed', { name, from: '3.7.23', to: '3.9.31' });
const hook = (host: string, h: string) => ev(host, 'hook.run', { hook: h });
const restart = (host: string) => ev(host, 'service.restarted', { service: 'atomic-openshift-master-api' });
const master = (h: string) => [hook(h, 'pre_master'), pkg(h), hook(h, 'master'), restart(h), hook(h, 'post_master')];
const sched = (node: string, s: boolean) => ev('master1', 'node.schedulable', { node, schedulable: s });

describe('control plane invariants', () => {
  const good = [ev('master1', 'etcd.backup', { path: '/var/lib/etcd/x' }), ...master('master1'), ...master('master2')];

  it('hold on a serial upgrade after the backup', () => {
    expect(backupBeforeMasterPackages(good, ['master1', 'master2'])).toEqual([]);
    expect(mastersOneAtATime(good, ['master1', 'master2'])).toEqual([]);
    expect(masterHookOrder(good, ['master1', 'master2'])).toEqual([]);
  });

  it('catch a package change before the backup', () => {
    const bad = [pkg('master2', 'atomic-openshift-excluder'), ...good];
    expect(backupBeforeMasterPackages(bad, ['master1', 'master2'])).toHaveLength(1);
  });

  it('catch two masters at once and a restart before the mid hook', () => {
    const interleaved = [hook('master1', 'pre_master'), pkg('master1'), hook('master2', 'pre_master'), pkg('master2')];
    expect(mastersOneAtATime(interleaved, ['master1', 'master2']).length).toBeGreaterThan(0);
    const early = [hook('master1', 'pre_master'), pkg('master1'), restart('master1'), hook('master1', 'master'), hook('master1', 'post_master')];
    expect(masterHookOrder(early, ['master1'])).toEqual(['master1: order was "pre_master package restart master post_master"']);
  });

  it('accept two passes (3.8 then 3.9)', () => {
    expect(masterHookOrder([...master('master1'), ...master('master1')], ['master1'])).toEqual([]);
  });
});

describe('node invariants', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const upgrade = (n: string) => [sched(n, false), ev('master1', 'node.drained', { node: n }), pkg(n, 'atomic-openshift-node'), sched(n, true)];

  it('count unschedulable nodes over time', () => {
    const batch = [sched('n1', false), sched('n2', false), sched('n1', true), sched('n3', false), sched('n2', true), sched('n3', true)];
    expect(maxUnschedulable(batch, nodes)).toBe(2);
    expect(maxUnschedulable(batch, ['n1'])).toBe(1);
    expect(maxUnschedulable([], nodes, ['n2'])).toBe(1);
  });

  it('require a drain before and schedulable after the packages', () => {
    expect(drainedAroundPackages([...upgrade('n1'), ...upgrade('n2')], nodes)).toEqual([]);
    const undrained = [sched('n1', false), pkg('n1', 'atomic-openshift-node'), sched('n1', true)];
    expect(drainedAroundPackages(undrained, nodes)).toEqual(['n1: packages changed without a drain before']);
    const stuck = upgrade('n1').slice(0, 3);
    expect(drainedAroundPackages(stuck, nodes)).toEqual(['n1: not schedulable again after its packages changed']);
  });

  it('tell which hosts were upgraded or touched at all', () => {
    const log = [...upgrade('n1'), ev('n3', 'service.restarted', { service: 'docker' })];
    expect(upgradedHosts(log, nodes)).toEqual(['n1']);
    expect(touched(log, nodes)).toEqual(['n1', 'n3']);
  });
});
