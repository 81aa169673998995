// Issue 17's fault matrix on a small lab (4 hosts, real sshd): each fault gets its expected end
// state (the recap line of every host and the exit code) and a re-run that converges (exit 0,
// only the hosts that did not finish change, then nothing changes). Faults come from
// `drover lab fault` (front: down/up/flap; engine/lab/faults.ts: sshd-kill, reboot, disk-full,
// lock), injected before the run, from the play itself (mid-batch) or while a task runs. Also:
// the lab listens on loopback only.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labEvents, labFault, labStatus, labSync, labUp } from '../../engine/lab/lab.js';
import { labEventErrors } from './lab-events-schema.js';
import { hostPaths, labPaths, type LabRecord } from '../../engine/lab/layout.js';
import { labProcesses } from '../../engine/lab/procs.js';
import { DROVER, drover, labSkipReason, recap, uniqueLabName, writeTemp, type CliResult } from './helpers.js';
import { ANSIBLE_ENV, hasAnsible } from '../modules/helpers/differential.js';

const skip = labSkipReason();
const HOSTS = ['w1', 'w2', 'w3', 'w4'];

describe.skipIf(skip)('fault matrix (drover lab, 4 hosts)', () => {
  const name = uniqueLabName('t-fault');
  const dir = writeTemp({ hosts: `[web]\n${HOSTS.join('\n')}\n[etcd]\nw1\n` });
  let lab: LabRecord;
  let inv = '';
  const env = { ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: dir, NO_COLOR: '1' };
  const root = (h: string) => hostPaths(lab.dir, lab.hosts.find((x) => x.name === h)!.dirName).root;
  const play = (pb: string, ...extra: string[]) => drover(['playbook', '--no-live', '-i', inv, join(dir, pb), ...extra], env);
  const fault = (host: string, ...args: string[]) => drover(['lab', 'fault', name, host, ...args]);

  /** Run a playbook; once `banner` is printed and `afterMs` passed, inject `inject()`. */
  const playDuring = (pb: string, banner: string, afterMs: number, inject: () => Promise<unknown>, ...extra: string[]): Promise<CliResult> => {
    const child = spawn(process.execPath, [DROVER, 'playbook', '--no-live', '-i', inv, join(dir, pb), ...extra], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let fired = false;
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!fired && stdout.includes(banner)) {
        fired = true;
        setTimeout(() => void inject(), afterMs);
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    return new Promise((res) => child.on('close', (code) => res({ code: code ?? -1, stdout, stderr })));
  };

  /** A re-run converges: exit 0, `changes` hosts changed, and one more run changes nothing. */
  const converges = async (pb: string, changes: string[], ...extra: string[]) => {
    const again = await play(pb, ...extra);
    expect(again.code, again.stdout.slice(-3000)).toBe(0);
    const r = recap(again.stdout);
    expect(Object.keys(r).filter((h) => !r[h].includes('changed=0')).sort()).toEqual(changes);
    const third = await play(pb);
    expect(third.code, third.stdout.slice(-3000)).toBe(0);
    expect(third.stdout).not.toMatch(/changed=[1-9]/);
  };

  beforeAll(async () => {
    lab = await labUp({ inventory: [join(dir, 'hosts')], name, rebootSeconds: 1 });
    inv = labPaths(lab.dir).inventory;
  }, 120_000);
  afterAll(async () => {
    await labDown(name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('the lab listens on loopback only: every socket of the front, sshd and etcd is on 127.0.0.0/8', () => {
    const pids = new Set([Number(readFileSync(labPaths(lab.dir).frontPid, 'utf8')), ...labProcesses(lab.dir, { cmdline: true })]);
    const ss = execFileSync('ss', ['-H', '-ltnup'], { encoding: 'utf8' });
    const ours = ss.split('\n').filter((l) => [...l.matchAll(/pid=(\d+)/g)].some((m) => pids.has(Number(m[1]))));
    const addrs = ours.map((l) => l.trim().split(/\s+/)[4]);
    expect(addrs.length).toBeGreaterThanOrEqual(HOSTS.length + 2); // one listener per host, etcd's client and peer ports
    expect(addrs.filter((a) => !/^(127\.\d+\.\d+\.\d+|\[::ffff:127\.\d+\.\d+\.\d+\]):\d+$/.test(a))).toEqual([]);
    expect(ours.some((l) => l.includes('"etcd"'))).toBe(true);
  });

  it('a host down before the run: UNREACHABLE in the recap, exit 4, in the retry file; --limit @retry converges', async () => {
    const pb = 'before.yml';
    writeFileIn(dir, pb, `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: touch /root/before creates=/root/before\n`);
    await labFault(name, 'w2', 'down');
    const r = await play(pb);
    expect(r.code).toBe(4);
    expect(recap(r.stdout)).toEqual({ w1: 'ok=1 changed=1 unreachable=0 failed=0', w2: 'ok=0 changed=0 unreachable=1 failed=0', w3: 'ok=1 changed=1 unreachable=0 failed=0', w4: 'ok=1 changed=1 unreachable=0 failed=0' });
    expect(readFileSync(join(dir, 'before.retry'), 'utf8')).toBe('w2\n');
    await labFault(name, 'w2', 'up');
    await converges(pb, ['w2'], '--limit', `@${join(dir, 'before.retry')}`);
  }, 60_000);

  it('a host down mid-batch (serial 2, injected by the play between two tasks): the rest of its batch and the next batch finish', async () => {
    const pb = 'midbatch.yml';
    writeFileIn(dir, pb, `- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - command: touch /root/a creates=/root/a
    - command: ${process.execPath} ${DROVER} lab fault ${name} w2 down
      delegate_to: localhost
      changed_when: false
      when: inventory_hostname == 'w1' and (inject | default(false) | bool)
    - command: touch /root/b creates=/root/b
`);
    const r = await play(pb, '-e', 'inject=true');
    expect(r.code, r.stdout.slice(-3000)).toBe(4);
    expect(recap(r.stdout)).toEqual({ w1: 'ok=3 changed=2 unreachable=0 failed=0', w2: 'ok=1 changed=1 unreachable=1 failed=0', w3: 'ok=2 changed=2 unreachable=0 failed=0', w4: 'ok=2 changed=2 unreachable=0 failed=0' });
    expect(existsSync(join(root('w2'), 'root/a')) && !existsSync(join(root('w2'), 'root/b'))).toBe(true);
    await labFault(name, 'w2', 'up');
    await converges(pb, ['w2']);
  }, 60_000);

  for (const [key, what, inject] of [
    // sshd-kill and reboot: below, at a fixed point and against ansible-playbook
    ['down', 'the host goes down', () => labFault(name, 'w3', 'down')],
  ] as const) {
    it(`mid-task, ${what}: w3 UNREACHABLE at that task, the others finish, exit 4; the re-run converges`, async () => {
      const pb = `midtask-${key}.yml`;
      const mark = `/root/${pb}`;
      writeFileIn(dir, pb, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: slow\n      shell: sleep 3 && touch ${mark}\n      args: {creates: ${mark}}\n    - command: touch ${mark}.after creates=${mark}.after\n`);
      const r = await playDuring(pb, 'TASK [slow]', 1000, inject);
      expect(r.code, r.stdout.slice(-3000)).toBe(4);
      const rc = recap(r.stdout);
      expect(rc.w3).toBe('ok=0 changed=0 unreachable=1 failed=0');
      for (const h of ['w1', 'w2', 'w4']) expect(rc[h], h).toBe('ok=2 changed=2 unreachable=0 failed=0');
      expect(r.stdout).toMatch(/fatal: \[w3\]: UNREACHABLE!/);
      expect(existsSync(join(root('w3'), `${mark.slice(1)}.after`))).toBe(false);
      await labFault(name, 'w3', 'up');
      await waitConnectable('w3');
      await converges(pb, ['w3']);
    }, 60_000);
  }

  // The same two faults under ansible-playbook, at a point both tools reach the same way: every
  // host's task marks that it started and waits for a go file; once w3's task runs the fault is
  // injected, then every host gets its go file. Exit code, recap and the files each host holds
  // afterwards (sshd's death leaves the command running, a reboot kills it) must be ansible's.
  for (const [key, kind] of [['sshd', 'sshd-kill'], ['reboot', 'reboot']] as const) {
    it.skipIf(!hasAnsible)(`mid-task at a fixed point, ${kind} of w3: exit code, recap and hosts' files are ansible-playbook's; the re-run converges`, async () => {
      const pb = `gate-${key}.yml`;
      const f = (h: string, what: string) => join(root(h), 'root', `gate-${key}.${what}`);
      writeFileIn(dir, pb, `- hosts: all
  gather_facts: false
  tasks:
    - name: gated
      shell: touch /root/gate-${key}.started; while [ ! -e /root/gate-${key}.go ]; do sleep 0.1; done; touch /root/gate-${key}.done
      args: {creates: /root/gate-${key}.done}
    - command: touch /root/gate-${key}.after creates=/root/gate-${key}.after
`);
      const outcome = async (argv: string[], toolEnv: NodeJS.ProcessEnv) => {
        for (const h of HOSTS) for (const w of ['started', 'go', 'done', 'after']) rmSync(f(h, w), { force: true });
        const reboots = () => labEvents(name).filter((e) => e.kind === 'host.rebooted' && e.host === 'w3').length;
        const booted = reboots();
        const child = spawn(argv[0], [...argv.slice(1), '-i', inv, join(dir, pb)], { env: { ...process.env, ...toolEnv } });
        let stdout = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        const closed = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
        await until(() => existsSync(f('w3', 'started')), 60_000);
        expect((await fault('w3', kind)).code).toBe(0);
        for (const h of HOSTS) writeFileSync(f(h, 'go'), '');
        const code = await closed;
        if (kind === 'reboot') await until(() => reboots() > booted, 60_000);
        await labFault(name, 'w3', 'up');
        await waitConnectable('w3');
        const files = Object.fromEntries(HOSTS.map((h) => [h, ['done', 'after'].filter((w) => existsSync(f(h, w)))]));
        return { code, recap: recap(stdout), w3Unreachable: /^fatal: \[w3\]: UNREACHABLE!/m.test(stdout), files, stdout };
      };
      const cp = join(dir, `cp-${key}`);
      const ansible = await outcome(['ansible-playbook'], { ...ANSIBLE_ENV, ANSIBLE_SSH_CONTROL_PATH_DIR: cp });
      const ours = await outcome([process.execPath, DROVER, 'playbook', '--no-live'], env);
      const { stdout: aOut, ...a } = ansible;
      const { stdout: dOut, ...d } = ours;
      // Known difference (issue 17, open; engine/transport/README.md): ansible runs modules under
      // `ssh -tt`, so sshd's death hangs up the pty and SIGHUP kills w3's command; drover's
      // session has no pty and nothing hangs the command up. Compared apart so that everything
      // else is held equal.
      const w3 = { ansible: a.files.w3, drover: d.files.w3 };
      a.files.w3 = d.files.w3 = [];
      expect(d, `--- drover ---\n${dOut.slice(-2500)}\n--- ansible-playbook ---\n${aOut.slice(-2500)}`).toEqual(a);
      expect(w3.ansible).toEqual([]);
      // drover's command is not hung up: it may run on to its end ('done') or be gone with the
      // host's session; both were seen (the reboot always ends it)
      if (kind === 'reboot') expect(w3.drover).toEqual([]);
      else expect([[], ['done']]).toContainEqual(w3.drover);
      // and what that is: w3 UNREACHABLE at the gated task, the others finish, exit 4
      expect(a.code).toBe(4);
      expect(a.recap.w3).toBe('ok=0 changed=0 unreachable=1 failed=0');
      expect(a.w3Unreachable).toBe(true);
      // the go files stay: a re-run goes through w3's gate, changes only w3, then nothing
      await converges(pb, ['w3']);
    }, 240_000);
  }

  it('a hung command: the task timeout fails it, kills it on the host (nothing left running), exit 2; the re-run converges', async () => {
    const pb = 'hung.yml';
    writeFileIn(dir, pb, `- hosts: w1
  gather_facts: false
  tasks:
    - shell: "{{ 'sleep 600 # drover-hung-' ~ run_id if hang | default(false) | bool else 'true' }}"
      timeout: 2
      changed_when: false
`);
    const id = `${process.pid}`;
    const r = await play(pb, '-e', 'hang=true', '-e', `run_id=${id}`);
    expect(r.code, r.stdout.slice(-3000)).toBe(2);
    expect(r.stdout).toContain('The shell action failed to execute in the expected time frame (2) and was terminated');
    expect(recap(r.stdout).w1).toBe('ok=0 changed=0 unreachable=0 failed=1');
    await new Promise((res) => setTimeout(res, 500));
    const left = labProcesses(root('w1')).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`drover-hung-${id}`));
    expect(left).toEqual([]);
    await converges(pb, []);
  }, 60_000);

  it("yum's lock held: the task waits lock_timeout, fails as Ansible's yum does; freed during the wait, the task proceeds", async () => {
    const pb = 'lock.yml';
    writeFileIn(dir, pb, `- hosts: w4\n  gather_facts: false\n  tasks:\n    - yum: {name: drover-no-such-package, state: absent, lock_timeout: "{{ wait | default(1) }}"}\n`);
    expect((await fault('w4', 'lock')).code).toBe(0);
    const r = await play(pb);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('fatal: [w4]: FAILED! => {"changed": false, "msg": "yum lockfile is held by another process"}');
    // released 1.5 s into a 20 s wait: the task goes on
    const t0 = Date.now();
    const freed = await playDuring(pb, 'TASK [yum]', 1500, () => fault('w4', 'unlock'), '-e', 'wait=20');
    expect(freed.code, freed.stdout.slice(-3000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    await converges(pb, []);
  }, 60_000);

  it('a full disk: the write fails with ENOSPC and leaves no partial file; after disk-free the re-run converges', async () => {
    const pb = 'disk.yml';
    writeFileIn(dir, pb, `- hosts: w1
  gather_facts: false
  tasks:
    - file: {path: /srv/backup, state: directory}
    - copy: {content: "{{ 'x' * 300000 }}", dest: /srv/backup/data}
`);
    expect((await fault('w1', 'disk-full', '/srv', '64k')).code).toBe(0);
    try {
      const r = await play(pb);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/fatal: \[w1\]: FAILED!.*(No space left on device|ENOSPC)/);
      expect(existsSync(join(root('w1'), 'srv/backup')) ? readdirSync(join(root('w1'), 'srv/backup')) : []).toEqual([]);
    } finally {
      expect((await fault('w1', 'disk-free', '/srv')).code).toBe(0);
    }
    await converges(pb, ['w1']);
  }, 60_000);

  it('a flapping host: every host ends reported (ok or UNREACHABLE), the flapper never FAILED; once steady the re-run converges', async () => {
    const pb = 'flap.yml';
    const tasks = Array.from({ length: 6 }, (_, i) => `    - shell: sleep 0.3 && touch /root/flap${i}\n      args: {creates: /root/flap${i}}\n`).join('');
    writeFileIn(dir, pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    await labFault(name, 'w4', 'flap', 400);
    let r: CliResult;
    try {
      r = await play(pb);
    } finally {
      await labFault(name, 'w4', 'up');
    }
    const rc = recap(r.stdout);
    expect(Object.keys(rc).sort()).toEqual(HOSTS);
    for (const h of ['w1', 'w2', 'w3']) expect(rc[h]).toBe('ok=6 changed=6 unreachable=0 failed=0');
    expect(rc.w4).toMatch(/failed=0$/);
    expect(r.code).toBe(rc.w4.includes('unreachable=1') ? 4 : 0);
    await waitConnectable('w4');
    const again = await play(pb);
    expect(again.code, again.stdout.slice(-3000)).toBe(0);
    expect(recap(again.stdout).w1).toBe('ok=6 changed=0 unreachable=0 failed=0');
  }, 60_000);

  it('every event the faults wrote fits the lab event schema', async () => {
    await labSync(name);
    const ev = labEvents(name);
    const kinds = new Set(ev.map((e) => e.kind));
    const gated = hasAnsible ? ['fault.sshd-kill', 'fault.reboot', 'host.reboot.requested', 'host.rebooted'] : []; // the fixed-point cases
    for (const k of ['fault.down', 'fault.disk-full', 'fault.disk-free', 'fault.lock', 'fault.unlock', ...gated]) expect(kinds.has(k), k).toBe(true);
    expect(ev.map((e) => labEventErrors(e)).filter(Boolean).join('\n')).toBe('');
  });

  async function waitConnectable(host: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const st = (await labStatus(name)).front?.hosts.find((h) => h.name === host);
      if (st?.state === 'up') return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error(`${host} did not come back`);
  }
});

/** Poll `done` every 100 ms; fails after `ms`. */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 100))) if (Date.now() > end) throw new Error(`not reached within ${ms / 1000} s`);
}

function writeFileIn(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}
