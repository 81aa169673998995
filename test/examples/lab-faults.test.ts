// Issue 17's faults during the real upgrade (examples/openshift-3.9 on the small HA lab, as in
// lab-upgrade.test.ts): a full disk under one etcd member's data during the etcd backup, a master
// hook that fails on one master, `kill -9` of the controller in the middle of a node batch and an
// unannounced reboot of a node during its upgrade. Each has its expected end state (exit code,
// recap, what the cluster shows in the lab's event log) and a plain re-run that converges:
// every node on 3.9 and schedulable, and one more run touches nothing.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { touched, unschedulableAfter, upgradedHosts, type Ev } from './invariants.js';
import { droverSync as drover, labPlay, labSkip, labUp, runningVersion } from './lab-rehearsal.js';
import { recap } from '../lab/helpers.js';
import { tempDir } from '../support/tmp.js';

const NAME = `ex-faults-${process.pid}`;
const INV = 'test/examples/fixtures/lab-ha-small/hosts';
const MASTERS = ['master1.example.com', 'master2.example.com'];
const NODES = ['node1.example.com', 'node2.example.com', 'node3.example.com'];

/** Poll `done` (every 200 ms) until it holds; fails after `ms`. */
async function waitFor(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 200))) {
    if (Date.now() > end) throw new Error(`not reached within ${ms / 1000} s`);
  }
}
const events = (): Ev[] => JSON.parse(drover('lab', 'events', NAME, '--json').stdout) as Ev[];
const skip = labSkip(['rpmbuild', 'createrepo_c', 'dnf', 'etcd']);

describe.skipIf(skip)('faults during the OpenShift 3.7 -> 3.9 upgrade in the lab', () => {
  let labInv = '';
  const tmp = tempDir('drover-lab-faults-');
  const play = (pb: string, ...extra: string[]) => labPlay(labInv, pb, ...extra);

  /** upgrade_nodes.yml as a child process; `onEvent` sees each new lab event (may kill it). */
  const nodesWatched = (onEvent: (e: Ev, child: ReturnType<typeof spawn>) => void) => {
    const file = join(dirname(dirname(labInv)), 'events.jsonl');
    let offset = readFileSync(file).length;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'drover'), 'playbook', '--no-live', '-i', labInv, 'examples/openshift-3.9/upgrade_nodes.yml', '-e', 'lab_events=true', '-e', 'openshift_upgrade_nodes_serial=2'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const timer = setInterval(() => {
      const buf = readFileSync(file);
      const text = buf.subarray(offset, buf.lastIndexOf(10) + 1).toString();
      offset += Buffer.byteLength(text);
      for (const line of text.split('\n').filter(Boolean)) onEvent(JSON.parse(line) as Ev, child);
    }, 100);
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((res) =>
      child.on('close', (code, signal) => {
        clearInterval(timer);
        res({ code, signal, stdout });
      }),
    );
  };

  beforeAll(async () => {
    labInv = labUp(INV, NAME);
    const prov = await play('lab/provision_3.7.yml');
    expect(prov.rc, prov.stdout.slice(-4000)).toBe(0);
  }, 600_000);
  afterAll(() => {
    drover('lab', 'down', NAME);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it("a full disk under master2's etcd data: the backup refuses, the gate stops the run (exit 2); after disk-free it converges", async () => {
    const m = MASTERS[1];
    const full = drover('lab', 'fault', NAME, m, 'disk-full', '/var/lib/etcd', '256k');
    expect(full.status, full.stderr).toBe(0);
    let r;
    try {
      r = await play('etcd_backup.yml');
    } finally {
      expect(drover('lab', 'fault', NAME, m, 'disk-free', '/var/lib/etcd').status).toBe(0);
    }
    expect(r.rc, r.stdout.slice(-4000)).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`fatal: \\[${m.replace(/\./g, '\\.')}\\]: FAILED!.*Kb disk space required for etcd backup, \\d+ Kb available`));
    expect(r.stdout).toContain(`The following hosts did not complete etcd backup: ${m}`);
    expect(recap(r.stdout)[m]).toMatch(/failed=1$/);
    // backup folders are named to the second: master1's first backup must not take the name
    await new Promise((res) => setTimeout(res, 1100));
    const again = await play('etcd_backup.yml');
    expect(again.rc, again.stdout.slice(-4000)).toBe(0);
  }, 300_000);

  it('a master hook that fails on master2: master1 is upgraded, the run stops at master2 (exit 2); the re-run converges', async () => {
    const hook = join(tmp, 'bad_master_hook.yml');
    writeFileSync(hook, `- name: refuse on master2\n  fail: {msg: "hook refused on {{ inventory_hostname }}"}\n  when: inventory_hostname == '${MASTERS[1]}'\n- command: lab-event hook.run hook=master\n  changed_when: false\n`);
    const before = events().length;
    const r = await play('upgrade_control_plane.yml', '-e', `openshift_master_upgrade_hook=${hook}`);
    expect(r.rc, r.stdout.slice(-4000)).toBe(2);
    expect(r.stdout).toContain(`"msg": "hook refused on ${MASTERS[1]}"`);
    const rc = recap(r.stdout);
    expect(rc[MASTERS[0]]).toMatch(/unreachable=0 failed=0$/);
    expect(rc[MASTERS[1]]).toMatch(/unreachable=0 failed=1$/);
    const ev = events().slice(before);
    // the control plane goes 3.7 -> 3.8 -> 3.9 in two passes; the first pass stopped at master2
    expect(runningVersion(ev, MASTERS[0], 'atomic-openshift-master-api')).toMatch(/^3\.8\./);
    expect(runningVersion(events(), MASTERS[1], 'atomic-openshift-master-api')).toMatch(/^3\.7\./);
    expect(upgradedHosts(ev, NODES)).toEqual([]);

    const mid = events().length;
    const again = await play('upgrade_control_plane.yml');
    expect(again.rc, again.stdout.slice(-4000)).toBe(0);
    const all = events();
    for (const m of MASTERS) expect(runningVersion(all, m, 'atomic-openshift-master-api'), m).toMatch(/^3\.9\./);
    // master1 resumes where it stopped: only its 3.8 -> 3.9 pass, no 3.7 -> 3.8 again
    const m1 = all.slice(mid).filter((e) => e.host === MASTERS[0] && e.kind === 'package.changed' && /^atomic-openshift/.test(String(e.name)) && !/excluder/.test(String(e.name)));
    expect(m1.length).toBeGreaterThan(0);
    expect(m1.filter((e) => !String(e.from).startsWith('3.8.'))).toEqual([]);
  }, 600_000);

  // Self-contained: the node play refuses to start while a master runs < 3.9 (pre_checks.yml), so
  // the control plane is brought to 3.9 here when the case before did not (run alone, -t).
  it('kill -9 of drover mid node batch, then a reboot of node3 during its upgrade: each re-run converges, every node ends on 3.9 and schedulable', async () => {
    if (!MASTERS.every((m) => /^3\.9\./.test(runningVersion(events(), m, 'atomic-openshift-master-api')))) {
      const cp = await play('upgrade_control_plane.yml');
      expect(cp.rc, cp.stdout.slice(-4000)).toBe(0);
    }
    // 1. SIGKILL as soon as the first node is drained (the cluster simulation records that at
    // once; package changes come from the rpm watcher after the database is quiet, which a fast
    // run can outpace): no recap, no retry file, a node left drained
    const start = events().length;
    const killed = await nodesWatched((e, child) => {
      if (e.kind === 'node.drained' && NODES.includes(String(e.node))) child.kill('SIGKILL');
    });
    expect(killed.signal, killed.stdout.slice(-3000)).toBe('SIGKILL');
    expect(killed.stdout).not.toContain('PLAY RECAP');
    expect(unschedulableAfter(events().slice(start), NODES).length).toBeGreaterThan(0);

    // 2. plain re-run; node3 reboots (no warning) once it is drained: UNREACHABLE, exit 4
    let rebooted = false;
    const second = await nodesWatched((e) => {
      if (!rebooted && e.kind === 'node.drained' && e.node === NODES[2]) {
        rebooted = true;
        drover('lab', 'fault', NAME, NODES[2], 'reboot');
      }
    });
    expect(rebooted, second.stdout.slice(-4000)).toBe(true);
    expect(second.code, second.stdout.slice(-4000)).toBe(4);
    const rc = recap(second.stdout);
    expect(rc[NODES[2]]).toMatch(/unreachable=1 failed=0$/);
    for (const n of NODES.slice(0, 2)) expect(rc[n], n).toMatch(/unreachable=0 failed=0$/);

    // 3. converged: a re-run finishes node3; then nothing is touched
    // the lab's reboot takes 3 s plus the boot's service starts, which a loaded machine stretches
    await waitFor(() => events().slice(start).some((e) => e.kind === 'host.rebooted' && e.host === NODES[2]), 120_000);
    const third = await play('upgrade_nodes.yml');
    expect(third.rc, third.stdout.slice(-4000)).toBe(0);
    const all = events();
    for (const n of NODES) expect(runningVersion(all, n, 'atomic-openshift-node'), n).toMatch(/^3\.9\./);
    expect(unschedulableAfter(all.slice(start), NODES)).toEqual([]);
    const quiet = events().length;
    const fourth = await play('upgrade_nodes.yml');
    expect(fourth.rc, fourth.stdout.slice(-4000)).toBe(0);
    expect(touched(events().slice(quiet), [...MASTERS, ...NODES])).toEqual([]);
  }, 600_000);
});
