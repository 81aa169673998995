// no_log with until/retries (issue 17, item 4): the result of every failed attempt is censored
// on every channel, as ansible-core 2.14 censors what its callbacks get (TaskResult.clean_copy:
// the notice plus attempts/changed/retries). Differential on the plain output (default, -v,
// -vvv, where the retry lines carry "Result was: ..."), then the secret must appear nowhere
// drover writes: plain text, JSON events, the JSON document and the log file. A templated
// no_log (`"{{ hide }}"`) and a loop with until are included. Then the no_log setting
// (ANSIBLE_NO_LOG, the keyword's default) and the censored summary of a loop, which Ansible's
// callback prints as a plain result once no_log has removed its `results`.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runDroverPlaybook, runPlaybookBoth } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const SECRET = 's3cret-4f9a';

const PLAY = `
- hosts: localhost
  connection: local
  gather_facts: false
  vars: {hide: true, pw: ${SECRET}}
  tasks:
    - name: retried secret
      command: echo {{ pw }}
      register: r
      until: r.stdout == 'never'
      retries: 2
      delay: 0
      no_log: "{{ hide }}"
      ignore_errors: true
    - name: retried secret items
      command: echo {{ pw }}-{{ item }}
      register: r
      until: r.stdout == 'never'
      retries: 1
      delay: 0
      loop: [a]
      no_log: true
      ignore_errors: true
    - name: eventually
      shell: echo {{ pw }} | tee -a secret.out
      register: r
      until: r.attempts >= 2
      retries: 3
      delay: 0
      no_log: true
`;

/** Only the tasks' part (the banners on), timings normalised. */
const tasks = (s: string) => comparableOutput(s.slice(s.indexOf('TASK [retried secret]')));

describe.skipIf(!hasAnsible)('no_log results of retried tasks vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-nolog-retries-');
  beforeAll(() => writeFileSync(t.p('pb.yml'), PLAY));
  afterAll(() => t.cleanup());

  for (const v of [[], ['-v'], ['-vvv']]) {
    it(`plain output ${v.join(' ') || '(default)'} is the same and holds no secret`, () => {
      const run = runPlaybookBoth('pb.yml', { cwd: t.dir, args: v });
      // -vvv: ansible's connection debug lines (<localhost> EXEC ...) are not drover's
      const strip = (s: string) => tasks(s).split('\n').filter((l) => !/^(<localhost>|Using module file|task path:)/.test(l)).join('\n');
      expect(run.drover.status).toBe(run.ansible.status);
      expect(strip(run.drover.stdout)).toBe(strip(run.ansible.stdout));
      expect(run.drover.stdout).toContain('FAILED - RETRYING');
      expect(run.drover.stdout).not.toContain(SECRET);
    });
  }

  it('JSON events, the JSON document and the log file hold no secret', () => {
    for (const output of [['--output', 'json'], ['--output', 'json-doc'], ['-vvv', '--no-live']]) {
      const log = t.p(`run-${output.join('')}.log`);
      const run = runDroverPlaybook('pb.yml', { cwd: t.dir, args: output, env: { ANSIBLE_LOG_PATH: log } });
      expect(run.status, output.join(' ')).toBe(0);
      expect(run.stdout, output.join(' ')).not.toContain(SECRET);
      expect(run.stderr, output.join(' ')).not.toContain(SECRET);
      expect(readFileSync(log, 'utf8'), output.join(' ')).not.toContain(SECRET);
      if (output[1] === 'json') {
        const retries = run.stdout.split('\n').filter((l) => l.includes('"task.retry"')).map((l) => JSON.parse(l) as { result: Record<string, unknown> });
        expect(retries.length).toBe(4);
        for (const e of retries) expect(Object.keys(e.result).sort()).toEqual(['attempts', 'censored', 'changed', 'retries']);
      }
    }
    // the check can fail: the secret is in what the task did
    expect(readFileSync(t.p('secret.out'), 'utf8')).toContain(SECRET);
  });
});

const DEFAULTS_PLAY = `
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: keyword on
      debug: msg=${SECRET}
      no_log: true
    - name: keyword off
      debug: msg=visible
      no_log: false
    - name: keyword unset
      debug: msg=${SECRET}
    - name: loop
      debug: msg=${SECRET}-{{ item }}
      loop: [1, 2]
    - name: failing loop
      command: /bin/false {{ item }} ${SECRET}
      loop: [1]
      no_log: "{{ item is defined }}"
      ignore_errors: true
`;

describe.skipIf(!hasAnsible)('the no_log setting and censored loop summaries vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-nolog-defaults-');
  beforeAll(() => writeFileSync(t.p('pb.yml'), DEFAULTS_PLAY));
  afterAll(() => t.cleanup());

  for (const [env, v] of [['0', []], ['1', []], ['1', ['-v']]] as [string, string[]][]) {
    it(`ANSIBLE_NO_LOG=${env} ${v.join(' ')}`, () => {
      const run = runPlaybookBoth('pb.yml', { cwd: t.dir, args: v, env: { ANSIBLE_NO_LOG: env } });
      const out = (s: string) => comparableOutput(s.slice(s.indexOf('TASK [keyword on]')));
      expect(run.drover.status).toBe(run.ansible.status);
      expect(out(run.drover.stdout)).toBe(out(run.ansible.stdout));
      expect(run.drover.stdout.includes(SECRET)).toBe(env === '0' && v.length === 0 ? run.ansible.stdout.includes(SECRET) : false);
    });
  }
});
