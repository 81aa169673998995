// reboot and wait_for_connection over a real sshd through ConnectionPool.reconnect: the "reboot"
// writes a new boot id, kills the listening sshd and the session; the test brings sshd back two
// seconds later on the same port. Proves the real reconnect path (ssh2, refused connections,
// a fresh session afterwards). Skipped without root/sshd.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { ConnectionPool } from '../../engine/scheduler/connections.js';
import type { Connection, ConnectionSpec } from '../../engine/transport/types.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';

describe.skipIf(!canRunSshd())('reboot and wait_for_connection over real ssh', () => {
  let sshd: TestSshd;
  let pool: ConnectionPool;
  const extra: ChildProcess[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
    const spec: ConnectionSpec = {
      host: 'n1', connection: 'ssh', address: sshd.address, port: sshd.port, user: 'root', privateKeyFile: sshd.key,
      commonArgs: `-o UserKnownHostsFile=${sshd.knownHosts}`, hostKeyChecking: true, timeoutSec: 5,
    };
    pool = new ConnectionPool(() => spec);
    writeFileSync(join(sshd.dir, 'boot'), 'b1\n');
  });
  afterAll(async () => {
    await pool.closeAll();
    for (const p of extra) p.kill();
    await sshd.stop();
  });

  /** Bring sshd back on the same port (same keys) after `ms`. */
  const restartAfter = (ms: number) =>
    setTimeout(() => extra.push(spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshd.dir, 'sshd_config')], { stdio: 'ignore' })), ms);

  async function ctx(): Promise<ModuleContext> {
    let conn: Connection = await pool.get('n1');
    const c: ModuleContext = {
      host: 'n1', conn, check: false, diff: false, vars: {}, searchPaths: [], verbosity: 0,
      render: (t) => t, renderTemplate: (t) => t, evaluate: () => undefined,
      run: (cmd, o) => conn.exec(cmd, o),
      reconnect: async (o) => {
        conn = await pool.reconnect('n1', o);
        c.conn = conn;
        return conn;
      },
    };
    return c;
  }

  it('reboot: drops, comes back with a new boot id, test command passes', async () => {
    const d = sshd.dir;
    const boot = join(d, 'boot');
    const c = await ctx();
    expect((await c.run('echo up')).stdout).toBe('up\n');
    restartAfter(2000);
    const r = await getModule('reboot')!.run(
      {
        reboot_command: `echo b2 > ${boot}; kill $(cat ${join(d, 'sshd.pid')}); (sleep 0.3; kill $PPID) >/dev/null 2>&1 &`,
        boot_time_command: `cat ${boot}`,
        test_command: `test -s ${boot}`,
        reboot_timeout: 30,
        connect_timeout: 2,
      },
      c,
    );
    expect(r).toMatchObject({ changed: true, rebooted: true });
    expect(r.failed).toBeUndefined();
    expect(Number(r.elapsed)).toBeGreaterThanOrEqual(1);
    expect(readFileSync(boot, 'utf8')).toBe('b2\n');
    expect((await c.run('echo again')).stdout).toBe('again\n');
  }, 60_000);

  it('wait_for_connection: fails while sshd is away, succeeds once it is back', async () => {
    const c = await ctx();
    const pid = readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim();
    await c.run(`kill ${pid}; (sleep 0.3; kill $PPID) >/dev/null 2>&1 &`).catch(() => undefined);
    await new Promise((res) => setTimeout(res, 800));
    const down = await getModule('wait_for_connection')!.run({ timeout: 2, connect_timeout: 1, sleep: 1 }, c);
    expect(down).toMatchObject({ failed: true, msg: expect.stringMatching(/timed out waiting for ping module test/) });
    restartAfter(1500);
    const up = await getModule('wait_for_connection')!.run({ timeout: 20, connect_timeout: 2, sleep: 1 }, c);
    expect(up.failed).toBeUndefined();
    expect((await c.run('echo back')).stdout).toBe('back\n');
  }, 60_000);
});
