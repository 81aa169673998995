// The shared differential harness: the same steps (module + args) run by ansible-playbook 2.14
// and by drover, compared per step (changed/failed and chosen result keys) and by the files they
// leave. Used by test/modules/*differential*.test.ts (local steps, drover's modules called
// through the registry) and test/modules-lab/differential.test.ts (whole playbooks over SSH on
// lab hosts).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).status === 0;

export const ANSIBLE_ENV: Record<string, string> = {
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_RETRY_FILES_ENABLED: 'False',
  ANSIBLE_HOST_KEY_CHECKING: 'False',
  ANSIBLE_DEPRECATION_WARNINGS: 'False',
  LC_ALL: 'C.UTF-8',
};

export interface Step {
  mod: string;
  args: Record<string, unknown>;
  check?: boolean;
}

/** Replace {{D}} (work dir) and {{T}} (fixtures dir) in string arguments. */
export function fillArgs(args: Record<string, unknown>, d: string, t: string): Record<string, unknown> {
  const fill = (v: unknown) => (typeof v === 'string' ? v.replace(/\{\{D\}\}/g, d).replace(/\{\{T\}\}/g, t) : v);
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, fill(v)]));
}

export interface SnapshotOptions {
  /** Show hard-link counts (to compare state: hard). */
  nlink?: boolean;
  /** Show uid:gid. */
  owner?: boolean;
  /** Content as a sha1 digest instead of the text. */
  digest?: boolean;
}

/** A comparable picture of a tree: path → type, mode (and owner), content or link target. */
export function snapshot(root: string, opts: SnapshotOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = path.join(rel, name);
      const full = path.join(root, r);
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8) + (opts.owner ? ` ${st.uid}:${st.gid}` : '');
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(r);
      } else {
        const body = readFileSync(full);
        const content = opts.digest ? createHash('sha1').update(body).digest('hex') : body.toString('utf8');
        out[r] = `file ${mode}${opts.nlink ? ` nlink=${st.nlink}` : ''} ${content}`;
      }
    }
  };
  walk('');
  return out;
}

/** Replace each of `dirs` by `<D>` everywhere in a JSON-able value. */
export function normalise<T>(value: T, dirs: string[], to = '<D>'): T {
  let s = JSON.stringify(value);
  for (const d of dirs) s = s.split(d).join(to);
  return JSON.parse(s) as T;
}

/**
 * Run `steps` under ansible-playbook on localhost (connection local), each registered and
 * ignore_errors, and return every registered result (dumped with copy + to_json, as ansible-core
 * has no JSON stdout callback that keeps registered values).
 */
export function runAnsibleSteps(steps: Step[], o: { d: string; t: string; out: string; vars?: Record<string, unknown>; timeoutMs?: number }): Record<string, unknown>[] {
  const tasks: Record<string, unknown>[] = steps.map((s, i) => ({
    name: `step ${i}`,
    [s.mod]: fillArgs(s.args, o.d, o.t),
    register: `r${i}`,
    ignore_errors: true,
    ...(s.check ? { check_mode: true } : {}),
  }));
  const results = path.join(o.out, 'results.json');
  tasks.push({ name: 'save', copy: { content: `{{ [${steps.map((_s, i) => `r${i}`).join(', ')}] | to_json }}`, dest: results } });
  const pb = path.join(o.out, 'play.yml');
  writeFileSync(pb, JSON.stringify([{ hosts: 'localhost', connection: 'local', gather_facts: false, vars: o.vars ?? {}, tasks }]));
  execFileSync('ansible-playbook', ['-i', 'localhost,', pb], {
    encoding: 'utf8',
    env: { ...process.env, ...ANSIBLE_ENV },
    maxBuffer: 64 * 1024 * 1024,
    timeout: o.timeoutMs,
  });
  return JSON.parse(readFileSync(results, 'utf8')) as Record<string, unknown>[];
}

export type Row = { changed: boolean; failed: boolean } & Record<string, unknown>;

/** The per-step rows that differ between two runs (empty when they agree). */
export function mismatches(steps: { mod: string }[], ansible: Row[], drover: Row[]): { step: number; mod: string; ansible: Row; drover: Row }[] {
  return steps
    .map((s, i) => ({ step: i, mod: s.mod, ansible: ansible[i], drover: drover[i] }))
    .filter((r) => JSON.stringify(r.ansible) !== JSON.stringify(r.drover));
}

/** What ansible-playbook and drover printed for the same playbook (plain output). */
export interface PlaybookRuns {
  ansible: { status: number | null; stdout: string; stderr: string };
  drover: { status: number | null; stdout: string; stderr: string };
}

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

/**
 * Run one playbook (local connection, inventory `localhost,`) under ansible-playbook 2.14 and
 * drover (dist/, plain output) with the same arguments and environment. The interpreter is
 * given so that ansible's results carry no discovered_interpreter_python fact.
 */
export function runPlaybookBoth(playbook: string, o: PlaybookRunOptions): PlaybookRuns {
  return { ansible: runAnsiblePlaybook(playbook, o), drover: runDroverPlaybook(playbook, o) };
}

export interface PlaybookRunOptions {
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
  /** What differs per tool (a state directory each, so one cannot read the other's). */
  envFor?: (tool: 'ansible' | 'drover') => Record<string, string>;
  timeoutMs?: number;
  /** The inventory (default `localhost,`). */
  inventory?: string;
}

/** ansible-playbook alone, as runPlaybookBoth runs it. */
export function runAnsiblePlaybook(playbook: string, o: PlaybookRunOptions): { status: number | null; stdout: string; stderr: string } {
  return runPlaybookWith('ansible', playbook, o);
}

/** drover alone, as runPlaybookBoth runs it (for drover-only options such as --output json). */
export function runDroverPlaybook(playbook: string, o: PlaybookRunOptions): { status: number | null; stdout: string; stderr: string } {
  return runPlaybookWith('drover', playbook, o);
}

const TOOL_ARGV = { ansible: ['ansible-playbook'], drover: [process.execPath, path.join(REPO_ROOT, 'bin', 'drover'), 'playbook', '--no-live'] };

/** The command line and environment runPlaybookWith and runPlaybookWithAsync run. */
function playbookCommand(tool: 'ansible' | 'drover', playbook: string, o: PlaybookRunOptions): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['-i', o.inventory ?? 'localhost,', '-e', 'ansible_python_interpreter=/usr/bin/python3', ...(o.args ?? []), playbook];
  const env: NodeJS.ProcessEnv = { ...process.env, ...ANSIBLE_ENV, NO_COLOR: '1', ...(o.env ?? {}), ...(o.envFor?.(tool) ?? {}) };
  delete env.CI;
  const argv = TOOL_ARGV[tool];
  return { cmd: argv[0], args: [...argv.slice(1), ...args], env };
}

function runPlaybookWith(tool: 'ansible' | 'drover', playbook: string, o: PlaybookRunOptions): { status: number | null; stdout: string; stderr: string } {
  const c = playbookCommand(tool, playbook, o);
  const r = spawnSync(c.cmd, c.args, { cwd: o.cwd, env: c.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: o.timeoutMs ?? 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runPlaybookWithAsync(tool: 'ansible' | 'drover', playbook: string, o: PlaybookRunOptions): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const c = playbookCommand(tool, playbook, o);
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, c.args, { cwd: o.cwd, env: c.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: o.timeoutMs ?? 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * runPlaybookBoth with both tools running at the same time (they must not share state: give each
 * its own with envFor): half the wall time where a file compares many playbooks.
 */
export async function runPlaybookBothAsync(playbook: string, o: PlaybookRunOptions): Promise<PlaybookRuns> {
  const [ansible, drover] = await Promise.all([runPlaybookWithAsync('ansible', playbook, o), runPlaybookWithAsync('drover', playbook, o)]);
  return { ansible, drover };
}

/**
 * The values a playbook reported with `debug: msg="R <name> {{ value | to_json }}"`, by name
 * (the last report of a name wins).
 */
export function reportedValues(stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of stdout.matchAll(/"msg": "R (\S+) (.*)"\n/g)) out[m[1]] = JSON.parse(JSON.parse(`"${m[2]}"`) as string);
  return out;
}

/** ansible-playbook's -vv preamble: its version block and callback loading (drover has neither). */
const VERSION_PREAMBLE = /^(ansible-playbook \[core | {2}(config file|configured module search path|ansible python module location|ansible collection location|executable location|python version|jinja version|libyaml) = |Skipping callback )/;

/** Plain output made comparable: no config-file notice or -vv preamble, timings and `dirs` replaced. */
export function comparableOutput(stdout: string, dirs: string[] = []): string {
  let s = stdout
    .split('\n')
    .filter((l) => !/^No config file found|^Using .* as config file/.test(l) && !VERSION_PREAMBLE.test(l))
    .join('\n')
    .replace(/"(delta|start|end)": "[^"]*"/g, '"$1": "<t>"')
    .replace(/"elapsed": \d+/g, '"elapsed": <n>')
    // copy's action plugin names its controller-side temp file
    .replace(/"src": "[^"]*\/\.ansible\/tmp\/[^"]*", /g, '');
  for (const d of dirs) s = s.split(d).join('<D>');
  return s;
}
