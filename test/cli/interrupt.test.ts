// Ctrl-C and SIGTERM during `drover playbook` (issue 17): the first signal lets the commands in
// flight finish, starts nothing new, prints the recap and "[ERROR]: User interrupted execution",
// writes the retry file with the hosts that had not finished, and exits 99; a second signal
// kills the commands in flight (nothing of them is left running) and still prints the recap.
// Real processes: the built CLI on a local-connection inventory, signalled as a shell would.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const DROVER = resolve(import.meta.dirname, '..', '..', 'bin', 'drover');
const dir = tempDir('drover-interrupt-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string, sleepSec: number): string {
  const d = join(dir, name);
  mkdirSync(d);
  const log = join(d, 'work.log');
  const marker = `drover-interrupt-${name}-${process.pid}`;
  writeFileSync(join(dir, `${name}.inv`), 'h1\nh2\nh3\nh4\n[all:vars]\nansible_connection=local\n');
  writeFileSync(join(dir, `${name}.yml`), `- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - shell: "sleep ${sleepSec} # ${marker}\\necho first-{{ inventory_hostname }} >> ${log}"
    - shell: echo second-{{ inventory_hostname }} >> ${log}
`);
  return marker;
}

interface Run {
  rc: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the playbook; once the first task's banner is out, send `signals` (spaced by 300 ms). */
function runInterrupted(name: string, signals: NodeJS.Signals[]): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [DROVER, 'playbook', '--no-live', '-i', `${name}.inv`, `${name}.yml`], {
    cwd: dir, env: { ...process.env, ANSIBLE_RETRY_FILES_ENABLED: '1', NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    if (!sent && stdout.includes('TASK [shell]')) {
      sent = true;
      signals.forEach((s, i) => setTimeout(() => child.kill(s), 500 + i * 300));
    }
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((res) => child.on('close', (rc, signal) => res({ rc, signal, stdout, stderr, ms: Date.now() - started })));
}

function stillRunning(marker: string): Promise<boolean> {
  const r = spawn('pgrep', ['-f', marker]);
  return new Promise<boolean>((res) => r.on('close', (code) => res(code === 0)));
}

describe('interrupting drover playbook', () => {
  it('first Ctrl-C: in-flight tasks finish, nothing new starts, recap, retry file, exit 99', async () => {
    setup('once', 2);
    const run = await runInterrupted('once', ['SIGINT']);
    expect(run.signal).toBeNull();
    expect(run.rc).toBe(99);
    expect(run.stderr).toContain('[ERROR]: User interrupted execution');
    expect(run.stdout).toMatch(/PLAY RECAP[^\n]*\nh1 +: ok=1 +changed=1 .*\nh2 +: ok=1 +changed=1 /);
    // the first batch's commands finished; no second task and no second batch started
    expect(readFileSync(join(dir, 'once', 'work.log'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['first-h1', 'first-h2']);
    expect(readFileSync(join(dir, 'once.retry'), 'utf8')).toBe('h1\nh2\nh3\nh4\n');
  }, 60_000);

  it('SIGTERM does the same', async () => {
    setup('term', 2);
    const run = await runInterrupted('term', ['SIGTERM']);
    expect(run.rc).toBe(99);
    expect(run.stderr).toContain('[ERROR]: User interrupted execution');
    expect(run.stdout).toContain('PLAY RECAP');
  }, 60_000);

  it('second Ctrl-C kills the commands in flight and still prints the recap', async () => {
    const marker = setup('twice', 60);
    const run = await runInterrupted('twice', ['SIGINT', 'SIGINT']);
    expect(run.rc).toBe(99);
    expect(run.ms).toBeLessThan(30_000);
    expect(run.stdout).toContain('the run was interrupted twice');
    expect(run.stdout).toMatch(/PLAY RECAP[^\n]*\nh1 +: ok=0 +changed=0 +unreachable=0 +failed=1/);
    expect(existsSync(join(dir, 'twice', 'work.log'))).toBe(false);
    expect(await stillRunning(marker)).toBe(false);
  }, 60_000);
});
