// Differential test of set_fact against ansible-playbook 2.14 (local connection): a looped
// set_fact keeps every item's facts and each item sees the facts and the registered result of
// the items before it; keys are templated (also in the k=v form) and must be identifiers;
// true/false/yes/no strings become booleans unless ANSIBLE_JINJA2_NATIVE; `cacheable` puts the
// facts in the fact cache (ansible_facts) too, and the jsonfile cache keeps them for the next
// run until --flush-cache; ANSIBLE_INJECT_FACT_VARS=0 keeps gathered facts under ansible_facts
// only while set_fact still sets variables. What is compared: the values the playbooks report
// (as JSON), the exit code and the recap.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const report = (name: string, expr: string) => `    - debug:\n        msg: "R ${name} {{ (${expr}) | to_json }}"\n`;

const MAIN = `
- hosts: localhost
  gather_facts: false
  connection: local
  vars:
    string_var: "no"
  tasks:
    - set_fact:
        acc: "{{ acc + [item] }}"
      loop: [two, three, four]
      vars:
        acc: [one]
    - set_fact:
        "{{ item }}_key": "v{{ item }}"
      loop: [a, b]
    - set_fact: "{{ 'kv' ~ item }}=v{{ item }}"
      loop: [1, 2]
    - set_fact:
        seen: "{{ prev.results | default([]) | length if prev is defined else 'none' }}"
      loop: [1, 2, 3]
      register: prev
    - set_fact: fx=false fy=True fz=yes fw=no fq="{{ string_var }}" fn=n fo=off fe="a\\tb" fe2="a\\\\tb"
    - set_fact:
        ys: "yes"
        yn: yes
        yt: "{{ string_var }}"
        ym: '{{ string_var + "" }}'
        nested: {"": "bar{{ string_var }}"}
    - set_fact:
        "bad-key": 1
      ignore_errors: true
      register: bad
    - set_fact:
        "{{ 'for' }}": 1
      ignore_errors: true
      register: keyword
    - set_fact:
        plain_fact: p
    - set_fact:
        cached_fact: c
        cacheable: true
    - set_fact: "cacheable=no kv_not_cached=x"
${report('acc', 'acc')}${report('keys', '[a_key, b_key, kv1, kv2]')}${report('seen', 'seen')}${report('prev', "prev.results | map(attribute='ansible_facts') | list")}${report('kv', '[fx, fy, fz, fw, fq, fn, fo, fe, fe2]')}${report('yaml', '[ys, yn, yt, ym, nested]')}${report('bad', 'bad.msg')}${report('keyword', 'keyword.msg')}${report('facts', 'ansible_facts')}
- hosts: localhost
  gather_facts: false
  connection: local
  tasks:
    - meta: clear_facts
${report('after_clear', '[plain_fact, cached_fact, ansible_facts]')}`;

const NATIVE = `
- hosts: localhost
  gather_facts: false
  connection: local
  vars:
    string_var: "no"
  tasks:
    - set_fact: fx=false fw=no
    - set_fact:
        ys: "yes"
        yn: yes
        yt: "{{ string_var }}"
${report('native', '[fx, fw, ys, yn, yt]')}`;

const INJECT = `
- hosts: localhost
  gather_facts: false
  connection: local
  tasks:
    - setup:
        gather_subset: ['!all']
        filter: [ansible_hostname]
    - set_fact:
        ansible_custom: set
        cacheable: true
${report('inject', '[ansible_hostname is defined, ansible_facts.hostname is defined, ansible_custom, ansible_facts.custom]')}`;

const CACHE_WRITE = `
- hosts: localhost
  gather_facts: false
  connection: local
  tasks:
    - set_fact:
        ansible_foobar: from_cache
        cacheable: true
    - set_fact:
        not_cached: x
`;

const CACHE_READ = `
- hosts: localhost
  gather_facts: false
  connection: local
  tasks:
${report('cache', "[ansible_foobar | default('undefined'), not_cached | default('undefined'), ansible_facts.foobar | default('undefined')]")}`;

describe.skipIf(!hasAnsible)('set_fact vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-set-fact-diff-');
  const runs: Record<string, PlaybookRuns> = {};
  const values: Record<string, { ansible: Record<string, unknown>; drover: Record<string, unknown> }> = {};
  const run = (id: string, pb: string, o: { env?: Record<string, string>; envFor?: (tool: string) => Record<string, string>; args?: string[] } = {}) => {
    runs[id] = runPlaybookBoth(pb, { cwd: t.dir, ...o });
    values[id] = { ansible: reportedValues(runs[id].ansible.stdout), drover: reportedValues(runs[id].drover.stdout) };
  };

  beforeAll(() => {
    writeFileSync(t.p('main.yml'), MAIN);
    writeFileSync(t.p('native.yml'), NATIVE);
    writeFileSync(t.p('inject.yml'), INJECT);
    writeFileSync(t.p('cache-write.yml'), CACHE_WRITE);
    writeFileSync(t.p('cache-read.yml'), CACHE_READ);
    run('main', 'main.yml');
    run('native', 'native.yml', { env: { ANSIBLE_JINJA2_NATIVE: '1' } });
    run('inject-on', 'inject.yml', { env: { ANSIBLE_INJECT_FACT_VARS: '1' } });
    run('inject-off', 'inject.yml', { env: { ANSIBLE_INJECT_FACT_VARS: '0' } });
    // each tool its own cache directory: one run writes, the next reads, a third flushes first
    const envFor = (tool: string) => ({ ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: t.p(`cache-${tool}`), ANSIBLE_CACHE_PLUGIN_PREFIX: 'pre_' });
    run('cache-write', 'cache-write.yml', { envFor });
    run('cache-read', 'cache-read.yml', { envFor });
    run('cache-flushed', 'cache-read.yml', { envFor, args: ['--flush-cache'] });
  }, 900_000);

  afterAll(() => t.cleanup());

  it('same exit codes and recaps', () => {
    for (const [id, r] of Object.entries(runs)) {
      const recap = (s: string) => s.slice(s.indexOf('PLAY RECAP'));
      expect({ id, rc: r.drover.status, recap: recap(r.drover.stdout) }).toEqual({ id, rc: r.ansible.status, recap: recap(r.ansible.stdout) });
    }
  });

  const cases: [string, string][] = [
    ['main', 'acc'], ['main', 'keys'], ['main', 'seen'], ['main', 'prev'], ['main', 'kv'], ['main', 'yaml'], ['main', 'bad'],
    ['main', 'keyword'], ['main', 'facts'], ['main', 'after_clear'], ['native', 'native'], ['inject-on', 'inject'],
    ['inject-off', 'inject'], ['cache-read', 'cache'], ['cache-flushed', 'cache'],
  ];
  for (const [id, name] of cases) {
    it(`${id}: ${name} is reported the same`, () => {
      expect(values[id].ansible).toHaveProperty(name);
      expect(values[id].drover[name]).toEqual(values[id].ansible[name]);
    });
  }

  it('the comparison can fail: the runs tell the settings apart', () => {
    expect(values['inject-on'].ansible.inject).not.toEqual(values['inject-off'].ansible.inject);
    expect(values['cache-read'].ansible.cache).not.toEqual(values['cache-flushed'].ansible.cache);
    expect((values.main.ansible.kv as unknown[])[0]).toBe(false);
  });
});
