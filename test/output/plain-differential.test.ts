// Differential test of the plain output and registered results against ansible-playbook 2.14
// (local connection): debug (msg, var, verbosity, loop, with_items, registered debug results,
// undefined vars), FAILED! lines without "failed": true, assert's always-verbose results,
// -v one-line payloads, skipped items, wait_for's file attributes for a path, and facts with
// INJECT_FACTS_AS_VARS on (ansible_facts.X in templates) and off. The whole stdout must match
// once timings and the temp dir are normalised. Skipped without ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const PLAY = (d: string) => `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    x: 5
    lst: [a, b]
  tasks:
    - name: msg
      debug: msg="hello {{ x }}"
    - name: var
      debug: var=x
    - name: var list
      debug: var=lst
    - name: undefined var
      debug: var=no_such_var
    - name: loop msg
      debug:
        msg: "{{ item }}"
      loop: [1, 2]
    - name: with_items var
      debug: var=item
      with_items: [p, q]
    - name: verbosity skip
      debug: {msg: hidden, verbosity: 2}
    - name: verbosity skip loop
      debug: {msg: hidden, verbosity: 2}
      loop: [1]
    - name: no args
      debug:
      register: r
    - name: registered debug
      debug: var=r
    - name: looped and registered
      debug: msg=x
      loop: [1]
      register: r2
    - name: registered loop
      debug: var=r2
    - name: changed debug
      debug: msg=x
      changed_when: true
    - name: skipped items
      debug: msg="{{ item }}"
      loop: [1, 2]
      when: item == 2
    - name: command fails
      command: /bin/false
      ignore_errors: true
    - name: fail
      fail: msg=boom
      ignore_errors: true
    - name: assert passes
      assert: {that: [x == 5]}
    - name: assert quiet
      assert: {that: [x == 5], quiet: true}
    - name: assert fails
      assert: {that: [x == 6]}
      ignore_errors: true
    - name: registered verbosity skip
      debug: {var: x, verbosity: 1}
      register: r3
    - name: show r3
      debug: var=r3
    - name: no file yet
      file: {path: "${d}/f", state: absent}
    - name: a file
      copy: {content: "abc\\n", dest: "${d}/f", mode: "0640"}
    - name: wait for the file
      wait_for: {path: "${d}/f", timeout: 5}
      register: w
    - name: wait_for result
      debug: var=w
    - name: wait for a directory with search
      wait_for: {path: "${d}/f", search_regex: "b(c)", timeout: 5}
      register: w2
    - name: wait_for search result
      debug: var=w2
    - name: wait for absence
      wait_for: {path: "${d}/nope", state: absent, timeout: 5}
      register: w3
    - name: wait_for absent result
      debug: var=w3
    - name: ansible_facts before gathering
      debug: msg="{{ ansible_facts | length }} {{ ansible_local | default('UNDEF') }}"
    - name: some facts
      setup: {gather_subset: [min], filter: [ansible_os_family, ansible_distribution]}
    - name: facts both ways
      debug: msg="{{ ansible_facts.os_family }} {{ ansible_facts['distribution'] }} {{ hostvars[inventory_hostname].ansible_facts.distribution }} {{ ansible_os_family | default('UNDEF') }} {{ hostvars[inventory_hostname].ansible_distribution | default('UNDEF') }}"
    - name: set facts
      set_fact: {plain_fact: 1}
    - name: cacheable fact
      set_fact: {cached_fact: 2, cacheable: true}
    - name: facts namespace
      debug: msg="{{ ansible_facts.keys() | sort | join(',') }} {{ ansible_facts.plain_fact | default('UNDEF') }} {{ plain_fact }} {{ cached_fact }}"
    - name: leave no file for the next run
      file: {path: "${d}/f", state: absent}
`;

describe.skipIf(!hasAnsible)('plain output and registered results vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-plain-diff-');
  const runs: Record<string, PlaybookRuns> = {};

  beforeAll(() => {
    mkdirSync(t.p('w'), { recursive: true });
    writeFileSync(t.p('pb.yml'), PLAY(t.p('w')));
    runs.default = runPlaybookBoth('pb.yml', { cwd: t.dir });
    runs.verbose = runPlaybookBoth('pb.yml', { cwd: t.dir, args: ['-v'] });
    runs.noInject = runPlaybookBoth('pb.yml', { cwd: t.dir, env: { ANSIBLE_INJECT_FACT_VARS: 'False' } });
  }, 900_000); // six playbook runs; ansible-playbook needs ~1 s per task, far more under load

  afterAll(() => t.cleanup());

  for (const name of ['default', 'verbose', 'noInject']) {
    it(`${name}: same exit code and the same text`, () => {
      const r = runs[name];
      expect(r.drover.status).toBe(r.ansible.status);
      expect(comparableOutput(r.drover.stdout, [t.dir])).toBe(comparableOutput(r.ansible.stdout, [t.dir]));
    });
  }

  it('the comparison can fail: drover printing "failed": true would be caught', () => {
    const a = comparableOutput(runs.default.ansible.stdout, [t.dir]);
    expect(a).toContain('FAILED! => {"changed": false, "msg": "boom"}');
    expect(a.replace('{"changed": false, "msg": "boom"}', '{"changed": false, "failed": true, "msg": "boom"}')).not.toBe(a);
  });
});
