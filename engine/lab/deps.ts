// What a lab needs from the machine, as Debian packages: checked before `lab up`, installed
// with `--install` when running as root (apt-get, the only registry the lab may use).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Program → Debian package that provides it. */
export const REQUIREMENTS: { file: string; pkg: string; when?: 'etcd' | 'users' }[] = [
  { file: '/usr/sbin/sshd', pkg: 'openssh-server' },
  { file: '/usr/bin/ssh-keygen', pkg: 'openssh-client' },
  { file: '/usr/bin/mount', pkg: 'mount' },
  { file: '/usr/sbin/chroot', pkg: 'coreutils' },
  { file: '/usr/bin/setsid', pkg: 'util-linux' },
  { file: '/usr/bin/etcd', pkg: 'etcd-server', when: 'etcd' },
  { file: '/usr/bin/etcdctl', pkg: 'etcd-client', when: 'etcd' },
  // lab users: sudo for become, unshare/openssl for the accounts sshd checks
  { file: '/usr/bin/sudo', pkg: 'sudo', when: 'users' },
  { file: '/usr/bin/unshare', pkg: 'util-linux', when: 'users' },
  { file: '/usr/bin/openssl', pkg: 'openssl', when: 'users' },
];

/** Packages missing for a lab (with or without etcd members); pure given `exists`. */
export function missingPackages(needEtcd: boolean, exists: (f: string) => boolean = existsSync, needUsers = false): string[] {
  const out = new Set<string>();
  for (const r of REQUIREMENTS) if ((!r.when || (r.when === 'etcd' ? needEtcd : needUsers)) && !exists(r.file)) out.add(r.pkg);
  return [...out];
}

export async function installPackages(pkgs: string[], log: (s: string) => void): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '--no-install-recommends', ...pkgs];
  log(`drover lab: installing Debian packages: ${pkgs.join(' ')}\n`);
  try {
    await run('apt-get', args, { env });
  } catch {
    await run('apt-get', ['update'], { env });
    await run('apt-get', args, { env });
  }
}
