// Finding and ending what belongs to a lab, and its mounts: processes whose root directory
// (chroot) or command line lies inside the lab directory, and mount points below it. `lab down`
// and reboots use these so that nothing is left running or mounted.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { runMounts } from './mounts.js';


function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** Pids (other than ours) chrooted below `dir`, or, with `cmdline`, also naming `dir` in argv. */
export function labProcesses(dir: string, opts: { cmdline?: boolean } = {}): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const root = readlinkSync(`/proc/${pid}/root`);
      if (inside(root, dir)) {
        out.push(pid);
        continue;
      }
      if (opts.cmdline) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (argv.some((a) => a.includes(dir))) out.push(pid);
      }
    } catch {
      /* exited meanwhile, or a kernel thread */
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILL the given pids and wait (bounded) until they are gone. */
export async function killAll(pids: number[], timeoutMs = 5000): Promise<number[]> {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const end = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    left = left.filter(alive);
  }
  return left;
}

/** Mount points below `dir` from /proc/self/mountinfo text, deepest first (the unmount order). */
export function mountsBelow(mountinfo: string, dir: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    if (f.length < 5) continue;
    const mp = f[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (inside(mp, dir) && mp !== dir) points.push(mp);
  }
  return [...new Set(points)].sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

export function currentMountsBelow(dir: string): string[] {
  return mountsBelow(readFileSync('/proc/self/mountinfo', 'utf8'), dir);
}

/** Unmount everything below `dir` (lazily when busy); returns what is still mounted. */
export async function unmountBelow(dir: string): Promise<string[]> {
  for (let pass = 0; pass < 3; pass++) {
    const points = currentMountsBelow(dir);
    if (!points.length) return [];
    // one process for all of them, the list on stdin (a script argument hits E2BIG at ~200 hosts)
    await runMounts(points.map((target) => ({ op: 'umount', target })), { tolerate: true });
  }
  return currentMountsBelow(dir);
}
