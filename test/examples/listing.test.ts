// --list-hosts and --list-tasks of every example give the same plays, hosts and task names under
// ansible-playbook and drover (hosts compared as sets: Ansible prints a set in no fixed order).
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './cases.js';
import { ANSIBLE, DROVER, ansibleMissing, droverMissing, parseListing, runTool } from './harness.js';

const skip = ansibleMissing() ?? droverMissing();

describe.concurrent.each(EXAMPLES)('$playbook with $inventory $extra', (c) => {
  const base = ['-i', c.inventory, c.playbook, ...(c.extra ?? [])];

  it.skipIf(skip)('lists the same hosts per play', async () => {
    const [a, d] = await Promise.all([runTool(ANSIBLE, [...base, '--list-hosts']), runTool(DROVER, [...base, '--list-hosts'])]);
    expect(a.rc).toBe(0);
    expect(d.rc).toBe(0);
    const ap = parseListing(a.stdout);
    expect(ap.length).toBeGreaterThan(0);
    expect(parseListing(d.stdout)).toEqual(ap);
  });

  it.skipIf(skip)('lists the same tasks per play', async () => {
    const [a, d] = await Promise.all([runTool(ANSIBLE, [...base, '--list-tasks']), runTool(DROVER, [...base, '--list-tasks'])]);
    expect(a.rc).toBe(0);
    expect(d.rc).toBe(0);
    const ap = parseListing(a.stdout);
    expect(ap.flatMap((p) => p.tasks).length).toBeGreaterThan(0);
    expect(parseListing(d.stdout)).toEqual(ap);
  });
});
