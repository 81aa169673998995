// Differential test of what ansible-playbook 2.14 prints besides results, against drover (local
// connection): the -vv lines ("N plays in", "task path:", "statically imported:", "META: ...",
// "NOTIFIED HANDLER", meta skip reasons), the warnings on stderr (reserved variable names,
// template delimiters in conditionals, a loop variable already in use, an unusable handler name,
// args from a variable; wrapped at 79 columns, repeated per task as Ansible's workers repeat
// them), the errors that stop a run (stderr "ERROR! ..." with the offending line, exit code) and
// the --list-hosts/--list-tasks/--list-tags text (path as given, templated tags, limit warnings).
// stdout, stderr and exit codes must match once paths are normalised. Skipped without
// ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const FILES: Record<string, string> = {
  'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
  'imported.yml': '- debug: msg=imported\n- import_tasks: nested.yml\n',
  'nested.yml': '- debug: msg=nested\n',
  'empty.yml': '',
  'included.yml': '- debug: msg="included {{ inventory_hostname }}"\n',
  'vv.yml': `
- name: verbose lines
  hosts: h1,h2
  gather_facts: false
  tasks:
    - import_tasks: imported.yml
    - import_tasks: empty.yml
    - include_tasks: included.yml
    - command: "true"
      notify: [first, second]
    - meta: flush_handlers
    - meta: noop
    - debug: msg="{{ item }}"
      loop: [1, 2]
      when: item == 2
    - meta: end_host
      when: inventory_hostname == 'h2'
    - debug: msg=after
    - meta: clear_host_errors
      when: false
    - meta: end_play
  handlers:
    - name: first
      command: "true"
      notify: third
    - name: second
      meta: noop
    - name: third
      debug: msg=third
- name: second play
  hosts: h1
  gather_facts: false
  tasks:
    - meta: end_batch
      when: false
    - debug: msg=last
`,
  'warnings.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    lipsum: reserved
    item: taken
    d: {msg: from a variable}
    tagvar: t1
  tasks:
    - debug: msg=x
      when: "{{ 1 == 1 }}"
      tags: ["{{ tagvar }}", t2]
    - debug: msg=y
      when: "{{ 1 == 1 }}"
    - assert:
        that:
          - '"{{ lipsum }}" == "reserved"'
          - lipsum == "reserved"
    - debug: msg="{{ item }}"
      loop: [1, 2]
    - debug:
      args: "{{ d }}"
    - command: "true"
      notify: named
  handlers:
    - name: "handler {{ undefined_var }}"
      debug: msg=never
    - name: named
      debug: msg=named
`,
  'missing-handler.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - command: "true"
      notify: nope
`,
  'bad-register.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg=x
      register: 200
`,
  'block-handler.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg=x
  handlers:
    - name: h
      block:
        - debug:
        - block:
            - debug:
`,
  'role-handler.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg=x
  handlers:
    - name: h
      include_role:
        name: r
`,
  'roles/r/tasks/main.yml': '- debug: msg=r\n',
  'outside.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - include_role:
        name: r
        tasks_from: "{{ playbook_dir }}/nested.yml"
`,
  'not-a-list.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - import_tasks: scalar.yml
`,
  'scalar.yml': '# a comment\nthis is not a list of tasks\n',
};

const ERRORS = ['missing-handler', 'bad-register', 'block-handler', 'role-handler', 'outside', 'not-a-list'];

describe.skipIf(!hasAnsible)('-vv lines, warnings and stopping errors vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-verbose-diff-');
  const runs: Record<string, PlaybookRuns> = {};

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    // one fork: hosts report in inventory order
    runs.vv = runPlaybookBoth('vv.yml', { cwd: t.dir, args: ['-vv', '-f', '1'], inventory: 'hosts.ini' });
    runs.warnings = runPlaybookBoth('warnings.yml', { cwd: t.dir, args: ['-c', 'local'], env: { ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false' } });
    for (const name of ERRORS) runs[name] = runPlaybookBoth(`${name}.yml`, { cwd: t.dir, args: ['-c', 'local'] });
    // listings: the playbook path as given, templated tags, a --limit term matching nothing
    // (one host per play: ansible-playbook lists a play's hosts from a set, in no fixed order)
    runs.listHosts = runPlaybookBoth('./vv.yml', { cwd: t.dir, args: ['--list-hosts', '-l', 'h1,nothere'], inventory: 'hosts.ini' });
    runs.listTasks = runPlaybookBoth('./warnings.yml', { cwd: t.dir, args: ['--list-tasks'] });
    runs.listTags = runPlaybookBoth('warnings.yml', { cwd: t.dir, args: ['--list-tags'] });
  }, 900_000);

  afterAll(() => t.cleanup());

  for (const name of ['vv', 'warnings', ...ERRORS, 'listHosts', 'listTasks', 'listTags']) {
    it(`${name}: same exit code, stdout and stderr`, () => {
      const r = runs[name];
      expect(r.drover.status).toBe(r.ansible.status);
      expect(comparableOutput(r.drover.stdout, [t.dir])).toBe(comparableOutput(r.ansible.stdout, [t.dir]));
      expect(comparableOutput(r.drover.stderr, [t.dir])).toBe(comparableOutput(r.ansible.stderr, [t.dir]));
    });
  }

  it('the comparison can fail: the lines compared are really there', () => {
    const vv = comparableOutput(runs.vv.ansible.stdout, [t.dir]);
    expect(vv).toContain('2 plays in vv.yml');
    expect(vv).toContain('META: end_host conditional evaluated to False, continuing execution for h1');
    expect(vv).toContain('NOTIFIED HANDLER third for h1');
    expect(runs.warnings.ansible.stderr).toContain('[WARNING]: Found variable using reserved name: lipsum');
    expect(runs['missing-handler'].ansible.stderr).toContain("ERROR! The requested handler 'nope' was not found");
    expect(runs['missing-handler'].ansible.status).toBe(1);
    expect(runs.listHosts.ansible.stdout).toContain("playbook: ./vv.yml");
    expect(runs.listHosts.ansible.stderr).toContain('Could not match supplied host pattern, ignoring: nothere');
    expect(runs.listTasks.ansible.stdout).toContain('TAGS: [t1, t2]');
  });
});
