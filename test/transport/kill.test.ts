// Killing a running command when its signal aborts (task timeouts): the whole process group dies
// on the host — also children the command put in the background — and the connection stays
// usable. Over a real sshd (the persistent shell session, plain and with sudo become) and for
// the local transport.
import { randomInt } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/transport/local.js';
import { connectSsh, type SshConnection } from '../../engine/transport/ssh.js';
import type { Connection, ExecOptions } from '../../engine/transport/types.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';
import { tempDir } from '../support/tmp.js';

/** A sleep whose command line is unique on this (shared) machine. */
function uniqueSleep(): string {
  return `sleep ${randomInt(40_000, 90_000)}`;
}

/** Run `command` and abort it after `afterMs`; returns the result and how long exec took. */
async function runAndAbort(conn: Connection, command: string, afterMs: number, opts: ExecOptions = {}) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), afterMs);
  const started = Date.now();
  const r = await conn.exec(command, { ...opts, signal: ac.signal });
  clearTimeout(timer);
  return { r, tookMs: Date.now() - started };
}

async function survivors(conn: Connection, needle: string): Promise<string> {
  // [s]leep keeps grep from matching itself
  const r = await conn.exec(`ps -eo pid,args | grep '[${needle[0]}]${needle.slice(1)}' || true`);
  return r.stdout.trim();
}

function killGroupTests(name: string, get: () => Connection, opts: () => ExecOptions = () => ({})) {
  it(`${name}: kills the command and its background children, then runs the next command`, { timeout: 60_000 }, async () => {
    const conn = get();
    const s = uniqueSleep();
    const before = await conn.exec('echo $PPID', opts());
    const { r, tookMs } = await runAndAbort(conn, `echo started; ${s} & ${s}; echo never`, 1500, opts());
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('started\n');
    expect(tookMs).toBeLessThan(20_000); // the 11+ hour sleep did not run out
    expect(await survivors(conn, s)).toBe('');
    const after = await conn.exec('echo $PPID; echo alive', opts());
    expect(after.rc).toBe(0);
    expect(after.stdout).toBe(`${before.stdout}alive\n`); // same session shell, still in sync
  });

  it(`${name}: a command whose signal aborted before it started does not run`, { timeout: 60_000 }, async () => {
    const conn = get();
    const ac = new AbortController();
    ac.abort();
    const r = await conn.exec('echo ran', { ...opts(), signal: ac.signal });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('');
  });

  it(`${name}: a command fed stdin is killed too`, { timeout: 60_000 }, async () => {
    const conn = get();
    const s = uniqueSleep();
    const { r } = await runAndAbort(conn, `cat; ${s}`, 1500, { ...opts(), stdin: 'fed\n' });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('fed\n');
    expect(await survivors(conn, s)).toBe('');
    expect((await conn.exec('echo ok', opts())).stdout).toBe('ok\n');
  });
}

describe('local transport', () => {
  const conn = new LocalConnection('local');
  killGroupTests('local', () => conn);
});

const sshdOk = canRunSshd();
const sudoOk = (() => {
  try {
    execFileSync('sudo', ['-n', '-u', 'nobody', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!sshdOk)('ssh transport (real sshd)', () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  beforeAll(async () => {
    sshd = await startSshd('127.0.0.1');
    conn = (await connectSsh({
      host: 'killbox', connection: 'ssh', address: sshd.address, port: sshd.port, user: 'root', privateKeyFile: sshd.key,
      commonArgs: `-o UserKnownHostsFile=${sshd.knownHosts}`, hostKeyChecking: true, timeoutSec: 10,
    })) as SshConnection;
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await sshd?.stop();
  });

  killGroupTests('ssh', () => conn);
  describe.skipIf(!sudoOk)('with sudo become', () => {
    killGroupTests('ssh+sudo', () => conn, () => ({ become: { method: 'sudo', user: 'nobody' } }));
  });

  it('ssh: a queued command whose signal aborts while another runs never starts', { timeout: 60_000 }, async () => {
    const ac = new AbortController();
    const first = conn.exec('sleep 2; echo first');
    const second = conn.exec('echo second', { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    expect((await first).stdout).toBe('first\n');
    const r = await second;
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('');
  });

  it('ssh: timeoutMs still kills on the host on its own', { timeout: 60_000 }, async () => {
    const s = uniqueSleep();
    const r = await conn.exec(`${s} & ${s}`, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(await survivors(conn, s)).toBe('');
  });

  it('drover playbook over ssh: a task past its `timeout` is killed on the host and the next task runs in the same session', { timeout: 120_000 }, () => {
    const dir = tempDir('drover-kill-');
    const s = uniqueSleep();
    writeFileSync(join(dir, 'hosts.ini'), `box ansible_connection=ssh ansible_host=${sshd.address} ansible_port=${sshd.port} ansible_user=root ansible_ssh_private_key_file=${sshd.key} ansible_ssh_common_args="-F none -o UserKnownHostsFile=${sshd.knownHosts}"\n`);
    writeFileSync(join(dir, 'play.yml'), `
- hosts: box
  gather_facts: false
  tasks:
    - raw: echo $PPID
      register: before
    - name: hangs
      shell: ${s} & ${s}
      timeout: 3
      ignore_errors: true
    - raw: echo $PPID
      register: after
    - assert:
        that: before.stdout == after.stdout
`);
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'drover'), 'playbook', '-i', join(dir, 'hosts.ini'), join(dir, 'play.yml')], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' }, timeout: 100_000,
    });
    const out = r.stdout + r.stderr;
    expect(out).toContain('The shell action failed to execute in the expected time frame (3) and was terminated');
    expect(out).toMatch(/box\s+: ok=4 .*failed=0 .*ignored=1/);
    expect(r.status, out).toBe(0);
    expect(execFileSync('sh', ['-c', `ps -eo args | grep -c '^${s}$' || true`]).toString().trim()).toBe('0');
  });
});
