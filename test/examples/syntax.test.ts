// Every example playbook passes --syntax-check under ansible-playbook 2.14 and under drover, and
// every shipped inventory parses the same way under ansible-inventory and `drover inventory`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, INVENTORIES, REPO_ROOT } from './cases.js';
import { ANSIBLE, DROVER, TOOL_ENV, ansibleMissing, runTool } from './harness.js';

const noAnsible = ansibleMissing();
if (noAnsible) console.warn(`test/examples: skipping the ansible side: ${noAnsible}`);

describe.concurrent.each(EXAMPLES.filter((c) => !c.extra))('$playbook with $inventory', (c) => {
  it.skipIf(noAnsible)('passes ansible-playbook --syntax-check', async () => {
    const r = await runTool(ANSIBLE, ['-i', c.inventory, c.playbook, '--syntax-check']);
    expect(r.stderr.replace(/\[WARNING\]: Could not match supplied host pattern.*\n/g, '')).not.toMatch(/ERROR/);
    expect(r.rc).toBe(0);
  }, 300_000);

  it('passes drover playbook --syntax-check', async () => {
    const r = await runTool(DROVER, ['-i', c.inventory, c.playbook, '--syntax-check']);
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.rc).toBe(0);
  }, 300_000);
});

describe.concurrent.each(INVENTORIES)('inventory %s', (inv) => {
  it.skipIf(noAnsible)('lists the same groups, hosts and vars under both tools', () => {
    const run = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...TOOL_ENV } });
    const a = run(['ansible-inventory', '-i', inv, '--list']);
    const d = run([process.execPath, join(REPO_ROOT, 'bin', 'drover'), 'inventory', '-i', inv, '--list']);
    expect(a.status).toBe(0);
    expect(d.status).toBe(0);
    expect(JSON.parse(d.stdout)).toEqual(JSON.parse(a.stdout));
  }, 300_000);
});
