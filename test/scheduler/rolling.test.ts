// drover's `strategy: rolling` (a sliding window instead of serial batches), end to end through
// `drover playbook` with local hosts. Hosts coordinate through marker files instead of sleeps, so
// the orders asserted here are forced, not timing luck. Needs the compiled CLI (npm run build).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const INV = join(ROOT, 'test', 'compat', 'inventories', 'local10.ini');

function run(playbook: string, extra: string[] = []): { rc: number; out: string; log: string[] } {
  const dir = tempDir('drover-rolling-');
  const log = join(dir, 'work.log');
  writeFileSync(join(dir, 'play.yml'), playbook);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'drover'), 'playbook', '-i', INV, '-f', '10', '-e', `log=${log}`, '-e', `dir=${dir}`, ...extra, join(dir, 'play.yml')], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' }, timeout: 100_000,
  });
  return { rc: r.status ?? -1, out: r.stdout + r.stderr, log: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** Waits (at most 60 s) until the marker file exists. */
const waitFor = (marker: string) => `for i in $(seq 600); do [ -e {{ dir }}/${marker} ] && break; sleep 0.1; done`;

/** Most hosts between their "start" and "end" lines at any point of the log. */
function maxInFlight(log: string[]): number {
  let now = 0;
  let max = 0;
  for (const l of log) {
    if (l.endsWith(' start')) max = Math.max(max, ++now);
    if (l.endsWith(' end')) now--;
  }
  return max;
}

const hostsOf = (log: string[], step: string) => log.filter((l) => l.endsWith(` ${step}`)).map((l) => l.split(' ')[0]);

describe('strategy: rolling', () => {
  it('starts the next host as soon as one finishes, in play order, never more than serial in flight; handlers per host', { timeout: 120_000 }, () => {
    // h01 cannot finish before h04 has: with lock-step batches of 3 that would deadlock (and
    // time out); with the window, h02/h03 finishing lets h04 and h05 start
    const r = run(`
- hosts: web
  gather_facts: false
  strategy: rolling
  serial: 3
  tasks:
    - raw: echo "{{ inventory_hostname }} start" >> {{ log }}
    - raw: "${waitFor('h04.done')}"
      when: inventory_hostname == 'h01'
    - raw: "true"
      changed_when: true
      notify: restart
    - raw: echo "{{ inventory_hostname }} ran" >> {{ log }}
  post_tasks:
    - raw: touch {{ dir }}/{{ inventory_hostname }}.done
    - raw: echo "{{ inventory_hostname }} end" >> {{ log }}
  handlers:
    - name: restart
      raw: echo "{{ inventory_hostname }} handler" >> {{ log }}
`);
    expect(r.rc, r.out).toBe(0);
    const hosts = ['h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07', 'h08', 'h09', 'h10'];
    expect(hostsOf(r.log, 'start')).toEqual(hosts);
    expect(hostsOf(r.log, 'end').sort()).toEqual(hosts);
    expect(hostsOf(r.log, 'end').indexOf('h04')).toBeLessThan(hostsOf(r.log, 'end').indexOf('h01'));
    expect(maxInFlight(r.log)).toBeLessThanOrEqual(3);
    // each host's handler ran once, for that host, after its tasks section and before its post_tasks
    expect(hostsOf(r.log, 'handler').sort()).toEqual(hosts);
    for (const h of hosts) {
      const mine = r.log.filter((l) => l.startsWith(`${h} `)).map((l) => l.split(' ')[1]);
      expect(mine).toEqual(['start', 'ran', 'handler', 'end']);
    }
    expect(r.out).toMatch(/h07\s+: ok=6 +changed=6/);
  });

  const BUDGET = (keyword: string) => `
- hosts: web
  gather_facts: false
  strategy: rolling
  serial: 2
${keyword}
  tasks:
    - raw: echo "{{ inventory_hostname }} start" >> {{ log }}
    # h03 fails only once h04 is in flight; h04 goes on only once h03 has failed
    - raw: touch {{ dir }}/h04.started
      when: inventory_hostname == 'h04'
    - shell: "${waitFor('h04.started')}; touch {{ dir }}/h03.failed; exit 1"
      when: inventory_hostname == 'h03'
    - raw: "${waitFor('h03.failed')}; sleep 1"
      when: inventory_hostname == 'h04'
    - raw: echo "{{ inventory_hostname }} end" >> {{ log }}
- hosts: web
  gather_facts: false
  tasks:
    - raw: echo "{{ inventory_hostname }} play2" >> {{ log }}
`;

  it('max_fail_percentage over the window: budget spent → nobody new starts, the host in flight finishes, later plays skipped', { timeout: 120_000 }, () => {
    const r = run(BUDGET('  max_fail_percentage: 49'));
    expect(r.rc).toBe(2);
    expect(hostsOf(r.log, 'start')).toEqual(['h01', 'h02', 'h03', 'h04']);
    expect(hostsOf(r.log, 'end').sort()).toEqual(['h01', 'h02', 'h04']);
    expect(hostsOf(r.log, 'play2')).toEqual([]);
    expect(r.out).toContain('NO MORE HOSTS LEFT');
    expect(r.out).toMatch(/h03\s+: ok=\d+ +changed=\d+ +unreachable=0 +failed=1/);
  });

  it('max_fail_percentage not exceeded (1 of 2 = 50%): the window rolls on', { timeout: 120_000 }, () => {
    const r = run(BUDGET('  max_fail_percentage: 50'));
    expect(r.rc).toBe(2);
    expect(hostsOf(r.log, 'end')).toHaveLength(9);
    expect(hostsOf(r.log, 'play2')).toHaveLength(9);
  });

  it('any_errors_fatal: nobody new starts and the host in flight is stopped at its next task', { timeout: 120_000 }, () => {
    const r = run(BUDGET('  any_errors_fatal: true'));
    expect(r.rc).toBe(2);
    expect(hostsOf(r.log, 'start')).toEqual(['h01', 'h02', 'h03', 'h04']);
    expect(hostsOf(r.log, 'end').sort()).toEqual(['h01', 'h02']);
    expect(hostsOf(r.log, 'play2')).toEqual([]);
    expect(r.out).toContain('NO MORE HOSTS LEFT');
  });

  const SERIAL1 = (keyword: string) => `
- hosts: small
  gather_facts: false
  strategy: rolling
  serial: 1
${keyword}
  tasks:
    - fail: msg=broken
      when: inventory_hostname == 'h02'
    - raw: echo "{{ inventory_hostname }} end" >> {{ log }}
`;

  it('a window whose hosts all failed ends the run, unless continue_on_batch_failure', { timeout: 120_000 }, () => {
    const stop = run(SERIAL1(''));
    expect(stop.rc).toBe(2);
    expect(stop.log).toEqual(['h01 end']);
    const go = run(SERIAL1('  continue_on_batch_failure: true'));
    expect(go.rc).toBe(2);
    expect(go.log).toEqual(['h01 end', 'h03 end', 'h04 end']);
  });

  it('run_once runs once per play (not per window); its registered result reaches every host', { timeout: 120_000 }, () => {
    const r = run(`
- hosts: small
  gather_facts: false
  strategy: rolling
  serial: 2
  tasks:
    - shell: echo "{{ inventory_hostname }} once" >> {{ log }}; echo "by-{{ inventory_hostname }}"
      run_once: true
      register: first
    - raw: echo "{{ inventory_hostname }} sees {{ first.stdout }}" >> {{ log }}
`);
    expect(r.rc, r.out).toBe(0);
    expect(r.log.filter((l) => l.endsWith(' once'))).toEqual(['h01 once']);
    expect(r.log.filter((l) => l.includes(' sees ')).sort()).toEqual(['h01 sees by-h01', 'h02 sees by-h01', 'h03 sees by-h01', 'h04 sees by-h01']);
  });

  it('a failed run_once task is fatal, as under linear', { timeout: 120_000 }, () => {
    const r = run(`
- hosts: small
  gather_facts: false
  strategy: rolling
  serial: 2
  tasks:
    - command: "false"
      run_once: true
    - raw: echo "{{ inventory_hostname }} end" >> {{ log }}
`);
    expect(r.rc).toBe(2);
    expect(r.log).toEqual([]);
  });
});
