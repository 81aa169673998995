// Differential test of the one YAML loader (engine/inventory/yaml-load.ts) against
// ansible-playbook 2.14: the same scalars read from play vars, vars_files, include_vars, -e @file,
// -e '{...}' and the from_yaml/from_yaml_all filters (y/n stay strings, yes/On/OFF are booleans,
// octal/hex/sexagesimal ints, 1e3 stays a string, dates and datetimes, merge keys); !unsafe
// values are not templated; -e k=v decodes escapes as task arguments do; duplicate keys warn
// with Ansible's text and position, or fail with exit 4 under ANSIBLE_DUPLICATE_YAML_DICT_KEY=error.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const SCALARS = `s_y: y
s_n: n
s_yes: yes
s_No: No
s_ON: ON
s_off: off
s_octal: 0777
s_hex: 0x1F
s_sexa: 190:20:30
s_exp: 1e3
s_float: 1.5
s_under: 1_000
s_date: 2020-01-02
s_datetime: 2001-12-14 21:59:43.10 -5
s_null: ~
s_tilde_str: '~'
`;

const report = (name: string, expr: string) => `    - debug:\n        msg: "R ${name} {{ (${expr}) | to_json }}"\n`;
const names = SCALARS.split('\n').filter(Boolean).map((l) => l.split(':')[0]);
const list = (prefix: string) => `[${names.map((n) => `${prefix}${n}`).join(', ')}]`;

const PLAY = `
- hosts: localhost
  gather_facts: false
  connection: local
  vars_files: [vf.yml]
  vars:
${SCALARS.replace(/^/gm, '    ').replace(/ {4}$/, '')}
    base: &b {x: 1, y: 2}
    other: &o {x: 3}
    m1:
      <<: *b
      x: 9
    m2:
      <<: [*b, *o]
    nottemplate: FAIL
    u_str: !unsafe '{{ nottemplate }}'
    u_list: !unsafe ['{{ nottemplate }}', b]
    u_dict: !unsafe {a: '{{ nottemplate }}'}
    u_via: "{{ u_str }}"
    text: "${SCALARS.replace(/\n/g, '\\n')}"
    stream: "a: n\\n---\\nb: On\\n"
  tasks:
    - include_vars: iv.yml
${report('play', list(''))}${report('vars_files', list('vf_'))}${report('include_vars', list('iv_'))}${report('extra_file', list('ef_'))}${report('extra_doc', '[ed_n, ed_yes, ed_y]')}${report('extra_kv', '[kv_a, kv_b, kv_c]')}${report('merge', '[m1, m2]')}${report('unsafe', '[u_str, u_list, u_dict, u_via]')}${report('from_yaml', "text | from_yaml")}${report('from_yaml_all', "stream | from_yaml_all | list")}`;

const prefixed = (p: string) => SCALARS.replace(/^/gm, p).replace(new RegExp(`${p}$`), '');

const DUP = `
- hosts: localhost
  gather_facts: false
  connection: local
  vars:
    foo: bar
    foo: baz
  tasks:
${report('dup', 'foo')}`;

describe.skipIf(!hasAnsible)('YAML loading vs ansible-playbook 2.14', () => {
  const t = tempDir('yamldiff');
  const runs: Record<string, PlaybookRuns> = {};
  const values: Record<string, { ansible: Record<string, unknown>; drover: Record<string, unknown> }> = {};
  const run = (id: string, pb: string, o: { env?: Record<string, string>; args?: string[] } = {}) => {
    runs[id] = runPlaybookBoth(pb, { cwd: t.dir, ...o });
    values[id] = { ansible: reportedValues(runs[id].ansible.stdout), drover: reportedValues(runs[id].drover.stdout) };
  };
  /** The duplicate-key warnings, unwrapped (Ansible wraps warnings at 80 columns, after hyphens too). */
  const dupWarnings = (stderr: string) =>
    [...stderr.replace(/-\n\s*/g, '-').replace(/\s+/g, ' ').matchAll(/While constructing a mapping from \S+, line \d+, column \d+, found a duplicate dict key \(\w+\)\. Using last defined value only\./g)].map((m) => m[0]);

  beforeAll(() => {
    writeFileSync(t.p('main.yml'), PLAY);
    writeFileSync(t.p('vf.yml'), prefixed('vf_'));
    writeFileSync(t.p('iv.yml'), prefixed('iv_'));
    writeFileSync(t.p('ef.yml'), prefixed('ef_') + 'ef_s_n: n\n');
    writeFileSync(t.p('dup.yml'), DUP);
    run('main', 'main.yml', { args: ['-e', '@ef.yml', '-e', '{ed_n: n, ed_yes: yes, ed_y: Y}', '-e', 'kv_a=x\\ty kv_b="q r" kv_c=\\u00e9'] });
    run('dup-warn', 'dup.yml', { env: { ANSIBLE_DUPLICATE_YAML_DICT_KEY: 'warn' } });
    run('dup-error', 'dup.yml', { env: { ANSIBLE_DUPLICATE_YAML_DICT_KEY: 'error' } });
    run('dup-ignore', 'dup.yml', { env: { ANSIBLE_DUPLICATE_YAML_DICT_KEY: 'ignore' } });
  }, 600_000);

  afterAll(() => t.cleanup());

  it('same exit codes', () => {
    for (const [id, r] of Object.entries(runs)) expect({ id, rc: r.drover.status }).toEqual({ id, rc: r.ansible.status });
    expect(runs['dup-error'].ansible.status).toBe(4);
  });

  for (const name of ['play', 'vars_files', 'include_vars', 'extra_file', 'extra_doc', 'extra_kv', 'merge', 'unsafe', 'from_yaml', 'from_yaml_all']) {
    it(`${name}: the same values`, () => {
      expect(values.main.ansible).toHaveProperty(name);
      expect(values.main.drover[name]).toEqual(values.main.ansible[name]);
    });
  }

  it('duplicate keys: the same warnings (merge keys that override included), the same value', () => {
    expect(dupWarnings(runs.main.drover.stderr)).toEqual(dupWarnings(runs.main.ansible.stderr));
    expect(dupWarnings(runs['dup-warn'].drover.stderr)).toEqual(dupWarnings(runs['dup-warn'].ansible.stderr));
    expect(values['dup-warn'].drover.dup).toEqual(values['dup-warn'].ansible.dup);
    expect(dupWarnings(runs['dup-error'].drover.stderr + runs['dup-error'].drover.stdout)).toEqual(dupWarnings(runs['dup-error'].ansible.stderr));
    expect(dupWarnings(runs['dup-ignore'].drover.stderr)).toEqual([]);
  });

  it('the comparison can fail: y/n are strings, yes is a boolean, warnings were found', () => {
    expect((values.main.ansible.play as unknown[]).slice(0, 3)).toEqual(['y', 'n', true]);
    expect(dupWarnings(runs['dup-warn'].ansible.stderr)).toHaveLength(1);
    expect(dupWarnings(runs.main.ansible.stderr).length).toBeGreaterThan(0);
  });
});
