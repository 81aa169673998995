// Differential test of Python filter, test and lookup plugins run on the controller: the same
// playbook under ansible-playbook 2.14 and drover (whose Python plugin worker loads them with
// ansible-core's loaders). Plugins come from a playbook-adjacent filter_plugins/, a role's
// filter_plugins/ and lookup_plugins/, test_plugins/ and - through ANSIBLE_FILTER_PLUGINS, an
// ansible.cfg path - openshift-ansible 3.9's lib_utils filters (read in place). A 2.4-era plugin
// importing collections.Mapping loads in drover by itself; the reference needs the conformance
// sitecustomize.py on PYTHONPATH. Unsafe text stays unsafe across the boundary. A role's custom
// action plugin that reads its args and variables runs through the same worker. Skipped without
// ansible-playbook.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const CONFORMANCE = '/work/shared/conformance';
const OA = `${CONFORMANCE}/openshift-ansible-3.9`;
const LIB_UTILS_FILTERS = `${OA}/roles/lib_utils/filter_plugins`;
const hasTree = existsSync(LIB_UTILS_FILTERS);

const FILES: Record<string, string> = {
  'filter_plugins/legacy.py': `
from collections import Mapping
from ansible.errors import AnsibleFilterError
from ansible.utils.unsafe_proxy import wrap_var

def keys_of(d):
    if not isinstance(d, Mapping):
        raise AnsibleFilterError("keys_of expects a dict")
    return sorted(d.keys())

def times(v, n=2, sep=''):
    return sep.join([v] * n)

def as_unsafe(v):
    return wrap_var(v)

def same(v):
    return v

def pytype(v):
    return type(v).__name__

def kaput(v):
    return {}[v]

class FilterModule(object):
    def filters(self):
        return {'keys_of': keys_of, 'times': times, 'as_unsafe': as_unsafe, 'same': same, 'pytype': pytype,
                'kaput': kaput}
`,
  'test_plugins/t.py': `
class TestModule(object):
    def tests(self):
        return {'even_len': lambda v: len(v) % 2 == 0}
`,
  'roles/r/filter_plugins/rf.py': `
class FilterModule(object):
    def filters(self):
        return {'role_upper': lambda v: v.upper()}
`,
  'roles/r/lookup_plugins/greet.py': `
from ansible.plugins.lookup import LookupBase

class LookupModule(LookupBase):
    def run(self, terms, variables=None, prefix='hi', **kwargs):
        return ['%s %s %s' % (prefix, t, variables['who']) for t in terms]
`,
  'roles/r/action_plugins/remember.py': `
from ansible.plugins.action import ActionBase

class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        result['changed'] = True
        result['ansible_facts'] = {'remembered': [self._task.args.get('what'), task_vars.get('who')]}
        return result
`,
  'roles/r/tasks/main.yml': `
- remember: what=it
- debug: msg="R remembered {{ remembered | to_json }}"
- debug:
    msg: "R role_upper {{ 'abc' | role_upper | to_json }}"
- debug:
    msg: "R greet {{ lookup('greet', 'a', 'b', prefix='yo') | to_json }}"
- debug:
    msg: "R greet_q {{ query('greet', 'c') | to_json }}"
- debug:
    msg: "R loop_{{ item | replace(' ', '_') }} {{ item | to_json }}"
  with_greet: [x]
`,
  'play.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    who: world
    d: {b: 1, a: [1, 2]}
    raw: !unsafe '{{ who }}'
  roles: [r]
  tasks:
    - debug:
        msg: "R keys_of {{ d | keys_of | to_json }}"
    - debug:
        msg: "R times {{ 'ab' | times(3, sep='-') | to_json }}"
    - debug:
        msg: "R even {{ ['ab', 'abc'] | select('even_len') | list | to_json }}"
    - debug:
        msg: "R is_even {{ ('abcd' is even_len) | to_json }}"
    - debug:
        msg: "R mapped {{ ['a', 'b'] | map('times', 2) | list | to_json }}"
    - debug:
        msg: "R types {{ [1 | pytype, 'x' | pytype, d | pytype, [1] | pytype, none | pytype, 1.5 | pytype] | to_json }}"
    - set_fact:
        from_unsafe: "{{ raw | same }}"
        made_unsafe: "{{ '{{ who }}' | as_unsafe }}"
    - debug:
        msg: "R from_unsafe {{ from_unsafe | to_json }}"
    - debug:
        msg: "R made_unsafe {{ made_unsafe | to_json }}"
    - debug:
        msg: "{{ 5 | keys_of }}"
      ignore_errors: true
      register: failed_filter
    - debug:
        msg: "{{ 'q' | kaput }}"
      ignore_errors: true
    - debug:
        msg: "R failed_msg {{ (failed_filter.msg is search('keys_of expects a dict')) | to_json }}"
`,
  'openshift.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    hv: {m1: {ip: 1.1.1.1, role: m}, n1: {ip: 2.2.2.2, role: n}, m2: {ip: 3.3.3.3, role: m}}
    items: [{name: a, v: 1, k: x}, {name: b, v: 2, k: y}, {name: c, v: 3, k: x}]
  tasks:
    - debug:
        msg: "R select_keys {{ hv | lib_utils_oo_select_keys(['m1', 'm2']) | to_json }}"
    - debug:
        msg: "R select_keys_from_list {{ [hv] | lib_utils_oo_select_keys_from_list(['n1']) | to_json }}"
    - debug:
        msg: "R collect {{ items | lib_utils_oo_collect('name', {'k': 'x'}) | to_json }}"
    - debug:
        msg: "R collect_all {{ items | lib_utils_oo_collect('v') | to_json }}"
    - debug:
        msg: "R split {{ 'a,b,c' | lib_utils_oo_split | to_json }}"
    - debug:
        msg: "R split_list {{ ['a'] | lib_utils_oo_split | to_json }}"
    - debug:
        msg: "R keqv {{ {'a': 1, 'b': 'x'} | lib_utils_oo_dict_to_keqv_list | sort | to_json }}"
    - debug:
        msg: "R list_to_dict {{ ['a=1', 'b=2'] | lib_utils_oo_list_to_dict | to_json }}"
    - debug:
        msg: "R dict_to_lod {{ {'a': 1} | lib_utils_oo_dict_to_list_of_dict | to_json }}"
    - debug:
        msg: "R rpm_version {{ ['v3.9.0', 'v3.9.0-alpha.1', '', '3.9.0'] | map('lib_utils_oo_image_tag_to_rpm_version', include_dash=True) | list | to_json }}"
    - debug:
        msg: "R hostname {{ ['https://m.example.com:8443/api', 'm.example.com'] | map('lib_utils_oo_hostname_from_url') | list | to_json }}"
    - debug:
        msg: "R prepend {{ ['a', 'b'] | lib_utils_oo_prepend_strings_in_list('p-') | to_json }}"
    - debug:
        msg: "R chomp {{ ['1.2.3+abc', '1.2.3', 7] | map('lib_utils_oo_chomp_commit_offset') | list | to_json }}"
    - debug:
        msg: "R selector {{ {'region': 'infra', 'zone': 'a'} | lib_utils_oo_selector_to_string_list | sort | to_json }}"
    - debug:
        msg: "R csv {{ [{'a': 1, 'b': 2}, {'a': 3, 'b': 4}] | lib_utils_oo_l_of_d_to_csv | to_json }}"
    - debug:
        msg: "R etcd_urls {{ ['h1', 'h2'] | lib_utils_oo_etcd_host_urls | to_json }}"
    - debug:
        msg: "{{ 'x' | lib_utils_oo_collect('a') }}"
      ignore_errors: true
      register: bad
    - debug:
        msg: "R collect_error {{ (bad.msg is search('lib_utils_oo_collect expects to filter on a List')) | to_json }}"
`,
};

/** The reference (ansible-core 2.14 on Python 3.11) needs the conformance shim for `from collections import Mapping`. */
const envFor = (tool: 'ansible' | 'drover'): Record<string, string> =>
  tool === 'ansible' ? { PYTHONPATH: `${CONFORMANCE}/openshift-ansible-reference` } : {};

describe.skipIf(!hasAnsible)('Python filter, test and lookup plugins vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-pyplugins-');
  let plugins: PlaybookRuns;
  let openshift: PlaybookRuns | undefined;

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    plugins = runPlaybookBoth('play.yml', { cwd: t.dir, envFor });
    if (hasTree) openshift = runPlaybookBoth('openshift.yml', { cwd: t.dir, envFor, env: { ANSIBLE_FILTER_PLUGINS: LIB_UTILS_FILTERS } });
  }, 600_000);

  afterAll(() => t.cleanup());

  it('plugins of the playbook and role folders give the same values, exit code and recap', () => {
    expect(plugins.ansible.status).toBe(0);
    expect(plugins.drover.status).toBe(plugins.ansible.status);
    const want = reportedValues(plugins.ansible.stdout);
    expect(Object.keys(want).length).toBe(14);
    // type names of text differ where drover does not track AnsibleUnicode (template README)
    delete want.types;
    const got = reportedValues(plugins.drover.stdout);
    delete got.types;
    expect(got).toEqual(want);
    expect(plugins.drover.stdout.match(/^localhost .*$/m)?.[0]).toBe(plugins.ansible.stdout.match(/^localhost .*$/m)?.[0]);
  });

  it("a plugin's exception names its class, text and the plugin file; the task's file:line leads", () => {
    const line = plugins.drover.stdout.split('\n').find((l) => l.includes('KeyError'));
    expect(line).toMatch(/play\.yml:\d+: task 'debug': KeyError: 'q' \[filter plugin 'kaput' \(.*filter_plugins\/legacy\.py\)\]/);
    expect(plugins.ansible.stdout).toContain("The error was: KeyError: 'q'");
  });

  it('unsafe text crosses both ways: never templated again after set_fact', () => {
    const got = reportedValues(plugins.drover.stdout);
    expect(got.from_unsafe).toBe('{{ who }}');
    expect(got.made_unsafe).toBe('{{ who }}');
  });

  it.skipIf(!hasTree)("openshift-ansible's lib_utils filters (an ANSIBLE_FILTER_PLUGINS path) give the same values", () => {
    expect(openshift!.ansible.status).toBe(0);
    expect(openshift!.drover.status).toBe(openshift!.ansible.status);
    const want = reportedValues(openshift!.ansible.stdout);
    expect(Object.keys(want).length).toBe(17);
    expect(reportedValues(openshift!.drover.stdout)).toEqual(want);
  });
});
