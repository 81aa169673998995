// The bad-input corpus (issue 17): malformed INI and YAML inventories, playbooks with YAML errors,
// unknown keywords, modules and arguments, bad -e, undefined variables, recursive includes, huge
// and binary files. Partly hand-written, mostly generated from small tables. Every case targets one
// host whose address is a TCP listener of the test (@PORT@), so a connection attempt is counted.
// Where the fault lies in a file, `at` names the file and line drover's error must quote.

export interface BadCase {
  id: string;
  /** File name -> content; `pb.yml` and `hosts` exist unless a case replaces them. */
  files: Record<string, string | Buffer>;
  /** Extra command-line arguments (before the playbook). */
  args?: string[];
  /**
   * The file and line drover's output must name (`file:line`, `'file': line N` or -vv's task path).
   * Inventory lines are exact (from..line for a fault spanning lines); elsewhere, as Ansible, the position may be that of the enclosing
   * play or task, or where YAML noticed the fault (the next line), so lines 1..line+1 pass.
   */
  at?: { file: string; line: number; exact?: boolean; from?: number };
  /** What the error must say besides the position. */
  says: RegExp;
}

export const HOSTS = 'target ansible_host=127.0.0.1 ansible_port=@PORT@ ansible_user=nobody ansible_connection=ssh\n';

const play = (tasks: string, head = '') => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks}`;
const OK_TASK = '    - debug: msg=hi\n';

function c(id: string, files: Record<string, string | Buffer>, says: RegExp, at?: BadCase['at'], args?: string[]): BadCase {
  return { id, files: { hosts: HOSTS, 'pb.yml': play(OK_TASK), ...files }, says, at, args };
}

// --- INI inventories: each bad line placed after a good first line (so the line number is 2).
const BAD_INI_LINES: [string, RegExp][] = [
  ['[web', /section|host range|\[web/i],
  ['[web:nonsense]', /nonsense|section/i],
  ['[web]]', /section|\]/i],
  ['[]', /section|empty|\[\]/i],
  ['[g:vars]\nfoo', /key=value/i],
  ['[g:vars]\n=1', /key|=|undefined group/i],
  ['[g:children]\nbad host name', /children|bad host name|key=value|host/i],
  ['h[1:]', /range/i],
  ['h[a:1]', /range/i],
  ['h[3:1]', /range/i],
  ['h[1:2:0]', /range|step/i],
  ['h[1:2', /range|\[/i],
  ['h1 ansible_port', /key=value|ansible_port/i],
  ['h1 a=1 b', /key=value|b/i],
  ['h1 a="unclosed', /quot|unclosed|No closing/i],
  ["h1 a='x", /quot|No closing/i],
  ['[g:children]\n[x', /section|\[x|range/i],
  ['h1 ansible_host', /key=value|ansible_host/i],
  ['h1 a=b=c d', /key=value|d/i],
  ['   [g', /section|\[g|range/i],
  ['h[01:2]', /range|format|0/i],
];

// --- YAML inventories: the whole file.
const BAD_YAML_INV: [string, string, RegExp, number?][] = [
  ['list-top', '- a\n- b\n', /dictionary|mapping|list|inventory/i],
  ['scalar-top', 'just a string\n', /dictionary|mapping|inventory|parse/i],
  ['hosts-list', 'all:\n  hosts:\n    - h1\n', /hosts|dictionary|mapping|list/i, 3],
  ['hosts-scalar', 'all:\n  hosts: 3\n', /hosts|dictionary|mapping/i, 2],
  ['children-list', 'all:\n  children:\n    - g\n', /children|dictionary|mapping|list/i, 3],
  ['vars-list', 'all:\n  vars:\n    - a\n', /vars|dictionary|mapping|list/i, 3],
  ['unclosed-quote', 'all:\n  hosts:\n    "h1:\n', /quot|YAML|syntax|unexpected|end/i],
  ['tab-indent', 'all:\n\thosts:\n', /tab|YAML|syntax/i],
  ['bad-indent', 'all:\n  hosts:\n    h1:\n   h2:\n', /YAML|indent|syntax|mapping/i],
  ['unclosed-flow', 'all: {hosts: {h1: {}\n', /YAML|flow|syntax|end|collection/i],
  ['group-bad-key', 'all:\n  children:\n    g:\n      hostz:\n        h1:\n', /hostz|key|invalid|group/i],
  ['group-scalar', 'all:\n  children:\n    g: 5\n', /g|group|dictionary|mapping/i],
  ['bad-range', 'all:\n  hosts:\n    h[1:]:\n', /range/i],
  ['colon-space', 'all:\n  hosts:\n    h1: a: b\n', /YAML|mapping|syntax|nested/i],
];

// --- playbooks that are not valid YAML (the fault on the given line of pb.yml).
const BAD_YAML_PB: [string, string, number][] = [
  ['indent', '- hosts: all\n  tasks:\n  - debug: msg=a\n   - debug: msg=b\n', 4],
  ['unclosed-dq', '- hosts: all\n  tasks:\n    - debug:\n        msg: "abc\n', 4],
  ['unclosed-sq', "- hosts: all\n  tasks:\n    - debug:\n        msg: 'abc\n", 4],
  ['unclosed-flow-seq', '- hosts: all\n  tasks: [\n', 2],
  ['unclosed-flow-map', '- hosts: all\n  vars: {a: 1\n  tasks: []\n', 2],
  ['tab', '- hosts: all\n\ttasks: []\n', 2],
  ['unquoted-template', '- hosts: all\n  tasks:\n    - debug:\n        msg: {{ x }}\n', 4],
  ['colon-in-value', '- hosts: all\n  tasks:\n    - name: a: b\n      debug: msg=x\n', 3],
  ['bad-alias', '- hosts: all\n  vars: *nothing\n', 2],
  ['mixed-seq-map', '- hosts: all\n  tasks:\n    - debug: msg=a\n    key: value\n', 4],
  ['stray-dash', '- hosts: all\n  tasks:\n    -- debug: msg=a\n', 3],
  ['bad-block-scalar', '- hosts: all\n  vars:\n    a: |x\n      text\n', 3],
  ['doc-end-garbage', '- hosts: all\n  tasks: []\n... garbage: [\n', 3],
  ['question-key', '- hosts: all\n  ? [a\n', 2],
  ['at-sign', '- hosts: all\n  vars:\n    a: @foo\n', 3],
  ['backtick', '- hosts: all\n  vars:\n    a: `foo`\n', 3],
  ['percent', '- hosts: all\n  vars:\n    a: %foo\n', 3],
  ['unclosed-nested', '- hosts: all\n  tasks:\n    - debug: {msg: [1, 2}\n', 3],
];

// --- playbook structure: wrong types and unknown keywords.
const PLAY_KEYWORD_TYPOS = ['hostz', 'task', 'gather_fact', 'become_usr', 'serail', 'varz', 'handler', 'rolez', 'pre_task', 'post_task', 'max_fail', 'strtegy'];
const TASK_KEYWORD_TYPOS = ['whenn', 'registr', 'loops', 'ignore_error', 'becom', 'delegateto', 'notifyy', 'tag', 'chaned_when', 'retry', 'unitl', 'with_itemz'];
const BLOCK_KEYWORD_TYPOS = ['rescu', 'alwayz', 'blocks', 'whenever'];
const UNKNOWN_MODULES = ['no_such_module', 'debugg', 'comand', 'ansible.builtin.nope', 'copyy', 'yumm', 'servce', 'ansible.builtin.debugx', 'x.y.z', 'shel', 'templat', 'linein_file', 'set-fact', 'include_task', 'import_task'];

const STRUCTURE: [string, string, RegExp, number][] = [
  ['play-not-list', '- hosts: all\n  tasks: debug\n', /tasks|list/i, 2],
  ['top-dict', 'hosts: all\ntasks: []\n', /list|play/i, 1],
  ['top-scalar', 'just text\n', /list|play/i, 1],
  ['play-scalar', '- just text\n', /play|dictionary|mapping|list/i, 1],
  ['play-no-hosts', '- tasks:\n    - debug: msg=a\n', /hosts/i, 1],
  ['task-scalar', play('    - just a string\n'), /task|dictionary|mapping|action/i, 4],
  ['task-no-action', play('    - name: nothing\n'), /no module|action|no action/i, 4],
  ['two-actions', play('    - debug: msg=a\n      command: ls\n'), /conflicting action/i, 4],
  ['vars-list', '- hosts: all\n  vars:\n    - a\n  tasks: []\n', /vars|dictionary|mapping/i, 3],
  ['loop-scalar-int', play('    - debug: msg=a\n      loop: 5\n'), /loop|list/i, 4],
  ['register-list', play('    - debug: msg=a\n      register: [a]\n'), /register|string/i, 4],
  ['block-not-list', play('    - block: debug\n'), /block|list/i, 4],
  ['handlers-scalar', '- hosts: all\n  gather_facts: false\n  handlers: nope\n  tasks: []\n', /handlers|list/i, 3],
  ['roles-scalar', '- hosts: all\n  roles: 5\n', /roles|list/i, 2],
  ['role-missing', '- hosts: all\n  roles:\n    - no_such_role_here\n', /no_such_role_here|role/i, 3],
  ['import-missing', play('    - import_tasks: no_such_file.yml\n'), /no_such_file|could not find|Unable to retrieve/i, 4],
  ['import-playbook-missing', '- import_playbook: no_such_pb.yml\n', /no_such_pb|could not be found|Unable to retrieve/i, 1],
  ['vars-files-missing', '- hosts: all\n  gather_facts: false\n  vars_files: [no_such_vars.yml]\n  tasks: []\n', /no_such_vars|could not find|vars file/i, 1],
  ['strategy-unknown', '- hosts: all\n  gather_facts: false\n  strategy: bogus\n  tasks: [{debug: msg=a}]\n', /strategy|bogus/i, 1],
];

// --- module arguments that Ansible checks on the controller.
const BAD_ARGS: [string, string, RegExp][] = [
  ['debug-msg-and-var', '    - debug:\n        msg: a\n        var: b\n', /mutually exclusive|msg|var/i],
  ['debug-unknown-arg', '    - debug:\n        msgs: a\n', /Unsupported parameters|msgs|invalid/i],
  ['unbalanced-kv-quote', '    - debug: msg="abc\n', /quote|unbalanced|parse/i],
  ['unbalanced-kv-jinja', '    - debug: msg={{ a\n', /template|jinja|unbalanced|unexpected|parse|end of/i],
  ['set-fact-empty', '    - set_fact: {}\n', /No key\/value pairs|set_fact/i],
  ['set-fact-bad-name', '    - set_fact:\n        "1bad": x\n', /variable name|1bad|valid/i],
  ['fail-unknown', '    - fail:\n        mesage: x\n', /Unsupported|mesage|invalid/i],
  ['assert-missing-that', '    - assert:\n        msg: x\n', /that|required/i],
  ['pause-bad', '    - pause:\n        seconds: abc\n', /seconds|int|pause|not a valid/i],
  ['include-tasks-both', '    - include_tasks:\n        file: a.yml\n        _raw_params: b.yml\n', /Invalid options|file|include/i],
  ['include-tasks-bad-opt', '    - include_tasks:\n        file: a.yml\n        bogus: 1\n', /Invalid options|bogus|include/i],
  ['import-tasks-bad-opt', '    - import_tasks:\n        file: a.yml\n        bogus: 1\n', /Invalid options|bogus|import/i],
  ['meta-unknown', '    - meta: do_magic\n', /do_magic|invalid meta|meta/i],
  ['group-by-no-key', '    - group_by:\n        parents: x\n', /key|group_by/i],
  ['add-host-no-name', '    - add_host:\n        groups: x\n', /name|hostname|add_host/i],
  ['include-role-no-name', '    - include_role:\n        tasks_from: x\n', /name|include_role|required/i],
  ['wait-for-bad-state', '    - wait_for:\n        state: sideways\n', /state|sideways|value/i],
  ['loop-control-bogus', '    - debug: msg=a\n      loop: [1]\n      loop_control:\n        bogus: 1\n', /loop_control|bogus|attribute/i],
];

// --- -e values.
const BAD_EXTRA: [string, string[], RegExp, Record<string, string | Buffer>?][] = [
  ['e-json-trailing', ['-e', '{"a": 1} trailing'], /extra vars|JSON|YAML|parse|dictionary|expected/i],
  ['e-bad-json', ['-e', '{"a": '], /extra vars|JSON|YAML|parse|dictionary/i],
  ['e-json-list', ['-e', '[1, 2]'], /dictionary|extra vars/i],
  ['e-missing-file', ['-e', '@no_such_file.yml'], /no_such_file|not found|could not|Unable/i],
  ['e-file-bad-yaml', ['-e', '@bad.yml'], /bad\.yml|YAML|syntax/i, { 'bad.yml': 'a: [1\n' }],
  ['e-file-list', ['-e', '@list.yml'], /list\.yml|dictionary|extra vars/i, { 'list.yml': '- a\n- b\n' }],
  ['e-file-scalar', ['-e', '@scalar.yml'], /scalar\.yml|dictionary|extra vars/i, { 'scalar.yml': 'hello\n' }],
  ['e-empty-at', ['-e', '@'], /file|extra vars|@|not found|could not/i],
  ['e-unclosed-quote', ['-e', 'a="b'], /quot|extra vars|unbalanced|parse/i],
  ['e-yaml-flow-bad', ['-e', '{a: [1}'], /extra vars|YAML|parse|dictionary|flow/i],
  ['e-binary-file', ['-e', '@bin.yml'], /bin\.yml|utf|decode|YAML|character|control|NUL|binary/i, { 'bin.yml': Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, 0x00, 0x7f]) }],
  ['e-directory', ['-e', '@.'], /directory|is a dir|\.|could not|Unable/i],
];

// --- undefined variables, in each place a template is evaluated before any connection.
const UNDEFINED: [string, string, string, RegExp][] = [
  ['msg', play('    - debug:\n        msg: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined.*nope/i],
  ['when', play('    - debug: msg=a\n      when: nope\n'), 'nope', /nope.*undefined|undefined.*nope/i],
  ['when-expr', play('    - debug: msg=a\n      when: nope.attr == 1\n'), 'nope', /nope.*undefined|undefined/i],
  ['loop', play('    - debug: msg={{ item }}\n      loop: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined.*nope/i],
  ['attr', play('    - debug:\n        msg: "{{ d.missing }}"\n', '  vars:\n    d: {a: 1}\n'), 'missing', /missing|undefined|no attribute/i],
  ['index', play('    - debug:\n        msg: "{{ l[5] }}"\n', '  vars:\n    l: [1]\n'), 'l', /undefined|out of range|index|list object/i],
  ['filter-arg', play('    - debug:\n        msg: "{{ 1 | default(nope2) | int + nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  ['var-chain', play('    - debug:\n        msg: "{{ a }}"\n', '  vars:\n    a: "{{ b }}"\n    b: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  ['set-fact', play('    - set_fact:\n        x: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  ['assert-that', play('    - assert:\n        that: nope\n'), 'nope', /nope.*undefined|undefined/i],
  ['include-file', play('    - include_tasks: "{{ nope }}.yml"\n'), 'nope', /nope.*undefined|undefined/i],
  ['fail-msg', play('    - fail:\n        msg: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  ['name-and-msg', play('    - name: "hello {{ nope }}"\n      debug:\n        msg: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  // set_fact, not debug: ansible-playbook shows a debug task's msg alone, hiding <cond>_when_result
  ['changed-when', play('    - set_fact:\n        x: 1\n      changed_when: nope\n'), 'nope', /changed_when_result.*nope.*undefined/i],
  ['failed-when', play('    - set_fact:\n        x: 1\n      failed_when: nope\n'), 'nope', /failed_when_result.*nope.*undefined/i],
  ['until', play('    - debug: msg=a\n      until: nope\n      retries: 1\n      delay: 0\n'), 'nope', /nope.*undefined|undefined/i],
  ['with-items', play('    - debug: msg={{ item }}\n      with_items: "{{ nope }}"\n'), 'nope', /nope.*undefined|undefined/i],
  ['debug-var-deep', play('    - debug:\n        msg: "{{ hostvars[inventory_hostname].nope }}"\n'), 'nope', /nope|undefined/i],
  ['bad-filter', play('    - debug:\n        msg: "{{ 1 | no_such_filter }}"\n'), 'no_such_filter', /no_such_filter|filter/i],
  ['bad-test', play('    - debug: msg=a\n      when: 1 is no_such_test\n'), 'no_such_test', /no_such_test|test/i],
  ['syntax-in-template', play('    - debug:\n        msg: "{{ 1 + }}"\n'), '', /template|syntax|unexpected|expected/i],
  ['unclosed-block', play('    - debug:\n        msg: "{% if true %}x"\n'), '', /template|endif|unexpected|end of/i],
];

// --- recursive includes.
const RECURSIVE: [string, Record<string, string>, RegExp][] = [
  ['import-tasks-self', { 'pb.yml': play('    - import_tasks: self.yml\n'), 'self.yml': '- import_tasks: self.yml\n' }, /recurs|nesting|deep/i],
  ['import-tasks-cycle', { 'pb.yml': play('    - import_tasks: a.yml\n'), 'a.yml': '- import_tasks: b.yml\n', 'b.yml': '- import_tasks: a.yml\n' }, /recurs|nesting|deep/i],
  ['import-playbook-self', { 'pb.yml': '- import_playbook: pb.yml\n' }, /recurs|nesting|deep/i],
  ['import-playbook-cycle', { 'pb.yml': '- import_playbook: other.yml\n', 'other.yml': '- import_playbook: pb.yml\n' }, /recurs|nesting|deep/i],
  ['include-tasks-self', { 'pb.yml': play('    - include_tasks: self.yml\n'), 'self.yml': '- include_tasks: self.yml\n' }, /recurs|nesting|deep/i],
  ['include-tasks-cycle', { 'pb.yml': play('    - include_tasks: a.yml\n'), 'a.yml': '- include_tasks: b.yml\n', 'b.yml': '- include_tasks: a.yml\n' }, /recurs|nesting|deep/i],
  ['role-dep-self', { 'pb.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n', 'roles/r/meta/main.yml': 'dependencies: [r]\n', 'roles/r/tasks/main.yml': '- debug: msg=a\n' }, /recurs|nesting|deep|dependenc/i],
  ['role-dep-cycle', { 'pb.yml': '- hosts: all\n  gather_facts: false\n  roles: [r1]\n', 'roles/r1/meta/main.yml': 'dependencies: [r2]\n', 'roles/r2/meta/main.yml': 'dependencies: [r1]\n', 'roles/r1/tasks/main.yml': '- debug: msg=a\n', 'roles/r2/tasks/main.yml': '- debug: msg=b\n' }, /recurs|nesting|deep|dependenc/i],
  ['import-role-self', { 'pb.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- import_role: name=r\n' }, /recurs|nesting|deep/i],
  ['yaml-alias-bomb', { 'pb.yml': `- hosts: all\n  gather_facts: false\n  vars:\n    a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 9 }, (_, i) => `    ${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n  tasks:\n    - debug: msg="{{ j | length }}"\n` }, /alias|too many|resource|excessive|exceed|document/i],
];

// --- huge and binary files.
const RANDOM = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
const HUGE: [string, Record<string, string | Buffer>, RegExp][] = [
  ['binary-playbook', { 'pb.yml': RANDOM }, /YAML|utf|decode|character|control|binary|unacceptable|special/i],
  ['binary-inventory', { hosts: RANDOM }, /inventory|parse|utf|decode|character|binary/i],
  ['nul-in-playbook', { 'pb.yml': '- hosts: all\n  tasks:\n    - debug: msg=a\0b\n' }, /YAML|control|NUL|character|special|unacceptable/i],
  ['binary-vars-file', { 'pb.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks: []\n', 'v.yml': RANDOM }, /v\.yml|YAML|utf|decode|character|binary|special|unacceptable/i],
  ['binary-task-file', { 'pb.yml': play('    - import_tasks: t.yml\n'), 't.yml': RANDOM }, /t\.yml|YAML|utf|decode|character|binary|special|unacceptable/i],
  ['utf16-playbook', { 'pb.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('- hosts: all\n  tasks: []\n', 'utf16le')]) }, /YAML|utf|decode|character|special|unacceptable|play/i],
  ['deep-nesting', { 'pb.yml': `- hosts: all\n  vars:\n    a: ${'['.repeat(20000)}${']'.repeat(20000)}\n  tasks: []\n` }, /YAML|nest|deep|recurs|depth|too/i],
  ['huge-line-unclosed', { 'pb.yml': `- hosts: all\n  vars:\n    a: "${'x'.repeat(5_000_000)}\n` }, /YAML|quot|end|unexpected|missing/i],
  ['huge-many-tasks-bad-last', { 'pb.yml': play('    - debug: msg=a\n'.repeat(20000) + '    - no_such_module_at_end: a=1\n') }, /no_such_module_at_end/i],
  ['huge-inventory-bad-last', { hosts: `${HOSTS}${Array.from({ length: 50000 }, (_, i) => `h${i} ansible_host=10.255.${i >> 8 & 255}.${i & 255}`).join('\n')}\n[broken\n` }, /broken|section|range/i],
  ['empty-playbook', { 'pb.yml': '' }, /empty|no plays|play|list/i],
  ['only-comments-playbook', { 'pb.yml': '# nothing here\n' }, /empty|no plays|play|list/i],
  ['playbook-is-directory', { 'pb.yml/x': 'a' }, /directory|pb\.yml|could not|not a file|Unable/i],
];

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

export function buildCorpus(): BadCase[] {
  const out: BadCase[] = [];
  BAD_INI_LINES.forEach(([line, says], i) => out.push(c(`ini-${i + 1}`, { hosts: `${HOSTS}${line}\n` }, says, { file: 'hosts', from: 2, line: 1 + line.split('\n').length, exact: true })));
  // the same faults deeper in a longer file: the line number must follow
  BAD_INI_LINES.forEach(([line, says], i) => {
    const text = `${HOSTS}[grp]\nother1\nother2\n\n# comment\n${line}\n`;
    out.push(c(`ini-deep-${i + 1}`, { hosts: text }, says, { file: 'hosts', from: lineOf(text, line), line: lineOf(text, line) + line.split('\n').length - 1, exact: true }));
  });
  for (const [id, text, says, line] of BAD_YAML_INV) out.push(c(`yaml-inv-${id}`, { 'hosts.yml': text, hosts: '' }, says, line ? { file: 'hosts.yml', line } : undefined, ['-i', 'hosts.yml']));
  for (const [id, text, line] of BAD_YAML_PB) out.push(c(`yaml-pb-${id}`, { 'pb.yml': text }, /YAML|syntax|unexpected|expected|indent|mapping|quot|flow|alias|character|tab|scalar|found/i, { file: 'pb.yml', line }));
  for (const [id, text, says, line] of STRUCTURE) out.push(c(`structure-${id}`, { 'pb.yml': text }, says, { file: 'pb.yml', line }));
  for (const kw of PLAY_KEYWORD_TYPOS) out.push(c(`play-kw-${kw}`, { 'pb.yml': `- hosts: all\n  gather_facts: false\n  ${kw}: 1\n  tasks: []\n` }, new RegExp(`${kw}.*not a valid attribute|not a valid attribute.*${kw}`, 'i'), { file: 'pb.yml', line: 1 }));
  for (const kw of TASK_KEYWORD_TYPOS) out.push(c(`task-kw-${kw}`, { 'pb.yml': play(`    - debug: msg=a\n      ${kw}: 1\n`) }, new RegExp(`${kw}|conflicting action`, 'i'), { file: 'pb.yml', line: 4 }));
  for (const kw of BLOCK_KEYWORD_TYPOS) out.push(c(`block-kw-${kw}`, { 'pb.yml': play(`    - block:\n        - debug: msg=a\n      ${kw}: []\n`) }, new RegExp(`${kw}|not a valid attribute|conflicting`, 'i'), { file: 'pb.yml', line: 4 }));
  for (const m of UNKNOWN_MODULES) out.push(c(`module-${m}`, { 'pb.yml': play(`    - ${m}: a=1\n`) }, new RegExp(`couldn't resolve module/action '${m.replace(/\./g, '\\.')}'|${m.replace(/\./g, '\\.')}`, 'i'), { file: 'pb.yml', line: 4 }));
  for (const [id, task, says] of BAD_ARGS) out.push(c(`args-${id}`, { 'pb.yml': play(task) }, says, { file: 'pb.yml', line: 4 }));
  for (const [id, args, says, files] of BAD_EXTRA) out.push(c(id, files ?? {}, says, undefined, args));
  for (const [id, text, , says] of UNDEFINED) out.push(c(`undefined-${id}`, { 'pb.yml': text }, says, { file: 'pb.yml', line: lineOf(text, '  tasks:') + 1 }));
  for (const [id, files, says] of RECURSIVE) out.push(c(`recursive-${id}`, files, says));
  for (const [id, files, says] of HUGE) out.push(c(`huge-${id}`, files, says));
  return out;
}
