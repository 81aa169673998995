// The SSH transport against a real sshd on loopback: persistent session, framing, timeouts,
// transfers, host key checking, unreachable hosts.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type SshConnection } from '../../engine/transport/ssh.js';
import type { ConnectionSpec } from '../../engine/transport/types.js';
import { UnreachableError } from '../../engine/transport/types.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';

const enabled = canRunSshd();

describe.skipIf(!enabled)('ssh transport (real sshd)', () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  const spec = (over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({
    host: 'lab1', connection: 'ssh', address: sshd.address, port: sshd.port, user: 'root', privateKeyFile: sshd.key,
    commonArgs: `-o UserKnownHostsFile=${sshd.knownHosts}`, hostKeyChecking: true, timeoutSec: 5, ...over,
  });

  beforeAll(async () => {
    sshd = await startSshd('127.0.0.1');
    conn = (await connectSsh(spec())) as SshConnection;
  });
  afterAll(async () => {
    await conn?.close();
    await sshd?.stop();
  });

  it('separates stdout, stderr and rc, with binary and huge output', async () => {
    const r = await conn.exec("printf 'out'; printf 'err' >&2; exit 7");
    expect([r.stdout, r.stderr, r.rc]).toEqual(['out', 'err', 7]);
    const big = await conn.exec('head -c 3000000 /dev/zero | tr "\\0" "x"');
    expect(big.stdout.length).toBe(3_000_000);
    const bin = await conn.exec('printf "\\001\\002\\n\\377"');
    expect(Buffer.from(bin.stdout, 'utf8').length).toBeGreaterThan(0);
    expect(bin.rc).toBe(0);
  });

  it('runs every command in one persistent session without leaking cwd or environment', async () => {
    const a = await conn.exec('echo $$; cd /tmp; export LEAKED=yes');
    const b = await conn.exec('pwd; echo "leaked=${LEAKED:-no}"; cat');
    expect(b.stdout).toBe(`${process.env.HOME ?? '/root'}\nleaked=no\n`);
    expect(a.rc).toBe(0);
    const ppids = await Promise.all([conn.exec('echo $PPID'), conn.exec('echo $PPID')]);
    // both commands' subshells hang off the same long-lived /bin/sh
    expect(ppids[0].stdout).toBe(ppids[1].stdout);
  });

  it('feeds stdin, honours cwd and env per command', async () => {
    const r = await conn.exec('cat; pwd; echo "$FOO"', { stdin: 'hello\n', cwd: '/etc', env: { FOO: "it's" } });
    expect(r.stdout).toBe("hello\n/etc\nit's\n");
  });

  it('kills a command past its timeout and keeps the session usable', async () => {
    const r = await conn.exec('sleep 5; echo never', { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('');
    const after = await conn.exec('echo alive');
    expect(after.stdout).toBe('alive\n');
  });

  it('transfers a 50 MB file with a matching checksum', async () => {
    const data = randomBytes(50 * 1024 * 1024);
    const dest = join(sshd.dir, 'big.bin');
    await conn.putFile(dest, data, { mode: '0640' });
    const r = await conn.exec(`sha256sum ${dest} | cut -d" " -f1; stat -c %a ${dest}`);
    expect(r.stdout).toBe(`${createHash('sha256').update(data).digest('hex')}\n640\n`);
    const small = join(sshd.dir, 'small.txt');
    await conn.putFile(small, "it's small\n");
    expect((await conn.getFile(small)).toString()).toBe("it's small\n");
  });

  it('refuses an unknown host key and says how to accept it', async () => {
    const empty = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const err = await connectSsh(spec({ commonArgs: `-o UserKnownHostsFile=${empty}` })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(/no ssh-ed25519 key for \[127\.0\.0\.1\]:\d+/);
    expect(err.message).toMatch(/ssh-keyscan -p \d+ 127\.0\.0\.1/);
  });

  it('refuses a changed host key even when it is the only entry', async () => {
    const changed = join(sshd.dir, 'changed_known_hosts');
    const [type, blob] = sshd.hostKeyPub.split(/\s+/);
    const mangled = Buffer.from(blob, 'base64');
    mangled[mangled.length - 1] ^= 0xff;
    writeFileSync(changed, `[${sshd.address}]:${sshd.port} ${type} ${mangled.toString('base64')}\n`);
    const err = await connectSsh(spec({ commonArgs: `-o UserKnownHostsFile=${changed}` })).catch((e) => e);
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('connects without checking when host key checking is off', async () => {
    const c = await connectSsh(spec({ commonArgs: '-o UserKnownHostsFile=/nonexistent', hostKeyChecking: false }));
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
  });

  it('reports a refused port as unreachable', async () => {
    const err = await connectSsh(spec({ port: 1 })).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
