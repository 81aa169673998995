// File facts: parse the one-line output of the `_d_stat` shell function (see script.ts) into a
// FileStat, and turn it into Ansible's result keys (file/copy `mode`, `owner`, stat's `stat` dict).
import { formatMode, parseLsMode } from './mode.js';

export type FileType = 'file' | 'directory' | 'link' | 'block' | 'char' | 'fifo' | 'socket' | 'unknown';

export interface FileStat {
  type: FileType;
  /** Permission bits incl. setuid/setgid/sticky. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime?: number;
  atime?: number;
  ctime?: number;
  inode?: number;
  dev?: number;
  nlink: number;
  owner: string;
  group: string;
}

const S_IFMT: Record<number, FileType> = {
  0o140000: 'socket',
  0o120000: 'link',
  0o100000: 'file',
  0o060000: 'block',
  0o040000: 'directory',
  0o020000: 'char',
  0o010000: 'fifo',
};

const LS_TYPE: Record<string, FileType> = {
  '-': 'file',
  d: 'directory',
  l: 'link',
  b: 'block',
  c: 'char',
  p: 'fifo',
  s: 'socket',
};

/** Parse a `_d_stat` line; undefined when the path does not exist (empty line). */
export function parseStat(line: string | undefined): FileStat | undefined {
  if (!line || !line.trim()) return undefined;
  const t = line.trim();
  if (t.startsWith('ls ')) {
    // "ls -rw-r--r-- 1 0 0 5 Jan 1 00:00 /path": names are numeric in this fallback.
    const f = t.slice(3).trim().split(/\s+/);
    if (f.length < 5) return undefined;
    const { type, mode } = parseLsMode(f[0]);
    return {
      type: LS_TYPE[type] ?? 'unknown',
      mode,
      nlink: Number(f[1]),
      uid: Number(f[2]),
      gid: Number(f[3]),
      owner: f[2],
      group: f[3],
      size: Number(f[4]),
    };
  }
  const f = t.split(' ');
  if (f.length < 12) return undefined;
  const raw = parseInt(f[0], 16);
  const num = (s: string) => (s === '' || Number.isNaN(Number(s)) ? undefined : Number(s));
  return {
    type: S_IFMT[raw & 0o170000] ?? 'unknown',
    mode: raw & 0o7777,
    uid: Number(f[1]),
    gid: Number(f[2]),
    size: Number(f[3]),
    mtime: num(f[4]),
    atime: num(f[5]),
    ctime: num(f[6]),
    inode: num(f[7]),
    dev: num(f[8]),
    nlink: Number(f[9]),
    owner: f[10],
    group: f.slice(11).join(' '),
  };
}

/** Ansible's file-module state name for what is at a path (get_state()). */
export function fileState(st: FileStat | undefined): 'absent' | 'link' | 'directory' | 'hard' | 'file' {
  if (!st) return 'absent';
  if (st.type === 'link') return 'link';
  if (st.type === 'directory') return 'directory';
  if (st.nlink > 1) return 'hard';
  return 'file';
}

/** The attribute keys file/copy/template return: uid gid owner group mode size state. */
export function fileResultKeys(st: FileStat, state?: string): Record<string, unknown> {
  return {
    uid: st.uid,
    gid: st.gid,
    owner: st.owner,
    group: st.group,
    mode: formatMode(st.mode),
    size: st.size,
    state: state ?? (st.type === 'directory' ? 'directory' : st.type === 'link' ? 'link' : st.nlink > 1 ? 'hard' : 'file'),
  };
}

/** Whether `owner` (name or numeric id) names the file's current owner. */
export function ownerMatches(want: string, name: string, id: number): boolean {
  return want === name || want === String(id);
}

/** The keys of Ansible's stat dict (stat module, find's statinfo()) that come from the file's
 *  stat, in Ansible's order: mode, the is* type flags, ids, size, inode, dev, nlink, times. */
export function statCoreKeys(st: FileStat): Record<string, unknown> {
  return {
    mode: formatMode(st.mode),
    isdir: st.type === 'directory',
    ischr: st.type === 'char',
    isblk: st.type === 'block',
    isreg: st.type === 'file',
    isfifo: st.type === 'fifo',
    islnk: st.type === 'link',
    issock: st.type === 'socket',
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    atime: st.atime,
    mtime: st.mtime,
    ctime: st.ctime,
  };
}

/** The permission-bit keys of Ansible's stat dict (wusr … isgid), in Ansible's order. */
export function statModeBits(m: number): Record<string, boolean> {
  return {
    wusr: !!(m & 0o200),
    rusr: !!(m & 0o400),
    xusr: !!(m & 0o100),
    wgrp: !!(m & 0o020),
    rgrp: !!(m & 0o040),
    xgrp: !!(m & 0o010),
    woth: !!(m & 0o002),
    roth: !!(m & 0o004),
    xoth: !!(m & 0o001),
    isuid: !!(m & 0o4000),
    isgid: !!(m & 0o2000),
  };
}
