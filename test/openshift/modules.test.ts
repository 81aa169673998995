// openshift-ansible 3.9's custom modules on `drover lab` hosts over SSH: fixtures/modules.yml runs
// yedit (roles/lib_utils/library/yedit.py) and openshift_facts
// (roles/openshift_facts/library/openshift_facts.py), found where Ansible finds them in the tree
// (read in place): openshift_facts in its role's library/ (ANSIBLE_ROLES_PATH), yedit through
// ANSIBLE_LIBRARY (the lib_utils role itself would load its callback_plugins/ version gate, which
// stops ansible-core 2.14), under ansible-playbook 2.14 on one fresh lab host and under drover
// on another, at the same time. Registered results must be the same once what differs by nature
// between two hosts is replaced (see comparable()).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import { labPaths } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { ANSIBLE, DROVER, runTool } from '../examples/harness.js';
import { hasAnsible, normalise } from '../modules/helpers/differential.js';
import { tempDir } from '../support/tmp.js';

const OA_ROLES = '/work/shared/conformance/openshift-ansible-3.9/roles';
const PB = join(import.meta.dirname, 'fixtures', 'modules.yml');
const A = 'oa.example.com';
const D = 'od.example.com';
const skip =
  labSkipReason() ??
  (hasAnsible ? undefined : 'ansible-playbook is not installed (Debian package ansible-core)') ??
  (existsSync(OA_ROLES) ? undefined : `the openshift-ansible 3.9 tree is not at ${OA_ROLES}`);
if (skip) console.warn(`openshift-ansible modules differential skipped: ${skip}`);

type Result = Record<string, unknown>;

/**
 * What differs between the two runs by nature: each lab host's own name and address (the
 * inventory names are replaced by normalise(), the default IPv4 address each host reported here,
 * since openshift_facts derives hostname, ip and the URLs from them); the order of
 * openshift_facts' all_hostnames and internal_hostnames, lists made from a Python set (string
 * hashes are randomised per process), and for the same reason the key order of the fact file it
 * writes (merge_facts adds new keys from a set): the file is compared as the JSON it holds; and
 * yedit's backups, named by the time they were taken. A module that crashes (the tree's
 * Python 2 code on the host's Python 3) is compared by the last line of its traceback: the lines
 * above name each tool's temporary payload paths, and ansible's ssh runs modules on a tty (CRLF
 * line ends, ssh's closing notice on stderr, the module's stderr merged into its stdout).
 */
function comparable(all: Record<string, Result>): Record<string, Result> {
  const host = all.host as { ip: string };
  let text = JSON.stringify(all);
  if (host.ip) text = text.split(host.ip).join('<IP>');
  text = text.replace(/"(all_hostnames|internal_hostnames)":(\[[^\]]*\])/g, (_m, k: string, list: string) => `"${k}":${JSON.stringify((JSON.parse(list) as string[]).sort())}`);
  text = text.replace(/\.orig\.\d+(\.\d+)?/g, '.orig.<T>');
  const out = JSON.parse(text) as Record<string, Result>;
  delete out.host;
  if (typeof out.f_file?.content === 'string') out.f_file.content = JSON.parse(Buffer.from(out.f_file.content, 'base64').toString()) as unknown;
  for (const r of Object.values(out)) {
    if (!('module_stdout' in r || 'module_stderr' in r)) continue;
    const lines = `${String(r.module_stdout ?? '')}\n${String(r.module_stderr ?? '')}`
      .replace(/\r\n/g, '\n')
      .split('\n')
      .filter((l) => l && !/^Shared connection to \S+ closed\.$/.test(l));
    r.module_output = lines.pop();
    delete r.module_stdout;
    delete r.module_stderr;
  }
  return out;
}

describe.skipIf(!!skip)("openshift-ansible 3.9's yedit and openshift_facts: ansible-playbook vs drover on lab hosts", () => {
  const name = uniqueLabName('t-oamods');
  let inventory = '';
  let work = '';
  let inventoryDir = '';

  beforeAll(async () => {
    if (skip) return;
    work = tempDir('drover-oamods-');
    inventoryDir = writeTemp({ hosts: `[nodes]\n${A}\n${D}\n` });
    const lab = await labUp({ inventory: [join(inventoryDir, 'hosts')], name });
    inventory = labPaths(lab.dir).inventory;
    const env = { ANSIBLE_ROLES_PATH: OA_ROLES, ANSIBLE_LIBRARY: join(OA_ROLES, 'lib_utils', 'library') };
    const [ans, drv] = await Promise.all([
      runTool(ANSIBLE, ['-i', inventory, '-l', A, PB, '-e', `out=${join(work, 'a.json')}`], env, 600_000),
      runTool(DROVER, ['-i', inventory, '-l', D, PB, '-e', `out=${join(work, 'd.json')}`], env, 600_000),
    ]);
    if (ans.rc !== 0) throw new Error(`ansible-playbook failed:\n${ans.stdout}${ans.stderr}`);
    if (drv.rc !== 0) throw new Error(`drover failed:\n${drv.stdout}${drv.stderr}`);
  }, 900_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
    for (const d of [work, inventoryDir]) if (d) rmSync(d, { recursive: true, force: true });
  }, 120_000);

  const results = (f: string) => comparable(normalise(JSON.parse(readFileSync(join(work, f), 'utf8')) as Record<string, Result>, [A, D], '<HOST>'));

  it('registers the same result for every yedit and openshift_facts task', () => {
    const a = results('a.json');
    const d = results('d.json');
    expect(Object.keys(a).length).toBe(19);
    for (const k of Object.keys(a)) expect({ [k]: d[k] }).toEqual({ [k]: a[k] });
    // guards: the modules did their work
    expect([a.y_set.changed, a.y_same.changed, a.y_edits.changed, a.y_absent.changed, a.y_absent_again.changed]).toEqual([true, false, true, true, false]);
    expect(a.y_missing.failed).toBe(true);
    const file = Buffer.from(String(a.y_file.content), 'base64').toString();
    expect(file).toContain('inactivityTimeoutMinutes: 30');
    expect(file).not.toContain('assetConfig');
    const facts = (a.f_common.ansible_facts as { openshift: Record<string, Record<string, unknown>> }).openshift;
    expect(facts.common).toMatchObject({ deployment_type: 'origin', hostname: '<HOST>', ip: '<IP>', portal_net: '172.30.0.0/16' });
    // the master role's facts are saved, then the tree's Python 2 code breaks on the host's Python 3
    expect((a.f_file.content as Record<string, Record<string, unknown>>).master).toMatchObject({ api_port: 8443, session_max_seconds: 3600 });
    expect(a.f_master).toMatchObject({ failed: true, msg: expect.stringContaining('MODULE FAILURE') as unknown });
    expect(a.f_node).toMatchObject({ failed: true, module_output: "TypeError: unsupported operand type(s) for -: 'NoneType' and 'int'" });
  });
});
