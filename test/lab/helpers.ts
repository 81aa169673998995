// Shared set-up for the lab tests: skip unless root with sshd (the compiled front process in dist/ is
// built once per run by test/support/global-setup.ts), run `drover` as a child process
// or `drover playbook` in this process, and read a lab's connection counters.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { playbookCommand } from '../../engine/cli/playbook-cmd.js';
import { labStatus } from '../../engine/lab/lab.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..');
export const DROVER = join(ROOT, 'bin', 'drover');

export function labSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'drover lab tests need root';
  for (const f of ['/usr/sbin/sshd', '/usr/bin/ssh-keygen', '/usr/sbin/chroot']) if (!existsSync(f)) return `missing ${f} (Debian package openssh-server/coreutils)`;
  return undefined;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function drover(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const r = await run(process.execPath, [DROVER, ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

export function writeTemp(files: Record<string, string>): string {
  const dir = tempDir('drover-lab-test-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function uniqueLabName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
}

/** `drover playbook ARGS` in this process: exit code and what it printed. */
export async function playbook(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let stdout = '';
  try {
    const code = await playbookCommand(args, (s) => (stdout += s));
    return { code, stdout, stderr: '' };
  } catch (e) {
    return { code: -1, stdout, stderr: String((e as Error).stack ?? e) };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

export async function connectionsByHost(name: string): Promise<Record<string, number>> {
  const { front } = await labStatus(name);
  if (!front) throw new Error(`lab ${name} is not running`);
  return Object.fromEntries(front.hosts.map((h) => [h.name, h.connections]));
}

/** host -> "ok=N changed=N unreachable=N failed=N" from a PLAY RECAP. */
export function recap(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) out[m[1]] = `ok=${m[2]} changed=${m[3]} unreachable=${m[4]} failed=${m[5]}`;
  return out;
}
