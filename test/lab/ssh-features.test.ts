// issue 4's connection features against a lab's real sshd: bastions (ProxyJump, ProxyCommand)
// with proof that the target was reached from the bastion, ~/.ssh/config semantics (-F), password
// authentication, become with su/sudo passwords, and passphrase-protected keys asked once.
// Where Ansible's behaviour is claimed, the same inventory runs under ansible-playbook too.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readLabRecord, labPaths } from '../../engine/lab/layout.js';
import { labDir } from '../../engine/lab/lab.js';
import { clearSshConfigCache } from '../../engine/transport/ssh-config.js';
import { clearKeyCache, keyStats, setSecretPrompt } from '../../engine/transport/ssh-connect.js';
import { connectSsh } from '../../engine/transport/ssh.js';
import type { ConnectionSpec } from '../../engine/transport/types.js';
import { UnreachableError } from '../../engine/transport/types.js';
import { drover, labSkipReason, playbook, uniqueLabName, writeTemp } from './helpers.js';

const run = promisify(execFile);
const skip = labSkipReason() ?? (existsSync('/usr/bin/sudo') ? undefined : 'sudo is not installed (bin/setup installs it)');
const haveAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return existsSync('/usr/bin/sshpass');
  } catch {
    return false;
  }
})();

const PW = 'al1ce-Secret';
const ROOTPW = 'r00t-Secret';
const WRONG = 'wr0ng-Guess';
const PASSPHRASE = 'key-Phrase-42';

describe.skipIf(skip)('ssh connection features over the lab', () => {
  const name = uniqueLabName('sshfeat');
  let dir: string;
  let port: number;
  const addr: Record<string, string> = {};
  let key: string;
  let kh: string;
  let tmp: string;
  let cfg: string;

  const spec = (over: Partial<ConnectionSpec>): ConnectionSpec => ({
    host: 'h', connection: 'ssh', address: addr.other, port, user: 'root', privateKeyFile: key,
    commonArgs: `-F none -o UserKnownHostsFile=${kh} -o IdentitiesOnly=yes`, hostKeyChecking: true, timeoutSec: 30, ...over,
  });

  beforeAll(async () => {
    tmp = writeTemp({ hosts: '[all]\nbastion\ntarget.internal\nother\n' });
    const up = await drover(['lab', 'up', '-i', join(tmp, 'hosts'), '--name', name, '--user', `alice:${PW}`, '--user', `root:${ROOTPW}`, '--user', 'bob']);
    if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr}`);
    expect(up.stdout + up.stderr).not.toContain(PW);
    dir = labDir(name);
    const lab = readLabRecord(dir);
    port = lab.port;
    for (const h of lab.hosts) addr[h.name === 'target.internal' ? 'target' : h.name] = h.address;
    key = labPaths(dir).clientKey;
    kh = labPaths(dir).knownHosts;
    cfg = join(tmp, 'ssh_config');
    writeFileSync(
      cfg,
      `Host web-a web-b
  HostName ${addr.other}
  User root
Host *.jumped
  HostName ${addr.target}
  ProxyJump root@${addr.bastion}:${port}
Host web-*
  HostName ${addr.bastion}
Host *
  Port ${port}
  User root
  IdentityFile ${key}
  IdentitiesOnly yes
  UserKnownHostsFile ${kh}
`,
    );
    clearSshConfigCache();
  }, 180_000);

  afterAll(async () => {
    setSecretPrompt(undefined);
    await drover(['lab', 'down', name]);
  }, 120_000);

  /** pids holding an established TCP connection to addr:port, and the local ends of each pid's sockets. */
  function sockets(): { local: string; peer: string; pid: number }[] {
    const out = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' });
    return out.split('\n').flatMap((l) => {
      const f = l.trim().split(/\s+/);
      if (f.length < 5) return [];
      return [...l.matchAll(/pid=(\d+)/g)].map((m) => ({ local: f[2], peer: f[3], pid: Number(m[1]) }));
    });
  }

  /** Assert the only connection to the target's sshd comes from the process serving the bastion. */
  function expectReachedFromBastion(): void {
    const s = sockets();
    const toTarget = s.filter((x) => x.peer === `${addr.target}:${port}`);
    expect(toTarget.length).toBeGreaterThan(0);
    for (const c of toTarget) {
      expect(c.pid).not.toBe(process.pid);
      // that process also holds a connection accepted on the bastion's address: it is the bastion's sshd
      expect(s.some((x) => x.pid === c.pid && x.local === `${addr.bastion}:${port}`)).toBe(true);
    }
    expect(s.some((x) => x.pid === process.pid && x.peer === `${addr.target}:${port}`)).toBe(false);
  }

  it('reaches a target through a ProxyJump bastion, one bastion connection for all targets', async () => {
    const args = `-F ${cfg} -o UserKnownHostsFile=${kh} -o ProxyJump=root@${addr.bastion}:${port}`;
    const a = await connectSsh(spec({ host: 't1', address: addr.target, commonArgs: args }));
    const b = await connectSsh(spec({ host: 't2', address: addr.target, commonArgs: args }));
    try {
      expect((await a.exec('cat /etc/hostname')).stdout).toBe('target.internal\n');
      expect((await b.exec('cat /etc/hostname')).stdout).toBe('target.internal\n');
      expectReachedFromBastion();
      const toBastion = sockets().filter((x) => x.pid === process.pid && x.peer === `${addr.bastion}:${port}`);
      expect(toBastion.length).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
    // the bastion's sshd log shows a connection without any session: forwarding only
    expect(readFileSync(labPaths(dir).sshdLog, 'utf8')).toMatch(/Accepted publickey for root/);
  });

  it('reaches a target through ProxyCommand "ssh -W %h:%p bastion" (the real ssh client)', async () => {
    const c = await connectSsh(spec({ host: 't3', address: addr.target, commonArgs: `-o UserKnownHostsFile=${kh} -o ProxyCommand="ssh -F ${cfg} -W %h:%p root@${addr.bastion}"` }));
    try {
      expect((await c.exec('cat /etc/hostname')).stdout).toBe('target.internal\n');
      expectReachedFromBastion();
    } finally {
      await c.close();
    }
  });

  it('reports a bastion that refuses as unreachable, naming the jump host', async () => {
    const err = await connectSsh(spec({ address: addr.target, commonArgs: `-F ${cfg} -o ProxyJump=root@${addr.bastion}:1` })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(new RegExp(`jump host root@${addr.bastion.replace(/\./g, '\\.')}:1.*ECONNREFUSED`));
  });

  it('authenticates with a password; a wrong one is unreachable without printing it', async () => {
    const pw = { user: 'alice', privateKeyFile: undefined, commonArgs: `-F none -o UserKnownHostsFile=${kh} -o IdentitiesOnly=yes -o IdentityFile=/nonexistent` };
    const ok = await connectSsh(spec({ ...pw, password: PW }));
    expect((await ok.exec('id -un; pwd')).stdout).toBe('alice\n/home/alice\n');
    // become: sudo asks alice's password, su asks root's; bob has NOPASSWD sudo
    expect((await ok.exec('id -un', { become: { method: 'sudo', user: 'root', password: PW } })).stdout).toBe('root\n');
    expect((await ok.exec('id -un', { become: { method: 'su', user: 'root', password: ROOTPW } })).stdout).toBe('root\n');
    const badSu = (await ok.exec('id -un', { become: { method: 'su', user: 'root', password: WRONG } })) as { rc: number; stderr: string; becomeFailed?: boolean };
    expect(badSu).toMatchObject({ rc: 1, becomeFailed: true });
    expect(badSu.stderr).toMatch(/Incorrect su password/);
    const badSudo = (await ok.exec('id -un', { become: { method: 'sudo', user: 'root', password: WRONG } })) as { stderr: string };
    expect(badSudo.stderr).toMatch(/Incorrect sudo password/);
    const noPw = (await ok.exec('id -un', { become: { method: 'sudo', user: 'root' } })) as { stderr: string };
    expect(noPw.stderr).toMatch(/Missing sudo password/);
    for (const r of [badSu, badSudo, noPw]) expect(r.stderr).not.toMatch(new RegExp(`${PW}|${ROOTPW}|${WRONG}`));
    await ok.close();
    const bob = await connectSsh(spec({ user: 'bob' }));
    expect((await bob.exec('id -un', { become: { method: 'sudo', user: 'root' } })).stdout).toBe('root\n');
    await bob.close();
    const err = await connectSsh(spec({ ...pw, password: WRONG })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(/Invalid\/incorrect password: Permission denied for alice@/);
    expect(err.message).not.toContain(WRONG);
  });

  it('asks a key passphrase once for all hosts, and retries a wrong one', async () => {
    const enc = encryptedKey();
    clearKeyCache();
    let asked = 0;
    setSecretPrompt(async () => {
      asked++;
      return PASSPHRASE;
    });
    const before = keyStats.reads;
    const conns = await Promise.all(['bastion', 'target', 'other'].map((h) => connectSsh(spec({ host: h, address: addr[h], privateKeyFile: enc }))));
    const names = await Promise.all(conns.map((c) => c.exec('cat /etc/hostname')));
    expect(names.map((r) => r.stdout.trim())).toEqual(['bastion', 'target.internal', 'other']);
    expect(asked).toBe(1);
    expect(keyStats.reads - before).toBe(1);
    await Promise.all(conns.map((c) => c.close()));
    clearKeyCache();
    const answers = ['nope', PASSPHRASE];
    asked = 0;
    setSecretPrompt(async () => answers[asked++]);
    const c = await connectSsh(spec({ privateKeyFile: enc }));
    expect(asked).toBe(2);
    await c.close();
    clearKeyCache();
    setSecretPrompt(undefined);
    const err = await connectSsh(spec({ privateKeyFile: enc })).catch((e) => e);
    expect(err.message).toMatch(/private key .*enc_key is encrypted and drover has no terminal/);
    clearKeyCache();
  });

  /** A passphrase-protected key, authorized in the lab. */
  function encryptedKey(): string {
    const enc = join(tmp, 'enc_key');
    if (!existsSync(enc)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', enc]);
      appendFileSync(labPaths(dir).authorizedKeys, readFileSync(enc + '.pub'));
    }
    return enc;
  }

  it.skipIf(!existsSync('/usr/bin/tmux'))('drover playbook in a terminal asks the passphrase of --private-key / ansible_ssh_private_key_file once', async () => {
    const enc = encryptedKey();
    const conn = `ansible_port=${port} ansible_user=root ansible_python_interpreter=/usr/bin/python3`;
    const d = writeTemp({
      'hosts.ini': `h1 ansible_host=${addr.bastion} ${conn}\nh2 ansible_host=${addr.target} ${conn}\nh3 ansible_host=${addr.other} ${conn} ansible_ssh_private_key_file=${enc}\n[all:vars]\nansible_ssh_common_args=-F none -o UserKnownHostsFile=${kh} -o IdentitiesOnly=yes\n`,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: cat /etc/hostname\n',
    });
    const session = `drover-pp-${process.pid}`;
    const tmux = (...a: string[]) => execFileSync('tmux', a, { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
    const waitFor = async (re: RegExp, ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (re.test(screen())) return;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(`timed out waiting for ${re}:\n${screen()}`);
    };
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd ${d} && node ${join(import.meta.dirname, '..', '..', 'bin', 'drover')} playbook --no-live -i hosts.ini --private-key ${enc} site.yml; echo EXIT=$?; sleep 60`);
    try {
      await waitFor(/Enter passphrase for key/, 90_000);
      tmux('send-keys', '-t', session, PASSPHRASE, 'Enter');
      await waitFor(/EXIT=\d+/, 120_000);
      const out = screen();
      expect(out.match(/Enter passphrase for key/g)?.length).toBe(1);
      expect(out).not.toContain(PASSPHRASE);
      expect(out).toMatch(/EXIT=0/);
      for (const h of ['h1', 'h2', 'h3']) expect(out).toMatch(new RegExp(`${h}\\s+: ok=1`));
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 240_000);

  const recap = (out: string) =>
    Object.fromEntries([...out.matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)/gm)].map((m) => [m[1], { ok: +m[2], unreachable: +m[3], failed: +m[4] }]));

  async function both(inventory: string, book: string, extra: string[] = []): Promise<{ drover: string; ansible?: string }> {
    const d = writeTemp({ 'hosts.ini': inventory, 'site.yml': book });
    const dr = await playbook(['-i', join(d, 'hosts.ini'), join(d, 'site.yml'), ...extra]);
    if (dr.code === -1) throw new Error(dr.stderr);
    let ansible: string | undefined;
    if (haveAnsible) {
      const r = await run('ansible-playbook', ['-i', join(d, 'hosts.ini'), join(d, 'site.yml'), ...extra], {
        cwd: d, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_SSH_CONTROL_PATH_DIR: join(d, 'cp') }, maxBuffer: 1 << 24,
      }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
      ansible = r.stdout;
    }
    return { drover: dr.stdout, ansible };
  }

  const SHOW = `- hosts: all
  gather_facts: false
  tasks:
    - command: sh -c 'echo "$(cat /etc/hostname) $(id -un)"'
      register: r
    - debug:
        msg: "{{ inventory_hostname }}={{ r.stdout }}"
`;

  it('honours ~/.ssh/config semantics (-F): first match wins, inventory vars win, ProxyJump from the file — as ansible-playbook', async () => {
    const inv = `web-a
web-b ansible_user=bob
db.jumped
[all:vars]
ansible_ssh_common_args=-F ${cfg}
ansible_python_interpreter=/usr/bin/python3
`;
    const { drover: d, ansible: a } = await both(inv, SHOW);
    for (const out of [d, a]) {
      if (out === undefined) continue;
      expect(out).toContain('"msg": "web-a=other root"');
      expect(out).toContain('"msg": "web-b=other bob"');
      expect(out).toContain('"msg": "db.jumped=target.internal root"');
    }
    if (a !== undefined) expect(recap(d)).toEqual(recap(a));
  }, 180_000);

  it('password auth and su/sudo become passwords per host give the same results as ansible-playbook, never printing a password', async () => {
    const base = `ansible_host=${addr.other} ansible_port=${port} ansible_user=alice`;
    const inv = `pw-ok ${base} ansible_ssh_pass=${PW} ansible_become=true ansible_become_password=${PW}
pw-bad ${base} ansible_ssh_pass=${WRONG}
su-ok ${base} ansible_ssh_pass=${PW} ansible_become=true ansible_become_method=su ansible_become_password=${ROOTPW}
su-bad ${base} ansible_ssh_pass=${PW} ansible_become=true ansible_become_method=su ansible_become_password=${WRONG}
sudo-bad ${base} ansible_ssh_pass=${PW} ansible_become=true ansible_become_password=${WRONG}
[all:vars]
ansible_ssh_common_args=-o UserKnownHostsFile=${kh} -o IdentitiesOnly=yes -o IdentityFile=/nonexistent
ansible_python_interpreter=/usr/bin/python3
`;
    const { drover: d, ansible: a } = await both(inv, SHOW);
    expect(d).toContain('"msg": "pw-ok=other root"');
    expect(d).toContain('"msg": "su-ok=other root"');
    expect(recap(d)).toEqual({
      'pw-ok': { ok: 2, unreachable: 0, failed: 0 },
      'pw-bad': { ok: 0, unreachable: 1, failed: 0 },
      'su-ok': { ok: 2, unreachable: 0, failed: 0 },
      'su-bad': { ok: 0, unreachable: 0, failed: 1 },
      'sudo-bad': { ok: 0, unreachable: 0, failed: 1 },
    });
    expect(d).toMatch(/pw-bad.*UNREACHABLE[\s\S]*Invalid\/incorrect password/);
    expect(d).toMatch(/su-bad[\s\S]*Incorrect su password/);
    for (const secret of [PW, ROOTPW, WRONG]) expect(d).not.toContain(secret);
    if (a !== undefined) expect(recap(d)).toEqual(recap(a));
  }, 180_000);

  it('become and login passwords appear on no channel: -vvvv, JSON events, the log file, the retry file, stderr', async () => {
    const base = `ansible_host=${addr.other} ansible_port=${port} ansible_user=alice ansible_ssh_pass=${PW}`;
    const d = writeTemp({
      'hosts.ini': `ok ${base} ansible_become=true ansible_become_password=${PW}
su-bad ${base} ansible_become=true ansible_become_method=su ansible_become_password=${WRONG}
pw-bad ansible_host=${addr.other} ansible_port=${port} ansible_user=alice ansible_ssh_pass=${WRONG}
[all:vars]
ansible_ssh_common_args=-o UserKnownHostsFile=${kh} -o IdentitiesOnly=yes -o IdentityFile=/nonexistent
ansible_python_interpreter=/usr/bin/python3
`,
      // the password also reaches a module argument and an error message, under no_log
      'site.yml': `${SHOW}    - command: echo {{ ansible_become_password }}
      no_log: true
    - fail: {msg: "{{ ansible_become_password }}"}
      no_log: true
`,
    });
    const env = { ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_LOG_PATH: join(d, 'run.log'), NO_COLOR: '1' };
    const args = ['playbook', '--no-live', '-i', join(d, 'hosts.ini'), join(d, 'site.yml')];
    onTestFinished(() => rmSync(d, { recursive: true, force: true }));
    for (const [i, extra] of [['-vvvv'], ['--output', 'json'], ['--output', 'json-doc']].entries()) {
      const r = await drover([...args, ...extra], env);
      expect(r.code, r.stdout.slice(-2000)).toBe(4);
      const retry = readFileSync(join(d, 'site.retry'), 'utf8');
      expect(retry).toBe('ok\npw-bad\nsu-bad\n');
      if (i === 0) expect(r.stdout).toMatch(/Incorrect su password/);
      for (const secret of [PW, WRONG]) {
        for (const [what, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['log', readFileSync(join(d, 'run.log'), 'utf8')], ['retry', retry]]) expect(text, `${extra.join(' ')} ${what}`).not.toContain(secret);
      }
    }
  }, 180_000);
});
