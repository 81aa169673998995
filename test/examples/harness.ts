// Runs ansible-playbook and drover side by side on the examples and turns their listing output
// (--list-hosts, --list-tasks) and batch reports into comparable data. The parsers are pure.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './cases.js';
import { COMPAT_ENV } from '../compat/harness.js';

export interface Tool {
  name: 'ansible-playbook' | 'ansible' | 'drover';
  argv: string[];
}

export const ANSIBLE: Tool = { name: 'ansible-playbook', argv: ['ansible-playbook'] };
export const DROVER: Tool = { name: 'drover', argv: [process.execPath, join(REPO_ROOT, 'bin', 'drover'), 'playbook'] };
/** The ad-hoc commands: `ansible` and `drover adhoc`. */
export const ANSIBLE_ADHOC: Tool = { name: 'ansible', argv: ['ansible'] };
export const DROVER_ADHOC: Tool = { name: 'drover', argv: [process.execPath, join(REPO_ROOT, 'bin', 'drover'), 'adhoc'] };

/** Plain, uncoloured, deterministic output from both tools: the compat corpus's settings, drover plain. */
export const TOOL_ENV: Record<string, string> = { ...COMPAT_ENV, DROVER_OUTPUT: 'plain' };

export interface ToolResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** Why the ansible side cannot run here, or undefined when ansible-playbook is installed. */
export function ansibleMissing(): string | undefined {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'ansible-playbook is not installed (Debian package ansible-core)';
}

export function runTool(tool: Tool, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.argv[0], [...tool.argv.slice(1), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...TOOL_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: code ?? -1, stdout, stderr });
    });
  });
}

export interface ListedPlay {
  /** The play's name as listed (what follows "play #N (pattern): "). */
  name: string;
  hosts: string[];
  tasks: string[];
}

const PLAY_LINE = /^\s+play #\d+ \((.*)\): (.*?)\tTAGS: \[.*\]$/;

/** Parses `--list-hosts` and/or `--list-tasks` output into plays (hosts sorted: Ansible lists a set). */
export function parseListing(stdout: string): ListedPlay[] {
  const plays: ListedPlay[] = [];
  let cur: ListedPlay | undefined;
  let section: 'hosts' | 'tasks' | undefined;
  for (const line of stdout.split('\n')) {
    const m = PLAY_LINE.exec(line);
    if (m) {
      cur = { name: m[2].trim(), hosts: [], tasks: [] };
      plays.push(cur);
      section = undefined;
      continue;
    }
    if (!cur) continue;
    if (/^\s{4}hosts \(\d+\):/.test(line)) section = 'hosts';
    else if (/^\s{4}tasks:/.test(line)) section = 'tasks';
    else if (/^\s{4}\S/.test(line)) section = undefined;
    else if (/^\s{6}\S/.test(line) && section === 'hosts') cur.hosts.push(line.trim());
    else if (/^\s{6}\S/.test(line) && section === 'tasks') cur.tasks.push(line.trim().replace(/\s+/g, ' '));
  }
  for (const p of plays) p.hosts.sort();
  return plays;
}

/** The host lists printed by a `debug: msg="<marker> h1 h2 ..."` task, one per batch, in order. */
export function parseBatches(stdout: string, marker: string): string[][] {
  const re = new RegExp(`"msg": "${marker} ([^"]*)"`, 'g');
  return [...stdout.matchAll(re)].map((m) => m[1].split(' ').filter(Boolean));
}
