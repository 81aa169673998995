// Temporary files on hosts have names nobody can predict and are created exclusively (issue 17,
// item 6): the content of copy/template/lineinfile... (engine/modules-sdk/writefile.ts) and the
// data wait_for reads from a port go to files mktemp creates. Over the persistent SSH session
// `$$` is the session shell's pid, which every command can read: a name built from it can be
// created first by another user. The test plays that user: it plants a symlink at the name the
// old code used, pointing at a file that must not change, then runs the module over a real sshd.
import { lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type SshConnection } from '../../engine/transport/ssh.js';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';
import { makeCtx, tempDir } from './helpers.js';
import { portProbe } from '../../modules/wait_for.js';

describe.skipIf(!canRunSshd())('temporary files on the host (real sshd)', () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  let pid = '';
  const t = tempDir('drover-tmpnames-');

  beforeAll(async () => {
    sshd = await startSshd('127.0.0.1');
    conn = (await connectSsh({
      host: 'h', connection: 'ssh', address: sshd.address, port: sshd.port, user: 'root', privateKeyFile: sshd.key,
      commonArgs: `-o UserKnownHostsFile=${sshd.knownHosts}`, hostKeyChecking: true, timeoutSec: 5,
    })) as SshConnection;
    pid = (await conn.exec('echo $$')).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
  });
  afterAll(async () => {
    await conn?.close();
    await sshd?.stop();
    t.cleanup();
  });

  it('copy writes through a file of its own, not through a name planted beside the destination', async () => {
    const victim = t.p('victim');
    writeFileSync(victim, 'precious\n');
    const dir = t.p('dest');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    symlinkSync(victim, join(dir, `.drover.${pid}.tmp`));
    const r = await getModule('copy')!.run({ content: 'new content\n', dest: join(dir, 'file'), mode: '0644' }, makeCtx({ conn }));
    expect(r.failed, JSON.stringify(r)).toBeFalsy();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'file')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('new content\n');
    expect((lstatSync(join(dir, 'file')).mode & 0o7777).toString(8)).toBe('644');
    // nothing of its own left behind
    expect(readdirSync(dir).sort()).toEqual([`.drover.${pid}.tmp`, 'file']);
  });

  it('a new file without a mode gets 0666 less the umask, as before', async () => {
    const dest = t.p('plain-new');
    const r = await getModule('copy')!.run({ content: 'x\n', dest }, makeCtx({ conn }));
    expect(r.failed, JSON.stringify(r)).toBeFalsy();
    const umask = parseInt((await conn.exec('umask')).stdout.trim(), 8);
    expect((lstatSync(dest).mode & 0o777).toString(8)).toBe((0o666 & ~umask).toString(8));
  });

  describe('wait_for with search_regex', () => {
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer((s) => s.end('service ready\n'));
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((res) => server.close(() => res())));

    it('reads the port into a file of its own, not through a name planted in /tmp', async () => {
      // the probe runs under `timeout ... /bin/sh -c`: $$ is a fresh shell's pid, one of the
      // next ones on the host, so the planting covers the next few thousand pids
      const victim = t.p('victim-wf');
      writeFileSync(victim, 'precious\n');
      const next = Number((await conn.exec("sh -c 'echo $$'")).stdout.trim());
      const planted = Array.from({ length: 5000 }, (_, i) => `/tmp/.drover-wf.${next + 1 + i}`);
      for (const p of planted) {
        rmSync(p, { force: true });
        symlinkSync(victim, p);
      }
      try {
        const r = await getModule('wait_for')!.run({ host: '127.0.0.1', port, search_regex: 'ready', timeout: 10 }, makeCtx({ conn }));
        expect(r.failed, JSON.stringify(r)).toBeFalsy();
        expect(readFileSync(victim, 'utf8')).toBe('precious\n');
        expect(planted.every((p) => lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink())).toBe(true);
      } finally {
        for (const p of planted) rmSync(p, { force: true });
      }
    });

    it('the probe script names no file after the shell pid and creates it with mktemp', () => {
      const script = portProbe('127.0.0.1', port, 5, true);
      expect(script).not.toContain('$$');
      expect(script).toMatch(/f=\$\(mktemp "\$\{TMPDIR:-\/tmp\}\/\.drover-wf\.XXXXXXXXXX"\)/);
      expect(portProbe('127.0.0.1', port, 5, false)).not.toMatch(/mktemp|\$\$/);
    });
  });
});
