// wait_for_connection and reboot against a simulated host with state: a boot id, sessions that
// die on reboot, a down period during which reconnecting fails, and a virtual clock — so the
// retry/timeout logic is tested without real time. (The end-to-end test runs on `drover lab`.)
import { describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { prepareArgs, validateArgs } from '../../engine/modules-sdk/validate.js';
import { UnreachableError, type Connection, type ExecResult } from '../../engine/transport/types.js';
import { makeReboot, rebootCommand } from '../../modules/reboot.js';
import type { Clock } from '../../modules/lib/reconnect.js';
import { makeWaitForConnection } from '../../modules/wait_for_connection.js';

class FakeHost {
  now = 0;
  boot = 1;
  generation = 0;
  upAt = 0;
  reconnects = 0;
  commands: string[] = [];
  testFailsUntil = 0;
  readonly clock: Clock = { now: () => this.now, sleep: async (ms) => void (this.now += ms) };
  constructor(readonly bootSeconds: number) {}

  connection(): Connection {
    const gen = this.generation;
    const ok = (stdout: string, rc = 0): ExecResult => ({ rc, stdout, stderr: '', durationMs: 1 });
    return {
      host: 'h',
      exec: async (cmd) => {
        this.now += 10;
        if (gen !== this.generation || this.now < this.upAt) throw new UnreachableError('h', 'Connection dropped');
        this.commands.push(cmd);
        if (cmd.startsWith('shutdown -r')) {
          // the session dies with the reboot; the host is back bootSeconds later with a new boot id
          this.generation++;
          this.upAt = this.now + this.bootSeconds * 1000;
          this.boot++;
          throw new UnreachableError('h', 'Connection dropped mid-task');
        }
        if (cmd.includes('boot_id')) return ok(`boot-${this.boot}\n`);
        if (cmd === 'whoami') return this.now < this.testFailsUntil ? ok('', 1) : ok('root\n');
        if (cmd === 'echo pong') return ok('pong\n');
        return ok('', 127);
      },
      putFile: async () => undefined,
      getFile: async () => Buffer.alloc(0),
      close: async () => undefined,
    };
  }

  ctx(check = false): ModuleContext {
    let conn = this.connection();
    const ctx: ModuleContext = {
      host: 'h', conn, check, diff: false, vars: {}, searchPaths: [], verbosity: 0,
      render: (t) => t, renderTemplate: (t) => t, evaluate: () => undefined,
      run: (c, o) => conn.exec(c, o),
      reconnect: async () => {
        this.now += 100;
        this.reconnects++;
        if (this.now < this.upAt) throw new UnreachableError('h', 'Connection refused');
        conn = this.connection();
        ctx.conn = conn;
        return conn;
      },
    };
    return ctx;
  }
}

const run = (mod: ReturnType<typeof makeReboot>, args: Record<string, unknown>, ctx: ModuleContext) => {
  const p = prepareArgs(mod, args, { allowTemplates: false });
  if (p.error) throw new Error(p.error);
  return mod.run(p.args, ctx);
};

describe('schemas', () => {
  it('good and bad arguments', () => {
    expect(validateArgs(getModule('reboot')!, { reboot_timeout: '300', test_command: 'uptime', msg: 'x' })).toBeNull();
    expect(validateArgs(getModule('reboot')!, { timeout: 3 })).toMatch(/Unsupported parameters/);
    expect(validateArgs(getModule('wait_for_connection')!, { delay: 5, timeout: '60', connect_timeout: 2, sleep: 1 })).toBeNull();
    expect(validateArgs(getModule('wait_for_connection')!, { timeout: 'soon' })).toMatch(/cannot be converted to an int/);
  });
  it('reboot command as Ansible builds it', () => {
    expect(rebootCommand({ preRebootDelay: 130, msg: 'Reboot initiated by Ansible' })).toBe("shutdown -r +2 'Reboot initiated by Ansible'");
    expect(rebootCommand({ preRebootDelay: 0, msg: 'x', rebootCommand: 'systemctl reboot' })).toBe('systemctl reboot');
  });
});

describe('reboot', () => {
  it('reboots, waits through the down period, sees a new boot id and a passing test command', async () => {
    const h = new FakeHost(20);
    const r = await run(makeReboot(h.clock), { post_reboot_delay: 2 }, h.ctx());
    expect(r).toMatchObject({ changed: true, rebooted: true });
    expect(r.elapsed).toBeGreaterThanOrEqual(20);
    expect(h.boot).toBe(2);
    expect(h.reconnects).toBeGreaterThan(1);
    expect(h.commands.filter((c) => c === 'whoami')).toHaveLength(1);
  });
  it('retries the test command until it passes', async () => {
    const h = new FakeHost(5);
    h.testFailsUntil = 30_000;
    const r = await run(makeReboot(h.clock), { test_command: 'whoami' }, h.ctx());
    expect(r).toMatchObject({ rebooted: true });
    expect(r.failed).toBeUndefined();
    expect(h.commands.filter((c) => c === 'whoami').length).toBeGreaterThan(1);
  });
  it('fails after reboot_timeout when the host never comes back', async () => {
    const h = new FakeHost(10_000);
    const r = await run(makeReboot(h.clock), { reboot_timeout: 60 }, h.ctx());
    expect(r).toMatchObject({ failed: true, rebooted: true, msg: expect.stringMatching(/Timed out waiting for last boot time check \(timeout=60\)/) });
    expect(Number(r.elapsed)).toBeLessThanOrEqual(61);
  });
  it('check mode reports a reboot and does nothing', async () => {
    const h = new FakeHost(5);
    expect(await run(makeReboot(h.clock), {}, h.ctx(true))).toEqual({ changed: true, elapsed: 0, rebooted: true });
    expect(h.commands).toEqual([]);
  });
});

describe('wait_for_connection', () => {
  it('waits until the host answers again', async () => {
    const h = new FakeHost(0);
    h.upAt = 45_000;
    const r = await run(makeWaitForConnection(h.clock), { delay: 3, sleep: 2 }, h.ctx());
    expect(r).toMatchObject({ changed: false });
    expect(r.failed).toBeUndefined();
    expect(Number(r.elapsed)).toBeGreaterThanOrEqual(45);
    expect(h.commands).toContain('echo pong');
  });
  it('times out with the last error, and is skipped in check mode', async () => {
    const h = new FakeHost(0);
    h.upAt = 1e9;
    const r = await run(makeWaitForConnection(h.clock), { timeout: 30 }, h.ctx());
    expect(r).toMatchObject({ failed: true, msg: 'timed out waiting for ping module test: Connection refused' });
    expect(Number(r.elapsed)).toBeLessThanOrEqual(31);
    expect(await run(makeWaitForConnection(h.clock), {}, h.ctx(true))).toMatchObject({ skipped: true });
  });
});

describe('ConnectionPool.reconnect (the hook behind ModuleContext.reconnect)', () => {
  it('replaces the cached connection', async () => {
    const { ConnectionPool } = await import('../../engine/scheduler/connections.js');
    const pool = new ConnectionPool((host) => ({ host, connection: 'local', address: host, port: 22, hostKeyChecking: false, timeoutSec: 5 }));
    const c1 = await pool.get('localhost');
    const c2 = await pool.reconnect('localhost', { timeoutSec: 2 });
    expect(c2).not.toBe(c1);
    expect(await pool.get('localhost')).toBe(c2);
    expect((await c2.exec('echo ok')).stdout).toBe('ok\n');
    await pool.closeAll();
  });
});
