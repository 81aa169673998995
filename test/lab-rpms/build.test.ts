// The lab repositories: the catalogue's spec files (pure checks), then a real build (cached by
// content hash) installed with dnf into temp roots to check Requires, the changes the lab's rpm
// database witness (engine/lab/witness/rpmdb.ts) reads, and the excluders' edits of yum.conf. Skipped without root, rpm, rpmbuild, createrepo_c or dnf.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogHash, excluderFamilies, repoFileText, specFiles } from '../../engine/lab/rpms/build.js';
import { CATALOG, REPO_IDS } from '../../engine/lab/rpms/catalog.js';
import { diffPackages, readPackages, type PackageChange } from '../../engine/lab/witness/rpmdb.js';
import { dnfIn, labRepos, makeRoot, rpmSkipReason, type TestRoot } from './roots.js';

describe('lab rpm catalogue and specs', () => {
  it('covers the packages and versions the upgrade guide needs', () => {
    const names = new Set(CATALOG.flatMap((s) => s.packages.map((p) => `${p.name}@${s.version.split('.').slice(0, 2).join('.')}`)));
    for (const minor of ['3.7', '3.8', '3.9']) {
      for (const n of ['atomic-openshift', 'atomic-openshift-master', 'atomic-openshift-node', 'atomic-openshift-clients', 'atomic-openshift-sdn-ovs', 'atomic-openshift-excluder', 'atomic-openshift-docker-excluder', 'tuned-profiles-atomic-openshift-node', 'atomic-openshift-utils']) {
        expect(names.has(`${n}@${minor}`), `${n} ${minor}`).toBe(true);
      }
    }
    for (const v of ['1.12.6', '1.13.1']) for (const n of ['docker', 'docker-common', 'docker-client', 'docker-rhel-push-plugin']) expect(names.has(`${n}@${v.split('.').slice(0, 2).join('.')}`)).toBe(true);
    expect(new Set(CATALOG.map((s) => s.repo))).toEqual(new Set(REPO_IDS));
  });

  it('pins subpackages to the same version and escapes % for rpm', () => {
    const s = specFiles().find((f) => f.src.name === 'atomic-openshift' && f.src.version === '3.9.27')!;
    expect(s.text).toMatch(/%package -n atomic-openshift-master\nSummary: .*\nAutoReqProv: no\nRequires: atomic-openshift = 3\.9\.27-1\.git\.0\.964617d\.el7/);
    expect(s.text).toMatch(/Requires: docker >= 2:1\.13/);
    expect(s.text).toMatch(/^AutoReqProv: no$/m);
    // Lua patterns like %s must reach rpm as %%s
    expect(s.text).toContain('"^%%s*exclude%%s*="');
    expect(s.rpms).toContain('atomic-openshift-node-3.9.27-1.git.0.964617d.el7.noarch.rpm');
  });

  it('hashes the content: a change to the catalogue changes the hash', () => {
    const h = catalogHash();
    expect(catalogHash()).toBe(h);
    const changed = CATALOG.map((s, i) => (i === 0 ? { ...s, release: s.release + '.1' } : s));
    expect(catalogHash(changed)).not.toBe(h);
  });

  it('gives each excluder the entries of all its versions', () => {
    const fam = excluderFamilies(CATALOG);
    expect(fam['atomic-openshift-docker-excluder']).toContain('docker*1.13*');
    expect(fam['atomic-openshift-excluder']).toContain('atomic-openshift-node');
  });

  it('writes repo files with the enabled set', () => {
    const repos = Object.fromEntries(REPO_IDS.map((r) => [r, `/x/${r}`])) as Record<(typeof REPO_IDS)[number], string>;
    const text = repoFileText({ repos }, ['rhel-7-server-ose-3.9-rpms']);
    expect(text).toContain('[rhel-7-server-ose-3.9-rpms]\nname=rhel-7-server-ose-3.9-rpms (drover lab)\nbaseurl=file:///x/rhel-7-server-ose-3.9-rpms\nenabled=1');
    expect(text).toContain('baseurl=file:///x/rhel-7-server-rpms\nenabled=0');
  });
});

const skip = rpmSkipReason();
if (skip) console.warn(`lab rpm build tests skipped: ${skip}`);

describe.skipIf(!!skip)('lab repositories built with rpmbuild and createrepo_c', () => {
  const roots: TestRoot[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) r.cleanup();
  });

  it('builds every repository once and reuses it', async () => {
    const built = await labRepos();
    for (const r of REPO_IDS) expect(existsSync(path.join(built.repos[r], 'repodata/repomd.xml')), r).toBe(true);
    const rpms = REPO_IDS.flatMap((r) => readdirSync(built.repos[r]).filter((f) => f.endsWith('.rpm')));
    expect(rpms.length).toBe(specFiles().reduce((n, s) => n + s.rpms.length, 0));
    const q = spawnSync('rpm', ['-qp', '--requires', path.join(built.repos['rhel-7-server-extras-rpms'], 'docker-1.12.6-71.git3e8e77d.el7.noarch.rpm')], { encoding: 'utf8' });
    expect(q.stdout).toContain('docker-common = 2:1.12.6-71.git3e8e77d.el7');
    expect(q.stdout).not.toContain('/bin/sh');
    // the excluders ship a #!/bin/sh tool, yet must install into roots without a shell package
    const ex = spawnSync('rpm', ['-qp', '--requires', path.join(built.repos['rhel-7-server-ose-3.7-rpms'], 'atomic-openshift-excluder-3.7.44-1.git.0.6b061d4.el7.noarch.rpm')], { encoding: 'utf8' });
    expect(ex.stdout).toContain('rpmlib(BuiltinLuaScripts)');
    expect(ex.stdout).not.toContain('/bin/sh');
  }, 300_000);

  it('the lab sees package changes in the rpm database; the excluders edit yum.conf', async () => {
    const r = await makeRoot();
    roots.push(r);
    const seen: PackageChange[] = [];
    let before = await readPackages(r.dbDir).catch(() => new Map<string, string[]>());
    const look = async () => {
      const now = await readPackages(r.dbDir);
      seen.push(...diffPackages(before, now));
      before = now;
    };
    expect(dnfIn(r, 'install', 'etcd-3.2.11', 'atomic-openshift-excluder-3.7.23', 'atomic-openshift-docker-excluder-3.7.23').rc).toBe(0);
    await look();
    expect(seen).toEqual(
      expect.arrayContaining([
        { name: 'etcd', from: '', to: '3.2.11-1.el7' },
        { name: 'atomic-openshift-excluder', from: '', to: '3.7.23-1.git.0.8edc154.el7' },
      ]),
    );
    expect(r.yumConf()).toMatch(/^exclude=.*atomic-openshift-node.*docker\*1\.13\*/m);
    // the docker excluder hides docker 1.13 from a plain install
    const blocked = dnfIn(r, 'install', 'docker-1.13.1');
    expect(blocked.rc).not.toBe(0);

    expect(dnfIn(r, 'upgrade', 'etcd').rc).toBe(0);
    await look();
    expect(seen).toContainEqual({ name: 'etcd', from: '3.2.11-1.el7', to: '3.2.22-1.el7' });
    // upgrading the docker excluder to 3.9 drops 3.7's docker*1.13* entry
    expect(dnfIn(r, '--enablerepo=rhel-7-server-ose-3.9-rpms', '--disableexcludes=all', 'install', 'atomic-openshift-docker-excluder-3.9.27').rc).toBe(0);
    expect(r.yumConf()).not.toContain('docker*1.13*');
    expect(r.yumConf()).toContain('docker*1.14*');
    expect(dnfIn(r, '--disableexcludes=all', 'remove', 'etcd', 'atomic-openshift-excluder', 'atomic-openshift-docker-excluder').rc).toBe(0);
    await look();
    expect(seen).toContainEqual({ name: 'etcd', from: '3.2.22-1.el7', to: '' });
    expect(r.yumConf()).toMatch(/^exclude=$/m);
  }, 120_000);

  it('ships a working excluder command', async () => {
    const r = await makeRoot();
    roots.push(r);
    expect(dnfIn(r, 'install', 'atomic-openshift-excluder-3.7.44').rc).toBe(0);
    const tool = path.join(r.dir, 'usr/sbin/atomic-openshift-excluder');
    // run it against the root's yum.conf by rewriting its conf path
    const run = (arg: string) => spawnSync('sh', ['-c', `sed 's#^conf=/etc/yum.conf#conf=${r.dir}/etc/yum.conf#' ${tool} | sh -s ${arg}`], { encoding: 'utf8' });
    expect(run('status').stdout).toMatch(/^exclude/);
    run('unexclude');
    expect(r.yumConf()).not.toContain('atomic-openshift-node');
    expect(run('status').stdout).toMatch(/^unexclude/);
    run('exclude');
    expect(r.yumConf()).toMatch(/^exclude=atomic-openshift /m);
    expect(r.yumConf()).toContain('gpgcheck=0');
  }, 120_000);
});
