// Pure parsing of the setup script's output (lib/facts-script.ts) into Ansible's fact names (without
// the ansible_ prefix), following ansible 2.14's collectors where the values matter to playbooks:
// distribution/version/release/os_family from the release files, pkg_mgr (yum on RHEL < 8),
// service_mgr, memory and processor counts, default_ipv4 with netmask/network, date_time.
import { parseOutput } from '../../engine/modules-sdk/script.js';
import { dmiFacts } from './dmi-facts.js';
import { localFacts } from './local-facts.js';
import { SECTIONS, type Section } from './facts-script.js';

type Facts = Record<string, unknown>;

const OS_FAMILY: Record<string, string> = {
  RedHat: 'RedHat', CentOS: 'RedHat', Fedora: 'RedHat', Rocky: 'RedHat', AlmaLinux: 'RedHat', OracleLinux: 'RedHat', Amazon: 'RedHat',
  Debian: 'Debian', Ubuntu: 'Debian', Alpine: 'Alpine', SLES: 'Suse', 'openSUSE Leap': 'Suse', Archlinux: 'Archlinux',
};
const BY_ID: Record<string, string> = {
  rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux', ol: 'OracleLinux', amzn: 'Amazon',
  debian: 'Debian', ubuntu: 'Ubuntu', alpine: 'Alpine', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap', arch: 'Archlinux',
};

/** KEY="value" lines of /etc/os-release. */
export function parseOsRelease(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(l.trim());
    if (m) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** distribution, _version, _major_version, _minor_version, _release, os_family. */
export function distributionFacts(osRelease: string[], redhat?: string, centos?: string, debianVersion?: string): Facts {
  const os = parseOsRelease(osRelease);
  const rel = centos ?? redhat;
  let dist = BY_ID[(os.ID ?? '').toLowerCase()] ?? (os.NAME || 'Unknown');
  if (rel && /CentOS/.test(rel)) dist = 'CentOS';
  else if (rel && /Red Hat/.test(rel)) dist = 'RedHat';
  else if (rel && /Fedora/.test(rel)) dist = 'Fedora';
  let version = os.VERSION_ID ?? '';
  let release = os.VERSION_CODENAME ?? '';
  const rm = rel ? /release\s+([\d.]+)(?:\s+\(([^)]+)\))?/.exec(rel) : null;
  if (rm) {
    if (rm[1].split('.').length > version.split('.').length || !version) version = rm[1];
    if (rm[2]) release = rm[2];
  }
  if (dist === 'CentOS' && rm) version = rm[1].split('.').slice(0, 2).join('.');
  if (dist === 'Debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion.trim())) version = debianVersion.trim();
  const parts = version.split('.');
  const family = OS_FAMILY[dist] ?? OS_FAMILY[BY_ID[(os.ID_LIKE ?? '').split(' ')[0]] ?? ''] ?? dist;
  return {
    distribution: dist,
    distribution_version: version || 'NA',
    distribution_major_version: parts[0] || 'NA',
    ...(parts.length > 1 ? { distribution_minor_version: parts[1] } : {}),
    distribution_release: release || 'NA',
    os_family: family,
  };
}

/** ansible's pkg_mgr: the RedHat rules (yum below 8, dnf from 8 / Fedora), apt on Debian. */
export function pkgMgr(found: string[], dist: Facts): string {
  const has = (m: string) => found.includes(m);
  const major = parseInt(String(dist.distribution_major_version), 10);
  if (dist.os_family === 'RedHat') {
    if (dist.distribution === 'Fedora') return has('dnf') ? 'dnf' : has('yum') ? 'yum' : 'unknown';
    if (major < 8) return has('yum') ? 'yum' : has('dnf') ? 'dnf' : 'unknown';
    return has('dnf') ? 'dnf' : has('yum') ? 'yum' : 'unknown';
  }
  if (dist.os_family === 'Debian') return has('apt-get') ? 'apt' : 'unknown';
  const order: [string, string][] = [['zypper', 'zypper'], ['apk', 'apk'], ['pacman', 'pacman'], ['dnf', 'dnf'], ['yum', 'yum'], ['apt-get', 'apt']];
  return order.find(([bin]) => has(bin))?.[1] ?? 'unknown';
}

/** ansible's service_mgr on Linux; a systemd-managed host wins over PID 1's name (see README). */
export function serviceMgr(f: Record<string, string>): string {
  const p1 = (f.proc1 ?? '').trim();
  if (p1 === 'systemd' || f.systemd_managed === '1') return 'systemd';
  const map: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };
  if (p1 && p1 !== 'init' && !p1.endsWith('sh')) return map[p1] ?? p1;
  if (f.openrc === '1') return 'openrc';
  if (f.initd === '1') return 'sysvinit';
  return 'service';
}

function ipv4Mask(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}

function ipv4Network(addr: string, prefix: number): string {
  const n = addr.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & m) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.');
}

/** interfaces, all_ipv4_addresses, all_ipv6_addresses, default_ipv4, default_ipv6. */
export function networkFacts(lists: Record<string, string[]>, route4 = '', route6 = ''): Facts {
  const ifaces: Record<string, { mac?: string; mtu?: number; type?: string }> = {};
  for (const l of lists.iface ?? []) {
    const [name, mac, mtu, type] = l.split(' ');
    ifaces[name] = { mac: mac || undefined, mtu: mtu ? Number(mtu) : undefined, type: type === '1' ? 'ether' : type === '772' ? 'loopback' : 'unknown' };
  }
  const v4: { dev: string; address: string; prefix: number; broadcast?: string }[] = [];
  const v6: { dev: string; address: string; prefix: number; scope: string }[] = [];
  for (const l of lists.addr ?? []) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+([^/\s]+)\/(\d+)(?:\s+brd\s+(\S+))?.*?(?:scope\s+(\S+))?/.exec(l);
    if (!m) continue;
    if (m[2] === 'inet') v4.push({ dev: m[1], address: m[3], prefix: Number(m[4]), broadcast: m[5] });
    else v6.push({ dev: m[1], address: m[3], prefix: Number(m[4]), scope: /scope\s+(\S+)/.exec(l)?.[1] ?? '' });
  }
  const dflt4: Facts = {};
  const r4 = /\bdev\s+(\S+)/.exec(route4);
  const src4 = /\bsrc\s+(\S+)/.exec(route4)?.[1];
  if (r4) {
    const dev = r4[1];
    const a = v4.find((x) => x.dev === dev && (!src4 || x.address === src4)) ?? v4.find((x) => x.dev === dev);
    Object.assign(dflt4, { interface: dev, address: src4 ?? a?.address, gateway: /\bvia\s+(\S+)/.exec(route4)?.[1] });
    if (a) Object.assign(dflt4, { address: a.address, broadcast: a.broadcast ?? '', netmask: ipv4Mask(a.prefix), network: ipv4Network(a.address, a.prefix), prefix: String(a.prefix), alias: dev });
    const i = ifaces[dev];
    if (i) Object.assign(dflt4, { macaddress: i.mac ?? 'unknown', mtu: i.mtu, type: i.type });
  }
  const dflt6: Facts = {};
  const r6 = /\bdev\s+(\S+)/.exec(route6);
  if (r6) {
    const a = v6.find((x) => x.dev === r6[1] && x.scope === 'global');
    Object.assign(dflt6, { interface: r6[1], gateway: /\bvia\s+(\S+)/.exec(route6)?.[1] });
    if (a) Object.assign(dflt6, { address: a.address, prefix: String(a.prefix), scope: a.scope });
  }
  return {
    interfaces: Object.keys(ifaces),
    all_ipv4_addresses: v4.filter((x) => !x.address.startsWith('127.')).map((x) => x.address),
    all_ipv6_addresses: v6.filter((x) => x.address !== '::1').map((x) => x.address),
    default_ipv4: dflt4,
    default_ipv6: dflt6,
  };
}

/** memtotal_mb, memfree_mb, swaptotal_mb, swapfree_mb, memory_mb. */
export function memoryFacts(meminfo: string[]): Facts {
  const kb: Record<string, number> = {};
  for (const l of meminfo) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(l);
    if (m) kb[m[1]] = Number(m[2]);
  }
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  const total = mb('MemTotal');
  const free = mb('MemFree');
  const nocacheFree = Math.floor(((kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0)) / 1024);
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: mb('SwapTotal'),
    swapfree_mb: mb('SwapFree'),
    memory_mb: {
      real: { total, used: total - free, free },
      nocache: { free: nocacheFree, used: total - nocacheFree },
      swap: { total: mb('SwapTotal'), free: mb('SwapFree'), used: mb('SwapTotal') - mb('SwapFree'), cached: mb('SwapCached') },
    },
  };
}

/**
 * ansible_mounts from `mount=` lines (device, mount point, fstype, options, statvfs figures as
 * `f_frsize f_bsize f_blocks f_bavail f_files f_ffree`, UUID), as LinuxHardware reports them.
 */
export function mountFacts(lines: string[]): Facts {
  const mounts = lines.map((l) => {
    const [device, mount, fstype, options, st = '', uuid = ''] = l.split('\t');
    const [frsize, bsize, blocks, bavail, files, ffree] = st.split(' ').map(Number);
    return {
      block_available: bavail, block_size: bsize, block_total: blocks, block_used: blocks - bavail,
      device, fstype, inode_available: ffree, inode_total: files, inode_used: files - ffree, mount, options,
      size_available: frsize * bavail, size_total: frsize * blocks, uuid: uuid.trim() || 'N/A',
    };
  });
  return { mounts };
}

/** processor list and counts from the cpuinfo lines (processor, physical id, cpu cores, siblings...). */
export function processorFacts(cpu: string[], nproc?: string): Facts {
  const processor: string[] = [];
  const sockets = new Set<string>();
  let cores = 0;
  let siblings = 0;
  let n = 0;
  for (const l of cpu) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).trim();
    const v = l.slice(i + 1).trim();
    if (k === 'processor') {
      processor.push(v);
      n++;
    } else if (k === 'vendor_id' || k === 'model name') processor.push(v);
    else if (k === 'physical id') sockets.add(v);
    else if (k === 'cpu cores') cores = Number(v);
    else if (k === 'siblings') siblings = Number(v);
  }
  const count = sockets.size || n || 1;
  const perSocket = cores || 1;
  const tpc = siblings && cores ? Math.max(1, Math.floor(siblings / cores)) : 1;
  const vcpus = sockets.size ? tpc * perSocket * count : n || 1;
  return {
    processor,
    processor_count: sockets.size ? count : n || 1,
    processor_cores: perSocket,
    processor_threads_per_core: tpc,
    processor_vcpus: vcpus,
    processor_nproc: nproc ? Number(nproc) : vcpus,
  };
}

/** date_time from `date '+%Y %m %d %H %M %S %Z %z %A %w %W %s %j'`, nanoseconds and the UTC line. */
export function dateTimeFacts(local: string, ns: string | undefined, utc: string): Facts {
  const [Y, m, d, H, M, S, tz, off, weekday, wnum, wk, epoch] = local.split(' ');
  const us = /^\d{9}$/.test(ns ?? '') ? ns!.slice(0, 6) : '000000';
  const [iso, basic] = utc.split(' ');
  return {
    year: Y, month: m, day: d, hour: H, minute: M, second: S,
    date: `${Y}-${m}-${d}`, time: `${H}:${M}:${S}`,
    epoch, epoch_int: epoch,
    tz, tz_offset: off, tz_dst: tz,
    weekday, weekday_number: wnum, weeknumber: wk,
    iso8601: iso, iso8601_micro: iso?.replace(/Z$/, `.${us}Z`),
    iso8601_basic: `${Y}${m}${d}T${H}${M}${S}${us}`, iso8601_basic_short: basic ? `${Y}${m}${d}T${H}${M}${S}` : '',
  };
}

/** env from `env` output: lines that do not start a NAME= belong to the previous value. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[(last = m[1])] = m[2];
    else if (last !== undefined) env[last] += '\n' + line;
  }
  return env;
}

/** Everything, from the script's raw stdout. */
export function parseFactsOutput(stdout: string, sections: ReadonlySet<Section> = new Set(SECTIONS), warn: (m: string) => void = () => undefined): Facts {
  const at = stdout.indexOf('__DROVER_ENV__\n');
  const head = at >= 0 ? stdout.slice(0, at) : stdout;
  const { fields: f, lists } = parseOutput(head);
  const facts: Facts = {};
  if (f.hostname_full !== undefined) {
    const full = f.hostname_full;
    const names = (f.fqdn_line ?? '').split(/\s+/).slice(1);
    const fqdn = names.find((n) => n.includes('.')) ?? names[0] ?? full;
    Object.assign(facts, {
      hostname: full.split('.')[0], nodename: f.nodename, fqdn, domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
      system: f.system, kernel: f.kernel, kernel_version: f.kernel_version, machine: f.machine, architecture: f.machine,
      userspace_bits: f.userspace_bits,
    });
    if (f.machine_id) facts.machine_id = f.machine_id;
  }
  if (lists.os_release || lists.redhat_release || lists.centos_release) {
    Object.assign(facts, distributionFacts(lists.os_release ?? [], lists.redhat_release?.[0], lists.centos_release?.[0], lists.debian_version?.[0]));
  }
  if (f.user_id !== undefined) {
    const pw = (f.user_pw ?? '').split(':');
    Object.assign(facts, {
      user_id: f.user_id, user_uid: Number(f.user_uid), user_gid: Number(f.user_gid), user_dir: pw[5] || f.user_home,
      user_shell: pw[6] ?? '', user_gecos: pw[4] ?? '', real_user_id: Number(f.real_user_id), real_group_id: Number(f.real_group_id),
      effective_user_id: Number(f.user_uid), effective_group_id: Number(f.user_gid),
    });
  }
  if (f.date_local) facts.date_time = dateTimeFacts(f.date_local, f.date_ns, f.date_utc ?? '');
  if (lists.resolv) {
    const dns: Record<string, unknown> = {};
    for (const l of lists.resolv) {
      const [k, ...v] = l.trim().split(/\s+/);
      if (k === 'nameserver') ((dns.nameservers as string[]) ??= []).push(v[0]);
      else if (k === 'search') dns.search = v;
      else if (k === 'domain') dns.domain = v[0];
      else if (k === 'options') dns.options = Object.fromEntries(v.map((o) => (o.includes(':') ? o.split(':') : [o, true])));
    }
    facts.dns = dns;
  }
  if (sections.has('pkg_mgr')) facts.pkg_mgr = pkgMgr(lists.has_pkg ?? [], facts);
  if (sections.has('service_mgr')) facts.service_mgr = serviceMgr(f);
  if (f.selinux_enforce !== undefined) facts.selinux = { status: 'enabled', mode: f.selinux_enforce === '1' ? 'enforcing' : 'permissive', config_mode: f.selinux_config };
  else if (sections.has('selinux')) facts.selinux = { status: 'disabled' };
  if (sections.has('fips')) facts.fips = f.fips === '1';
  if (f.cmdline !== undefined) {
    const c: Record<string, unknown> = {};
    for (const w of f.cmdline.split(/\s+/).filter(Boolean)) {
      const i = w.indexOf('=');
      c[i < 0 ? w : w.slice(0, i)] = i < 0 ? true : w.slice(i + 1);
    }
    facts.cmdline = c;
  }
  if (f.python_exe) {
    // targets need no Python, but playbooks test `ansible_python is defined`: report one if present
    const v = (/(\d+)\.(\d+)\.(\d+)/.exec(f.python_version ?? '') ?? []).slice(1).map(Number);
    facts.python = {
      executable: f.python_exe, type: 'CPython', has_sslcontext: true,
      version: { major: v[0], minor: v[1], micro: v[2], releaselevel: 'final', serial: 0 }, version_info: [v[0], v[1], v[2], 'final', 0],
    };
    facts.python_version = v.join('.');
  }
  if (lists.meminfo) Object.assign(facts, memoryFacts(lists.meminfo));
  if (lists.cpu || f.nproc) Object.assign(facts, processorFacts(lists.cpu ?? [], f.nproc));
  if (f.uptime) facts.uptime_seconds = Math.floor(Number(f.uptime));
  if (sections.has('hardware')) Object.assign(facts, mountFacts(lists.mount ?? []), dmiFacts(f));
  if (f.loadavg) {
    // os.getloadavg(): the first three figures of /proc/loadavg
    const [m1, m5, m15] = f.loadavg.split(/\s+/).map(Number);
    facts.loadavg = { '1m': m1, '5m': m5, '15m': m15 };
  }
  if (f.route4 !== undefined) Object.assign(facts, networkFacts(lists, f.route4, f.route6));
  if (sections.has('virtual')) {
    const v = f.detect_virt && f.detect_virt !== 'none' ? f.detect_virt : f.dockerenv ? 'docker' : (f.cgroup_container ?? f.container ?? 'NA');
    facts.virtualization_type = v;
    facts.virtualization_role = v === 'NA' ? 'NA' : 'guest';
  }
  const local = sections.has('local') ? localFacts(lists.local_fact ?? [], warn) : undefined;
  if (local) facts.local = local;
  if (at >= 0) facts.env = parseEnv(stdout.slice(at + '__DROVER_ENV__\n'.length));
  return facts;
}
