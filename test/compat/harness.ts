// Side-by-side harness: runs one compat case under a given CLI (ansible-playbook or drover) in a
// fresh temp dir and returns what we compare: exit code, PLAY RECAP counters and the work log.
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import type { HostStats } from '../../engine/output/stats.js';
import type { CompatCase } from './cases.js';
import { tempDirAsync } from '../support/tmp.js';

export const COMPAT_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(COMPAT_DIR, '..', '..');
export const PLAYBOOK_DIR = join(COMPAT_DIR, 'playbooks');
export const INVENTORY_DIR = join(COMPAT_DIR, 'inventories');

/** A command prefix; the harness appends ansible-playbook style arguments. */
export interface Runner {
  name: string;
  argv: string[];
}

export const ANSIBLE: Runner = { name: 'ansible-playbook', argv: ['ansible-playbook'] };
export const DROVER: Runner = {
  name: 'drover',
  argv: [process.execPath, join(REPO_ROOT, 'bin', 'drover'), 'playbook'],
};

/** Environment both CLIs run with (plain, uncoloured, deterministic output). */
export const COMPAT_ENV: Record<string, string> = {
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_FORCE_COLOR: '0',
  ANSIBLE_HOST_KEY_CHECKING: 'False',
  ANSIBLE_RETRY_FILES_ENABLED: '0',
  ANSIBLE_STDOUT_CALLBACK: 'default',
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  ANSIBLE_DEPRECATION_WARNINGS: 'False',
};

/** A host's PLAY RECAP counters: the same shape as drover's own stats. */
export type RecapCounters = HostStats;
export type Recap = Record<string, RecapCounters>;

export interface RunResult {
  rc: number;
  recap: Recap;
  /** Lines appended to the case's log file, in order ("<inventory_hostname> <step>"). */
  log: string[];
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Keep the temp dir (for debugging); its path is printed to stderr. */
  keep?: boolean;
  /** Inventory to use instead of inventories/<case.inventory> (e.g. a lab's generated one). */
  inventory?: string;
  /** Where the run's temp dir (cwd and work log) is created; must be visible to the hosts. */
  workDir?: string;
}

const RECAP_LINE =
  /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)\s*$/;

/** Parses the host lines that follow the last "PLAY RECAP" banner. */
export function parseRecap(stdout: string): Recap {
  const lines = stdout.split('\n');
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('PLAY RECAP ')) {
      start = i;
      break;
    }
  }
  const recap: Recap = {};
  if (start < 0) return recap;
  for (const line of lines.slice(start + 1)) {
    const m = RECAP_LINE.exec(line);
    if (!m) {
      if (line.trim() === '') continue;
      break;
    }
    recap[m[1]] = {
      ok: Number(m[2]),
      changed: Number(m[3]),
      unreachable: Number(m[4]),
      failed: Number(m[5]),
      skipped: Number(m[6]),
      rescued: Number(m[7]),
      ignored: Number(m[8]),
    };
  }
  return recap;
}

/** Groups log lines by their first word (the host), keeping each host's own order. */
export function perHostLog(log: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of log) {
    const host = line.split(' ', 1)[0];
    (out[host] ??= []).push(line);
  }
  return out;
}

const OUTLINE_START = [
  'PLAY [',
  'TASK [',
  'RUNNING HANDLER [',
  'PLAY RECAP ',
  'NO MORE HOSTS LEFT ',
  'skipping: no hosts matched',
  'ok: [',
  'changed: [',
  'skipping: [',
  'fatal: [',
  'failed: [',
  'included: ',
  '...ignoring',
  'FAILED - RETRYING: ',
];

/**
 * The shape of the plain output: banners and per-host status lines, with JSON payloads cut off
 * (`fatal: [h01]: FAILED! => {...}` → `fatal: [h01]: FAILED!`) and paths made relative to the
 * compat dir. Recap lines are compared separately.
 */
export function outline(stdout: string): string[] {
  const out: string[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!OUTLINE_START.some((p) => line.startsWith(p))) continue;
    let kept = line;
    const payload = kept.indexOf(' => {');
    if (payload >= 0) kept = kept.slice(0, payload);
    out.push(kept.split(COMPAT_DIR).join('<compat>'));
  }
  return out;
}

/** Builds the ansible-playbook style argument list for a case (shared by both CLIs). */
export function caseArgs(c: CompatCase, logPath: string, inventory = join(INVENTORY_DIR, c.inventory)): string[] {
  const args = ['-i', inventory];
  const hasForks = c.extraArgs.some((a) => a === '-f' || a === '--forks' || a.startsWith('--forks='));
  if (!hasForks) args.push('-f', '1');
  args.push('-e', `log=${logPath}`, ...c.extraArgs, join(PLAYBOOK_DIR, c.playbook));
  return args;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** Spawns argv with the compat environment; never rejects for a non-zero exit. */
export function execCommand(argv: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...COMPAT_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        rc: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Date.now() - started,
        timedOut,
      });
    });
  });
}

/** Runs one case with one CLI in a fresh temp dir (the cwd; the log file lives there too). */
export async function runCase(runner: Runner, c: CompatCase, opts: RunOptions = {}): Promise<RunResult> {
  const dir = await tempDirAsync('drover-compat-', opts.workDir);
  const logPath = join(dir, 'work.log');
  try {
    // TMPDIR in the case's dir: a module that a task timeout kills leaves its AnsiballZ payload
    // folder behind (ansible's local connection), and it goes with the dir
    const res = await execCommand([...runner.argv, ...caseArgs(c, logPath, opts.inventory)], dir, opts.timeoutMs ?? 90_000, { TMPDIR: dir });
    let log: string[] = [];
    try {
      log = (await readFile(logPath, 'utf8')).split('\n').filter((l) => l !== '');
    } catch {
      log = [];
    }
    return { ...res, recap: parseRecap(res.stdout), log };
  } finally {
    if (opts.keep) process.stderr.write(`[compat] ${runner.name} ${c.id}: kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** What compat.test.ts compares: rc, recap and the work log (ordered, or per host). */
export function comparable(r: RunResult, c: CompatCase): {
  rc: number;
  recap: Recap;
  log: string[] | Record<string, string[]>;
} {
  return { rc: r.rc, recap: r.recap, log: c.compareLogOrder ? r.log : perHostLog(r.log) };
}

/** The per-case reference recorded from ansible-playbook (test/compat/expected/<id>.json). */
export interface Snapshot {
  rc: number;
  recap: Recap;
  log: string[] | Record<string, string[]>;
  /** outline() of stdout; sorted when the log order is not compared (strategy free). */
  outline: string[];
}

export function snapshot(r: RunResult, c: CompatCase): Snapshot {
  const lines = outline(r.stdout);
  return { ...comparable(r, c), outline: c.compareLogOrder ? lines : [...lines].sort() };
}

const RESULT_LINE = /^(ok|changed|skipping|fatal|failed): \[/;

/**
 * The part of an outline that Ansible itself produces deterministically for a case. With the
 * free strategy the number of TASK banners depends on worker timing (the default callback prints
 * a banner whenever consecutive results belong to different tasks), so banners are dropped; with
 * forks > 1 (`unorderedResults`) hosts of one task finish in any order, so each run of result
 * lines is sorted (an '...ignoring' line travels with the result it follows).
 */
export function comparableOutline(lines: string[], c: CompatCase): string[] {
  let out = lines;
  if (!c.compareLogOrder) out = out.filter((l) => !l.startsWith('TASK [') && !l.startsWith('RUNNING HANDLER ['));
  if (c.unorderedResults) {
    const sorted: string[] = [];
    let run: string[] = [];
    for (const l of [...out, '']) {
      if (RESULT_LINE.test(l)) {
        run.push(l);
        continue;
      }
      // '...ignoring' belongs to the failed result just before it: it moves with that result.
      if (l === '...ignoring' && run.length) {
        run[run.length - 1] += `\n${l}`;
        continue;
      }
      sorted.push(...run.sort());
      run = [];
      sorted.push(l);
    }
    out = sorted.slice(0, -1).flatMap((l) => l.split('\n'));
  }
  return out;
}

export const EXPECTED_DIR = join(COMPAT_DIR, 'expected');

/**
 * What differs between a run's snapshot and a reference, field by field (empty when they agree):
 * rc, recap, work log, and the comparable part of the outline.
 */
export function snapshotDiff(actual: Snapshot, expected: Snapshot, c: CompatCase): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (actual.rc !== expected.rc) out.push(`rc: got ${actual.rc}, expected ${expected.rc}`);
  const hosts = [...new Set([...Object.keys(expected.recap), ...Object.keys(actual.recap)])];
  for (const h of hosts) {
    if (!same(actual.recap[h], expected.recap[h])) out.push(`recap ${h}: got ${JSON.stringify(actual.recap[h])}, expected ${JSON.stringify(expected.recap[h])}`);
  }
  if (!same(actual.log, expected.log)) out.push(`log: got ${JSON.stringify(actual.log)}\n  expected ${JSON.stringify(expected.log)}`);
  const ao = comparableOutline(actual.outline, c);
  const eo = comparableOutline(expected.outline, c);
  if (!same(ao, eo)) {
    const i = ao.findIndex((l, k) => l !== eo[k]);
    const at = i < 0 ? Math.min(ao.length, eo.length) : i;
    out.push(`outline differs at line ${at}: got ${JSON.stringify(ao.slice(at, at + 3))}, expected ${JSON.stringify(eo.slice(at, at + 3))}`);
  }
  return out;
}

let ansibleOnPath: boolean | undefined;
export function ansibleAvailable(): boolean {
  if (ansibleOnPath === undefined) {
    const probe = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    ansibleOnPath = probe.status === 0;
  }
  return ansibleOnPath;
}

/** Concurrency limits: ansible runs are CPU-heavy Python, 4 at a time is plenty on 2 cores. */
export const ansibleLimit = pLimit(Number(process.env.COMPAT_ANSIBLE_JOBS ?? 4));
export const droverLimit = pLimit(Number(process.env.COMPAT_DROVER_JOBS ?? 4));
