// Task normalisation: module detection, argument forms, keywords, loops, conditions, tags,
// notify/listen, blocks and origins.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block, Task } from '../../engine/playbook/index.js';
import { loadTree, tasksOf } from './helpers.js';
import { typeName } from '../../engine/template/python.js';

const one = (body: string) => tasksOf(body).tasks[0] as Task;

describe('module detection and arguments', () => {
  it('dict args', () => {
    const t = one('- copy:\n    src: a\n    dest: /b\n    mode: "0644"');
    expect(t).toMatchObject({ kind: 'task', action: 'copy', args: { src: 'a', dest: '/b', mode: '0644' } });
  });

  it('k=v string: values are strings, quotes honoured', () => {
    expect(one('- debug: msg="hello world" verbosity=2').args).toEqual({ msg: 'hello world', verbosity: '2' });
  });

  it('free form command keeps k=v words except the command options', () => {
    const t = one('- command: ls -l a=b chdir=/tmp creates=/x');
    expect(t.args).toEqual({ _raw_params: 'ls -l a=b', chdir: '/tmp', creates: '/x' });
  });

  it('FQCN ansible.builtin / ansible.legacy reduce to the short name; rawAction keeps what was written', () => {
    const { tasks } = tasksOf('- ansible.builtin.debug: msg=a\n- ansible.legacy.shell: echo hi\n- debug: msg=b');
    expect(tasks.map((t) => (t as Task).action)).toEqual(['debug', 'shell', 'debug']);
    expect((tasks[0] as Task).rawAction).toBe('ansible.builtin.debug');
    expect((tasks[2] as Task).rawAction).toBeUndefined();
  });

  it('action: string and dict forms', () => {
    const { tasks } = tasksOf('- action: copy src=a dest=b\n- action:\n    module: shell echo hi\n    chdir: /tmp');
    expect(tasks[0]).toMatchObject({ action: 'copy', args: { src: 'a', dest: 'b' } });
    expect(tasks[1]).toMatchObject({ action: 'shell', args: { _raw_params: 'echo hi', chdir: '/tmp' } });
  });

  it('local_action → delegate_to: localhost', () => {
    const t = one('- local_action: command echo hi');
    expect(t).toMatchObject({ action: 'command', args: { _raw_params: 'echo hi' }, delegate_to: 'localhost' });
  });

  it('args: keyword merged under the inline args', () => {
    const t = one('- shell: echo hi chdir=/inline\n  args:\n    chdir: /tmp\n    executable: /bin/bash');
    expect(t.args).toEqual({ _raw_params: 'echo hi', chdir: '/inline', executable: '/bin/bash' });
  });

  it('args: as a template string → _variable_params', () => {
    expect(one('- copy:\n  args: "{{ copy_args }}"').args).toEqual({ _variable_params: '{{ copy_args }}' });
  });

  it('cmd: moves to _raw_params for command/shell', () => {
    expect(one('- command:\n    cmd: uptime\n    chdir: /').args).toEqual({ _raw_params: 'uptime', chdir: '/' });
  });

  it('module without args gets {}', () => {
    expect(one('- ping:').args).toEqual({});
  });

  it('a whole-template string for a non-free-form module → _variable_params', () => {
    expect(one('- debug: "{{ dbg }}"').args).toEqual({ _variable_params: '{{ dbg }}' });
  });

  it('meta: flush_handlers', () => {
    expect(one('- meta: flush_handlers')).toMatchObject({ action: 'meta', args: { _raw_params: 'flush_handlers' } });
  });

  it('set_fact k=v', () => {
    expect(one('- set_fact: a=1 b="two words"').args).toEqual({ a: '1', b: 'two words' });
  });
});

describe('keywords', () => {
  it('with_<lookup> → loop + loopWith', () => {
    const t = one('- debug: var=item\n  with_dict: "{{ d }}"');
    expect(t).toMatchObject({ loop: '{{ d }}', loopWith: 'dict' });
  });

  it('loop and loop_control', () => {
    const t = one('- debug: var=x\n  loop: [1, 2]\n  loop_control:\n    loop_var: x\n    label: "{{ x }}"');
    expect(t.loop).toEqual([1, 2]);
    expect(t.loopWith).toBeUndefined();
    expect(t.loop_control).toEqual({ loop_var: 'x', label: '{{ x }}' });
  });

  it('when / changed_when / failed_when / until become lists', () => {
    const t = one('- command: ls\n  when: a\n  changed_when: false\n  failed_when: [x, z]\n  until: r is success\n  retries: 2\n  delay: 1');
    expect(t).toMatchObject({ when: ['a'], changed_when: [false], failed_when: ['x', 'z'], until: ['r is success'], retries: 2, delay: 1 });
  });

  it('tags: comma string split and trimmed; list entries kept; numbers → strings', () => {
    const { tasks } = tasksOf('- debug: msg=a\n  tags: "a, b,c"\n- debug: msg=b\n  tags: [x, "y,z", 7]');
    expect(tasks[0].tags).toEqual(['a', 'b', 'c']);
    expect(tasks[1].tags).toEqual(['x', 'y,z', '7']);
  });

  it('notify string → list; register; vars list merged', () => {
    const t = one('- command: ls\n  notify: restart\n  register: out\n  vars:\n    - a: 1\n    - b: 2');
    expect(t).toMatchObject({ notify: ['restart'], register: 'out', vars: { a: 1, b: 2 } });
  });

  it('inherited keywords copied as written', () => {
    const t = one('- command: ls\n  become: yes\n  become_user: app\n  environment: {A: "1"}\n  ignore_errors: true\n  delegate_to: db1\n  run_once: true\n  no_log: true\n  check_mode: no');
    expect(t).toMatchObject({ become: true, become_user: 'app', environment: { A: '1' }, ignore_errors: true, delegate_to: 'db1', run_once: true, no_log: true, check_mode: false });
  });

  it('YAML 1.1 scalars: yes/no booleans and 0755 octal, as Ansible reads them', () => {
    const t = one('- file:\n    path: /x\n    mode: 0755\n    force: yes');
    expect(t.args).toEqual({ path: '/x', mode: 493, force: true });
  });

  it('YAML like PyYAML: y/n stay strings, 1e3 is a string, 1:20 is 80, a date is a date', () => {
    const t = one('- debug:\n    a: y\n    b: n\n    c: 1e3\n    d: 1:20\n    e: 2024-01-02\n    f: off');
    const { e, ...rest } = t.args as Record<string, unknown>;
    expect(rest).toEqual({ a: 'y', b: 'n', c: '1e3', d: 80, f: false });
    // datetime.date: str() and isoformat() are the text, type_debug says date
    expect([String(e), JSON.stringify(e), typeName(e)]).toEqual(['2024-01-02', '"2024-01-02"', 'date']);
  });

  it('task ids are unique increasing integers', () => {
    const { tasks } = tasksOf('- debug: msg=a\n- debug: msg=b');
    expect(typeof tasks[0].id).toBe('number');
    expect(tasks[1].id).toBeGreaterThan(tasks[0].id);
  });

  it('origin has file, line and baseDir', () => {
    const { tasks, root } = tasksOf('- debug: msg=a\n- name: second\n  debug: msg=b');
    expect(tasks[1].origin).toEqual({ pos: { file: join(root, 'site.yml'), line: 4, column: 7 }, baseDir: root });
  });
});

describe('blocks', () => {
  it('block/rescue/always with keywords kept on the block', () => {
    const { tasks } = tasksOf(
      '- name: guarded\n  block:\n    - command: a\n  rescue:\n    - debug: msg=r\n  always:\n    - debug: msg=x\n  when: ok\n  tags: blk\n  become: true',
    );
    const b = tasks[0] as Block;
    expect(b).toMatchObject({ kind: 'block', name: 'guarded', when: ['ok'], tags: ['blk'], become: true });
    expect(b.block).toHaveLength(1);
    expect(b.rescue[0]).toMatchObject({ action: 'debug', args: { msg: 'r' } });
    expect(b.always[0]).toMatchObject({ action: 'debug', args: { msg: 'x' } });
    expect((b.block[0] as Task).when).toBeUndefined();
  });

  it('nested blocks', () => {
    const { tasks } = tasksOf('- block:\n    - block:\n        - command: a');
    expect(((tasks[0] as Block).block[0] as Block).block[0]).toMatchObject({ action: 'command' });
  });
});

describe('plays', () => {
  it('play keywords, user → remote_user, vars_files as written, vars_prompt normalised', () => {
    const { pb } = loadTree({
      'site.yml': [
        '- name: p',
        '  hosts: [web, db]',
        '  user: admin',
        '  gather_facts: false',
        '  serial: [1, "50%"]',
        '  vars_files: ["common.yml", ["{{ os }}.yml", "default.yml"]]',
        '  vars_prompt:',
        '    - name: pw',
        '      prompt: Password',
        '    - name: ver',
        '      private: no',
        '      default: "1.0"',
        '  tags: p',
        '  tasks: []',
      ].join('\n'),
    });
    expect(pb.plays[0]).toMatchObject({
      kind: 'play',
      name: 'p',
      hosts: ['web', 'db'],
      remote_user: 'admin',
      gather_facts: false,
      serial: [1, '50%'],
      vars_files: ['common.yml', ['{{ os }}.yml', 'default.yml']],
      vars_prompt: [
        { name: 'pw', prompt: 'Password', private: true },
        { name: 'ver', private: false, default: '1.0' },
      ],
      tags: ['p'],
    });
  });

  it('a single vars_files string becomes a list', () => {
    const { pb } = loadTree({ 'site.yml': '- hosts: all\n  vars_files: v.yml\n' });
    expect(pb.plays[0].vars_files).toEqual(['v.yml']);
  });
});
