// Synthetic event streams for the report's tests: a rolling node upgrade in serial batches, with
// the run's events (batches, hooks, failures, recap) and what a lab would have seen (cordon, drain,
// package change, restart, uncordon per node), optionally with failing or unreachable hosts.
import type { LabRecord, RunRecord } from '../../engine/report/model.js';

export const T0 = Date.parse('2026-12-07T10:00:00.000Z');
export const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** A run of `nodes` hosts in batches of `serial`, each node cordoned, upgraded and uncordoned in its batch. */
export function rollout(nodes: string[], serial: number, o: { fail?: string[]; unreachable?: string[]; pct?: number } = {}) {
  const run: RunRecord[] = [
    { kind: 'playbook.start', ts: at(0), given: 'upgrade.yml', run: { extraVars: { openshift_upgrade_nodes_serial: serial }, limit: 'nodes', tags: ['all'], skipTags: [], check: false, forks: 5, inventory: ['hosts'] } },
  ];
  const lab: LabRecord[] = nodes.map((h) => ({ kind: 'package.changed', time: at(-100), host: h, name: 'atomic-openshift-node', from: '', to: '3.7.44-1.el7' }));
  const batches = Math.ceil(nodes.length / serial);
  let t = 1;
  for (let b = 0; b < batches; b++) {
    const hosts = nodes.slice(b * serial, (b + 1) * serial);
    run.push({ kind: 'play.start', ts: at(t), name: 'Drain and upgrade nodes', pattern: 'nodes', hosts, strategy: 'linear', serial });
    run.push({ kind: 'batch.start', ts: at(t), index: b, count: batches, hosts, ...(o.pct !== undefined ? { maxFailPercentage: o.pct } : {}) });
    run.push({ kind: 'task.start', ts: at(t), taskId: b, name: 'Upgrade the node package', action: 'dnf', handler: false });
    for (const [i, h] of hosts.entries()) {
      const down = t + 0.1 * i;
      lab.push({ kind: 'node.schedulable', time: at(down), host: 'master1', node: h, schedulable: i % 2 ? false : 'false' });
      lab.push({ kind: 'node.drained', time: at(down + 0.5), host: 'master1', node: h });
      run.push({ kind: 'hook.start', ts: at(down + 1), host: h, file: '/x/hooks/pre_node.yml', hookVar: 'openshift_node_upgrade_pre_hook' });
      if (o.fail?.includes(h)) run.push({ kind: 'host.result', ts: at(down + 2), taskId: b, host: h, status: 'failed', result: { msg: 'No package matching' }, ignored: false });
      else if (o.unreachable?.includes(h)) run.push({ kind: 'host.result', ts: at(down + 2), taskId: b, host: h, status: 'unreachable', result: { msg: 'ssh: connect timed out' }, ignored: false });
      else {
        lab.push({ kind: 'package.changed', time: at(down + 2), host: h, name: 'atomic-openshift-node', from: '3.7.44-1.el7', to: '3.9.27-1.el7' });
        lab.push({ kind: 'service.restarted', time: at(down + 3), host: h, service: 'atomic-openshift-node' });
      }
      lab.push({ kind: 'node.schedulable', time: at(down + 4), host: 'master1', node: h, schedulable: i % 2 ? true : 'true' });
    }
    const failed = hosts.filter((h) => o.fail?.includes(h));
    const unreachable = hosts.filter((h) => o.unreachable?.includes(h));
    run.push({ kind: 'batch.done', ts: at(t + 5), index: b, failed, unreachable });
    t += 6;
  }
  const stats = Object.fromEntries(nodes.map((h) => [h, { ok: 3, changed: 1, unreachable: o.unreachable?.includes(h) ? 1 : 0, failed: o.fail?.includes(h) ? 1 : 0, skipped: 0, rescued: 0, ignored: 0 }]));
  run.push({ kind: 'recap', ts: at(t), stats });
  return { run, lab };
}

export const nodeNames = (n: number) => Array.from({ length: n }, (_, i) => `node${i + 1}.example.com`);

