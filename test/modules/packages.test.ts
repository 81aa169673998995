// Integration tests of the dnf/yum/package modules with the real dnf and rpm of this machine,
// installing the lab's packages into temporary install roots: first run changes, second run is
// ok, check mode changes nothing, version pins, downgrades and the docker swap, wildcards,
// repositories and excludes. Skipped (with the reason) without root, rpm, dnf or createrepo_c.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { diffPackages, readPackages } from '../../engine/lab/witness/rpmdb.js';
import { dnfIn, labRepos, makeRoot, rpmSkipReason, type TestRoot } from '../lab-rpms/roots.js';
import { makeCtx, runModule } from './helpers.js';

const skip = rpmSkipReason();
if (skip) console.warn(`packages tests skipped: ${skip}`);

describe.skipIf(!!skip)('dnf/yum/package modules on a real install root', () => {
  const roots: TestRoot[] = [];
  const root = async (opts?: Parameters<typeof makeRoot>[0]) => {
    const r = await makeRoot(opts);
    roots.push(r);
    return r;
  };
  beforeAll(async () => {
    await labRepos();
  }, 300_000);
  afterEach(() => {
    for (const r of roots.splice(0)) r.cleanup();
  });

  it('installs with dependencies, then reports ok; check mode predicts without changing', async () => {
    const r = await root();
    const args = { name: ['atomic-openshift-node', 'atomic-openshift-sdn-ovs'], installroot: r.dir };
    const check = await runModule('dnf', args, { check: true });
    expect(check.failed).toBeFalsy();
    expect(check.changed).toBe(true);
    expect(check.results).toContain('Installed: atomic-openshift-node-3.7.44-1.git.0.6b061d4.el7.noarch');
    expect(check.msg).toMatch(/Check mode/);
    expect(r.installed()).toEqual([]);

    const first = await runModule('dnf', args);
    expect(first.failed).toBeFalsy();
    expect(first.changed).toBe(true);
    expect(r.installed()).toContain('atomic-openshift-node-3.7.44-1.git.0.6b061d4.el7');
    expect(r.installed()).toContain('openvswitch-2.9.0-19.el7fdp');
    expect((first.changes as { installed: string[] }).installed.sort()).toEqual(
      (check.changes as { installed: string[] }).installed.sort(),
    );

    const second = await runModule('yum', { ...args, state: 'installed' });
    expect(second).toMatchObject({ changed: false, msg: 'Nothing to do' });
  });

  it('pins versions, upgrades with latest, and only downgrades with allow_downgrade', async () => {
    const r = await root();
    const base = { installroot: r.dir };
    expect((await runModule('dnf', { ...base, name: 'etcd-3.2.11' })).changed).toBe(true);
    expect(r.installed()).toEqual(['etcd-3.2.11-1.el7']);
    // present does not upgrade what is installed
    expect((await runModule('dnf', { ...base, name: 'etcd' })).changed).toBe(false);
    const up = await runModule('package', { ...base, name: 'etcd', state: 'latest' });
    expect(up.changed).toBe(true);
    expect((up.changes as { upgraded: string[] }).upgraded).toEqual(['etcd-3.2.22-1.el7.noarch']);
    expect(r.installed()).toEqual(['etcd-3.2.22-1.el7']);
    expect((await runModule('dnf', { ...base, name: 'etcd', state: 'latest' })).changed).toBe(false);
    // a full NEVR older than the installed one: Ansible leaves it unless allow_downgrade
    expect((await runModule('dnf', { ...base, name: 'etcd-3.2.11-1.el7' })).changed).toBe(false);
    const down = await runModule('dnf', { ...base, name: 'etcd-3.2.11-1.el7', allow_downgrade: true });
    expect(down.changed).toBe(true);
    expect((down.changes as { downgraded: string[] }).downgraded).toEqual(['etcd-3.2.11-1.el7.noarch']);
    expect(r.installed()).toEqual(['etcd-3.2.11-1.el7']);
  });

  it('swaps docker-* to 1.12.6 idempotently (the guide §6.5 yum swap)', async () => {
    const r = await root();
    expect(dnfIn(r, 'install', 'docker-1.13.1').rc).toBe(0);
    const swap = { name: 'docker-*1.12.6', allow_downgrade: true, installroot: r.dir };
    const check = await runModule('yum', swap, { check: true });
    expect(check.changed).toBe(true);
    expect((check.changes as { downgraded: string[] }).downgraded).toHaveLength(4);
    expect(r.installed().filter((p) => p.startsWith('docker')).every((p) => p.includes('1.13.1'))).toBe(true);
    const res = await runModule('yum', swap);
    expect(res.changed).toBe(true);
    const docker = r.installed().filter((p) => p.startsWith('docker'));
    expect(docker).toHaveLength(4);
    expect(docker.every((p) => p.includes('-1.12.6-'))).toBe(true);
    expect((await runModule('yum', swap)).changed).toBe(false);
  });

  it('removes by wildcard; a second removal is ok; dependencies stay (yum semantics)', async () => {
    const r = await root();
    expect(dnfIn(r, 'install', 'atomic-openshift-node', 'atomic-openshift-excluder').rc).toBe(0);
    const args = { name: 'atomic-openshift*', state: 'absent', installroot: r.dir, disable_excludes: 'all' };
    const check = await runModule('dnf', args, { check: true });
    expect(check.changed).toBe(true);
    expect(r.installed().some((p) => p.startsWith('atomic-openshift-node'))).toBe(true);
    const res = await runModule('dnf', args);
    expect(res.changed).toBe(true);
    expect(r.installed().filter((p) => p.startsWith('atomic-openshift'))).toEqual([]);
    expect(r.installed().some((p) => p.startsWith('docker-1.13.1'))).toBe(true);
    expect((await runModule('dnf', { ...args, state: 'removed' })).changed).toBe(false);
  });

  it('respects yum.conf exclude=, the exclude option and disable_excludes', async () => {
    const r = await root({ yumConf: '[main]\ngpgcheck=0\nexclude=etcd*\n' });
    const blocked = await runModule('dnf', { name: 'etcd', installroot: r.dir });
    expect(blocked.failed).toBe(true);
    expect(blocked.msg).toBe('Failed to install some of the specified packages');
    expect(r.installed()).toEqual([]);
    const opt = await runModule('dnf', { name: 'tzdata', exclude: ['tzdata*'], installroot: r.dir });
    expect(opt.failed).toBe(true);
    const ok = await runModule('dnf', { name: 'etcd', installroot: r.dir, disable_excludes: 'all' });
    expect(ok.changed).toBe(true);
    expect(r.installed()).toEqual(['etcd-3.2.22-1.el7']);
  });

  it('enables and disables repositories per task (3.7 → 3.9 node upgrade)', async () => {
    const r = await root();
    expect(dnfIn(r, 'install', 'atomic-openshift-node-3.7.23', 'docker-1.12.6').rc).toBe(0);
    const missing = await runModule('dnf', { name: 'atomic-openshift-node-3.9.27', installroot: r.dir });
    expect(missing.failed).toBe(true);
    const res = await runModule('dnf', {
      name: ['atomic-openshift-node-3.9.27', 'atomic-openshift-3.9.27'],
      installroot: r.dir,
      disablerepo: 'rhel-7-server-ose-3.7-rpms',
      enablerepo: ['rhel-7-server-ose-3.9-rpms'],
    });
    expect(res.failed).toBeFalsy();
    expect(res.changed).toBe(true);
    // 3.9 nodes require docker >= 1.13: dnf pulled the upgrade in
    expect(r.installed()).toEqual(expect.arrayContaining(['atomic-openshift-node-3.9.27-1.git.0.964617d.el7', 'docker-1.13.1-53.git774336d.el7']));
  });

  it('download_only downloads without installing', async () => {
    const r = await root();
    const res = await runModule('dnf', { name: 'tzdata', download_only: true, download_dir: `${r.dir}/dl`, installroot: r.dir });
    expect(res.failed).toBeFalsy();
    expect(res.results).toEqual(['Downloaded: tzdata-2018e-3.el7.noarch']);
    expect(r.installed()).toEqual([]);
  });

  it('package_facts lists what rpm has, epochs included', async () => {
    const r = await root();
    expect(dnfIn(r, 'install', 'docker-1.12.6', 'etcd').rc).toBe(0);
    const ctx = makeCtx();
    const run = ctx.run;
    // rpm's own configuration names the database (as on a host): ~/.rpmmacros' %_dbpath
    writeFileSync(join(r.dir, '.rpmmacros'), `%_dbpath ${r.dbDir}\n`);
    ctx.run = (cmd, o) => run(cmd, { ...o, env: { ...(o?.env ?? {}), HOME: r.dir } });
    const res = await getModule('package_facts')!.run({}, ctx);
    const pk = (res.ansible_facts as { packages: Record<string, unknown[]> }).packages;
    expect(Object.keys(pk).sort()).toEqual(['docker', 'docker-client', 'docker-common', 'docker-rhel-push-plugin', 'etcd']);
    expect(pk.docker).toEqual([{ name: 'docker', version: '1.12.6', release: '71.git3e8e77d.el7', epoch: 2, arch: 'noarch', source: 'rpm' }]);
    expect(pk.etcd).toEqual([{ name: 'etcd', version: '3.2.22', release: '1.el7', epoch: null, arch: 'noarch', source: 'rpm' }]);
  });

  it("the lab's view of the rpm database matches the module's reported changes", async () => {
    const r = await root();
    expect(dnfIn(r, 'install', 'docker-1.13.1').rc).toBe(0);
    const before = await readPackages(r.dbDir);
    const res = await runModule('yum', { name: 'docker-*1.12.6', allow_downgrade: true, installroot: r.dir });
    const seen = diffPackages(before, await readPackages(r.dbDir)).map((c) => `${c.name} ${c.from} -> ${c.to}`);
    const expected = (res.changes as { downgraded: string[] }).downgraded
      .map((n) => /^(.*)-2:1\.12\.6-71\.git3e8e77d\.el7\.noarch$/.exec(n)![1])
      .map((name) => `${name} 1.13.1-53.git774336d.el7 -> 1.12.6-71.git3e8e77d.el7`)
      .sort();
    expect(expected).toHaveLength(4);
    expect(seen).toEqual(expected);
  });
});
