// hostname: schema, facts, and real runs inside a private UTS + mount namespace (unshare, as root)
// where /etc/hostname is a bind-mounted temp file — so the machine's own name never changes.
// Skipped with a message when namespaces are not available.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import type { Connection } from '../../engine/transport/types.js';
import { hostnameFacts } from '../../modules/hostname.js';
import { makeCtx, tempDir } from './helpers.js';

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-u', '-m', 'true']).status === 0;

describe('hostname schema and facts', () => {
  it('good and bad arguments', () => {
    const mod = getModule('hostname')!;
    expect(validateArgs(mod, { name: 'node1.example.com', use: 'systemd' })).toBeNull();
    expect(validateArgs(mod, { use: 'systemd' })).toMatch(/missing required arguments: name/);
    expect(validateArgs(mod, { name: 'x', use: 'windows' })).toMatch(/must be one of/);
  });
  it('facts', () => {
    expect(hostnameFacts('node1.example.com')).toEqual({ ansible_hostname: 'node1', ansible_nodename: 'node1.example.com', ansible_fqdn: 'node1.example.com', ansible_domain: 'example.com' });
  });
});

describe.skipIf(!canUnshare)('hostname in a private namespace', () => {
  const t = tempDir();
  let ns: ChildProcess;
  let ctxOf: (check?: boolean) => ModuleContext;

  beforeAll(async () => {
    writeFileSync(t.p('hostname'), 'before\n');
    ns = spawn('unshare', ['-u', '-m', '--propagation', 'private', 'sleep', '600'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const enter = (cmd: string) => `nsenter -t ${ns.pid} -u -m /bin/sh -c ${"'" + cmd.replace(/'/g, `'"'"'`) + "'"}`;
    spawnSync('sh', ['-c', enter(`mount --bind ${t.p('hostname')} /etc/hostname && hostname before`)]);
    ctxOf = (check = false) => {
      const base = makeCtx({ check, diff: true });
      const conn: Connection = { ...base.conn, host: 'ns', exec: (c, o) => base.conn.exec(enter(c), o), putFile: base.conn.putFile, getFile: base.conn.getFile, close: base.conn.close };
      return { ...base, conn, run: (c, o) => conn.exec(c, o) };
    };
  });
  afterAll(() => {
    ns?.kill();
    t.cleanup();
  });

  it('sets the running and permanent name once; check mode changes nothing', async () => {
    const mod = getModule('hostname')!;
    const inNs = async () => (await ctxOf().run('hostname')).stdout.trim();
    const c = await mod.run({ name: 'node1.example.com', use: 'file' }, ctxOf(true));
    expect(c).toMatchObject({ changed: true, diff: { before: 'hostname = before\n', after: 'hostname = node1.example.com\n' } });
    expect(await inNs()).toBe('before');
    const r = await mod.run({ name: 'node1.example.com', use: 'file' }, ctxOf());
    expect(r).toMatchObject({ changed: true, ansible_facts: { ansible_hostname: 'node1' } });
    expect(await inNs()).toBe('node1.example.com');
    expect(readFileSync(t.p('hostname'), 'utf8')).toBe('node1.example.com\n');
    expect((await mod.run({ name: 'node1.example.com', use: 'file' }, ctxOf())).changed).toBe(false);
    expect(spawnSync('hostname', { encoding: 'utf8' }).stdout.trim()).not.toBe('node1.example.com');
  });
});
