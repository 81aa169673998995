// openshift-ansible 3.9's real playbooks, loaded by ansible-playbook 2.14 and drover from the tree's
// top folder (so both read its ansible.cfg) with the reference OSEv3 inventory: --syntax-check,
// --list-hosts, --list-tasks and --list-tags must give the same exit code and stdout. The tree is
// read in place (/work/shared/conformance, see its README for the reference set-up): its modules
// come from roles' library/ and Debian's `ansible` collections, its action plugins (sanity_checks,
// openshift_health_check, check_deprecated) are accepted as Ansible accepts them. Skipped without
// ansible-playbook, the tree or Debian's collections (bin/setup --test installs the package).
// playbooks/init/evaluate_groups.yml is also run (local connection) and must build the same groups.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runPlaybookBoth, runPlaybookBothAsync, type PlaybookRuns } from '../modules/helpers/differential.js';

const CONFORMANCE = '/work/shared/conformance';
const TREE = `${CONFORMANCE}/openshift-ansible-3.9`;
const INVENTORY = `${CONFORMANCE}/openshift-ansible-reference/hosts.osev3`;
const COLLECTIONS = process.env.OPENSHIFT_REF_COLLECTIONS ?? '/usr/lib/python3/dist-packages';
const ready = hasAnsible && existsSync(TREE) && existsSync(join(COLLECTIONS, 'ansible_collections/community/general'));

const UPGRADES = 'playbooks/byo/openshift-cluster/upgrades/v3_9';
const NODES_ARGS = ['-e', 'openshift_upgrade_nodes_serial=2', '-e', 'openshift_upgrade_nodes_label=region=infra'];
const PLAYBOOKS: [string, string[]][] = [
  [`${UPGRADES}/upgrade.yml`, []],
  [`${UPGRADES}/upgrade_control_plane.yml`, []],
  [`${UPGRADES}/upgrade_nodes.yml`, NODES_ARGS],
  // the upgrades/docker/ playbook lives under common/ in 3.9 (byo/ has no docker/ folder)
  ['playbooks/common/openshift-cluster/upgrades/docker/docker_upgrade.yml', []],
  ['playbooks/byo/openshift-cluster/upgrades/docker/docker_upgrade.yml', []],
  ...['certificates', 'config', 'redeploy-ca', 'redeploy-certificates', 'restart', 'scaleup', 'upgrade'].map((p): [string, string[]] => [`playbooks/openshift-etcd/${p}.yml`, []]),
  ['playbooks/adhoc/uninstall.yml', []],
];
const MODES = ['--syntax-check', '--list-hosts', '--list-tasks', '--list-tags'];

/**
 * --list-hosts of a group with child groups (`all`, `OSEv3:children`) comes in the order of
 * Python's string hashes in ansible-core 2.14 (Group._walk_relationship walks sets), which changes
 * from run to run: the hosts of each play are compared as sets, everything else line by line.
 */
function sortHostBlocks(stdout: string): string {
  const lines = stdout.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (!/^\s+hosts \(\d+\):$/.test(lines[i])) continue;
    const block: string[] = [];
    while (i + 1 < lines.length && /^\s{6}\S/.test(lines[i + 1])) block.push(lines[++i]);
    out.push(...block.sort());
  }
  return out.join('\n');
}

// The listings only read the tree, so they all start in beforeAll: two playbooks at a time, each
// run by both tools at once (four processes keep two cores busy), and each test awaits its own.
const both = pLimit(2);

describe.skipIf(!ready)('openshift-ansible 3.9 listings vs ansible-playbook 2.14', () => {
  // a scratch home (the tree's ansible.cfg logs to ~/openshift-ansible.log), made when tests run
  let home = '';
  const runs = new Map<string, Promise<PlaybookRuns>>();
  const key = (playbook: string, mode: string) => `${playbook} ${mode}`;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'drover-oa-listings-'));
    env.HOME = home;
    for (const [playbook, args] of PLAYBOOKS) {
      for (const mode of MODES) {
        const run = both(() => runPlaybookBothAsync(playbook, { cwd: TREE, inventory: INVENTORY, args: [mode, ...args], env }));
        run.catch(() => undefined); // awaited (and reported) by its test
        runs.set(key(playbook, mode), run);
      }
    }
  });
  afterAll(async () => {
    await Promise.allSettled(runs.values());
    rmSync(home, { recursive: true, force: true });
  }, 600_000);
  const env = {
    HOME: '',
    ANSIBLE_COLLECTIONS_PATH: COLLECTIONS,
    ANSIBLE_LOG_PATH: '/dev/null',
    // ansible-core on Python 3.11 needs the collections.Mapping shim for the tree's filters
    PYTHONPATH: `${CONFORMANCE}/openshift-ansible-reference`,
  };

  for (const [playbook, args] of PLAYBOOKS) {
    for (const mode of MODES) {
      it(`${playbook} ${[mode, ...args].join(' ')}`, async () => {
        const r = await runs.get(key(playbook, mode))!;
        expect(r.drover.stderr.includes('Traceback')).toBe(false);
        expect(r.drover.status).toBe(r.ansible.status);
        const norm = mode === '--list-hosts' ? sortHostBlocks : (s: string) => s;
        expect(norm(r.drover.stdout)).toBe(norm(r.ansible.stdout));
        if (!playbook.startsWith('playbooks/byo/openshift-cluster/upgrades/docker/')) {
          expect(r.ansible.status).toBe(0);
          if (mode !== '--syntax-check') expect(r.ansible.stdout.split('\n').length).toBeGreaterThan(8);
        }
      }, 600_000);
    }
  }
});

describe.skipIf(!ready)('openshift-ansible 3.9 playbooks/init/evaluate_groups.yml vs ansible-playbook 2.14', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drover-oa-groups-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the same groups (add_host/group_by) with the same recap', () => {
    // a wrapper outside the tree imports the tree's playbook and reports the groups it built
    writeFileSync(
      join(dir, 'groups.yml'),
      `- import_playbook: ${TREE}/playbooks/init/evaluate_groups.yml
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - debug:
        msg: "R groups {{ groups | to_json }}"
`,
    );
    const env = { HOME: dir, ANSIBLE_COLLECTIONS_PATH: COLLECTIONS, ANSIBLE_LOG_PATH: '/dev/null', PYTHONPATH: `${CONFORMANCE}/openshift-ansible-reference` };
    const r = runPlaybookBoth(join(dir, 'groups.yml'), { cwd: TREE, inventory: INVENTORY, env });
    expect(r.ansible.status).toBe(0);
    expect(r.drover.status).toBe(0);
    const want = reportedValues(r.ansible.stdout).groups as Record<string, string[]>;
    expect(want.oo_masters_to_config).toHaveLength(3);
    expect(want.oo_nodes_to_config).toHaveLength(9);
    expect(reportedValues(r.drover.stdout).groups).toEqual(want);
    const recap = (s: string) => s.match(/^localhost .*$/m)?.[0];
    expect(recap(r.drover.stdout)).toBe(recap(r.ansible.stdout));
  }, 180_000);
});
