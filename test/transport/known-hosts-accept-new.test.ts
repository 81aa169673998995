// StrictHostKeyChecking=accept-new records a new host key (issue 17, item 5), as ssh does: in
// the first UserKnownHostsFile, `name keytype key` with the name hashed under HashKnownHosts
// (Debian's ssh_config turns it on), so the key is accepted once and a changed key is refused
// afterwards, in this run and the next. Real sshds (two, with different host keys, reached under
// one HostKeyAlias to play a host whose key changed); the file drover writes must be what
// OpenSSH writes (ansible-playbook's ssh recording into its own file) and what ssh-keygen -F finds.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostKeyName } from '../../engine/transport/known-hosts.js';
import { connectSsh } from '../../engine/transport/ssh.js';
import type { ConnectionSpec } from '../../engine/transport/types.js';
import { UnreachableError } from '../../engine/transport/types.js';
import { hasAnsible, runAnsiblePlaybook, runDroverPlaybook } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';

/** ssh-keygen -F: does OpenSSH find a key for `name` in `file`? */
function sshKeygenFinds(file: string, name: string): boolean {
  return spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' }).status === 0;
}

describe.skipIf(!canRunSshd())('accept-new records the host key (real sshd)', () => {
  let a: TestSshd;
  let b: TestSshd;
  const t = tempDir('drover-accept-new-');
  const spec = (s: TestSshd, args: string): ConnectionSpec => ({
    host: 'lab1', connection: 'ssh', address: s.address, port: s.port, user: 'root', privateKeyFile: s.key, commonArgs: args, hostKeyChecking: true, timeoutSec: 5,
  });

  beforeAll(async () => {
    [a, b] = await Promise.all([startSshd('127.0.0.1'), startSshd('127.0.0.1')]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    t.cleanup();
  });

  it('writes the line ssh writes, then enforces it', async () => {
    const file = t.p('plain', 'known_hosts'); // its folder does not exist yet: created as ssh creates ~/.ssh
    const c = await connectSsh(spec(a, `-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${file} -o HashKnownHosts=no`));
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
    // the test sshd's own known_hosts line is in OpenSSH's format
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(a.knownHosts, 'utf8'));
    expect(sshKeygenFinds(file, hostKeyName(a.address, a.port))).toBe(true);
    // b's key under a's name: changed, refused
    writeFileSync(t.p('b-as-a'), readFileSync(file, 'utf8').replace(`[${a.address}]:${a.port}`, `[${b.address}]:${b.port}`));
    const err = await connectSsh(spec(b, `-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${t.p('b-as-a')}`)).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('hashes the name with HashKnownHosts, and a changed key under the same name is refused in the same run', async () => {
    const file = t.p('hashed_known_hosts');
    writeFileSync(file, '# no final newline');
    const args = `-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${file} -o HashKnownHosts=yes -o HostKeyAlias=labhost`;
    const c = await connectSsh(spec(a, args));
    await c.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('# no final newline');
    expect(lines[1]).toMatch(/^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-ed25519 /);
    expect(lines[1]).not.toContain('labhost');
    expect(sshKeygenFinds(file, 'labhost')).toBe(true);
    // a second connection trusts the recorded key: no second line
    await (await connectSsh(spec(a, args))).close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    const err = await connectSsh(spec(b, args)).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED for labhost/);
  });

  describe.skipIf(!hasAnsible)('drover playbook vs ansible-playbook (OpenSSH) over two runs', () => {
    const inventory = (s: TestSshd, knownHosts: string, hash: string) =>
      `labhost ansible_host=${s.address} ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${s.key} ` +
      `ansible_ssh_common_args='-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${knownHosts} -o HostKeyAlias=labhost -o HashKnownHosts=${hash}'\n`;
    const run = (tool: 'ansible' | 'drover', s: TestSshd, knownHosts: string, hash: string) => {
      const inv = t.p(`${tool}-${s.port}-${hash}.ini`);
      writeFileSync(inv, inventory(s, knownHosts, hash));
      // no ControlPersist master: each ansible run checks the host key itself
      const o = { cwd: t.dir, inventory: inv, env: { ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_SSH_ARGS: '-o ControlMaster=no' } };
      return tool === 'ansible' ? runAnsiblePlaybook('pb.yml', o) : runDroverPlaybook('pb.yml', o);
    };
    beforeAll(() => writeFileSync(t.p('pb.yml'), '- hosts: labhost\n  gather_facts: false\n  tasks:\n    - command: echo ran\n'));

    for (const hash of ['no', 'yes']) {
      it(`records on the first run, refuses a changed key on the next (HashKnownHosts=${hash})`, () => {
        const files = { ansible: t.p(`kh-ansible-${hash}`), drover: t.p(`kh-drover-${hash}`) };
        for (const tool of ['ansible', 'drover'] as const) {
          const first = run(tool, a, files[tool], hash);
          expect(first.status, `${tool} first run\n${first.stdout}`).toBe(0);
          expect(existsSync(files[tool]), tool).toBe(true);
          expect(sshKeygenFinds(files[tool], 'labhost'), tool).toBe(true);
          const again = run(tool, a, files[tool], hash);
          expect(again.status, `${tool} same key\n${again.stdout}`).toBe(0);
          const changed = run(tool, b, files[tool], hash);
          expect(changed.status, `${tool} changed key\n${changed.stdout}`).toBe(4);
          expect(changed.stdout, tool).toMatch(/UNREACHABLE!/);
        }
        const [ans, dro] = [readFileSync(files.ansible, 'utf8'), readFileSync(files.drover, 'utf8')];
        if (hash === 'no') expect(dro).toBe(ans);
        else {
          const shape = (s: string) => s.replace(/^\|1\|[^|]+\|[^ ]+ /gm, '|1|<salt>|<hash> ');
          expect(shape(dro)).toBe(shape(ans));
          expect(dro).not.toBe(ans); // a fresh salt each
        }
        // what the file holds is the host's key
        expect(dro.trim().split(' ').slice(1).join(' ')).toBe(execFileSync('ssh-keygen', ['-y', '-f', join(a.dir, 'host_key')], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' '));
      }, 300_000);
    }
  });
});
