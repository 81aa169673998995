// Issue 17: "5% of 200 hosts flapping during serial batches: every host ends in a correct,
// reported state and max_fail_percentage is applied as Ansible applies it". Measured here: a
// 200-host lab (200 real sshd endpoints) comes up in 6-11 s, runs the 3-task play in serial
// batches of 20 in ~20 s and goes down in ~40 s (1,000 unmounts) on this 2-core machine under
// load, so the full size runs. How Ansible applies max_fail_percentage (linear
// strategy: failed hosts of the current batch / batch size, unreachable hosts not counted, the
// whole batch unreachable ends the play) is checked differentially with ansible-playbook on a
// 10-host lab with deterministic down hosts and failures; the 200-host run then checks that
// each host's recap line matches what happened on it, and that --limit @retry converges.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labFault, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths, type LabRecord } from '../../engine/lab/layout.js';
import { drover, labSkipReason, recap, uniqueLabName, writeTemp, type CliResult } from './helpers.js';

const skip = labSkipReason();
const hasAnsible = (() => {
  try {
    return !!readFileSync('/usr/bin/ansible-playbook');
  } catch {
    return false;
  }
})();

async function ansible(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const r = await promisify(execFile)('ansible-playbook', args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

const PLAY = (serial: number, maxFail: number) => `- hosts: all
  gather_facts: false
  serial: ${serial}
  max_fail_percentage: ${maxFail}
  tasks:
    - name: one
      shell: sleep 0.2 && touch /root/one
      args: {creates: /root/one}
    - name: two
      command: touch /root/two creates=/root/two
      failed_when: inventory_hostname in (fail | default('')).split(',')
    - name: three
      command: touch /root/three creates=/root/three
`;

describe.skipIf(skip !== undefined || !hasAnsible)('max_fail_percentage with serial batches, down and failing hosts: drover = ansible-playbook (10 hosts)', () => {
  const name = uniqueLabName('t-maxfail');
  const hosts = Array.from({ length: 10 }, (_, i) => `h${i + 1}`);
  const dir = writeTemp({ hosts: `[web]\n${hosts.join('\n')}\n`, 'play.yml': PLAY(5, 30) });
  let lab: LabRecord;
  const env = { ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_HOST_KEY_CHECKING: 'True', NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' };
  const clean = () => {
    for (const h of lab.hosts) for (const f of ['one', 'two', 'three']) rmSync(join(hostPaths(lab.dir, h.dirName).root, 'root', f), { force: true });
  };
  beforeAll(async () => {
    lab = await labUp({ inventory: [join(dir, 'hosts')], name });
  }, 120_000);
  afterAll(async () => {
    await labDown(name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  // [case, hosts down, hosts whose task "two" fails]
  const cases: [string, string[], string[]][] = [
    ['20% failed in batch 1 (under 30%), one more unreachable: every batch runs', ['h2'], ['h3']],
    ['40% failed in batch 1: the play stops after that batch', [], ['h3', 'h4']],
    ['3 of 5 unreachable in batch 2: unreachable hosts do not count, the play goes on', ['h6', 'h7', 'h8'], ['h1']],
    ['the whole of batch 1 unreachable: the play ends there', ['h1', 'h2', 'h3', 'h4', 'h5'], []],
  ];
  for (const [what, down, fail] of cases) {
    it(what, async () => {
      const inv = labPaths(lab.dir).inventory;
      const args = ['-i', inv, join(dir, 'play.yml'), '-e', `fail=${fail.join(',')}`];
      const results: CliResult[] = [];
      for (const tool of ['ansible', 'drover']) {
        clean();
        for (const h of down) await labFault(name, h, 'down');
        try {
          results.push(tool === 'ansible' ? await ansible(args, env) : await drover(['playbook', '--no-live', ...args], env));
        } finally {
          for (const h of down) await labFault(name, h, 'up');
        }
      }
      const [a, d] = results;
      expect(recap(d.stdout), d.stdout.slice(-3000)).toEqual(recap(a.stdout));
      expect(d.code).toBe(a.code);
      expect(Object.keys(recap(a.stdout)).length).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe.skipIf(skip)('5% of 200 hosts flapping during serial batches of 20 (max_fail_percentage 10)', () => {
  const name = uniqueLabName('t-fleet');
  const hosts = Array.from({ length: 200 }, (_, i) => `f${String(i + 1).padStart(3, '0')}`);
  const flappers = hosts.filter((_, i) => i % 20 === 7); // 10 hosts, one in every batch
  const failer = hosts[45]; // one deterministic failure in batch 3: 1/20 = 5%, under the limit
  const dir = writeTemp({ hosts: `[fleet]\n${hosts.join('\n')}\n`, 'play.yml': PLAY(20, 10) });
  let lab: LabRecord;
  const env = { ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: dir, NO_COLOR: '1' };
  beforeAll(async () => {
    lab = await labUp({ inventory: [join(dir, 'hosts')], name });
  }, 180_000);
  afterAll(async () => {
    await labDown(name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('every host is reported as what happened on it; the play runs every batch; --limit @retry converges', async () => {
    const inv = labPaths(lab.dir).inventory;
    for (const [i, h] of flappers.entries()) await labFault(name, h, 'flap', 150 + 37 * i);
    let r: CliResult;
    try {
      r = await drover(['playbook', '--no-live', '-i', inv, join(dir, 'play.yml'), '-e', `fail=${failer}`], env);
    } finally {
      for (const h of flappers) await labFault(name, h, 'up');
    }
    const rc = recap(r.stdout);
    expect(Object.keys(rc).sort()).toEqual(hosts);
    const done = (h: string, f: string) => existsSync(join(hostPaths(lab.dir, lab.hosts.find((x) => x.name === h)!.dirName).root, 'root', f));
    for (const h of hosts) {
      if (h === failer) {
        expect(rc[h]).toBe('ok=1 changed=1 unreachable=0 failed=1');
        expect(done(h, 'three')).toBe(false);
      } else if (flappers.includes(h)) {
        // ok to the end, or unreachable at some task; never FAILED; what it reports ok happened
        expect(rc[h], h).toMatch(/^ok=([0-3]) changed=\1 unreachable=(0|1) failed=0$/);
        const ok = Number(/^ok=(\d)/.exec(rc[h])![1]);
        for (const [i, f] of ['one', 'two', 'three'].entries()) if (i < ok) expect(done(h, f), `${h} ${f}`).toBe(true);
        if (rc[h].includes('unreachable=0')) expect(ok, h).toBe(3);
      } else {
        // every batch ran: unreachable hosts do not count toward max_fail_percentage
        expect(rc[h], h).toBe('ok=3 changed=3 unreachable=0 failed=0');
        expect(done(h, 'three'), h).toBe(true);
      }
    }
    const unreachable = hosts.filter((h) => rc[h].includes('unreachable=1'));
    expect(unreachable.length, 'the flapping reached the play').toBeGreaterThan(0);
    expect(r.code).toBe(4);
    const retry = readFileSync(join(dir, 'play.retry'), 'utf8').split('\n').filter(Boolean).sort();
    expect(retry).toEqual([failer, ...unreachable].sort());

    // steady again: the retry run finishes what is left (the failure is gone without -e fail)
    const again = await drover(['playbook', '--no-live', '-i', inv, join(dir, 'play.yml'), '--limit', `@${join(dir, 'play.retry')}`], env);
    expect(again.code, again.stdout.slice(-3000)).toBe(0);
    expect(Object.keys(recap(again.stdout)).sort()).toEqual(retry);
    const all = await drover(['playbook', '--no-live', '-i', inv, join(dir, 'play.yml')], { ...env, ANSIBLE_RETRY_FILES_ENABLED: '0' });
    expect(all.code).toBe(0);
    expect(all.stdout).not.toMatch(/changed=[1-9]/);
  }, 300_000);
});
