// Differential test of include_vars against ansible-playbook 2.14 (local connection): `file` and
// the free form found by the needle search, `dir` relative to the task's file or to a role's
// vars/, `depth`, `files_matching`, `ignore_files`, `extensions` (a string is a list of its
// letters), `ignore_unknown_extensions`, `name`, `hash_behaviour`, the registered result with
// ansible_included_var_files, and the error texts (missing file or directory, not a mapping,
// bad extension, mixed or unknown arguments). What is compared: every registered result (the
// temporary directory replaced) and the variables set, plus the exit code and recap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, normalise, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const FILES: Record<string, string> = {
  'vars/all/all.yml': 'a: 1\nbase: all\n',
  'vars/env/dev/all.yml': 'a: 2\nbase: env/dev\n',
  'vars/env/dev/services/webapp.yml': 'w: 1\nbase: env/dev/services\n',
  'vars/services/webapp.yml': 'w: 2\nbase: services\n',
  'vars/webapp/noext': 'n: 1\n',
  'vars/webapp/with.yml': 'n2: 2\n',
  'vars/list.yml': '[1, 2]\n',
  'vars/empty.yml': '',
  'vars/json.json': '{"j": true}\n',
  'vars/hashes/h1.yml': 'config: {k0: 0, k1: 0, k2: {a: 21}}\n',
  'vars/hashes/h2.yml': 'config: {k1: 1, k2: {b: 22}, k3: 3}\n',
  'sub/vars/local.yml': 'local: yes\n',
  'sub/tasks.yml': '- include_vars: {dir: vars}\n  register: r_taskdir\n',
  'roles/r/vars/main.yml': 'role_main: 1\n',
  'roles/r/vars/extra/e.yml': 'role_extra: 1\n',
  'roles/r/tasks/main.yml':
    '- include_vars: {dir: extra}\n  register: r_role_dir\n- include_vars: {dir: vars/extra}\n  register: r_role_varsdir\n- include_vars: extra/e.yml\n  register: r_role_file\n',
};

/** [id, include_vars arguments as YAML]; every task registers r_<id> and ignores errors. */
const TASKS: [string, string][] = [
  ['file', '{file: all/all.yml}'],
  ['free', '"env/dev/all.yml\\n"'],
  ['name', '{file: all/all.yml, name: stored}'],
  ['json', 'vars/json.json'],
  ['empty', 'vars/empty.yml'],
  ['missing', 'nope.yml'],
  ['null', "{file: ''}"],
  ['list', 'vars/list.yml'],
  ['dir', '{dir: vars, extensions: ["", yml, yaml, json], ignore_files: [list.yml, empty.yml]}'],
  ['depth', '{dir: vars, depth: 1, ignore_files: list.yml}'],
  ['depth2', '{dir: vars/env, depth: 2}'],
  ['matching', '{dir: vars/env, files_matching: webapp.yml}'],
  ['ignore_str', '{dir: vars/webapp, ignore_files: "noext with.yml"}'],
  ['unknown_ext', '{dir: vars/webapp}'],
  ['skip_unknown', '{dir: vars/webapp, ignore_unknown_extensions: true}'],
  ['ext_string', '{dir: vars/webapp, extensions: yml}'],
  ['no_dir', '{dir: nope}'],
  ['not_dir', '{dir: vars/list.yml}'],
  ['mixed', '{file: a, dir: b}'],
  ['bogus', '{bogus: 1}'],
  ['h1', 'vars/hashes/h1.yml'],
  ['h2_merge', '{file: vars/hashes/h2.yml, hash_behaviour: merge}'],
  ['h2_plain', 'vars/hashes/h2.yml'],
  ['merge_new', '{file: vars/json.json, hash_behaviour: merge}'],
];

const report = (name: string, expr: string) => `    - debug:\n        msg: "R ${name} {{ (${expr}) | to_json }}"\n`;

const PLAY = `
- hosts: localhost
  gather_facts: false
  connection: local
  tasks:
${TASKS.map(([id, args]) => `    - include_vars: ${args}\n      register: r_${id}\n      ignore_errors: true\n${report(id, `r_${id}`)}${report(`${id}_vars`, "[a | default('-'), base | default('-'), stored | default('-'), n | default('-'), config | default('-')]")}`).join('')}    - import_tasks: sub/tasks.yml
${report('taskdir', 'r_taskdir')}    - import_role: {name: r}
${['role_dir', 'role_varsdir', 'role_file'].map((id) => report(id, `r_${id}`)).join('')}`;

describe.skipIf(!hasAnsible)('include_vars vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-include-vars-diff-');
  let run: PlaybookRuns;
  let ansible: Record<string, unknown>;
  let drover: Record<string, unknown>;

  beforeAll(() => {
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(dirname(t.p(f)), { recursive: true });
      writeFileSync(t.p(f), text);
    }
    writeFileSync(t.p('pb.yml'), PLAY);
    run = runPlaybookBoth('pb.yml', { cwd: t.dir });
    ansible = normalise(reportedValues(run.ansible.stdout), [t.dir]);
    drover = normalise(reportedValues(run.drover.stdout), [t.dir]);
  }, 600_000);

  afterAll(() => t.cleanup());

  it('same exit code and recap', () => {
    expect(run.drover.status).toBe(run.ansible.status);
    const recap = (s: string) => s.slice(s.indexOf('PLAY RECAP'));
    expect(recap(run.drover.stdout)).toBe(recap(run.ansible.stdout));
  });

  for (const id of [...TASKS.flatMap(([id]) => [id, `${id}_vars`]), 'taskdir', 'role_dir', 'role_varsdir', 'role_file']) {
    it(`${id}: the same`, () => {
      expect(ansible).toHaveProperty(id);
      expect(drover[id]).toEqual(ansible[id]);
    });
  }

  it('the comparison can fail: the results differ from task to task', () => {
    expect(ansible.dir).not.toEqual(ansible.depth);
    expect((ansible.missing as { failed?: boolean }).failed).toBe(true);
    expect(ansible.h2_merge_vars).not.toEqual(ansible.h2_plain_vars);
  });
});
