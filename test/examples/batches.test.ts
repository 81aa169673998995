// The node upgrade batches of examples/openshift-3.9/upgrade_nodes.yml, previewed with `-t plan`
// (node selection + one batch report per batch, nothing else runs) against the HA inventory with
// every host on the local connection and test/examples/fixtures/bin/oc answering `oc get nodes`.
// The expected batches follow from the issue: inventory order, serial as a count or a percentage
// of the selected nodes (rounded down, at least 1), masters never in the node play, the label
// selecting exactly the nodes the cluster reports with it. Both tools must agree.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { ANSIBLE, DROVER, ansibleMissing, parseBatches, runTool, type Tool } from './harness.js';

const FIXTURES = join(REPO_ROOT, 'test', 'examples', 'fixtures');
const ENV = {
  PATH: `${join(FIXTURES, 'bin')}:${process.env.PATH ?? ''}`,
  DROVER_TEST_NODES: join(FIXTURES, 'nodes-ha.json'),
};

const INFRA = ['infra1.example.com', 'infra2.example.com'];
const GROUP1 = [1, 2, 3, 4].map((i) => `node${i}.example.com`);
const GROUP2 = [5, 6, 7, 8].map((i) => `node${i}.example.com`);
const ALL = [...INFRA, ...GROUP1, ...GROUP2];

/** Splits `hosts` into consecutive batches of `size`. */
function chunk(hosts: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}

const CASES: { title: string; extra: string[]; expected: string[][] }[] = [
  { title: 'serial=2', extra: ['-e', 'openshift_upgrade_nodes_serial=2'], expected: chunk(ALL, 2) },
  { title: 'serial="20%" of 10 nodes', extra: ['-e', 'openshift_upgrade_nodes_serial="20%"'], expected: chunk(ALL, 2) },
  { title: 'serial=2 and label region=group1', extra: ['-e', 'openshift_upgrade_nodes_serial="2"', '-e', 'openshift_upgrade_nodes_label="region=group1"'], expected: chunk(GROUP1, 2) },
  { title: 'serial="20%" and label region=group1', extra: ['-e', 'openshift_upgrade_nodes_serial="20%"', '-e', 'openshift_upgrade_nodes_label="region=group1"'], expected: chunk(GROUP1, 1) },
  { title: 'serial=3 and label region=group2', extra: ['-e', 'openshift_upgrade_nodes_serial=3', '-e', 'openshift_upgrade_nodes_label=region=group2'], expected: chunk(GROUP2, 3) },
];

function preview(tool: Tool, extra: string[]) {
  return runTool(
    tool,
    ['-i', 'inventories/openshift-3.7-ha/hosts', 'examples/openshift-3.9/upgrade_nodes.yml', '-t', 'plan', '-e', 'ansible_connection=local', ...extra],
    ENV,
    280_000,
  );
}

describe('upgrade_nodes.yml batches (-t plan)', () => {
  const noAnsible = ansibleMissing();

  // Both tools per case side by side; cases one after the other (each ansible run starts 14 local
  // hosts, and many at once starve each other on a small CI machine).
  it.each(CASES)('$title', async ({ extra, expected }) => {
    const tools = noAnsible ? [DROVER] : [ANSIBLE, DROVER];
    const results = await Promise.all(tools.map((t) => preview(t, extra)));
    tools.forEach((t, i) => {
      expect(results[i].rc, `${t.name}: ${results[i].stdout}${results[i].stderr}`).toBe(0);
      expect(parseBatches(results[i].stdout, 'node upgrade batch:'), t.name).toEqual(expected);
    });
  }, 300_000);

  it('a label no node carries stops the run before any batch', async () => {
    const tools = noAnsible ? [DROVER] : [ANSIBLE, DROVER];
    const results = await Promise.all(tools.map((t) => preview(t, ['-e', 'openshift_upgrade_nodes_label=region=nowhere'])));
    tools.forEach((t, i) => {
      expect(results[i].rc, `${t.name}: ${results[i].stdout.slice(-2000)}${results[i].stderr}`).toBe(2);
      expect(results[i].stdout, t.name).toMatch(/matches no node in the cluster/);
      expect(parseBatches(results[i].stdout, 'node upgrade batch:'), t.name).toEqual([]);
    });
  }, 300_000);
});
