// End to end on `drover lab`: a host gets the lab repositories (engine/lab/rpms/lab-setup.ts),
// a drover playbook installs OpenShift 3.7 node packages with yum and starts the node with
// systemd over SSH (the simulated systemctl), a second run changes nothing, check mode predicts
// the 3.9 upgrade without doing it, the upgrade runs, and the lab's event log holds the
// package.changed events the lab read from the host's rpm database and the service events. Skipped without root, sshd or
// the RPM tools.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbookCommand } from '../../engine/cli/playbook-cmd.js';
import { labDown, labEvents, labSync, labUp } from '../../engine/lab/lab.js';
import { labPaths } from '../../engine/lab/layout.js';
import { labRepos, rpmSkipReason } from '../lab-rpms/roots.js';
import { tempDir } from '../support/tmp.js';

const skip =
  rpmSkipReason() ?? (['/usr/sbin/sshd', '/usr/sbin/chroot'].every((f) => existsSync(f)) ? undefined : 'needs openssh-server and chroot for drover lab');
if (skip) console.warn(`packages lab test skipped: ${skip}`);

async function playbook(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await playbookCommand(args, (s) => (out += s));
  return { code, out };
}

const NODE_UNIT = '[Unit]\nDescription=OpenShift Node\n[Service]\nExecStart=/usr/bin/openshift start node\n[Install]\nWantedBy=multi-user.target\n';

const INSTALL = `- hosts: nodes
  gather_facts: false
  tasks:
    - yum:
        name: [atomic-openshift-node-3.7.23, atomic-openshift-sdn-ovs-3.7.23, docker-1.12.6]
        state: present
    - copy: { dest: /etc/systemd/system/atomic-openshift-node.service, content: ${JSON.stringify(NODE_UNIT)} }
    - systemd: { name: atomic-openshift-node, state: started, enabled: true, daemon_reload: true }
    - package_facts:
      register: pf
    - assert: { that: ["pf.ansible_facts.packages['atomic-openshift-node'][0].version == '3.7.23'"] }
`;

const UPGRADE = `- hosts: nodes
  gather_facts: false
  tasks:
    - dnf:
        name: [atomic-openshift-node-3.9.27, atomic-openshift-sdn-ovs-3.9.27, atomic-openshift-3.9.27]
        enablerepo: rhel-7-server-ose-3.9-rpms
        disablerepo: rhel-7-server-ose-3.7-rpms
      register: up
    - service: { name: atomic-openshift-node, state: restarted }
`;

describe.skipIf(!!skip)('package and service modules on drover lab', () => {
  const name = `t-pkg-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  let inventory = '';
  let dir = '';
  // after the front has recorded what its rpm watcher still holds, as `drover lab events` does
  const events = async () => (await labSync(name), labEvents(name).filter((e) => e.host === 'n1.example.com'));
  const recap = (out: string) => /n1\.example\.com\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=0\s+failed=0/.exec(out);

  beforeAll(async () => {
    await labRepos();
    dir = tempDir('drover-pkglab-');
    writeFileSync(join(dir, 'hosts'), '[nodes]\nn1.example.com\n[OSEv3:children]\nnodes\n[OSEv3:vars]\nansible_user=centos\n');
    writeFileSync(join(dir, 'install.yml'), INSTALL);
    writeFileSync(join(dir, 'upgrade.yml'), UPGRADE);
    const lab = await labUp({ inventory: [join(dir, 'hosts')], name, rebootSeconds: 1 });
    inventory = labPaths(lab.dir).inventory;
  }, 300_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
  }, 120_000);

  it('installs and starts once, then reports ok; the lab sees the package changes in the rpm database', async () => {
    const first = await playbook(['-i', inventory, join(dir, 'install.yml')]);
    expect(first.code, first.out).toBe(0);
    expect(recap(first.out)?.slice(1)).toEqual(['5', '3']);
    const kinds = (await events()).map((e) => `${e.kind}:${String(e.name ?? e.service)}`);
    expect(kinds).toEqual(expect.arrayContaining(['package.changed:atomic-openshift-node', 'package.changed:docker', 'service.enabled:atomic-openshift-node', 'service.started:atomic-openshift-node']));
    expect((await events()).find((e) => e.kind === 'package.changed' && e.name === 'atomic-openshift-node')).toMatchObject({ from: '', to: '3.7.23-1.git.0.8edc154.el7' });

    const n = (await events()).length;
    const second = await playbook(['-i', inventory, join(dir, 'install.yml')]);
    expect(second.code, second.out).toBe(0);
    expect(recap(second.out)?.slice(1)).toEqual(['5', '0']);
    expect((await events()).length).toBe(n);
  }, 300_000);

  it('predicts the 3.9 upgrade in check mode, then upgrades node and docker', async () => {
    const n = (await events()).length;
    const check = await playbook(['-i', inventory, '-C', join(dir, 'upgrade.yml')]);
    expect(check.code, check.out).toBe(0);
    expect(recap(check.out)?.[2]).toBe('2');
    expect((await events()).length).toBe(n);

    const up = await playbook(['-i', inventory, join(dir, 'upgrade.yml')]);
    expect(up.code, up.out).toBe(0);
    const changed = (await events()).slice(n).filter((e) => e.kind === 'package.changed');
    expect(changed.find((e) => e.name === 'atomic-openshift-node')).toMatchObject({ from: '3.7.23-1.git.0.8edc154.el7', to: '3.9.27-1.git.0.964617d.el7' });
    // 3.9 nodes require docker >= 1.13
    expect(changed.find((e) => e.name === 'docker')).toMatchObject({ from: '1.12.6-71.git3e8e77d.el7', to: '1.13.1-53.git774336d.el7' });
    expect((await events()).slice(n).some((e) => e.kind === 'service.restarted' && e.service === 'atomic-openshift-node')).toBe(true);
  }, 300_000);
});
