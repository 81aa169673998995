// setup: gather_subset resolution, the pure parsers on RHEL 7 / CentOS 7 / Debian release files,
// network/memory/cpu parsing, a real run on the local connection, and — when ansible is
// installed — the same facts as ansible's own setup module on this machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distributionFacts, memoryFacts, networkFacts, pkgMgr, processorFacts, serviceMgr } from '../../modules/lib/facts-parse.js';
import { resolveSubsets } from '../../modules/setup.js';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { runModule } from './helpers.js';

const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible'], { encoding: 'utf8' }).status === 0;

describe('setup schema and subsets', () => {
  const mod = getModule('setup')!;
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { gather_subset: '!all,network', filter: 'ansible_dist*' })).toBeNull();
    expect(validateArgs(mod, { gather_subset: ['all'], gather_timeout: '5' })).toBeNull();
    expect(validateArgs(mod, { subset: 'all' })).toMatch(/Unsupported parameters/);
    expect(validateArgs(mod, { gather_timeout: 'soon' })).toMatch(/cannot be converted to an int/);
  });
  it('follows Ansible: min always, !all keeps min, explicit beats exclusion', () => {
    const s = (l: string[]) => [...(resolveSubsets(l) as Set<string>)].sort();
    expect(s(['all'])).toContain('network');
    expect(s(['!all'])).not.toContain('network');
    expect(s(['!all'])).toContain('distribution');
    expect(s(['!all', '!min'])).toEqual([]);
    expect(s(['!all', 'network'])).toContain('network');
    expect(s(['network'])).not.toContain('hardware');
    expect(s(['!hardware'])).not.toContain('hardware');
    // 'min' comes first in get_collector_names: exclusions alone leave only the minimal set
    expect(s(['!hardware'])).not.toContain('virtual');
    expect(s(['!hardware'])).not.toContain('network');
    expect(resolveSubsets(['bogus'])).toMatch(/Bad subset 'bogus'/);
  });
});

describe('fact parsers', () => {
  it('RHEL 7 by its release files', () => {
    const d = distributionFacts(['NAME="Red Hat Enterprise Linux Server"', 'VERSION="7.9 (Maipo)"', 'ID="rhel"', 'ID_LIKE="fedora"', 'VERSION_ID="7.9"'], 'Red Hat Enterprise Linux Server release 7.9 (Maipo)');
    expect(d).toEqual({ distribution: 'RedHat', distribution_version: '7.9', distribution_major_version: '7', distribution_minor_version: '9', distribution_release: 'Maipo', os_family: 'RedHat' });
    expect(pkgMgr(['dnf', 'yum'], d)).toBe('yum');
    expect(pkgMgr(['dnf'], d)).toBe('dnf');
    expect(pkgMgr(['dnf', 'yum'], { ...d, distribution_major_version: '8' })).toBe('dnf');
  });
  it('CentOS 7 takes the precise version from centos-release; Debian from debian_version', () => {
    const c = distributionFacts(['ID="centos"', 'VERSION_ID="7"'], 'CentOS Linux release 7.9.2009 (Core)', 'CentOS Linux release 7.9.2009 (Core)');
    expect(c).toMatchObject({ distribution: 'CentOS', distribution_version: '7.9', distribution_major_version: '7', os_family: 'RedHat', distribution_release: 'Core' });
    const deb = distributionFacts(['ID=debian', 'VERSION_ID="12"', 'VERSION_CODENAME=bookworm'], undefined, undefined, '12.11');
    expect(deb).toMatchObject({ distribution: 'Debian', distribution_version: '12.11', distribution_major_version: '12', distribution_release: 'bookworm', os_family: 'Debian' });
  });
  it('service manager', () => {
    expect(serviceMgr({ proc1: 'systemd' })).toBe('systemd');
    expect(serviceMgr({ proc1: 'bash', systemd_managed: '1' })).toBe('systemd');
    expect(serviceMgr({ proc1: 'init', initd: '1' })).toBe('sysvinit');
    expect(serviceMgr({ proc1: 'runit-init' })).toBe('runit');
  });
  it('network, memory and processors', () => {
    const n = networkFacts(
      {
        addr: ['1: lo    inet 127.0.0.1/8 scope host lo', '2: eth0    inet 10.1.2.3/20 brd 10.1.15.255 scope global eth0', '2: eth0    inet6 fe80::1/64 scope link'],
        iface: ['lo 00:00:00:00:00:00 65536 772 unknown', 'eth0 52:54:00:aa:bb:cc 1500 1 up'],
      },
      '8.8.8.8 via 10.1.0.1 dev eth0 src 10.1.2.3 uid 0',
    );
    expect(n.default_ipv4).toEqual({ interface: 'eth0', address: '10.1.2.3', gateway: '10.1.0.1', broadcast: '10.1.15.255', netmask: '255.255.240.0', network: '10.1.0.0', prefix: '20', alias: 'eth0', macaddress: '52:54:00:aa:bb:cc', mtu: 1500, type: 'ether' });
    expect(n.all_ipv4_addresses).toEqual(['10.1.2.3']);
    const m = memoryFacts(['MemTotal:        8000000 kB', 'MemFree:  1024000 kB', 'SwapTotal: 2097152 kB', 'SwapFree: 1048576 kB', 'Buffers: 0 kB', 'Cached: 1024 kB']);
    expect(m).toMatchObject({ memtotal_mb: 7812, memfree_mb: 1000, swaptotal_mb: 2048, swapfree_mb: 1024 });
    const cpu = ['processor : 0', 'physical id : 0', 'siblings : 4', 'cpu cores : 2', 'processor : 1', 'physical id : 0', 'siblings : 4', 'cpu cores : 2'];
    expect(processorFacts(cpu)).toMatchObject({ processor_count: 1, processor_cores: 2, processor_threads_per_core: 2, processor_vcpus: 4 });
  });
});

describe('setup on the local connection', () => {
  it('gathers, filters and honours gather_subset', async () => {
    const r = await runModule('setup', {});
    const f = r.ansible_facts as Record<string, unknown>;
    expect(f.ansible_hostname).toBe(execFileSync('hostname', { encoding: 'utf8' }).trim().split('.')[0]);
    expect(f.ansible_kernel).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    expect((f.ansible_env as Record<string, string>).PATH).toBe(process.env.PATH);
    expect(Number(f.ansible_memtotal_mb)).toBeGreaterThan(0);
    const only = await runModule('setup', { filter: 'ansible_distribution*' });
    expect(Object.keys(only.ansible_facts as object).filter((k) => k.startsWith('ansible_')).every((k) => k.startsWith('ansible_distribution'))).toBe(true);
    const min = (await runModule('setup', { gather_subset: '!all' })).ansible_facts as Record<string, unknown>;
    expect(min.ansible_distribution).toBeDefined();
    expect(min.ansible_memtotal_mb).toBeUndefined();
    expect(min.ansible_default_ipv4).toBeUndefined();
  });

  it.skipIf(!hasAnsible)('matches ansible setup on this machine', async () => {
    const raw = execFileSync('ansible', ['localhost', '-i', 'localhost,', '-c', 'local', '-m', 'setup'], { encoding: 'utf8', env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1' } });
    const theirs = JSON.parse(raw.slice(raw.indexOf('{'))).ansible_facts as Record<string, unknown>;
    const mine = (await runModule('setup', {})).ansible_facts as Record<string, unknown>;
    const same = ['hostname', 'fqdn', 'domain', 'nodename', 'distribution', 'distribution_version', 'distribution_major_version', 'distribution_release', 'os_family', 'pkg_mgr', 'service_mgr', 'kernel', 'kernel_version', 'architecture', 'machine', 'system', 'memtotal_mb', 'swaptotal_mb', 'processor_vcpus', 'processor_count', 'processor_cores', 'processor_threads_per_core', 'all_ipv4_addresses', 'user_id', 'user_uid', 'user_gid', 'user_dir', 'user_shell', 'userspace_bits', 'machine_id', 'dns', 'fips', 'selinux'];
    const pick = (f: Record<string, unknown>) => Object.fromEntries(same.map((k) => [k, f[`ansible_${k}`]]));
    expect(pick(mine)).toEqual(pick(theirs));
    const d4 = ['address', 'interface', 'gateway', 'netmask', 'network', 'broadcast', 'prefix', 'macaddress', 'mtu', 'type'];
    const sub = (o: unknown) => Object.fromEntries(d4.map((k) => [k, (o as Record<string, unknown>)[k]]));
    expect(sub(mine.ansible_default_ipv4)).toEqual(sub(theirs.ansible_default_ipv4));
    expect([...(mine.ansible_interfaces as string[])].sort()).toEqual([...(theirs.ansible_interfaces as string[])].sort());
    expect(Object.keys(mine.ansible_date_time as object).sort()).toEqual(Object.keys(theirs.ansible_date_time as object).sort());
    // which collectors a gather_subset runs, as a sample of the facts each brings
    const probe = ['interfaces', 'virtualization_role', 'mounts', 'loadavg', 'user_id', 'env', 'date_time'];
    for (const subset of ['!hardware', '!all,network', 'loadavg', '!all,!min', 'hardware,!loadavg']) {
      const a = execFileSync('ansible', ['localhost', '-i', 'localhost,', '-c', 'local', '-m', 'setup', '-a', `gather_subset=${subset}`], {
        encoding: 'utf8', env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1' },
      });
      const af = JSON.parse(a.slice(a.indexOf('{'))).ansible_facts as Record<string, unknown>;
      const df = (await runModule('setup', { gather_subset: subset.split(',') })).ansible_facts as Record<string, unknown>;
      const present = (f: Record<string, unknown>) => probe.filter((k) => `ansible_${k}` in f);
      expect(present(df), subset).toEqual(present(af));
    }
    // mounts: the root file system's entry with its fixed figures (free space moves between the
    // two runs; other tests' labs mount and unmount bind mounts meanwhile, which 2.14 marks ",bind"
    // through findmnt and drover does not)
    const fixed = (m: unknown) =>
      (m as Record<string, unknown>[]).filter((x) => x.mount === '/').map((x) => [x.device, x.mount, x.fstype, x.options, x.uuid, x.block_size, x.block_total, x.size_total, x.inode_total]);
    expect((theirs.ansible_mounts as unknown[]).length).toBeGreaterThan(0);
    expect(fixed(mine.ansible_mounts)).toEqual(fixed(theirs.ansible_mounts));
    expect(Object.keys((mine.ansible_mounts as object[])[0]).sort()).toEqual(Object.keys((theirs.ansible_mounts as object[])[0]).sort());
  }, 60_000);
});
