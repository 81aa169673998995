// Differential test of --list-tasks, --list-tags and the run itself against ansible-playbook
// 2.14 (local connection) for roles that occur more than once in a play: a dependency shared
// by two roles (listed under each, run once), the same dependency with other keywords (runs
// again), a role repeated in `roles:`, a role with allow_duplicates, nested dependencies and
// import_role of a role whose dependencies already ran. The whole stdout must match once
// timings are normalised. Skipped without ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const FILES: Record<string, string> = {
  'roles/base/tasks/main.yml': '- debug: msg=base\n  tags: [btag]\n',
  'roles/base/handlers/main.yml': '- name: h\n  debug: msg=handler\n',
  'roles/a/meta/main.yml': 'dependencies: [base]\n',
  'roles/a/tasks/main.yml': '- name: a task\n  debug: msg=a\n',
  'roles/b/meta/main.yml': 'dependencies: [base]\n',
  'roles/b/tasks/main.yml': '- name: b task\n  debug: msg=b\n  tags: [bt]\n',
  'roles/c/meta/main.yml': 'dependencies:\n  - role: base\n    tags: [dep]\n',
  'roles/c/tasks/main.yml': '- name: c task\n  debug: msg=c\n',
  'roles/d/meta/main.yml': 'dependencies: [a]\n',
  'roles/d/tasks/main.yml': '- name: d task\n  debug: msg=d\n  notify: h\n  changed_when: true\n',
  'roles/e/meta/main.yml': 'allow_duplicates: true\n',
  'roles/e/tasks/main.yml': '- name: e task\n  debug: msg=e\n',
  'roles/r/tasks/main.yml': '- ansible.builtin.debug: msg=r\n',
  // unnamed tasks are listed by the action as written (the run's banners are the scheduler's)
  'fqcn.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug: msg=x
    - debug: msg=x
    - ansible.legacy.debug: msg=y
    - action: ansible.builtin.debug msg=z
    - local_action: ansible.builtin.command echo z
    - ansible.builtin.include_role: name=r
    - include_role: name=r
    - ansible.builtin.import_role: name=r
    - block:
        - ansible.builtin.set_fact: {z: 1}
`,
  'roles.yml': `
- name: shared dependency
  hosts: localhost
  gather_facts: false
  roles: [a, b, c, base]
- name: play tags and import_role
  hosts: localhost
  gather_facts: false
  roles:
    - a
    - role: b
      tags: [x]
  tasks:
    - import_role: name=b
- name: nested and allow_duplicates
  hosts: localhost
  gather_facts: false
  roles: [a, d, e, e, {role: a, when: true}]
  tasks:
    - import_role: name=d
`,
};

describe.skipIf(!hasAnsible)('listings of repeated roles vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-listing-diff-');
  const runs: Record<string, PlaybookRuns> = {};
  const modes: Record<string, string[]> = { listTasks: ['--list-tasks'], listTags: ['--list-tags'], run: [] };

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    for (const [mode, args] of Object.entries(modes)) runs[mode] = runPlaybookBoth('roles.yml', { cwd: t.dir, args });
    runs.fqcnListTasks = runPlaybookBoth('fqcn.yml', { cwd: t.dir, args: ['--list-tasks'] });
  }, 600_000);

  afterAll(() => t.cleanup());

  for (const mode of [...Object.keys(modes), 'fqcnListTasks']) {
    it(`${mode}: same exit code and the same text`, () => {
      const r = runs[mode];
      expect(r.ansible.status).toBe(0);
      expect(r.drover.status).toBe(r.ansible.status);
      expect(comparableOutput(r.drover.stdout, [t.dir])).toBe(comparableOutput(r.ansible.stdout, [t.dir]));
    });
  }

  it('unnamed tasks are listed by the action as written', () => {
    const listed = comparableOutput(runs.fqcnListTasks.ansible.stdout);
    expect(listed).toContain('      ansible.builtin.debug\tTAGS: []\n      debug\tTAGS: []\n      ansible.legacy.debug\tTAGS: []');
  });

  it('the comparison can fail: the shared dependency is listed under both roles, run once', () => {
    const listed = comparableOutput(runs.listTasks.ansible.stdout).split('\n');
    const play1 = listed.slice(listed.findIndex((l) => l.includes('play #1')), listed.findIndex((l) => l.includes('play #2')));
    expect(play1.filter((l) => l.trim().startsWith('debug\tTAGS: [btag]'))).toHaveLength(3);
    const ran = runs.run.ansible.stdout.split('\n').filter((l) => l.startsWith('TASK [base : debug]'));
    expect(ran).toHaveLength(4); // play 1: a's dep and c's tagged dep; play 2: once; play 3: once
  });
});
