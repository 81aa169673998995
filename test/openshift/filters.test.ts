// openshift-ansible 3.9's filters side by side: fixtures/filters.yml calls every filter of the
// tree's roles/*/filter_plugins/ and of playbooks/adhoc/grow_docker_vg/filter_plugins/ (49), plus
// lib_openshift's integration-test filter, on inputs shaped as the tree's roles give them, once
// under ansible-playbook 2.14 and once under drover (whose Python plugin worker loads them; the
// tree is read in place through ANSIBLE_FILTER_PLUGINS). Every reported value must be equal, and
// every failure the same failure. Skipped without ansible-playbook, the tree or openssl.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const CONFORMANCE = '/work/shared/conformance';
const OA = `${CONFORMANCE}/openshift-ansible-3.9`;
const FILTER_DIRS = [
  'roles/lib_utils/filter_plugins',
  'roles/openshift_logging/filter_plugins',
  'roles/openshift_sanitize_inventory/filter_plugins',
  'roles/openshift_management/filter_plugins',
  'roles/openshift_daemonset_config/filter_plugins',
  'playbooks/adhoc/grow_docker_vg/filter_plugins',
  'roles/lib_openshift/src/test/integration/filter_plugins',
].map((d) => join(OA, d));
const PLAYBOOK = join(import.meta.dirname, 'fixtures', 'filters.yml');
const hasTree = FILTER_DIRS.every((d) => existsSync(d));
const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).status === 0;

/** The tree's filters by plugin file, as `FilterModule().filters()` lists them. */
const TREE_FILTERS: Record<string, string[]> = {
  'lib_utils/oo_filters.py': [
    'lib_utils_oo_select_keys', 'lib_utils_oo_select_keys_from_list', 'lib_utils_oo_chomp_commit_offset', 'lib_utils_oo_collect',
    'lib_utils_oo_pdb', 'lib_utils_oo_prepend_strings_in_list', 'lib_utils_oo_dict_to_list_of_dict', 'lib_utils_oo_split',
    'lib_utils_oo_dict_to_keqv_list', 'lib_utils_oo_list_to_dict', 'lib_utils_oo_parse_named_certificates',
    'lib_utils_oo_parse_certificate_san', 'lib_utils_oo_generate_secret', 'lib_utils_oo_pods_match_component',
    'lib_utils_oo_image_tag_to_rpm_version', 'lib_utils_oo_hostname_from_url', 'lib_utils_oo_loadbalancer_frontends',
    'lib_utils_oo_loadbalancer_backends', 'lib_utils_to_padded_yaml', 'lib_utils_oo_random_word', 'lib_utils_oo_contains_rule',
    'lib_utils_oo_selector_to_string_list', 'lib_utils_oo_filter_sa_secrets', 'lib_utils_oo_l_of_d_to_csv', 'map_from_pairs',
    'map_to_pairs', 'lib_utils_oo_etcd_host_urls',
  ],
  'lib_utils/openshift_aws_filters.py': ['build_instance_tags', 'get_default_az', 'scale_groups_match_capacity', 'scale_groups_serial'],
  'lib_utils/openshift_hosted_filters.py': ['get_router_replicas'],
  'lib_utils/oo_cert_expiry.py': ['oo_cert_expiry_results_to_json'],
  'lib_utils/openshift_master.py': ['translate_idps', 'certificates_to_synchronize', 'oo_htpasswd_users_from_file'],
  'openshift_daemonset_config/config_filters.py': ['odc_join_files_from_dict'],
  'openshift_logging/openshift_logging.py': [
    'random_word', 'entry_from_named_pair', 'entry_from_name_value_pair', 'min_cpu', 'es_storage', 'serviceaccount_name',
    'serviceaccount_namespace', 'walk', 'flatten_dict',
  ],
  'openshift_management/oo_management_filters.py': ['oo_filter_container_providers'],
  'openshift_sanitize_inventory/openshift_sanitize_inventory.py': ['vars_with_pattern'],
  'playbooks/adhoc/grow_docker_vg/filter_plugins/grow_docker_vg_filters.py': ['translate_volume_name'],
  // not one of the 49 (a test folder of lib_openshift's sources), checked as well
  'roles/lib_openshift/src/test/integration/filter_plugins/test_filters.py': ['label_dict_to_key_value_list'],
};

/** The reference (ansible-core 2.14 on Python 3.11) needs the conformance shim for `from collections import Mapping`. */
const envFor = (tool: 'ansible' | 'drover'): Record<string, string> =>
  tool === 'ansible' ? { PYTHONPATH: `${CONFORMANCE}/openshift-ansible-reference` } : {};

type Failure = { failed: boolean; msg?: string; exception?: string };

/**
 * A failure made comparable. A Python exception that is not an AnsibleError leaves the result
 * without msg and with the traceback in `exception`, whose last line is `Class: text` (the class
 * qualified when it is not a builtin: bdb.BdbQuit): that line, unqualified. Where drover reports
 * it as msg instead, the msg is `Class: text [filter plugin 'name' (path)]`: reduced the same way.
 * drover leads every templating error's msg with the task's file:line (a project-wide choice, also
 * for its native filters): removed. (A SyntaxError's str() ends with its `(<file>, line N)`, which
 * a traceback prints on a line of its own instead: dropped.)
 */
function failure(f: Failure): { failed: boolean; error: string } {
  if (f.msg === undefined) return { failed: f.failed, error: String(f.exception ?? '').trim().split('\n').pop()!.replace(/^[\w.]*\.(\w+(:|$))/, '$1') };
  const msg = f.msg.replace(/^[^\n]*?: task '[^']*': /, '').replace(/ ?\[filter plugin '[^']+' \([^)]*\)\]$/, '').trimEnd();
  return { failed: f.failed, error: msg.replace(/:$/, '').replace(/^(SyntaxError: .*) \([^)]*, line \d+\)$/, '$1') };
}

describe.skipIf(!hasAnsible || !hasTree || !hasOpenssl)("openshift-ansible 3.9's filters: ansible-playbook vs drover", () => {
  let runs: PlaybookRuns;

  beforeAll(() => {
    const t = tempDir('drover-oa-filters-');
    // a self-signed certificate with SANs, as lib_utils_oo_parse_certificate_san and the named certificates read
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=master.example.com',
      '-addext', 'subjectAltName=DNS:master.example.com,DNS:api.example.com,IP:192.168.122.186,DNS:master1.example.com',
      '-keyout', t.p('server.key'), '-out', t.p('server.crt'),
    ], { stdio: 'ignore' });
    copyFileSync(t.p('server.crt'), t.p('ca.crt'));
    runs = runPlaybookBoth(PLAYBOOK, { cwd: t.dir, envFor, env: { ANSIBLE_FILTER_PLUGINS: FILTER_DIRS.join(':') }, args: ['-e', `certs=${t.dir}`] });
    return () => t.cleanup();
  }, 600_000);

  it('the playbook names every filter of the tree', () => {
    const text = readFileSync(PLAYBOOK, 'utf8');
    const all = Object.values(TREE_FILTERS).flat();
    expect(all.length).toBe(50);
    expect(new Set(all).size).toBe(50);
    expect(all.filter((f) => !new RegExp(`\\b${f}\\b`).test(text))).toEqual([]);
    // the list above is the tree's own: each name is a key of a FilterModule().filters() there
    for (const [file, names] of Object.entries(TREE_FILTERS)) {
      const path = file.includes('/filter_plugins/') ? join(OA, file) : join(OA, 'roles', file.split('/')[0], 'filter_plugins', file.split('/')[1]);
      const src = readFileSync(path, 'utf8');
      for (const n of names) expect(src).toMatch(new RegExp(`['"]${n}['"]\\s*:`));
    }
  });

  it('gives the same value for every call, the same exit code and recap', () => {
    expect(runs.ansible.status).toBe(0);
    expect(runs.drover.status).toBe(runs.ansible.status);
    const want = reportedValues(runs.ansible.stdout);
    const got = reportedValues(runs.drover.stdout);
    delete want.errors;
    delete got.errors;
    expect(Object.keys(want).length).toBe(52);
    for (const k of Object.keys(want)) expect({ [k]: got[k] }).toEqual({ [k]: want[k] });
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    // guards: the values are the filters' work, not empty
    expect(want.select_keys).toEqual([{ openshift: { common: { ip: '10.0.0.1' } } }, { openshift: { common: { ip: '10.0.0.2' } } }]);
    expect(want.parse_certificate_san).toEqual(['master.example.com', 'api.example.com', '192.168.122.186', 'master1.example.com']);
    expect(want.generate_secret).toEqual([44, true]);
    expect(runs.drover.stdout.match(/^localhost .*$/m)?.[0]).toBe(runs.ansible.stdout.match(/^localhost .*$/m)?.[0]);
  });

  it('fails alike where a filter fails (its own error or a Python 3 incompatibility of the tree)', () => {
    const want = (reportedValues(runs.ansible.stdout).errors as Failure[]).map((f) => failure(f));
    const got = (reportedValues(runs.drover.stdout).errors as Failure[]).map((f) => failure(f));
    expect(want.length).toBe(22);
    expect(want.every((f) => f.failed && f.error)).toBe(true);
    expect(got).toEqual(want);
    expect(want).toContainEqual({ failed: true, error: 'RuntimeError: dictionary changed size during iteration' });
    expect(want[0]).toEqual({ failed: true, error: 'BdbQuit' });
  });
});
