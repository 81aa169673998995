// Differential test: the same package tasks run by ansible-playbook's dnf module (Python dnf,
// connection local) in one install root and by drover's dnf module in a twin root. Per task
// `changed`/`failed` and the final installed rpm versions must match. Skipped without
// ansible-playbook, Python's dnf bindings, or what the rpm tests need.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labRepos, makeRoot, rpmSkipReason, type TestRoot } from '../lab-rpms/roots.js';
import { runModule } from './helpers.js';
import { hasAnsible as ansibleInstalled, runAnsibleSteps } from './helpers/differential.js';

const PY = '/usr/bin/python3';
const hasAnsible =
  ansibleInstalled && spawnSync(PY, ['-c', 'import dnf'], { encoding: 'utf8' }).status === 0;
const skip = rpmSkipReason() ?? (hasAnsible ? undefined : 'ansible-playbook or python3-dnf is not installed');
if (skip) console.warn(`package differential test skipped: ${skip}`);

interface Step {
  args: Record<string, unknown>;
  check?: boolean;
}

const STEPS: Step[] = [
  { args: { name: ['atomic-openshift-node', 'atomic-openshift-sdn-ovs'] } },
  { args: { name: ['atomic-openshift-node', 'atomic-openshift-sdn-ovs'] } },
  { args: { name: 'etcd-3.2.11' } },
  { args: { name: 'etcd', state: 'latest' } },
  { args: { name: 'etcd', state: 'latest' } },
  { args: { name: 'etcd-3.2.11-1.el7' } },
  { args: { name: 'etcd-3.2.11-1.el7', allow_downgrade: true } },
  { args: { name: 'docker-*1.12.6', allow_downgrade: true } },
  { args: { name: 'docker-*1.12.6', allow_downgrade: true } },
  { args: { name: 'tzdata' }, check: true },
  { args: { name: 'tzdata', exclude: ['tzdata*'] } },
  { args: { name: 'atomic-openshift*', state: 'absent' } },
  { args: { name: 'atomic-openshift*', state: 'absent' } },
  { args: { name: 'atomic-openshift-utils', state: 'latest', enablerepo: 'rhel-7-server-ose-3.9-rpms', disablerepo: 'rhel-7-server-ose-3.7-rpms' } },
  { args: { name: ['tzdata-2018c', 'NetworkManager'], state: 'present' } },
  { args: { name: ['tzdata', 'NetworkManager'], state: 'latest', update_only: true } },
  { args: { name: 'NetworkManager', state: 'removed' } },
];

/** Both sides read the same explicit config: Python dnf does not look inside the install root. */
function common(r: TestRoot): Record<string, unknown> {
  return { installroot: r.dir, conf_file: path.join(r.dir, 'etc/yum.conf'), releasever: '7Server' };
}

function yumConf(r: TestRoot): string {
  return `[main]\ngpgcheck=0\nclean_requirements_on_remove=0\nreposdir=${r.dir}/etc/yum.repos.d\ncachedir=${r.dir}/var/cache/dnf\n`;
}

describe.skipIf(!!skip)('dnf module: drover vs ansible-playbook', () => {
  let ans: TestRoot;
  let drv: TestRoot;
  beforeAll(async () => {
    await labRepos();
    ans = await makeRoot();
    drv = await makeRoot();
    writeFileSync(path.join(ans.dir, 'etc/yum.conf'), yumConf(ans));
    writeFileSync(path.join(drv.dir, 'etc/yum.conf'), yumConf(drv));
  }, 300_000);
  afterAll(() => {
    ans?.cleanup();
    drv?.cleanup();
  });

  it('ends in the same state with the same changed/failed per task', async () => {
    const t0 = Date.now();
    const steps = STEPS.map((st) => ({ mod: 'ansible.builtin.dnf', args: { ...st.args, ...common(ans) }, check: st.check }));
    const ansible = runAnsibleSteps(steps, { d: ans.dir, t: ans.dir, out: ans.dir, vars: { ansible_python_interpreter: PY } }).map((x) => ({
      changed: !!x.changed,
      failed: !!x.failed,
    }));

    const t1 = Date.now();
    const drover: { changed: boolean; failed: boolean }[] = [];
    for (const s of STEPS) {
      const r = await runModule('dnf', { ...s.args, ...common(drv) }, { check: !!s.check });
      drover.push({ changed: !!r.changed, failed: !!r.failed });
    }
    console.log(`package differential: ansible-playbook ${((t1 - t0) / 1000).toFixed(1)} s, drover ${((Date.now() - t1) / 1000).toFixed(1)} s for ${STEPS.length} tasks`);
    const label = (xs: { changed: boolean; failed: boolean }[]) => xs.map((x, i) => `${i}:${x.failed ? 'failed' : x.changed ? 'changed' : 'ok'}`);
    expect(label(drover)).toEqual(label(ansible));
    expect(drv.installed()).toEqual(ans.installed());
    // and the run did something: guard against both sides silently doing nothing
    expect(drv.installed()).toEqual(expect.arrayContaining(['etcd-3.2.11-1.el7', 'docker-1.12.6-71.git3e8e77d.el7', 'atomic-openshift-utils-3.9.27-1.git.0.52e35b5.el7']));
  }, 600_000);
});
