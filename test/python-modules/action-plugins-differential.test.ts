// Differential test of custom Python action plugins that reach their host, collection action
// plugins with module_defaults and action groups, and a collection connection plugin, under
// ansible-playbook 2.14 and drover (local connection). The action plugin's _execute_module,
// _low_level_execute_command, _make_tmp_path/_transfer_data/_remote_expand_user and a nested
// ansible.legacy.shell action are answered by drover's modules and the host's connection
// (engine/python/action-plugins.ts); module_defaults keys and `group/` names resolve as ansible-core
// resolves them (engine/python/module-defaults.ts); a connection plugin keeps its state across loop
// items and builds become commands (engine/python/python-connection.ts). Skipped without
// ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const COLL = 'collections/ansible_collections/acme/tools';

const FILES: Record<string, string> = {
  'action_plugins/host_work.py': `
from ansible.plugins.action import ActionBase

class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        cmd = self._execute_module('ansible.legacy.command', {'_raw_params': 'echo from-command'}, task_vars=task_vars)
        low = self._low_level_execute_command('printf low; printf err >&2; exit 3')
        home = self._remote_expand_user('~')
        self._make_tmp_path()
        tmpdir = self._connection._shell.tmpdir
        path = self._connection._shell.join_path(tmpdir, 'data.txt')
        self._transfer_data(path, 'transferred %s' % self._task.args.get('word'))
        cat = self._low_level_execute_command('cat %s' % path)
        self._remove_tmp_path(tmpdir)
        gone = self._low_level_execute_command('test -e %s' % tmpdir)
        mod = self._execute_module('echo_args', {'a': 1}, task_vars=task_vars)
        result.update(cmd_stdout=cmd['stdout'], cmd_lines=cmd['stdout_lines'], low_rc=low['rc'], low_stdout=low['stdout'],
                      low_stderr=low['stderr'], home_is_abs=home.startswith('/'), cat=cat['stdout'], tmp_gone=gone['rc'] != 0,
                      mod_args=mod['args'], changed=False)
        return result
`,
  'action_plugins/shell_quiet.py': `
from ansible.plugins.action import ActionBase

class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        self._task.args['_raw_params'] = self._task.args.pop('cmd')
        shell = self._shared_loader_obj.action_loader.get('ansible.legacy.shell', task=self._task, connection=self._connection,
            play_context=self._play_context, loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        result = shell.run(task_vars=task_vars)
        result.pop('failed', None)
        return result
`,
  'library/echo_args.py': `
import json
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(a=dict(type='int'), b=dict(type='str')))
m.exit_json(changed=False, args={'a': m.params['a'], 'b': m.params['b']})
`,
  [`${COLL}/meta/runtime.yml`]: `
plugin_routing:
  action:
    old_echo:
      redirect: acme.tools.echo_action
  connection:
    old_counter:
      redirect: acme.tools.counter
action_groups:
  main:
    - echo_action
    - echo_mod
  wide:
    - metadata:
        extend_group: [extra]
  extra:
    - ansible.builtin.ping
  bad_keys:
    - unexpected_key: {key: value}
      metadata: {extend_group: main}
  bad_type:
    - metadata: [main]
  bad_option_type:
    - metadata:
        extend_group: {name: main}
  two_metadata:
    - metadata: {extend_group: main}
    - metadata: {extend_group: wide}
  loops_back:
    - metadata: {extend_group: [loops_forth]}
  loops_forth:
    - metadata: {extend_group: loops_back}
    - echo_action
`,
  [`${COLL}/plugins/action/echo_action.py`]: `
from ansible.plugins.action import ActionBase

class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        super(ActionModule, self).run(tmp, task_vars)
        return dict(changed=False, args_in=self._task.args)
`,
  [`${COLL}/plugins/modules/echo_mod.py`]: `
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(x=dict(), y=dict(), z=dict()))
m.exit_json(changed=False, got=dict((k, v) for k, v in m.params.items() if v is not None))
`,
  [`${COLL}/plugins/connection/counter.py`]: `
DOCUMENTATION = '''
name: counter
short_description: counts its commands
description: [counts its commands]
author: drover tests
'''
from ansible.plugins.connection import ConnectionBase

class Connection(ConnectionBase):
    transport = 'acme.tools.counter'

    def __init__(self, *args, **kwargs):
        self._count = 0
        super().__init__(*args, **kwargs)

    @property
    def connected(self):
        return True

    def _connect(self):
        return

    def exec_command(self, cmd, in_data=None, sudoable=True):
        self._count += 1
        return 0, cmd.encode(), ('%d %s' % (self._count, self.become.name if self.become else None)).encode()

    def put_file(self, in_path, out_path):
        return

    def fetch_file(self, in_path, out_path):
        return

    def close(self):
        return
`,
  'host.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - host_work:
        word: hello
      register: hw
    - debug:
        msg: "R host_work {{ hw | dict2items | rejectattr('key', 'in', ['invocation']) | items2dict | to_json }}"
    - shell_quiet:
        cmd: "echo out; exit 4"
      register: sq
      ignore_errors: true
    - debug:
        msg: "R shell_quiet {{ [sq.rc, sq.stdout, sq.failed | default('absent'), sq.cmd] | to_json }}"
`,
  'defaults.yml': `
- hosts: localhost
  gather_facts: false
  collections: [acme.tools]
  module_defaults:
    acme.tools.echo_action: {from_play: yes}
    group/acme.tools.main: {from_group: "{{ 'templated' }}"}
    debug: {msg: play default}
  tasks:
    - echo_action: {own: 1}
      register: r1
    - acme.tools.old_echo: {own: 2}
      register: r2
    - echo_mod: {x: "1"}
      register: r3
      module_defaults:
        group/acme.tools.main: {y: "2"}
        acme.tools.echo_mod: {z: "3"}
    - debug:
      register: r4
    - ansible.builtin.debug:
      register: r5
    - name: a block's defaults over the play's; omit drops a default
      module_defaults:
        ansible.legacy.debug: {msg: block default}
      block:
        - debug:
          register: r6
        - debug:
            msg: "{{ omit }}"
          register: r7
    - ping:
      module_defaults:
        ping: {data: pinged}
      register: r8
    - name: ping is in the group wide extends
      ping:
      module_defaults:
        group/acme.tools.wide: {data: extended}
      register: r9
    - ansible.legacy.ping:
      module_defaults:
        ansible.builtin.ping: {data: builtin}
      register: r10
    - debug:
        msg: "R defaults {{ [r1.args_in, r2.args_in, r3.got, r4.msg, r5.msg, r6.msg, r7.msg, r8.ping, r9.ping, r10.ping] | to_json }}"
`,
  'warnings.yml': `
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/acme.tools.bad_keys: {a: 1}
    group/acme.tools.bad_type: {a: 1}
    group/acme.tools.bad_option_type: {a: 1}
    group/acme.tools.two_metadata: {a: 1}
    group/acme.tools.loops_back: {looped: yes}
  tasks:
    - acme.tools.echo_action:
      register: w
    - debug:
        msg: "R looped {{ w.args_in | to_json }}"
`,
  'connection.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - raw: hello
      become: "{{ item }}"
      vars:
        ansible_connection: acme.tools.counter
      loop: [true, false]
      register: c1
    - raw: again
      vars:
        ansible_connection: acme.tools.old_counter
      register: c2
    - debug:
        msg: "R connection {{ [c1.results[0].stdout is match('sudo '), c1.results[0].stderr, c1.results[1].stdout, c1.results[1].stderr, c2.stderr] | to_json }}"
`,
};

describe.skipIf(!hasAnsible)('custom action plugins, module_defaults and connection plugins vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-pyaction-');
  const runs: Record<string, PlaybookRuns> = {};

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    const env = { ANSIBLE_COLLECTIONS_PATH: t.p('collections') };
    for (const pb of ['host.yml', 'defaults.yml', 'connection.yml', 'warnings.yml']) runs[pb] = runPlaybookBoth(pb, { cwd: t.dir, args: ['-c', 'local'], env });
  }, 600_000);

  afterAll(() => t.cleanup());

  const same = (pb: string, names: string[]) => {
    const { ansible, drover } = runs[pb];
    expect(ansible.status, ansible.stdout).toBe(0);
    expect(drover.status, drover.stdout + drover.stderr).toBe(ansible.status);
    const want = reportedValues(ansible.stdout);
    expect(Object.keys(want).sort()).toEqual(names);
    expect(reportedValues(drover.stdout)).toEqual(want);
    expect(drover.stdout.match(/^localhost .*$/m)?.[0]).toBe(ansible.stdout.match(/^localhost .*$/m)?.[0]);
  };

  it("an action plugin's module runs, commands and file transfers reach the host, nested actions too", () => {
    same('host.yml', ['host_work', 'shell_quiet']);
  });

  it('module_defaults: resolved names, groups with extend_group, templated values, block layers and omit', () => {
    same('defaults.yml', ['defaults']);
  });

  it("an action group's invalid metadata gives ansible's warnings; groups extending each other end", () => {
    same('warnings.yml', ['looped']);
    const warnings = (s: string) => s.replace(/\n(?!\[WARNING\])/g, ' ').split('\n').filter((l) => l.includes('Invalid metadata')).sort();
    const want = warnings(runs['warnings.yml'].ansible.stderr);
    expect(want.length).toBe(4);
    expect(warnings(runs['warnings.yml'].drover.stderr)).toEqual(want);
  });

  it('a collection connection plugin keeps its state across loop items and builds the become command', () => {
    same('connection.yml', ['connection']);
  });
});
