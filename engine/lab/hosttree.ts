// One lab host = one directory tree used as sshd's ChrootDirectory: its own /etc, /var, /srv,
// /tmp, /root, /run and rpm database; /usr is an overlay of the machine's /usr with a per-host
// writable layer (so packages can install into it and the simulated tools shadow the real ones);
// /proc is mounted, /dev holds a few device nodes (hard links of one set per lab) and /dev/pts.
// What is the same on every host (the simulated tools, /etc/alternatives, /etc/pam.d) is written
// once per lab into a shared read-only overlay layer (`usr-shared`, between the machine's /usr
// and the host's own upper layer): a 1,000-host lab then copies nothing per host.
import { chmodSync, copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { quote } from '../modules-sdk/quote.js';
import { ETCD_UNIT, etcdConf } from './etcd.js';
import type { MountOp } from './mounts.js';
import { hostPaths, labPaths, repoRoot, type LabHost, type LabRecord } from './layout.js';

/** The machine's top-level links into /usr (merged-/usr Debian); copied as links into each host. */
export const USR_LINKS: Record<string, string> = { bin: 'usr/bin', sbin: 'usr/sbin', lib: 'usr/lib', lib64: 'usr/lib64' };

/** Simulated tools and where they also shadow the real binary (absolute paths still hit them). */
export const SHADOWS: Record<string, string[]> = {
  systemctl: ['bin/systemctl'],
  journalctl: ['bin/journalctl'],
  hostname: ['bin/hostname'],
  service: ['sbin/service'],
  reboot: ['sbin/reboot', 'sbin/shutdown', 'sbin/poweroff', 'sbin/halt'],
  swapon: ['sbin/swapon', 'sbin/swapoff'],
};

const DEV_NODES: [string, string][] = [
  ['null', 'c 1 3'],
  ['zero', 'c 1 5'],
  ['full', 'c 1 7'],
  ['random', 'c 1 8'],
  ['urandom', 'c 1 9'],
  ['tty', 'c 5 0'],
];

/** Shell text creating the lab's device-node template (linked into every host's /dev). */
export function devTemplateScript(dir: string): string {
  return [`mkdir -p ${quote(dir)}`, ...DEV_NODES.map(([n, spec]) => `mknod -m 666 ${quote(join(dir, n))} ${spec}`)].join('\n');
}

/** Directories with executables installed into every host's /usr/local/bin: ours and other lab parts'. */
export function toolDirs(): string[] {
  const labSrc = join(repoRoot(), 'engine', 'lab');
  const dirs = [join(labSrc, 'sim')];
  for (const e of readdirSync(labSrc, { withFileTypes: true })) {
    if (e.isDirectory() && existsSync(join(labSrc, e.name, 'host-bin'))) dirs.push(join(labSrc, e.name, 'host-bin'));
  }
  return dirs;
}

const etcHostsCache = new WeakMap<LabHost[], string>();
function etcHosts(hosts: LabHost[]): string {
  const hit = etcHostsCache.get(hosts);
  if (hit !== undefined) return hit;
  const text = etcHostsText(hosts);
  etcHostsCache.set(hosts, text);
  return text;
}

function etcHostsText(hosts: LabHost[]): string {
  return ['127.0.0.1 localhost localhost.localdomain', '::1 localhost6', ...hosts.map((h) => `${h.address} ${h.name}${h.name.includes('.') ? ' ' + h.name.split('.')[0] : ''}`)].join('\n') + '\n';
}

const OS_RELEASE = `NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core) (drover lab)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
`;

let names: string[] | undefined;
function passwdNames(): string[] {
  names ??= existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8').split('\n').filter(Boolean).map((l) => l.split(':')[0]) : ['root'];
  return names;
}

/** The lab-wide layer below every host's own /usr layer (built once per lab, never written to). */
export const sharedUsrDir = (labDir: string) => join(labDir, 'usr-shared');
/** Inside a host: where the shared copies of the machine's /etc/alternatives and /etc/pam.d live. */
const SHARED_ETC = 'lib/drover-lab/etc';

/** Build the shared layer: simulated tools (shadowing the real ones), /etc/alternatives, /etc/pam.d. */
export function buildSharedUsr(labDir: string, tools: string[]): void {
  const top = sharedUsrDir(labDir);
  const bin = join(top, 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  for (const dir of tools) {
    for (const f of readdirSync(dir)) {
      copyFileSync(join(dir, f), join(bin, f));
      chmodSync(join(bin, f), 0o755);
    }
  }
  symlinkSync('lab-event', join(bin, 'drover-lab-event'));
  for (const [tool, paths] of Object.entries(SHADOWS)) {
    for (const p of paths) {
      mkdirSync(join(top, p, '..'), { recursive: true });
      symlinkSync(`/usr/local/bin/${tool}`, join(top, p));
    }
  }
  const etc = join(top, SHARED_ETC);
  mkdirSync(etc, { recursive: true });
  // Debian's /usr/bin/awk, editor, ... are links through /etc/alternatives
  if (existsSync('/etc/alternatives')) cpSync('/etc/alternatives', join(etc, 'alternatives'), { recursive: true, verbatimSymlinks: true });
  if (existsSync('/etc/pam.d')) cpSync('/etc/pam.d', join(etc, 'pam.d'), { recursive: true });
}

/** Create the tree of one host (everything but the mounts). */
export function buildHostTree(lab: LabRecord, host: LabHost, devTemplate: string): void {
  const hp = hostPaths(lab.dir, host.dirName);
  const r = hp.root;
  const mk = (p: string, mode = 0o755) => {
    mkdirSync(join(r, p), { recursive: true, mode });
    chmodSync(join(r, p), mode);
  };
  const put = (p: string, text: string, mode = 0o644) => writeFileSync(join(r, p), text, { mode });
  mkdirSync(hp.usrUpper, { recursive: true });
  mkdirSync(hp.usrWork, { recursive: true });
  mk('');
  for (const d of ['usr', 'proc', 'sys', 'dev/pts', 'etc/systemd/system/multi-user.target.wants', 'etc/drover-lab', 'etc/yum.repos.d', 'etc/pki', 'var/lib/rpm', 'var/lib/drover-sim', 'var/log/drover-sim', 'var/cache', 'var/spool', 'srv', 'home', 'opt', 'mnt', 'media', 'run/systemd/system', 'run/drover-sim']) mk(d);
  mk('root', 0o700);
  mk('tmp', 0o1777);
  mk('var/tmp', 0o1777);
  mk('dev/shm', 0o1777);
  for (const [link, target] of Object.entries(USR_LINKS)) if (existsSync('/' + link)) symlinkSync(target, join(r, link));
  for (const [n] of DEV_NODES) linkSync(join(devTemplate, n), join(r, 'dev', n));
  symlinkSync('pts/ptmx', join(r, 'dev/ptmx'));
  symlinkSync('/proc/self/fd', join(r, 'dev/fd'));
  for (const [i, n] of ['stdin', 'stdout', 'stderr'].entries()) symlinkSync(`/proc/self/fd/${i}`, join(r, 'dev', n));
  symlinkSync('/run', join(r, 'var/run'));

  put('etc/hostname', host.name + '\n');
  put('etc/hosts', etcHosts(lab.hosts));
  put('etc/drover-lab/address', host.address + '\n');
  put('etc/drover-lab/lab', lab.name + '\n');
  put('etc/drover-lab/groups', host.groups.join('\n') + '\n');
  put('etc/machine-id', randomBytes(16).toString('hex') + '\n');
  put('etc/os-release', OS_RELEASE);
  put('etc/redhat-release', 'CentOS Linux release 7.9.2009 (Core)\n');
  put('etc/nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n');
  put('etc/resolv.conf', '');
  put('etc/sudoers', 'Defaults !requiretty\nroot ALL=(ALL:ALL) ALL\n', 0o440);
  for (const f of ['passwd', 'group']) if (existsSync('/etc/' + f)) copyFileSync('/etc/' + f, join(r, 'etc', f));
  // locked entries only: a lab host never needs (nor gets) the machine's password hashes
  put('etc/shadow', passwdNames().map((n) => `${n}:*:19000:0:99999:7:::`).join('\n') + '\n', 0o640);
  // in the shared layer; a host that writes there gets its own copy (overlay copy-up)
  for (const d of ['alternatives', 'pam.d']) if (existsSync('/etc/' + d)) symlinkSync(`/usr/${SHARED_ETC}/${d}`, join(r, 'etc', d));
  symlinkSync('/usr/share/zoneinfo/UTC', join(r, 'etc/localtime'));
  // the lab-wide event log, hard-linked so that appends from inside the host land in it
  linkSync(labPaths(lab.dir).events, join(r, 'var/lib/drover-sim/events.jsonl'));
  writeFileSync(hp.swaps, SWAPS_HEADER);
  writeFileSync(hp.bootId, randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') + '\n');

  // the simulated tools are in the shared layer below (buildSharedUsr)

  if (host.etcd) {
    mk('etc/etcd');
    mk('var/lib/etcd', 0o700);
    put('etc/etcd/etcd.conf', etcdConf(lab.name, host, lab.hosts.filter((h) => h.etcd)));
    put('etc/systemd/system/etcd.service', ETCD_UNIT);
    symlinkSync('/etc/systemd/system/etcd.service', join(r, 'etc/systemd/system/multi-user.target.wants/etcd.service'));
  }
}

/** /proc/swaps with no swap area active (the kernel's header line). */
export const SWAPS_HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

/** True when an fstab file has an active swap line (the boot then runs `swapon -a`). */
export function hasSwapLine(fstab: string): boolean {
  if (!existsSync(fstab)) return false;
  return readFileSync(fstab, 'utf8')
    .split('\n')
    .some((l) => !l.trim().startsWith('#') && l.trim().split(/\s+/)[2] === 'swap');
}

/** The mounts of one host: overlay /usr (own layer, shared layer, machine's /usr), /proc, its own boot_id and /proc/swaps over the kernel's, /dev/pts. */
export function hostMounts(labDir: string, host: LabHost): MountOp[] {
  const hp = hostPaths(labDir, host.dirName);
  const r = hp.root;
  return [
    { op: 'mount', fstype: 'overlay', source: 'overlay', target: join(r, 'usr'), data: `lowerdir=${sharedUsrDir(labDir)}:/usr,upperdir=${hp.usrUpper},workdir=${hp.usrWork}` },
    { op: 'mount', fstype: 'proc', source: 'proc', target: join(r, 'proc') },
    { op: 'bind', source: hp.bootId, target: join(r, 'proc/sys/kernel/random/boot_id') },
    { op: 'bind', source: hp.swaps, target: join(r, 'proc/swaps') },
    { op: 'bind', source: '/dev/pts', target: join(r, 'dev/pts') },
  ];
}
