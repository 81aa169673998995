// Test helper: run ansible-core (ansible-inventory, ansible --list-hosts) live for differential
// tests, many command lines per Python process (see ansible-batch.py), and parse its output.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Unsafe } from '../../engine/template/python.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface AnsibleJob {
  argv: string[];
  cwd?: string;
}
export interface AnsibleResult {
  rc: number;
  stdout: string;
  stderr: string;
}

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** The Python interpreter that runs ansible-inventory (from its #! line), or null when Ansible is absent. */
export function ansiblePython(): string | null {
  const bin = onPath('ansible-inventory');
  if (!bin) return null;
  const first = readFileSync(bin, 'utf8').split('\n')[0];
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return null;
  const py = m[1].endsWith('/env') && m[2] ? onPath(m[2]) : m[1];
  if (!py) return null;
  const ok = spawnSync(py, ['-c', 'import ansible.cli.inventory'], { stdio: 'ignore' });
  return ok.status === 0 ? py : null;
}

/** Run many Ansible command lines; results in job order. */
export async function runAnsibleBatch(python: string, jobs: AnsibleJob[], parallel = 2, env: Record<string, string> = {}): Promise<AnsibleResult[]> {
  const child = spawn(python, [join(HERE, 'ansible-batch.py')], {
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(JSON.stringify({ jobs, parallel }));
  const code: number = await new Promise((res) => child.on('close', (c) => res(c ?? 1)));
  if (code !== 0) throw new Error(`ansible batch runner failed (${code}): ${err}`);
  return JSON.parse(out) as AnsibleResult[];
}

/** Host names from `ansible PATTERN --list-hosts`. */
export function parseListHosts(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\s*hosts \(\d+\):\s*$/.test(l));
  if (start < 0) return [];
  const n = parseInt(/\((\d+)\)/.exec(lines[start])![1], 10);
  return lines.slice(start + 1, start + 1 + n).map((l) => l.trim());
}

/** Ansible's [WARNING] messages, unwrapped (Display wraps them at the terminal width). */
export function parseWarnings(stderr: string): string[] {
  const out: string[] = [];
  for (const block of stderr.split(/\n(?=\[WARNING\]|ERROR!)/)) {
    const m = /^\[WARNING\]:\s*([\s\S]*)$/.exec(block.trim());
    if (m) out.push(m[1].replace(/\s+/g, ' ').trim());
  }
  return out;
}

const PY_NUMBERS: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN };

/** JSON as Python's json.dumps writes it: also Infinity, -Infinity and NaN. */
export function parsePyJson(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m[0] === '"' ? m : `"__drover_py__:${m}"`));
  return JSON.parse(marked, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('__drover_py__:') ? PY_NUMBERS[v.slice(14)] : v));
}

/** Drover's output data as ansible-inventory's JSON encoder sees it: !unsafe as a dict, objects by toJSON(). */
export function asAnsibleJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asAnsibleJson);
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Unsafe) return { __ansible_unsafe: v.value };
  const j = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof j === 'function') return asAnsibleJson(j.call(v));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: asAnsibleJson((v as Record<string, unknown>)[k]), enumerable: true });
  return out;
}

/** `ansible PATTERN --list-hosts` in a process of its own (Ansible orders some host lists by set iteration). */
export function listHostsAgain(argv: string[], cwd: string, env: Record<string, string> = {}): string[] {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env } });
  return parseListHosts(r.stdout ?? '');
}
