// Event sequences of a small rolling upgrade, shared by the live model and view tests: six
// nodes, serial 2, max_fail_percentage 50, a hook and a failure in the second batch.
import type { EngineEvent } from '../../engine/output/events.js';

export const NODES = ['node01', 'node02', 'node03', 'node04', 'node05', 'node06'];

export function playStart(): EngineEvent[] {
  return [
    { kind: 'playbook.start', file: '/srv/upgrade/upgrade_nodes.yml' },
    { kind: 'play.start', name: 'Upgrade nodes', pattern: 'nodes', hosts: NODES.slice(0, 2), strategy: 'linear', serial: 2 },
  ];
}

export function batch(index: number, opts: { fail?: string; hook?: boolean; done?: boolean } = {}): EngineEvent[] {
  const hosts = NODES.slice(index * 2, index * 2 + 2);
  const ev: EngineEvent[] = [
    { kind: 'batch.start', index, count: 3, hosts, maxFailPercentage: 50, playHosts: NODES.length },
    { kind: 'task.start', taskId: 1, name: 'Drain node', action: 'command', handler: false, file: '/srv/upgrade/upgrade_nodes.yml', hosts },
    ...hosts.map((h): EngineEvent => ({ kind: 'host.result', taskId: 1, host: h, status: 'changed', result: { changed: true }, ignored: false })),
  ];
  if (opts.hook) {
    ev.push(
      { kind: 'task.start', taskId: 2, name: 'include_tasks', action: 'include_tasks', handler: false, file: '/srv/upgrade/upgrade_nodes.yml', hosts },
      { kind: 'include', file: '/srv/hooks/pre_node.yml', hosts, hook: true },
      ...hosts.map((h): EngineEvent => ({ kind: 'hook.start', host: h, file: '/srv/hooks/pre_node.yml', hookVar: 'openshift_node_upgrade_pre_hook' })),
      { kind: 'task.start', taskId: 3, name: 'Check node health', action: 'command', handler: false, file: '/srv/hooks/pre_node.yml', hosts },
    );
  }
  if (opts.fail) {
    ev.push(
      { kind: 'task.start', taskId: 4, name: 'Upgrade packages', action: 'dnf', handler: false, file: '/srv/upgrade/upgrade_nodes.yml', hosts },
      ...hosts.map((h): EngineEvent =>
        h === opts.fail
          ? { kind: 'host.result', taskId: 4, host: h, status: 'failed', result: { msg: 'No package atomic-openshift-3.9 available.', failed: true }, ignored: false }
          : { kind: 'host.result', taskId: 4, host: h, status: 'ok', result: {}, ignored: false },
      ),
    );
  }
  if (opts.done) {
    ev.push({ kind: 'batch.done', index, failed: opts.fail ? [opts.fail] : [], unreachable: [] });
  }
  return ev;
}
