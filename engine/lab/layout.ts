// Where a lab lives and how its state directory is laid out. Pure path arithmetic plus the
// lab.json record that every other part (front process, CLI, tests) reads.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabUser } from './users.js';

export interface LabHost {
  name: string;
  /** directory name under hosts/ (the inventory name when it is a safe file name) */
  dirName: string;
  address: string;
  groups: string[];
  etcd?: { clientUrl: string; peerUrl: string };
}

export interface LabRecord {
  name: string;
  dir: string;
  createdAt: string;
  port: number;
  user: string;
  blocks: number[];
  hosts: LabHost[];
  sources: string[];
  etcdPorts?: { client: number; peer: number };
  rebootSeconds: number;
  /** login users added with `lab up --user` (sshd then checks the hosts' own accounts) */
  users?: LabUser[];
}

export const DEFAULT_LAB_ROOT = '/var/lib/drover/labs';

export function labRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DROVER_LAB_DIR || DEFAULT_LAB_ROOT);
}

export function validLabName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name);
}

/** Every path of one lab, derived from its directory. */
export function labPaths(dir: string) {
  return {
    dir,
    record: join(dir, 'lab.json'),
    inventoryDir: join(dir, 'inventory'),
    inventory: join(dir, 'inventory', 'hosts.yml'),
    ssh: join(dir, 'ssh'),
    hostKey: join(dir, 'ssh', 'host_key'),
    clientKey: join(dir, 'ssh', 'client_key'),
    authorizedKeys: join(dir, 'ssh', 'authorized_keys'),
    knownHosts: join(dir, 'ssh', 'known_hosts'),
    sshdConfig: join(dir, 'ssh', 'sshd_config'),
    events: join(dir, 'events.jsonl'),
    logs: join(dir, 'logs'),
    frontLog: join(dir, 'logs', 'front.log'),
    sshdLog: join(dir, 'logs', 'sshd.log'),
    frontPid: join(dir, 'front.pid'),
    control: join(dir, 'control.sock'),
    hosts: join(dir, 'hosts'),
  };
}

/** Paths of one host: its chroot and the overlay layers behind its writable /usr. */
export function hostPaths(labDir: string, dirName: string) {
  const base = join(labDir, 'hosts', dirName);
  return {
    base,
    root: join(base, 'root'),
    usrUpper: join(base, 'usr-upper'),
    usrWork: join(base, 'usr-work'),
    bootId: join(base, 'boot_id'),
    /** The host's /proc/swaps (bind-mounted over it; the simulated swapon/swapoff keep it). */
    swaps: join(base, 'swaps'),
  };
}

/** A file-system-safe directory name for an inventory host. */
export function hostDirName(name: string, index: number): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$/.test(name) ? name : `host-${index}`;
}

export function readLabRecord(dir: string): LabRecord {
  return JSON.parse(readFileSync(labPaths(dir).record, 'utf8')) as LabRecord;
}

/** The repository root (where engine/lab/sim lives), from either engine/lab or dist/engine/lab. */
export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'engine'))) return d;
    d = dirname(d);
  }
  throw new Error('cannot find the drover repository root from ' + fileURLToPath(import.meta.url));
}

/**
 * sshd's ChrootDirectory demands that every component of the path is root-owned and not
 * writable by group or others; return the first offending component, if any.
 */
export function chrootUnsafeComponent(path: string): string | undefined {
  let p = resolve(path);
  for (;;) {
    if (existsSync(p)) {
      const st = statSync(p);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) return p;
    }
    const up = dirname(p);
    if (up === p) return undefined;
    p = up;
  }
}
