// Host faults the front does not own (issue 17's fault matrix): the front handles network faults
// (down/up/slow/flap); these act on a host's processes and file systems from the controller side.
//   sshd-kill       SIGKILL the host's sshd processes: sessions drop, the address still accepts,
//                   the commands already started keep running (as when sshd dies on a real host).
//   reboot          an unannounced reboot (power cycle): the front reboots it as if the host asked.
//   disk-full PATH SIZE   put PATH on a tmpfs of SIZE (a copy of its files), so writes past SIZE
//                   fail with ENOSPC; disk-free PATH takes it away (the original files return).
//   lock / unlock   hold or release yum's lock (/var/run/yum.pid, a live process inside the host).
// Each appends a `fault.<kind>` event, as the front's faults do.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { appendEvent } from './events.js';
import { hostPaths, labPaths, type LabRecord } from './layout.js';
import { killAll } from './procs.js';

export const HOST_FAULTS = ['sshd-kill', 'reboot', 'disk-full', 'disk-free', 'lock', 'unlock'] as const;
export type HostFault = (typeof HOST_FAULTS)[number];

export const isHostFault = (s: string | undefined): s is HostFault => (HOST_FAULTS as readonly string[]).includes(s ?? '');

export class FaultError extends Error {}

/** The lock file Ansible's yum module waits for (module_utils/yumdnf.py, modules/yum.py). */
export const YUM_LOCK = '/var/run/yum.pid';

/** Apply `fault` to `host` of `lab`; returns a one-line description of what was done. */
export async function hostFault(lab: LabRecord, host: string, fault: HostFault, args: string[] = []): Promise<string> {
  const h = lab.hosts.find((x) => x.name === host);
  if (!h) throw new FaultError(`lab '${lab.name}' has no host '${host}'`);
  const root = hostPaths(lab.dir, h.dirName).root;
  const event = (details: Record<string, unknown> = {}) => appendEvent(labPaths(lab.dir).events, host, `fault.${fault}`, details);
  switch (fault) {
    case 'sshd-kill': {
      const pids = sshdPids(root);
      await killAll(pids);
      event({ killed: pids.length });
      return `killed ${pids.length} sshd process(es) of ${host}`;
    }
    case 'reboot':
      // The front follows the event log; an unannounced reboot is the same request without the
      // `reboot` tool (nothing inside the host runs first).
      appendEvent(labPaths(lab.dir).events, host, 'host.reboot.requested', { command: 'drover lab fault reboot', delay_ms: 0 });
      event();
      return `${host} is rebooting`;
    case 'disk-full': {
      const [path, size] = args;
      if (!path?.startsWith('/') || !size || !/^\d+[kmg]?$/i.test(size)) throw new FaultError('lab fault NAME HOST disk-full PATH SIZE: an absolute PATH and a SIZE such as 64k or 2m');
      const target = inHost(root, path);
      if (!existsSync(target) || !statSync(target).isDirectory()) throw new FaultError(`${path} is not a directory on ${host}`);
      if (isMounted(target)) throw new FaultError(`${path} on ${host} already has a fault mount; run disk-free first`);
      const staging = join(lab.dir, 'hosts', h.dirName, `disk-full-${process.pid}-${Date.now()}`);
      mkdirSync(staging);
      try {
        must('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=${(statSync(target).mode & 0o7777).toString(8)}`, 'tmpfs', staging]);
        // The copy may itself not fit: then the mount is as full as it gets, which is the point.
        spawnSync('cp', ['-a', `${target}/.`, `${staging}/`], { stdio: 'ignore' });
        must('mount', ['--move', staging, target]);
      } catch (e) {
        spawnSync('umount', ['-l', staging], { stdio: 'ignore' });
        throw e;
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      event({ path, size });
      return `${path} on ${host} is a ${size} tmpfs now`;
    }
    case 'disk-free': {
      const [path] = args;
      if (!path?.startsWith('/')) throw new FaultError('lab fault NAME HOST disk-free PATH: an absolute PATH');
      const target = inHost(root, path);
      if (!isMounted(target)) throw new FaultError(`${path} on ${host} has no disk-full mount`);
      must('umount', ['-l', target]);
      event({ path });
      return `${path} on ${host} is back on its own file system`;
    }
    case 'lock': {
      // A process inside the host (so it dies at a lab reboot) whose pid is in the lock file.
      const child = spawn('/usr/sbin/chroot', [root, '/bin/sh', '-c', `echo $$ > ${YUM_LOCK}; exec sleep 86400`], { detached: true, stdio: 'ignore' });
      child.unref();
      const file = join(root, 'run/yum.pid'); // /var/run is /run on the host
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
      if (!existsSync(file)) throw new FaultError(`could not write ${YUM_LOCK} on ${host}`);
      event({ pid: child.pid });
      return `${host}: ${YUM_LOCK} is held by pid ${child.pid}`;
    }
    case 'unlock': {
      const file = join(root, 'run/yum.pid'); // /var/run is /run on the host
      const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
      if (pid > 0) await killAll([pid]);
      rmSync(file, { force: true });
      event();
      return `${host}: ${YUM_LOCK} released`;
    }
  }
}

/** `path` inside the host's tree (normalising an absolute path never climbs above it), reached without a symlink. */
function inHost(root: string, path: string): string {
  const norm = posix.normalize(path);
  let at = root;
  for (const part of norm.split('/').filter(Boolean)) {
    at = join(at, part);
    if (existsSync(at) && lstatSync(at).isSymbolicLink()) throw new FaultError(`${path}: ${at.slice(root.length)} is a symlink on the host`);
  }
  return at;
}

function isMounted(path: string): boolean {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]);
  return mounts.includes(path);
}

function must(cmd: string, argv: string[]): void {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new FaultError(`${cmd} ${argv.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
}

/**
 * sshd processes serving `root`: before authentication their argv names it; afterwards the session
 * process stays outside the chroot (root /) and only its children (the shells) are inside, so a
 * session is found as the sshd parent of a process chrooted into `root`.
 */
function sshdPids(root: string): number[] {
  const out = new Set<number>();
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8');
  const comm = (pid: string) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (comm(e) === 'sshd' && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(`ChrootDirectory=${root}`)) out.add(Number(e));
      else if (readlinkSync(`/proc/${e}/root`) === root) {
        const ppid = stat(e).slice(stat(e).lastIndexOf(')') + 2).split(' ')[1];
        if (comm(ppid) === 'sshd') out.add(Number(ppid));
      }
    } catch {
      /* exited meanwhile */
    }
  }
  return [...out];
}
