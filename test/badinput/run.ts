// Runs a bad-input case: writes its files into a fresh directory, starts a TCP listener standing in
// for the case's only host (so any connection attempt is counted), and runs drover in this process
// (fast enough for 200+ cases) or ansible-playbook as a child process.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { main } from '../../engine/cli/main.js';
import { TOOL_ENV } from '../examples/harness.js';
import { tempDir } from '../support/tmp.js';
import type { BadCase } from './corpus.js';

export interface Outcome {
  rc: number;
  out: string;
  /** TCP connections the case's host received. */
  connections: number;
}

/** A listener that counts connections and closes them at once. */
export async function listener(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const srv: Server = createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  return { port, count: () => n, close: () => new Promise<void>((res) => srv.close(() => res())) };
}

function materialise(c: BadCase, port: number): string {
  const dir = tempDir('drover-badinput-');
  const names = Object.keys(c.files);
  for (const [name, content] of Object.entries(c.files)) {
    // a case may turn a default file into a directory ('pb.yml/x')
    if (names.some((n) => n.startsWith(`${name}/`))) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content.replace(/@PORT@/g, String(port)) : content);
  }
  return dir;
}

function argv(c: BadCase): string[] {
  const inv = c.args?.includes('-i') ? [] : ['-i', 'hosts'];
  // -vv: a task's failure shows its file:line ("task path:"), as ansible-playbook -vv does
  return [...inv, '-vv', ...(c.args ?? []), 'pb.yml'];
}

// One case at a time: a case changes the working directory and captures process output.
const oneAtATime = pLimit(1);

/** drover playbook in this process, stdout and stderr captured. */
export function runDrover(c: BadCase): Promise<Outcome> {
  return oneAtATime(() => runDroverNow(c));
}

async function runDroverNow(c: BadCase): Promise<Outcome> {
  const l = await listener();
  const dir = materialise(c, l.port);
  const cwd = process.cwd();
  let out = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown): boolean => ((out += String(chunk)), true);
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  const env = { DROVER_OUTPUT: process.env.DROVER_OUTPUT, NO_COLOR: process.env.NO_COLOR };
  process.env.DROVER_OUTPUT = 'plain';
  process.env.NO_COLOR = '1';
  let rc: number;
  try {
    process.chdir(dir);
    rc = await main(['playbook', ...argv(c)]);
  } finally {
    process.chdir(cwd);
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // a connection attempt may still be in flight when the run returns
  await new Promise((res) => setTimeout(res, 20));
  await l.close();
  return { rc, out, connections: l.count() };
}

/** ansible-playbook on the same files, killed after timeoutMs (rc -1: it did not finish). */
export async function runAnsible(c: BadCase, timeoutMs = 120_000): Promise<Outcome> {
  const l = await listener();
  const dir = materialise(c, l.port);
  const r = await new Promise<{ rc: number; out: string }>((resolve, reject) => {
    // its own process group: a stuck run is killed with its workers, which hold the pipes open
    const child = spawn('ansible-playbook', argv(c), { cwd: dir, env: { ...process.env, ...TOOL_ENV, ANSIBLE_TIMEOUT: '5' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: code ?? -1, out });
    });
  });
  await l.close();
  return { ...r, connections: l.count() };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the output names the file at an acceptable line (see BadCase.at). */
export function namesLine(out: string, at: NonNullable<BadCase['at']>): boolean {
  const file = escape(at.file);
  const lines = [...out.matchAll(new RegExp(`(?:^|[/'" ])${file}(?::|'?, line |': line )(\\d+)`, 'gm'))].map((m) => Number(m[1]));
  return lines.some((n) => (at.exact ? n >= (at.from ?? at.line) && n <= at.line : n >= 1 && n <= at.line + 1));
}
