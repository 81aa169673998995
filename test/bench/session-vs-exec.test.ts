// Micro-benchmark on the lab (printed, never asserted on speed): per-command cost of the
// transport's persistent shell session versus one exec channel per command, over the same
// ssh2 connection to a lab host. Results must agree, so the benchmark also checks correctness.
import { join } from 'node:path';
import { Client } from 'ssh2';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import type { LabRecord } from '../../engine/lab/layout.js';
import { connectSsh } from '../../engine/transport/ssh.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';

const skip = labSkipReason();
const N = Number(process.env.DROVER_BENCH_COMMANDS ?? 200);

function execOnce(client: Client, cmd: string): Promise<{ rc: number; out: string }> {
  return new Promise((resolve, reject) => {
    client.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      let rc = -1;
      ch.on('data', (d: Buffer) => (out += d.toString()));
      ch.stderr.on('data', () => undefined);
      ch.on('exit', (code: number) => (rc = code));
      ch.on('close', () => resolve({ rc, out }));
    });
  });
}

describe.skipIf(skip !== undefined)('bench: persistent session vs exec channel per command (lab)', () => {
  const name = uniqueLabName('t-bench');
  let lab: LabRecord;
  beforeAll(async () => {
    lab = await labUp({ inventory: [join(writeTemp({ hosts: 'bench1\n' }), 'hosts')], name });
  }, 180_000);
  afterAll(async () => {
    if (lab) await labDown(name);
  }, 120_000);

  it(`runs ${N} commands each way and prints ms per command`, async () => {
    const h = lab.hosts[0];
    const key = join(lab.dir, 'ssh', 'client_key');
    const conn = await connectSsh({ host: h.name, connection: 'ssh', address: h.address, port: lab.port, user: 'root', privateKeyFile: key, commonArgs: `-o UserKnownHostsFile=${join(lab.dir, 'ssh', 'known_hosts')}`, hostKeyChecking: true, timeoutSec: 30 });
    await conn.exec('true'); // open the session outside the timing
    let t = performance.now();
    for (let i = 0; i < N; i++) expect((await conn.exec(`echo ${i}`)).stdout).toBe(`${i}\n`);
    const session = (performance.now() - t) / N;
    await conn.close();

    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.on('ready', () => resolve()).on('error', reject);
      client.connect({ host: h.address, port: lab.port, username: 'root', privateKey: readFileSync(key) });
    });
    await execOnce(client, 'true');
    t = performance.now();
    for (let i = 0; i < N; i++) expect((await execOnce(client, `echo ${i}`)).out).toBe(`${i}\n`);
    const exec = (performance.now() - t) / N;
    client.end();
    console.log(`[bench] session-vs-exec on the lab, ${N} commands: persistent session ${session.toFixed(2)} ms/command, exec channel ${exec.toFixed(2)} ms/command (${(exec / session).toFixed(1)}x)`);
  }, 300_000);
});
