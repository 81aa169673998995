// Unit tests of the package modules' pure parts: argument schemas (good and bad), rpm version
// comparison, spec parsing, the plan (Ansible's per-spec decisions), dnf command lines, and the
// parsers of rpm -qa, dnf's transaction table and the scripts' sectioned output.
import { describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { actScript, buildPkgResult, dnfOptions, normalisePkgArgs, parseScriptOutput, planDnf, queryScript } from '../../modules/lib/rpm-dnf.js';
import { parsePackageFacts } from '../../modules/package_facts.js';
import { compareEvr, diffInstalled, globToRegExp, parseNevrSpec, parseRpmQa, parseTransaction, rpmvercmp, type RpmPkg } from '../../modules/lib/rpm-nevra.js';

const pkg = (name: string, version: string, release = '1.el7', epoch = 0): RpmPkg => ({ name, epoch, version, release, arch: 'noarch' });

describe('package module schemas', () => {
  for (const m of ['dnf', 'yum', 'package']) {
    it(`${m}: accepts Ansible's arguments and rejects unknown or wrong ones`, () => {
      const mod = getModule(m)!;
      expect(validateArgs(mod, { name: ['a', 'b'], state: 'latest', enablerepo: 'x', disable_excludes: 'all', allow_downgrade: 'yes' })).toBeNull();
      expect(validateArgs(mod, { pkg: 'docker-*1.12.6', state: 'removed', update_cache: true })).toBeNull();
      expect(validateArgs(mod, { update_cache: true })).toBeNull();
      expect(validateArgs(mod, { name: 'a', state: 'upgraded' })).toMatch(/value of state must be one of/);
      expect(validateArgs(mod, { name: 'a', bogus: 1 })).toMatch(/Unsupported parameters for \(\w+\) module: bogus/);
      expect(validateArgs(mod, { name: 'a', allow_downgrade: 'maybe' })).toMatch(/allow_downgrade/);
      expect(validateArgs(mod, { state: 'present' })).toMatch(/one of the following is required: name, update_cache, autoremove/);
    });
  }
  it('yum knows use_backend, package knows use, dnf neither', () => {
    expect(validateArgs(getModule('yum')!, { name: 'a', use_backend: 'dnf' })).toBeNull();
    expect(validateArgs(getModule('package')!, { name: 'a', use: 'auto' })).toBeNull();
    expect(validateArgs(getModule('dnf')!, { name: 'a', use_backend: 'dnf' })).toMatch(/Unsupported/);
  });
});

describe('rpm versions and specs', () => {
  it('compares versions as rpmvercmp does', () => {
    expect(rpmvercmp('1.12.6', '1.13.1')).toBe(-1);
    expect(rpmvercmp('3.9.27', '3.9.14')).toBe(1);
    expect(rpmvercmp('1.0', '1.0')).toBe(0);
    expect(rpmvercmp('1.0~rc1', '1.0')).toBe(-1);
    expect(rpmvercmp('1.0^git1', '1.0')).toBe(1);
    expect(rpmvercmp('2018e', '2018c')).toBe(1);
    expect(rpmvercmp('1.a', '1.1')).toBe(-1);
    expect(rpmvercmp('010', '10')).toBe(0);
    expect(compareEvr(pkg('d', '1.12.6', '1', 2), pkg('d', '9.9', '1', 1))).toBe(1);
  });
  it("parses specs as Ansible's _packagename_dict does", () => {
    expect(parseNevrSpec('etcd-3.2.11-1.el7')).toMatchObject({ name: 'etcd', version: '3.2.11', release: '1.el7', epoch: 0 });
    expect(parseNevrSpec('docker-2:1.12.6-71.git3e8e77d.el7.noarch')).toMatchObject({ name: 'docker', epoch: 2, arch: 'noarch' });
    expect(parseNevrSpec('etcd-3.2.11')).toBeUndefined();
    expect(parseNevrSpec('etcd')).toBeUndefined();
  });
  it('matches globs like fnmatch', () => {
    expect(globToRegExp('atomic-openshift*').test('atomic-openshift-node')).toBe(true);
    expect(globToRegExp('docker-*1.12.6').test('docker-common-1.12.6')).toBe(true);
    expect(globToRegExp('docker?').test('docker')).toBe(false);
  });
  it('parses rpm -qa lines and skips gpg-pubkey', () => {
    const list = parseRpmQa('docker\t2\t1.13.1\t53.el7\tnoarch\ngpg-pubkey\t0\tabc\tdef\t(none)\netcd\t0\t3.2.11\t1.el7\tnoarch\n');
    expect(list.map((p) => p.name)).toEqual(['docker', 'etcd']);
    expect(list[0].epoch).toBe(2);
  });
  it('diffs installed sets into installs, removals, upgrades and downgrades', () => {
    const d = diffInstalled([pkg('a', '1'), pkg('b', '2'), pkg('c', '1')], [pkg('a', '2'), pkg('b', '1'), pkg('d', '1')]);
    expect(d.upgraded.map((u) => u.to.version)).toEqual(['2']);
    expect(d.downgraded.map((u) => u.to.version)).toEqual(['1']);
    expect(d.removed.map((p) => p.name)).toEqual(['c']);
    expect(d.installed.map((p) => p.name)).toEqual(['d']);
  });
});

const TABLE = `Dependencies resolved.
============================================================================================================
 Package                                Arch    Version                    Repository                   Size
============================================================================================================
Installing:
 atomic-openshift-node                  noarch  3.9.27-1.git.0.964617d.el7 rhel-7-server-ose-3.9-rpms  7.8 k
Upgrading:
 docker                                 noarch  2:1.13.1-53.git774336d.el7 rhel-7-server-extras-rpms   7.4 k
Installing dependencies:
 tuned-profiles-atomic-openshift-node-very-long-name
                                        noarch  3.9.27-1.git.0.964617d.el7 rhel-7-server-ose-3.9-rpms  7.7 k
Removing:
 etcd      noarch      3.2.11-1.el7       @rhel-7-server-extras-rpms       72

Transaction Summary
============================================================================================================
Install  2 Packages
Upgrade  1 Package
`;

describe('dnf output', () => {
  it('parses the transaction table, wrapped lines included', () => {
    expect(parseTransaction(TABLE)).toEqual([
      { action: 'install', name: 'atomic-openshift-node', arch: 'noarch', evr: '3.9.27-1.git.0.964617d.el7', repo: 'rhel-7-server-ose-3.9-rpms' },
      { action: 'upgrade', name: 'docker', arch: 'noarch', evr: '2:1.13.1-53.git774336d.el7', repo: 'rhel-7-server-extras-rpms' },
      { action: 'install', name: 'tuned-profiles-atomic-openshift-node-very-long-name', arch: 'noarch', evr: '3.9.27-1.git.0.964617d.el7', repo: 'rhel-7-server-ose-3.9-rpms' },
      { action: 'remove', name: 'etcd', arch: 'noarch', evr: '3.2.11-1.el7', repo: '@rhel-7-server-extras-rpms' },
    ]);
    expect(parseTransaction('Dependencies resolved.\nNothing to do.\nComplete!\n')).toEqual([]);
  });

  it('builds check-mode results from the table and the installed list', () => {
    const a = normalisePkgArgs({ name: ['atomic-openshift-node'] });
    const plan = planDnf(a, []);
    const before = [pkg('docker', '1.12.6', '71.git3e8e77d.el7', 2), pkg('etcd', '3.2.11')];
    const out = parseScriptOutput(`root=/r\n@@drover:cmd0 1@@\n${TABLE}\n@@drover:err@@\nOperation aborted.\n\n@@drover:after@@\n`);
    const res = buildPkgResult(a, plan, before, out, true);
    expect(res.changed).toBe(true);
    expect(res.failed).toBeUndefined();
    expect(res.changes).toEqual({
      installed: ['atomic-openshift-node-3.9.27-1.git.0.964617d.el7.noarch', 'tuned-profiles-atomic-openshift-node-very-long-name-3.9.27-1.git.0.964617d.el7.noarch'],
      removed: ['etcd-3.2.11-1.el7.noarch'],
      upgraded: ['docker-2:1.13.1-53.git774336d.el7.noarch'],
      downgraded: [],
    });
    expect(res.results).toContain('Removed: docker-2:1.12.6-71.git3e8e77d.el7.noarch');
  });

  it("words failures as Ansible's dnf module does", () => {
    const a = normalisePkgArgs({ name: ['nope'] });
    const plan = planDnf(a, []);
    const out = parseScriptOutput('@@drover:cmd0 1@@\n\n@@drover:err@@\nNo match for argument: nope\nError: Unable to find a match: nope\n\n@@drover:after@@\n');
    expect(buildPkgResult(a, plan, [], out, false)).toMatchObject({
      failed: true,
      changed: false,
      msg: 'Failed to install some of the specified packages',
      failures: ['nope - No package nope available.'],
      rc: 1,
    });
    const dep = parseScriptOutput('@@drover:cmd0 1@@\n\n@@drover:err@@\nError: \n Problem: conflicting requests\n  - nothing provides x\n\n');
    expect(buildPkgResult(a, plan, [], dep, false).msg).toMatch(/^Depsolve Error occurred: Problem: conflicting requests/);
  });

  it('decides changed from rpm before/after, not from dnf', () => {
    const a = normalisePkgArgs({ name: ['etcd'] });
    const plan = planDnf(a, []);
    const out = parseScriptOutput('@@drover:cmd0 0@@\nComplete!\n@@drover:err@@\n\n@@drover:after@@\netcd\t0\t3.2.22\t1.el7\tnoarch\n');
    const res = buildPkgResult(a, plan, [], out, false);
    expect(res).toMatchObject({ changed: true, results: ['Installed: etcd-3.2.22-1.el7.noarch'] });
    const same = parseScriptOutput('@@drover:cmd0 0@@\nComplete!\n@@drover:err@@\n\n@@drover:after@@\netcd\t0\t3.2.22\t1.el7\tnoarch\n');
    expect(buildPkgResult(a, plan, [pkg('etcd', '3.2.22')], same, false)).toMatchObject({ changed: false, msg: 'Nothing to do' });
  });
});

describe('planning dnf commands', () => {
  const installed = [pkg('etcd', '3.2.22'), pkg('docker', '1.13.1', '53.el7', 2)];
  const plan = (args: Record<string, unknown>) => planDnf(normalisePkgArgs(args), installed).commands;
  it('present installs only what is missing or named by version', () => {
    expect(plan({ name: ['etcd', 'tzdata'] })).toEqual([{ verb: 'install', specs: ['tzdata'] }]);
    expect(plan({ name: 'etcd-3.2.11' })).toEqual([{ verb: 'install', specs: ['etcd-3.2.11'] }]);
    expect(plan({ name: 'etcd-3.2.11-1.el7' })).toEqual([]);
    expect(plan({ name: 'etcd-3.2.11-1.el7', allow_downgrade: true })).toEqual([{ verb: 'install', specs: ['etcd-3.2.11-1.el7'] }]);
  });
  it('latest upgrades installed names and installs the rest', () => {
    expect(plan({ name: 'etcd,tzdata', state: 'latest' })).toEqual([
      { verb: 'install', specs: ['tzdata'] },
      { verb: 'upgrade', specs: ['etcd'] },
    ]);
    expect(plan({ name: '*', state: 'latest' })).toEqual([{ verb: 'upgrade', specs: [] }]);
  });
  it('absent, autoremove, update_cache and update_only', () => {
    expect(plan({ name: 'atomic-openshift*', state: 'absent' })).toEqual([{ verb: 'remove', specs: ['atomic-openshift*'] }]);
    expect(plan({ autoremove: true })).toEqual([{ verb: 'autoremove', specs: [] }]);
    expect(plan({ update_cache: true })).toEqual([{ verb: 'makecache', specs: [] }]);
    const p = planDnf(normalisePkgArgs({ name: ['etcd', 'tzdata'], update_only: true }), installed);
    expect(p.commands).toEqual([{ verb: 'upgrade', specs: ['etcd'] }]);
    expect(p.notes).toEqual(['Packages providing tzdata not installed due to update_only specified']);
  });
  it('passes repos, excludes and options to dnf, disables before enables', () => {
    const o = dnfOptions(normalisePkgArgs({ name: 'x', enablerepo: 'a', disablerepo: '*', exclude: 'k*', disable_excludes: 'main', disable_gpg_check: true }), false);
    expect(o.indexOf('--disablerepo=*')).toBeLessThan(o.indexOf('--enablerepo=a'));
    expect(o).toEqual(expect.arrayContaining(['-y', '--exclude=k*', '--disableexcludes=main', '--nogpgcheck', '--setopt=clean_requirements_on_remove=False']));
    expect(dnfOptions(normalisePkgArgs({ name: 'x' }), true)[0]).toBe('--assumeno');
  });
  it('quotes every spec in the scripts', () => {
    const a = normalisePkgArgs({ name: ["x'; rm -rf /"], installroot: '/tmp/a b' });
    const s = actScript(a, planDnf(a, []), false);
    expect(s).toContain(`'x'"'"'; rm -rf /'`);
    expect(queryScript(a)).toContain("root_arg='/tmp/a b'");
  });
});

describe('package_facts parsing', () => {
  it("groups by name with Ansible's keys and null epochs", () => {
    const out = 'x\n@@drover:rpm@@\nkernel\t(none)\t3.10.0\t693.el7\tx86_64\nkernel\t(none)\t3.10.0\t862.el7\tx86_64\ngpg-pubkey\t(none)\ta\tb\t(none)\ndocker\t2\t1.13.1\t53.el7\tx86_64\n';
    const { packages } = parsePackageFacts(out);
    expect(packages.kernel.map((k) => k.release)).toEqual(['693.el7', '862.el7']);
    expect(packages.kernel[0].epoch).toBeNull();
    expect(packages.docker[0]).toEqual({ name: 'docker', version: '1.13.1', release: '53.el7', epoch: 2, arch: 'x86_64', source: 'rpm' });
    expect(packages['gpg-pubkey']).toBeUndefined();
    expect(parsePackageFacts('failed=no rpm\n').failed).toBe('no rpm');
  });
});
