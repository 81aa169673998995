// drover's warm Python worker (engine/python/worker.ts): fixtures/worker/worker.yml runs a probe
// module that reports its parent process and what earlier modules left behind. Compared with
// ansible-playbook 2.14 (one interpreter per task): every registered result must be the same,
// and on drover's side the probe must have run in one worker for the whole run (reused after a
// crash, an exception and a timeout kill), with nothing leaking from one module to the next,
// (become to the same user included), outside it under async and an `environment` the
// interpreter reads at start (the one-shot path), in a worker of its own under become to another
// user, and the worker must be gone when the
// run ends or is killed. On localhost (connection local) and on a lab host over SSH.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { ANSIBLE, DROVER, runTool, TOOL_ENV } from '../examples/harness.js';
import { hasAnsible, normalise } from '../modules/helpers/differential.js';
import { tempDir } from '../support/tmp.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'worker');
type Result = Record<string, unknown>;
type Results = Record<string, Result>;

/** What differs by nature between ansible and drover, or between two runs. */
function comparable(all: Results): Results {
  const out: Results = {};
  for (const [k, r] of Object.entries(all)) {
    const c = { ...r };
    for (const key of ['parent_pid', 'in_worker', 'ansible_job_id', 'results_file', 'invocation']) delete c[key];
    // ansible's local/tty shell prints "Killed" for the SIGKILLed module; drover's framing does not
    for (const key of ['module_stdout', 'module_stderr']) if (typeof c[key] === 'string') c[key] = (c[key] as string).replace(/\r\n/g, '\n').replace(/^Killed\n$/, '').replace(/^Shared connection to \S+ closed\.\n/m, '');
    // a traceback names the wrapper's frames: its last line is what the module said
    for (const key of ['exception', 'module_stdout', 'module_stderr']) if (typeof c[key] === 'string' && (c[key] as string).includes('Traceback')) c[key] = (c[key] as string).trim().split('\n').pop();
    if ('module_stdout' in c || 'module_stderr' in c) {
      c.module_output = `${String(c.module_stdout ?? '')}\n${String(c.module_stderr ?? '')}`.split('\n').filter(Boolean).sort();
      delete c.module_stdout;
      delete c.module_stderr;
    }
    out[k] = c;
  }
  return out;
}

const IN_WORKER = ['first', 'pollute', 'after_pollute', 'env_run', 'big', 'check', 'become', 'last'];
const ONE_SHOT = ['async_run', 'env_python'];

function read(file: string, dirs: string[]): Results {
  return normalise(JSON.parse(readFileSync(file, 'utf8')) as Results, dirs, '<D>');
}

/** The common checks of one target: ansible's results, drover's with the worker and without. */
function checks(get: () => { a: Results; d: Results; off: Results }): void {
  it('registers the same results as ansible-playbook, with the worker and without', () => {
    const { a, d, off } = get();
    expect(Object.keys(a).length).toBe(14);
    expect(String(a.big.blob).length).toBe(700000);
    for (const k of Object.keys(a)) expect({ [k]: comparable(d)[k] }).toEqual({ [k]: comparable(a)[k] });
    for (const k of Object.keys(a)) expect({ [k]: comparable(off)[k] }).toEqual({ [k]: comparable(a)[k] });
    // guards: the probe saw what it should
    expect(a.pollute.leaked).toEqual({ env: true, module_global: true, path: true });
    expect(a.after_pollute.leaked).toEqual({ env: false, module_global: false, path: false });
    expect([a.crash.rc, a.exit3.rc, a.env_run.foo, a.env_python.foo, a.check.check]).toEqual([137, 3, 'bar', 'baz', true]);
  });

  it('runs every plain task in one worker, reused after a crash, an exception and a timeout', () => {
    const { d } = get();
    const pid = d.first.parent_pid;
    for (const k of IN_WORKER) expect({ [k]: [d[k].in_worker, d[k].parent_pid] }).toEqual({ [k]: [true, pid] });
  });

  it('takes the one-shot path under async and a PYTHON* environment, and everywhere with python_worker off', () => {
    const { d, off } = get();
    for (const k of ONE_SHOT) expect({ [k]: d[k].in_worker }).toEqual({ [k]: false });
    for (const k of [...IN_WORKER, ...ONE_SHOT]) expect({ [k]: off[k].in_worker }).toEqual({ [k]: false });
    // and ansible never has a worker: the probe's test is not always true
    expect(new Set(IN_WORKER.map((k) => off[k].parent_pid)).size).toBe(IN_WORKER.length);
  });

  it('leaves no worker behind when the run ends', () => {
    const { d } = get();
    expect(existsSync(`/proc/${String(d.first.parent_pid)}`)).toBe(false);
  });
}

/** Run drover on `args` until the probe has written its pidfile, kill -9 drover, then wait for the worker and its child to go. */
async function killMidRun(args: string[], pidfile: string, cwd: string): Promise<{ module: number; worker: number; gone: boolean }> {
  const child = spawn(DROVER.argv[0], [...DROVER.argv.slice(1), ...args], { cwd, env: { ...process.env, ...TOOL_ENV }, stdio: 'ignore' });
  const deadline = Date.now() + 120_000;
  while (!existsSync(pidfile) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  const [module, worker] = readFileSync(pidfile, 'utf8').trim().split(' ').map(Number);
  const until = Date.now() + 15_000;
  while ((existsSync(`/proc/${module}`) || existsSync(`/proc/${worker}`)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return { module, worker, gone: !existsSync(`/proc/${module}`) && !existsSync(`/proc/${worker}`) };
}

const SLEEPER = `- hosts: all
  gather_facts: false
  tasks:
    - probe: { mode: sleep, seconds: 120, pidfile: "{{ pidfile }}" }
`;

describe.skipIf(!hasAnsible)('the warm Python worker on localhost: ansible-playbook vs drover', () => {
  const work = tempDir('drover-pyworker-');
  cpSync(FIXTURE, work, { recursive: true });
  writeFileSync(join(work, 'sleeper.yml'), SLEEPER);
  const base = (out: string) => ['-i', 'localhost,', '-c', 'local', join(work, 'worker.yml'), '-e', `out=${join(work, out)}`, '-e', `ansible_remote_tmp=${join(work, 'rt')}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'];
  let got: { a: Results; d: Results; off: Results } | undefined;

  // ansible leaves the AnsiballZ folder of the module its task timeout killed in TMPDIR: kept here
  mkdirSync(join(work, 'tmp'));
  const env = { TMPDIR: join(work, 'tmp') };

  beforeAll(async () => {
    const [ans, drv] = await Promise.all([runTool(ANSIBLE, base('a.json'), env, 300_000), runTool(DROVER, base('d.json'), env, 300_000)]);
    const off = await runTool(DROVER, base('off.json'), { ...env, DROVER_PYTHON_WORKER: '0' }, 300_000);
    for (const [name, r] of [['ansible-playbook', ans], ['drover', drv], ['drover without worker', off]] as const) if (r.rc !== 0) throw new Error(`${name} failed:\n${r.stdout}${r.stderr}`);
    got = { a: read(join(work, 'a.json'), [work]), d: read(join(work, 'd.json'), [work]), off: read(join(work, 'off.json'), [work]) };
  }, 600_000);

  checks(() => got!);

  it('become to another user runs in a worker of that user, as the one-shot path runs it', async () => {
    const nobodyTmp = tempDir('drover-probe-nobody-', '/tmp');
    chmodSync(nobodyTmp, 0o777);
    const args = (out: string) => ['-i', 'localhost,', '-c', 'local', join(work, 'become.yml'), '-e', `out=${join(work, out)}`, '-e', `nobody_tmp=${nobodyTmp}`, '-e', `ansible_remote_tmp=${join(work, 'rt')}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'];
    const on = await runTool(DROVER, args('b-on.json'), env, 300_000);
    const off = await runTool(DROVER, args('b-off.json'), { ...env, DROVER_PYTHON_WORKER: '0' }, 300_000);
    expect([on.rc, off.rc]).toEqual([0, 0]);
    const d = read(join(work, 'b-on.json'), [work]);
    const o = read(join(work, 'b-off.json'), [work]);
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    expect([d.plain.euid, d.b1.euid, d.b2.euid, o.b1.euid]).toEqual([0, nobody, nobody, nobody]);
    expect([d.b1.in_worker, d.b2.in_worker, o.b1.in_worker]).toEqual([true, true, false]);
    expect(d.b2.parent_pid).toBe(d.b1.parent_pid);
    expect(d.b1.parent_pid).not.toBe(d.plain.parent_pid);
    expect(existsSync(`/proc/${String(d.b1.parent_pid)}`)).toBe(false);
  }, 300_000);

  it('kill -9 of the run takes the worker and its running module with it', async () => {
    const pidfile = join(work, 'pids');
    const r = await killMidRun(['-i', 'localhost,', '-c', 'local', join(work, 'sleeper.yml'), '-e', `pidfile=${pidfile}`, '-e', `ansible_remote_tmp=${join(work, 'rt')}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'], pidfile, work);
    expect(r.worker).toBeGreaterThan(1);
    expect(r.gone).toBe(true);
  }, 180_000);
});

const skipLab = labSkipReason() ?? (hasAnsible ? undefined : 'ansible-playbook is not installed (Debian package ansible-core)');
const A = 'wa.example.com';
const D = 'wd.example.com';

describe.skipIf(!!skipLab)('the warm Python worker on a lab host over SSH: ansible-playbook vs drover', () => {
  const name = uniqueLabName('t-pyworker');
  let inventory = '';
  let inventoryDir = '';
  let hostRoot = '';
  const work = skipLab ? '' : tempDir('drover-pyworker-ssh-');
  let got: { a: Results; d: Results; off: Results } | undefined;

  beforeAll(async () => {
    if (skipLab) return;
    cpSync(FIXTURE, work, { recursive: true });
    writeFileSync(join(work, 'sleeper.yml'), SLEEPER);
    inventoryDir = writeTemp({ hosts: `[nodes]\n${A}\n${D}\n` });
    const lab = await labUp({ inventory: [join(inventoryDir, 'hosts')], name });
    inventory = labPaths(lab.dir).inventory;
    hostRoot = hostPaths(lab.dir, lab.hosts.find((h) => h.name === D)!.dirName).root;
    const args = (host: string, out: string) => ['-i', inventory, '-l', host, join(work, 'worker.yml'), '-e', `out=${join(work, out)}`];
    const [ans, drv] = await Promise.all([runTool(ANSIBLE, args(A, 'a.json'), {}, 600_000), runTool(DROVER, args(D, 'd.json'), {}, 600_000)]);
    const off = await runTool(DROVER, args(D, 'off.json'), { DROVER_PYTHON_WORKER: '0' }, 600_000);
    for (const [tool, r] of [['ansible-playbook', ans], ['drover', drv], ['drover without worker', off]] as const) if (r.rc !== 0) throw new Error(`${tool} failed:\n${r.stdout}${r.stderr}`);
    got = { a: read(join(work, 'a.json'), [work, A, D]), d: read(join(work, 'd.json'), [work, A, D]), off: read(join(work, 'off.json'), [work, A, D]) };
  }, 900_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
  }, 120_000);

  checks(() => got!);

  it('kill -9 of the run drops the ssh session, and with it the worker and its running module', async () => {
    // the lab host's tree is a chroot on this machine: the probe writes its pids inside it
    const pidfile = '/tmp/drover-probe-pids';
    const r = await killMidRun(['-i', inventory, '-l', D, join(work, 'sleeper.yml'), '-e', `pidfile=${pidfile}`], join(hostRoot, pidfile), work);
    expect(r.worker).toBeGreaterThan(1);
    expect(r.gone).toBe(true);
  }, 180_000);
});
