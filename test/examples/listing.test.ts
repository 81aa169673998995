// --list-hosts and --list-tasks of the examples give the same plays, hosts and task names (with
// tags) under ansible-playbook and drover; hosts compared as sets, Ansible prints a set. Playbooks
// imported whole by another case (listing: false) are covered by that case.
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './cases.js';
import { ANSIBLE, DROVER, ansibleMissing, parseListing, runTool } from './harness.js';

const skip = ansibleMissing();
if (skip) console.warn(`test/examples listing: skipped: ${skip}`);

describe.concurrent.each(EXAMPLES.filter((c) => c.listing !== false))('$playbook with $inventory $extra', (c) => {
  it.skipIf(skip)('lists the same plays, hosts and tasks', async () => {
    const base = ['-i', c.inventory, c.playbook, ...(c.extra ?? [])];
    // ansible-playbook prints both listings in one run; drover takes one flag at a time.
    const [a, dh, dt] = await Promise.all([
      runTool(ANSIBLE, [...base, '--list-hosts', '--list-tasks']),
      runTool(DROVER, [...base, '--list-hosts']),
      runTool(DROVER, [...base, '--list-tasks']),
    ]);
    expect(a.rc, a.stderr).toBe(0);
    expect(dh.rc, dh.stderr).toBe(0);
    expect(dt.rc, dt.stderr).toBe(0);
    const ap = parseListing(a.stdout);
    expect(ap.length).toBeGreaterThan(0);
    expect(ap.flatMap((p) => p.tasks).length).toBeGreaterThan(0);
    const hosts = parseListing(dh.stdout);
    const tasks = parseListing(dt.stdout);
    const dp = hosts.map((p, i) => ({ ...p, tasks: tasks[i]?.tasks ?? [] }));
    expect(tasks.map((p) => p.name)).toEqual(hosts.map((p) => p.name));
    expect(dp).toEqual(ap);
  }, 300_000);
});
