// The hooks sit at the guide's points (seed 001 §2.2.3.3, openshift-ansible's upgrade plays), read
// from `--list-tasks` of upgrade.yml under both tools: per master pre hook -> packages -> mid hook
// -> restart -> post hook; per node pre-drain hook -> drain -> pre hook -> packages -> hook ->
// schedulable -> post hook. The lab rehearsal checks the same order from the event log.
import { describe, expect, it } from 'vitest';
import { ANSIBLE, DROVER, ansibleMissing, parseListing, runTool, type Tool } from './harness.js';

const ARGS = ['-i', 'inventories/openshift-3.7-ha/hosts', 'examples/openshift-3.9/upgrade.yml', '--list-tasks'];

const MASTER_ORDER = [
  'Run the master pre hook',
  'Upgrade the master packages',
  'Run the master hook',
  'Restart the master API',
  'Reboot the master',
  'Wait for the master API to answer',
  'Run the master post hook',
  'Record that the master is upgraded',
];
const NODE_ORDER = [
  'Show the nodes of this batch',
  'Leave nodes that are already upgraded alone',
  'Mark the node unschedulable',
  'Run the pre-drain hook',
  'Drain the node',
  'Run the node pre hook',
  'Upgrade the node packages',
  'Restart the node service',
  'Wait for the node to be Ready',
  'Run the node hook',
  'Mark the node schedulable again',
  'Run the node post hook',
];

/** Positions of `wanted` in the play's task names (-1 when missing). */
function positions(tasks: string[], wanted: string[]): number[] {
  const names = tasks.map((t) => t.replace(/ TAGS: \[.*\]$/, ''));
  return wanted.map((w) => names.indexOf(w));
}

const increasing = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]));

describe('hook placement in upgrade.yml', () => {
  // The ansible side is skipped (a documented skip) only where ansible-core is not installed.
  const tools: Tool[] = ansibleMissing() ? [DROVER] : [ANSIBLE, DROVER];
  it.concurrent.each(tools)('$name lists the hooks at the guide points', async (tool) => {
    const r = await runTool(tool, ARGS);
    expect(r.rc, r.stderr).toBe(0);
    const plays = parseListing(r.stdout);
    const masters = plays.filter((p) => p.name === 'Upgrade the masters');
    const nodes = plays.filter((p) => p.name === 'Drain and upgrade nodes');
    // one masters play per pass (3.8 and 3.9), one rolling node play
    expect(masters).toHaveLength(2);
    expect(nodes).toHaveLength(1);
    for (const m of masters) expect(positions(m.tasks, MASTER_ORDER), MASTER_ORDER.join(' < ')).toSatisfy(increasing);
    expect(positions(nodes[0].tasks, NODE_ORDER), NODE_ORDER.join(' < ')).toSatisfy(increasing);
  }, 300_000);
});
