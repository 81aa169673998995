// drover's opt-in extensions beyond Ansible (issue 3), run end to end through `drover playbook`
// with local hosts: continue past a fully failed batch, count unreachable hosts toward
// max_fail_percentage, and the default task timeout naming host, task and command.
// Needs the compiled CLI (npm run build), as the compat suite does.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const INV = join(ROOT, 'test', 'compat', 'inventories');

function run(playbook: string, inventory: string, extra: string[] = []): { rc: number; out: string; log: string[] } {
  const dir = tempDir('drover-ext-');
  const pb = join(dir, 'play.yml');
  const log = join(dir, 'work.log');
  writeFileSync(pb, playbook);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'drover'), 'playbook', '-i', join(INV, inventory), '-f', '1', '-e', `log=${log}`, ...extra, pb], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' }, timeout: 60_000,
  });
  return { rc: r.status ?? -1, out: r.stdout + r.stderr, log: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const ROLLING = (keyword: string) => `
- hosts: small
  gather_facts: false
  serial: 1
${keyword}
  tasks:
    - fail: msg=broken
      when: inventory_hostname == 'h02'
    - raw: echo "{{ inventory_hostname }} upgraded" >> {{ log }}
`;

describe('continue_on_batch_failure', () => {
  it('Ansible default: the batch of one failed host ends the rolling update', { timeout: 60_000 }, () => {
    const r = run(ROLLING(''), 'local10.ini');
    expect(r.rc).toBe(2);
    expect(r.log).toEqual(['h01 upgraded']);
  });
  it('play keyword: later batches still run, rc stays 2', { timeout: 60_000 }, () => {
    const r = run(ROLLING('  continue_on_batch_failure: true'), 'local10.ini');
    expect(r.rc).toBe(2);
    expect(r.log).toEqual(['h01 upgraded', 'h03 upgraded', 'h04 upgraded']);
  });
  it('CLI flag does the same for every play', { timeout: 60_000 }, () => {
    const r = run(ROLLING(''), 'local10.ini', ['--continue-on-batch-failure']);
    expect(r.log).toEqual(['h01 upgraded', 'h03 upgraded', 'h04 upgraded']);
  });
});

const MFP = (keyword: string) => `
- hosts: web
  gather_facts: false
  max_fail_percentage: 10
${keyword}
  tasks:
    - raw: echo "{{ inventory_hostname }} one" >> {{ log }}
    - raw: echo "{{ inventory_hostname }} two" >> {{ log }}
`;

describe('count_unreachable_as_failed', () => {
  it('Ansible default: 2 of 6 unreachable do not trip max_fail_percentage 10', { timeout: 60_000 }, () => {
    const r = run(MFP(''), 'unreachable.ini');
    expect(r.rc).toBe(4);
    expect(r.log.filter((l) => l.endsWith(' two'))).toHaveLength(4);
    expect(r.out).not.toContain('NO MORE HOSTS LEFT');
  });
  it('keyword on: the unreachable hosts count and the play aborts after the first task', { timeout: 60_000 }, () => {
    const r = run(MFP('  count_unreachable_as_failed: true'), 'unreachable.ini');
    expect(r.rc).toBe(2);
    expect(r.log.filter((l) => l.endsWith(' two'))).toHaveLength(0);
    expect(r.out).toContain('NO MORE HOSTS LEFT');
  });
});

describe('default task timeout', () => {
  it('names the host, the task, the command and the limit', { timeout: 60_000 }, () => {
    const r = run(`
- hosts: h01
  gather_facts: false
  tasks:
    - name: hang here
      command: sleep 3
`, 'local10.ini', ['--task-timeout', '1']);
    expect(r.rc).toBe(2);
    expect(r.out).toContain("task 'hang here' on host h01 did not finish within 1s");
    expect(r.out).toContain('sleep 3');
  });

  it('kills the hung command (and what it started) and the host runs its next task', { timeout: 120_000 }, () => {
    const nap = `sleep ${40_000 + Math.floor(Math.random() * 50_000)}`;
    const r = run(`
- hosts: h01
  gather_facts: false
  tasks:
    - name: hang here
      shell: ${nap} & echo "{{ inventory_hostname }} started" >> {{ log }}; ${nap}; echo late >> {{ log }}
      ignore_errors: true
    - raw: echo "{{ inventory_hostname }} next" >> {{ log }}
`, 'local10.ini', ['--task-timeout', '5']);
    expect(r.out).toContain("task 'hang here' on host h01 did not finish within 5s");
    // "started": both sleeps were running when the timeout struck, so none left is the kill's doing
    expect(r.log).toEqual(['h01 started', 'h01 next']);
    const left = spawnSync('sh', ['-c', `ps -eo args | grep -c '^${nap}$' || true`], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('0');
  });
});
