// Differential test of variable scoping against ansible-playbook 2.14 (local connection): role
// defaults, vars, entry `vars:` and params along dependency chains (a dependency shared by two
// roles with different params, a parent's vars under its dependencies'), the play roles' defaults
// and vars seen by every task (and not with ANSIBLE_PRIVATE_ROLE_VARS), import_role and
// include_role public: true joining the play's roles (their `vars:` become the role's vars), role_names and friends,
// ansible_parent_role_names/_paths (and include_role banners inside a role), include params above set_fact (old-style include, include_tasks)
// while import vars and `include k=v` stay below it, run_once on include_tasks, parse-time templates seeing task vars,
// the raw `vars` dictionary and `environment`, the connection variables PlayContext.update_vars
// adds (ansible_host, ansible_timeout...), ansible_failed_task as Task.serialize() (not compared: the _ansible_* internals 2.14 leaves
// in a module's args) and ansible_failed_result, the template module's
// template_* variables, ansible_delegated_vars, ansible_play_name of an unnamed play, a debug of
// ansible_facts setting nothing, hostvars[host] under a host list. The same tree runs under both tools; the whole plain output and
// the exit codes must be equal.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const show = (label: string, names: string[]) => `- debug: msg="${label} ${names.map((n) => `${n}={{ ${n} | default('U') }}`).join(' ')}"\n`;
const ROLE_VARS = ['p', 'shared', 'who', 'entry', 'a_def', 'd_common', 'v_common', 'c_def', 'c_var', 'd_var', 'd_def', 'c_import', 'd_inc'];
const NAMES = `- debug: msg="names {{ role_names }} {{ ansible_play_role_names }} {{ ansible_role_names | sort }} {{ ansible_dependent_role_names | sort }}"\n`;

function tree(out: string): Record<string, string> {
  return {
    'main.yml': `- hosts: localhost
  gather_facts: false
  vars: {shared: play-vars, p: play-p}
  roles:
    - role: a
      vars: {entry: a-entry}
    - role: b
      p: b-param
  tasks:
${indent(show('play', ROLE_VARS))}${indent(NAMES)}    - import_role: {name: c}
      vars: {c_import: from-import}
    - include_role: {name: d}
      vars: {d_inc: not-public}
${indent(show('after-include', ['d_var', 'd_def', 'd_inc']))}    - include_role: {name: d, public: true}
      vars: {d_inc: public}
${indent(show('after-public', ['d_var', 'd_def', 'd_inc', 'c_import']))}${indent(NAMES)}    - include_role: {name: parent}
    - name: "a task named {{ p }}"
      import_tasks: "{{ inc_file }}"
      vars: {inc_file: inc.yml}

- hosts: localhost
  gather_facts: false
  tasks:
    - set_fact: {iv: from-set-fact, kv: from-set-fact}
    - include: inc.yml kv=from-kv
      vars: {iv: from-include-vars}
    - include_tasks: inc.yml
      vars: {iv: from-include-tasks-vars}
    - import_tasks: inc.yml
      vars: {iv: from-import-vars}
    - block:
        - debug: msg="block iv={{ iv }}"
      vars: {iv: from-block}
    - set_fact:
        ansible_facts: {nonfact: 1}
    - debug: var=ansible_facts
    - debug: msg="nonfact={{ nonfact | default('U') }} play={{ ansible_play_name }}"
    - debug: msg="{{ vars['raw'] }} {{ 'ansible_host' in vars }} {{ 'environment' in vars }} {{ environment }} {{ vars.environment }}"
      vars: {raw: "{{ iv }}"}
      environment: {E: "{{ 1 + 1 }}"}
    - debug: msg="{{ ansible_host }} {{ ansible_connection }} {{ ansible_timeout }} {{ ansible_pipelining }} {{ ansible_shell_executable }} {{ lookup('vars', 'ansible_ssh_host') }} {{ ansible_user | default('U') }}"

- hosts: localhost
  gather_facts: false
  name: failures
  tasks:
    - block:
        - command: /bin/false
      rescue:
        - debug: msg="{{ ansible_failed_task.name }}|{{ ansible_failed_task.action }}|{{ ansible_failed_task.args._raw_params }}|{{ ansible_failed_task.keys() | sort }}"
        - debug: msg="{{ ansible_failed_result.rc }} {{ ansible_failed_result.failed }} {{ ansible_failed_task.parent is defined }}"
    - block:
        - name: named
          fail: msg=boom
          vars: {a: 1}
          tags: [x]
      rescue:
        - debug: msg="{{ ansible_failed_task.name }}|{{ ansible_failed_task.vars }}|{{ ansible_failed_task.tags }}|{{ ansible_failed_task.loop_control.loop_var }}|{{ ansible_failed_task.retries }}|{{ ansible_failed_task.become }}"
    - block:
        - name: a template in the args
          assert: {that: false, msg: "{{ 'x' ~ 'y' }}"}
      rescue:
        - debug: msg="{{ ansible_failed_task.name }}|{{ ansible_failed_task.args.msg }}"
    - file: {path: "${out}/t.txt", state: absent}
    - template: {src: t.j2, dest: "${out}/t.txt"}
    - debug: msg="{{ lookup('file', '${out}/t.txt') }}"
    - file: {path: "${out}/t.txt", state: absent}
    - debug: msg="{{ ansible_delegated_vars.keys() | list }} {{ ansible_delegated_vars['localhost'].inventory_hostname }}"
      delegate_to: localhost
`,
    'inc.yml': show('inc', ['iv', 'kv']),
    // run_once on include_tasks: only the first host includes the file
    'pair.ini': '[pair]\np1 ansible_connection=local\np2 ansible_connection=local\n',
    'once.yml': `- hosts: pair
  gather_facts: false
  vars: {lola: untouched}
  tasks:
    - include_tasks: once-inc.yml
      run_once: true
    - debug: msg="lola={{ lola }}"
`,
    'once-inc.yml': '- set_fact: {lola: wiseman}\n',
    't.j2': 'path={{ template_path }} full={{ template_fullpath | basename }} dest={{ template_destpath | basename }} host={{ template_host == ansible_hostname | default(template_host) }} uid={{ template_uid }} managed={{ ansible_managed }} year={{ (template_run_date | string)[:2] }}\n',
    // a dependency shared by a and b, with different params (two instances)
    'roles/common/defaults/main.yml': 'd_common: common-default\nshared: common-default\n',
    'roles/common/vars/main.yml': 'v_common: common-vars\n',
    'roles/common/tasks/main.yml': show('common', ROLE_VARS),
    'roles/a/meta/main.yml': 'dependencies:\n  - {role: common, p: from-a}\n',
    'roles/a/defaults/main.yml': 'a_def: a-default\n',
    'roles/a/vars/main.yml': 'shared: a-vars\nwho: a\nentry: a-vars-wins\n',
    'roles/a/tasks/main.yml': show('a', ROLE_VARS),
    'roles/b/meta/main.yml': 'dependencies:\n  - role: common\n    p: from-b\n    vars: {entry: b-entry}\n',
    'roles/b/vars/main.yml': 'who: b\n',
    'roles/b/tasks/main.yml': show('b', ROLE_VARS),
    'roles/c/defaults/main.yml': 'c_def: c-default\n',
    'roles/c/vars/main.yml': 'c_var: c-vars\n',
    'roles/c/tasks/main.yml': show('c', ROLE_VARS),
    'roles/d/defaults/main.yml': 'd_def: d-default\n',
    'roles/d/vars/main.yml': 'd_var: d-vars\n',
    'roles/d/tasks/main.yml': show('d', ['d_var', 'd_def', 'p']),
    'roles/parent/tasks/main.yml': `${show('parent-before', ['ansible_parent_role_names'])}- include_role: {name: child}\n- name: named include in a role\n  include_role: {name: child}\n- import_role: {name: child, tasks_from: other.yml}\n`,
    'roles/child/tasks/main.yml': "- debug: msg=\"child {{ ansible_parent_role_names }} {{ ansible_parent_role_paths | map('basename') | list }}\"\n",
    'roles/child/tasks/other.yml': "- debug: msg=\"child-other {{ ansible_parent_role_names }} {{ role_name }}\"\n",
  };
}

/** hostvars[host]: the host's variables without play-only magic (nor hostvars itself), under a host list. */
const HOSTVARS: Record<string, string> = {
  'hostvars.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    # omit's placeholder is random in 2.14; ansible_config_file: drover reads no ansible.cfg path into it
    - debug:
        msg: "{{ hostvars['localhost'] | dict2items | rejectattr('key', 'in', ['omit', 'ansible_config_file']) | items2dict }}"
    - debug: msg="{{ hostvars['localhost'].ansible_play_hosts | default('U') }} {{ hostvars.localhost.hostvars is defined }} {{ hostvars.localhost.playbook_dir == playbook_dir }} {{ inventory_dir }}"
`,
};

function indent(text: string): string {
  return text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
}

/** hash_behaviour: one dictionary defined on every layer Ansible combines. */
const HASH: Record<string, string> = {
  'hash.yml': `- hosts: localhost
  gather_facts: false
  vars_files: [vf.yml]
  vars: {h: {play: 1}}
  roles:
    - role: hr
      h: {param: 1}
  tasks:
    - debug: msg="play {{ h | dictsort }}"
    - set_fact: {h: {set_fact: 1}}
    - debug: msg="set_fact {{ h | dictsort }}"
    - include_vars: iv.yml
    - include_vars: iv2.yml
    - debug: msg="include_vars {{ h | dictsort }}"
`,
  'vf.yml': 'h: {vars_file: 1}\n',
  'iv.yml': 'h: {include_vars: 1}\n',
  'iv2.yml': 'h: {include_vars2: 1}\n',
  'group_vars/all.yml': 'h: {group_all: 1}\n',
  'host_vars/localhost.yml': 'h: {host: 1}\n',
  'roles/hr/defaults/main.yml': 'h: {default: 1}\n',
  'roles/hr/vars/main.yml': 'h: {role_vars: 1}\n',
  'roles/hr/tasks/main.yml': '- debug: msg="role {{ h | dictsort }}"\n',
};

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(`${root}/${path}`), { recursive: true });
    writeFileSync(`${root}/${path}`, text);
  }
}

describe.skipIf(!hasAnsible)('variable scoping vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-vars-diff-');
  const runs: Record<string, PlaybookRuns> = {};

  beforeAll(() => {
    mkdirSync(t.p('out'));
    write(t.dir, tree(t.p('out')));
    write(t.p('hash'), HASH);
    write(t.p('hv'), HOSTVARS);
    runs.hostvars = runPlaybookBoth('hostvars.yml', { cwd: t.p('hv'), args: ['-c', 'local', '-i', 'localhost,'] });
    const local = ['-c', 'local'];
    runs.main = runPlaybookBoth('main.yml', { cwd: t.dir, args: local });
    runs.private = runPlaybookBoth('main.yml', { cwd: t.dir, args: local, env: { ANSIBLE_PRIVATE_ROLE_VARS: '1' } });
    runs.once = runPlaybookBoth('once.yml', { cwd: t.dir, args: ['-i', 'pair.ini'] });
    const extra = ['-e', '{"h": {"extra": 1}}', '-e', '{"h": {"extra2": 1}}'];
    runs.replace = runPlaybookBoth('hash.yml', { cwd: t.p('hash'), args: [...local, ...extra] });
    runs.merge = runPlaybookBoth('hash.yml', { cwd: t.p('hash'), args: [...local, ...extra], env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' } });
  }, 900_000);

  afterAll(() => t.cleanup());

  it('ansible-playbook runs every case (the references are meaningful)', () => {
    for (const [name, run] of Object.entries(runs)) expect(run.ansible.status, `${name}\n${run.ansible.stdout}`).toBe(0);
    expect(runs.main.ansible.stdout).toContain('child-other');
    expect(runs.merge.ansible.stdout).toContain("('group_all', 1)");
  });

  for (const name of ['main', 'private', 'once', 'replace', 'merge', 'hostvars']) {
    it(`${name}: same output, line for line, and the same exit code`, () => {
      const run = runs[name];
      expect(comparableOutput(run.drover.stdout, [t.dir])).toBe(comparableOutput(run.ansible.stdout, [t.dir]));
      expect(run.drover.status).toBe(run.ansible.status);
    });
  }
});
