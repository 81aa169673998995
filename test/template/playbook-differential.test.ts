// Differential test of templating as playbooks see it (issue 14), against ansible-playbook 2.14
// with the local connection: text results that stay text (`content: "{{ d | to_nice_json }}\n"`),
// the template module's options (trim_blocks, lstrip_blocks, delimiters, newline_sequence,
// output_encoding, `#jinja2:` overrides) and its template_* variables and ansible_managed,
// lookup('template') options, templated action names and play order, listings that render
// hosts, names and tags, unsafe text (never templated again, type_debug's str subclasses) and
// ANSIBLE_JINJA2_NATIVE, debug var= of unsafe text, Python exceptions while arguments render, a lookup plugin returning a
// dict. The whole stdout must match once timings
// and the temporary folder are normalised. Skipped without ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

/** Each file's bytes, newlines and control characters visible (`cat -A`), for the debug output. */
const SHOW = (files: string[]): string => `
    - command: cat -A ${files.map((f) => `{{ out }}/${f}`).join(' ')}
      register: shown
    - debug: var=shown.stdout_lines
`;

const FILES: Record<string, string> = {
  'ansible.cfg': '[defaults]\nansible_managed = Managed {file} by {uid} on {host} in %Y\n',
  'templates/blocks.j2': '{# a comment #}\n  {% if true %}\n  x {{ n }}\n  {% endif %}\nend\n',
  'templates/delims.j2': '[[ n ]] {{ n }} <% if true %>yes<% endif %>\n',
  'templates/vars.j2':
    'path={{ template_path }}\ndest={{ template_destpath }}\nfull={{ template_fullpath | basename }}\n' +
    'uid={{ template_uid == lookup("pipe", "id -un") }}\nhost={{ template_host == lookup("pipe", "hostname") }}\n' +
    'mtime={{ template_mtime.year > 2000 }}\nrun={{ template_run_date.year > 2000 }}\nmanaged={{ ansible_managed }}\n',
  'templates/override.j2': "#jinja2: trim_blocks: False, variable_start_string: '<<', variable_end_string: '>>'\n{% if true %}\n<< n >> {{ n }}\n{% endif %}\n",
  'templates/data.j2': '{{ d }}\n[1, 2]\n{{ n }}\n',
  'templates/json.j2': '{"k": {{ n }}}\n',
  'templates/tv.j2': '{{ x }} {{ template_path }}',
  'templates/enc.j2': 'café €\n',
  'templates/inc.j2': '{% include "part.j2" %}|{{ n }}\n',
  'templates/part.j2': 'part {{ n }}\n',
  'templates/lib.j2': '{% set exported = "e" %}{% set _hidden = 1 %}{% macro show() %}[{{ foo | default("none") }}]{% endmacro %}',
  'templates/imports.j2':
    '{% set foo = "tpl" %}{% import "lib.j2" as lib %}{% import "lib.j2" as libc with context %}' +
    '{% from "lib.j2" import show, exported as ex %}{% from "lib.j2" import show as shown with context %}\n' +
    '{{ lib.show() }} {{ libc.show() }} {{ show() }} {{ shown() }} {{ lib.exported }} {{ ex }} {{ lib._hidden is defined }}\n' +
    '{% for i in [1, 2] %}{% include "loop.j2" %}{% endfor %}\n',
  'templates/loop.j2': '<{{ i }}:{{ foo }}>',
  'run.yml': `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    out: "{{ playbook_dir }}/out"
    d: {a: 1, b: [1, 2]}
    n: 5
  tasks:
    - file: {path: "{{ out }}", state: directory}
    - copy: {content: "{{ d | to_nice_json }}\\n", dest: "{{ out }}/nice.json"}
    - copy: {content: "{{ d }}\\n", dest: "{{ out }}/dict.txt"}
    - set_fact:
        as_json: "{{ d | to_json }}"
        as_dict: "{{ d }}\\n"
        as_num: "{{ n + 1 }}"
        from_text: "{{ '' }}[1, null, true]"
        tuple_text: "{{ (1, 2) }}"
    - debug:
        msg: "{{ as_json is string }} {{ as_dict | type_debug }} {{ as_num is string }} {{ from_text | type_debug }} {{ tuple_text is string }}"
    - template: {src: blocks.j2, dest: "{{ out }}/trim.txt"}
    - template: {src: blocks.j2, dest: "{{ out }}/notrim.txt", trim_blocks: false}
    - template: {src: blocks.j2, dest: "{{ out }}/lstrip.txt", lstrip_blocks: true}
    - template: {src: blocks.j2, dest: "{{ out }}/dos.txt", newline_sequence: '\\r\\n'}
    - template: {src: delims.j2, dest: "{{ out }}/delims.txt", variable_start_string: '[[', variable_end_string: ']]', block_start_string: '<%', block_end_string: '%>'}
    - template: {src: vars.j2, dest: "{{ out }}/vars.txt"}
    - template: {src: override.j2, dest: "{{ out }}/override.txt"}
    - template: {src: data.j2, dest: "{{ out }}/data.txt"}
    - template: {src: inc.j2, dest: "{{ out }}/inc.txt"}
    - template: {src: imports.j2, dest: "{{ out }}/imports.txt"}
    - template: {src: enc.j2, dest: "{{ out }}/enc.txt", output_encoding: windows-1252}
${SHOW(['nice.json', 'dict.txt', 'trim.txt', 'notrim.txt', 'lstrip.txt', 'dos.txt', 'delims.txt', 'vars.txt', 'override.txt', 'data.txt', 'inc.txt', 'imports.txt', 'enc.txt'])}
    - set_fact:
        not_converted: "{{ lookup('template', 'json.j2', convert_data=False) }}"
        converted: "{{ lookup('template', 'json.j2') }}"
        with_vars: "{{ lookup('template', 'tv.j2', template_vars={'x': 42}) }}"
        other_delims: "{{ lookup('template', 'delims.j2', variable_start_string='[[', variable_end_string=']]') }}"
    - debug:
        msg: "{{ not_converted is string }} {{ converted | type_debug }} {{ with_vars }} {{ other_delims }}"
    - debug:
        msg: "{{ deep is undefined }} {{ deep | default('lazy') }} {{ missing_key is undefined }}"
      vars:
        deep: "{{ nested_undefined }}"
        missing_key: "{{ d.nope }}"
    - file: {path: "{{ out }}", state: absent}
`,
  'order.yml': `
- hosts: all
  gather_facts: false
  order: "{{ my_order }}"
  vars:
    module_to_run: debug
    my_order: reverse_inventory
  tasks:
    - action: "{{ module_to_run }} msg=one"
    - action: {module: "{{ module_to_run }}", msg: two}
    - local_action: "{{ module_to_run }} msg=three"
    - action: "{{ 'ansible.builtin.' + module_to_run }}"
      args: {msg: four}
`,
  'list.yml': `
- hosts: "{{ target }}"
  gather_facts: false
  vars:
    target: localhost
    the_tags: [tag3, tag4]
  tags: [play_tag]
  tasks:
    - debug: msg=x
      tags: "{{ the_tags }}"
    - name: task for {{ target }}
      debug: msg=y
      tags: ["{{ extra_tag }}", a]
- name: second {{ target }}
  hosts: [localhost, "{{ target }}"]
  gather_facts: false
  vars:
    target: 127.0.0.2
  tasks:
    - debug: msg=z
`,
  'errors.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    d: {a: 1, b: [1, 2]}
  tasks:
    - debug: msg="{{ d.nope }}"
      ignore_errors: true
    - debug: msg="{{ d.b[7] }}"
      ignore_errors: true
    - debug: msg="{{ none_var.x }}"
      ignore_errors: true
      vars:
        none_var: null
`,
  'types.yml': `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    marked: !unsafe '{{ not_templated }}'
    not_templated: templated
    from_lookup: "{{ lookup('template', 'json.j2', convert_data=False) }}"
    n: 5
  tasks:
    - command: echo "{{ '{{' }} n }}"
      register: out
    - set_fact:
        kept: "{{ out.stdout }}"
        copied: "{{ marked }}"
        listed: "{{ lookup('list', ['a', 'b']) }}"
        plain: "{{ n }} items"
    - debug:
        msg: "{{ kept }} {{ copied }} {{ out.stdout | type_debug }} {{ out.stdout_lines[0] | type_debug }} {{ kept | type_debug }} {{ copied | type_debug }} {{ marked | type_debug }}"
    - debug:
        msg: "{{ listed | type_debug }} {{ listed[0] | type_debug }} {{ plain | type_debug }} {{ from_lookup | type_debug }} {{ lookup('env', 'HOME') | type_debug }} {{ n | to_json | type_debug }} {{ out | type_debug }}"
`,
  'native.yml': `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    n: 5
    d: {a: 1}
  tasks:
    - set_fact:
        num: "{{ n + 1 }}"
        text_num: "{{ '7' }}"
        none: "{{ None }}"
        joined: "{{ n }} {{ n }}"
        dict_text: "{{ '{' }}'k': 1}"
        native_lookup: "{{ lookup('template', 'json.j2', jinja2_native=true) }}"
        text_lookup: "{{ lookup('template', 'json.j2') }}"
    - debug:
        msg: "{{ num | type_debug }} {{ text_num | type_debug }} {{ none | type_debug }} {{ joined is string }} {{ dict_text | type_debug }} {{ native_lookup | type_debug }} {{ text_lookup | type_debug }}"
    - template: {src: data.j2, dest: "{{ playbook_dir }}/native-data.txt"}
    - command: cat -A {{ playbook_dir }}/native-data.txt
      register: shown
    - debug: var=shown.stdout_lines
    - file: {path: "{{ playbook_dir }}/native-data.txt", state: absent}
`,
  // a Python exception that is not an AnsibleError, raised while the arguments render: failed,
  // unchanged, a traceback and no message (shown as "An exception occurred during task execution")
  'exceptions.yml': `
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - set_fact: {x: "{{ 5 / 0 }}"}
      ignore_errors: true
      register: r
    - debug: msg="{{ r.failed }} {{ r.changed }} {{ r.msg is defined }} {{ r.exception.splitlines()[-1] }}"
    - debug: msg="{{ 5 // item }} {{ 5 % item }}"
      loop: [0, 1]
      ignore_errors: true
      register: r2
    - debug: msg="{{ r2.results[0].exception is defined }} {{ r2.results[1].exception is defined }} {{ r2.results[0].item }}"
    - debug: msg="{{ lookup('dictret') }} {{ lookup('dictret', wantlist=True) | type_debug }} {{ query('dictret') }}"
`,
  // debug var= naming text from unsafe data: shown as it is, never templated again
  'debug-unsafe.yml': `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    filtered: !unsafe undef()|mandatory
    known: !unsafe other
    unknown: !unsafe nothing_here
    other: 42
    safe: other
  tasks:
    - debug: {var: "{{ filtered }}"}
    - debug: {var: "{{ known }}"}
    - debug: {var: "{{ unknown }}"}
    - debug: {var: "{{ safe }}"}
`,
  // a lookup plugin that returns a dict: lookup() joins its keys, query() keeps the dict
  'lookup_plugins/dictret.py':
    'from ansible.plugins.lookup import LookupBase\n\n\nclass LookupModule(LookupBase):\n    def run(self, terms, variables, **kwargs):\n        return {"one": 1, "two": 2}\n',
};

describe.skipIf(!hasAnsible)('templating in playbooks vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-templating-diff-');
  const runs: Record<string, PlaybookRuns> = {};
  const twoHosts = ['-i', '127.0.0.2,', '-c', 'local'];

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    runs.run = runPlaybookBoth('run.yml', { cwd: t.dir });
    runs.order = runPlaybookBoth('order.yml', { cwd: t.dir, args: [...twoHosts, '-f', '1'] });
    for (const mode of ['--list-tasks', '--list-tags', '--list-hosts']) {
      // --list-hosts prints a Python set of hosts (hash order): one host keeps it comparable
      const limit = mode === '--list-hosts' ? ['-l', 'localhost'] : [];
      runs[mode] = runPlaybookBoth('list.yml', { cwd: t.dir, args: [...twoHosts, ...limit, '-e', 'extra_tag=ex', mode] });
    }
    runs.errors = runPlaybookBoth('errors.yml', { cwd: t.dir });
    runs.types = runPlaybookBoth('types.yml', { cwd: t.dir });
    runs.native = runPlaybookBoth('native.yml', { cwd: t.dir, env: { ANSIBLE_JINJA2_NATIVE: '1' } });
    runs.exceptions = runPlaybookBoth('exceptions.yml', { cwd: t.dir });
    runs['debug-unsafe'] = runPlaybookBoth('debug-unsafe.yml', { cwd: t.dir });
  }, 600_000);

  afterAll(() => t.cleanup());

  for (const name of ['run', 'order', '--list-tasks', '--list-tags', '--list-hosts', 'types', 'native', 'exceptions', 'debug-unsafe']) {
    it(`${name}: same exit code and the same text`, () => {
      const r = runs[name];
      expect(r.ansible.status).toBe(0);
      expect(r.drover.status).toBe(r.ansible.status);
      expect(comparableOutput(r.drover.stdout, [t.dir])).toBe(comparableOutput(r.ansible.stdout, [t.dir]));
    });
  }

  it("a missing attribute or item fails with Jinja's message", () => {
    // the text around it (Ansible's "The task includes an option with an undefined variable")
    // is the executor's; the template layer owns Jinja's part
    for (const msg of ["'dict object' has no attribute 'nope'", 'list object has no element 7', "'None' has no attribute 'x'"]) {
      expect(runs.errors.ansible.stdout).toContain(msg);
      expect(runs.errors.drover.stdout).toContain(msg);
    }
  });

  it('the comparison can fail: Ansible writes the pretty JSON text and renders listed tags', () => {
    const out = comparableOutput(runs.run.ansible.stdout);
    expect(out).toContain('"{$",');
    expect(out).toContain('"    \\"a\\": 1,$",');
    expect(comparableOutput(runs['--list-tasks'].ansible.stdout)).toContain('TAGS: [play_tag, tag3, tag4]');
  });
});
