// Several labs at once (tests run in parallel): distinct addresses, each serving its own hosts,
// the `drover lab` subcommands' output, a slow fault, and a down that leaves the other lab alone.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCommand } from '../../engine/cli/lab-cmd.js';
import { labDown, labUp } from '../../engine/lab/lab.js';
import type { LabRecord } from '../../engine/lab/layout.js';
import { labProcesses } from '../../engine/lab/procs.js';
import { connectSsh } from '../../engine/transport/ssh.js';
import { labSkipReason, uniqueLabName, writeTemp } from './helpers.js';

const skip = labSkipReason();

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await labCommand(args, (s) => (out += s));
  return { code, out };
}

describe.skipIf(skip !== undefined)('two labs side by side', () => {
  const names = [uniqueLabName('t-co-a'), uniqueLabName('t-co-b')];
  let labs: LabRecord[] = [];
  beforeAll(async () => {
    const inv = join(writeTemp({ hosts: '[web]\nw1\nw2\n' }), 'hosts');
    labs = await Promise.all(names.map((name) => labUp({ inventory: [inv], name })));
  }, 180_000);
  afterAll(async () => {
    for (const n of names) await labDown(n).catch(() => undefined);
  }, 120_000);

  const run = async (lab: LabRecord, host: string, cmd: string) => {
    const h = lab.hosts.find((x) => x.name === host)!;
    const c = await connectSsh({ host, connection: 'ssh', address: h.address, port: lab.port, user: 'root', privateKeyFile: join(lab.dir, 'ssh', 'client_key'), commonArgs: `-o UserKnownHostsFile=${join(lab.dir, 'ssh', 'known_hosts')}`, hostKeyChecking: true, timeoutSec: 20 });
    try {
      return await c.exec(cmd);
    } finally {
      await c.close();
    }
  };

  it('gives each lab its own addresses and trees', async () => {
    const [a, b] = labs;
    const addrs = [...a.hosts, ...b.hosts].map((h) => h.address);
    expect(new Set(addrs).size).toBe(4);
    expect(a.blocks[0]).not.toBe(b.blocks[0]);
    expect((await run(a, 'w1', 'cat /etc/drover-lab/lab')).stdout.trim()).toBe(a.name);
    expect((await run(b, 'w1', 'cat /etc/drover-lab/lab')).stdout.trim()).toBe(b.name);
  });

  it('reports status and events through the CLI, and applies a slow fault', async () => {
    const [a] = labs;
    const st = await cli(['status', a.name, '--json']);
    expect(st.code).toBe(0);
    const status = JSON.parse(st.out);
    expect(status.running).toBe(true);
    expect(status.hosts.map((h: { name: string }) => h.name)).toEqual(['w1', 'w2']);
    expect((await cli(['inventory', a.name])).out.trim()).toBe(join(a.dir, 'inventory', 'hosts.yml'));
    expect((await cli(['fault', a.name, 'w2', 'slow', '150'])).code).toBe(0);
    const t = performance.now();
    const r = await run(a, 'w2', 'echo slow');
    expect(r.stdout).toBe('slow\n');
    expect(performance.now() - t).toBeGreaterThanOrEqual(150); // at least one delayed round trip (a floor, not a speed goal)
    expect((await cli(['fault', a.name, 'w2', 'up'])).code).toBe(0);
    const ev = JSON.parse((await cli(['events', a.name, '--json'])).out) as { host: string; kind: string; ms?: number; time: string }[];
    expect(ev.find((e) => e.kind === 'fault.slow')).toMatchObject({ host: 'w2', ms: 150 });
    expect(ev.every((e) => !Number.isNaN(Date.parse(e.time)))).toBe(true);
    expect((await cli(['fault', a.name, 'nope', 'down'])).code).toBe(1);
  }, 60_000);

  it('takes one lab down without touching the other', async () => {
    const [a, b] = labs;
    await labDown(a.name);
    expect(labProcesses(a.dir, { cmdline: true })).toEqual([]);
    expect((await run(b, 'w2', 'hostname')).stdout).toBe('w2\n');
  }, 60_000);
});
