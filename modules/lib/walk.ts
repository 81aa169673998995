// Listing a directory tree on the target in one trip, for find (and assemble's fragment list):
// GNU find -printf when it exists (one process for the whole tree), else a portable loop over
// `find | while read` with the _d_stat helper. Each entry is one line "<stat>\t<path>", parsed by
// parseWalk(). Paths containing a newline are not supported (they are split into two entries).
import { parseStat, type FileStat, type FileType } from '../../engine/modules-sdk/facts.js';
import { quote } from '../../engine/modules-sdk/quote.js';
import { buildScript } from '../../engine/modules-sdk/script.js';
import * as path from 'node:path';

export interface WalkEntry extends FileStat {
  path: string;
}

const PRINTF = '%y %m %U %G %s %T@ %A@ %C@ %i %D %n %u %g\\t%p\\n';

/** Script listing each root's entries (recursively or not); roots that are not directories are reported. */
export function walkScript(roots: string[], recurse: boolean, follow: boolean): string {
  const depth = recurse ? '' : '-maxdepth 1';
  const L = follow ? '-L' : '';
  return buildScript(
    `set -- ${roots.map(quote).join(' ')}`,
    `if find / -maxdepth 0 -printf '' >/dev/null 2>&1; then gnu=1; else gnu=; fi`,
    String.raw`for p in "$@"; do
  _d_home p
  if [ ! -d "$p" ]; then printf 'notdir\t%s\n' "$p"; continue; fi
  printf 'root\t%s\n' "$p"
  if [ -n "$gnu" ]; then find ${L} "$p" -mindepth 1 ${depth} -printf '${PRINTF}' 2>/dev/null
  else find ${L} "$p" ${depth} 2>/dev/null | while IFS= read -r f; do
    [ "$f" = "$p" ] && continue
    printf 'S %s\t%s\n' "$(_d_stat "$f" ${follow ? 'L' : ''})" "$f"
  done; fi
done`,
  );
}

const Y_TYPE: Record<string, FileType> = { f: 'file', d: 'directory', l: 'link', b: 'block', c: 'char', p: 'fifo', s: 'socket' };

/** One `-printf` line's stat part. */
function parsePrintf(f: string[]): FileStat | undefined {
  if (f.length < 13) return undefined;
  return {
    type: Y_TYPE[f[0]] ?? 'unknown',
    mode: parseInt(f[1], 8),
    uid: Number(f[2]),
    gid: Number(f[3]),
    size: Number(f[4]),
    mtime: Number(f[5]),
    atime: Number(f[6]),
    ctime: Number(f[7]),
    inode: Number(f[8]),
    dev: Number(f[9]),
    nlink: Number(f[10]),
    owner: f[11],
    group: f.slice(12).join(' '),
  };
}

export interface WalkResult {
  /** Entries per root, in the order roots were given. */
  roots: { root: string; entries: WalkEntry[] }[];
  /** Roots that are not directories. */
  notDirs: string[];
}

export function parseWalk(stdout: string): WalkResult {
  const out: WalkResult = { roots: [], notDirs: [] };
  let cur: { root: string; entries: WalkEntry[] } | undefined;
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const head = line.slice(0, tab);
    const p = line.slice(tab + 1);
    if (head === 'notdir') out.notDirs.push(p);
    else if (head === 'root') out.roots.push((cur = { root: p, entries: [] }));
    else if (cur) {
      const st = head.startsWith('S ') ? parseStat(head.slice(2)) : parsePrintf(head.split(' '));
      if (st) cur.entries.push({ ...st, path: path.posix.normalize(p) });
    }
  }
  return out;
}

/**
 * Order entries as os.walk (top-down) yields them: a directory's files, then its subdirectories,
 * then each subdirectory's contents — names sorted, since directory order is arbitrary anyway.
 */
export function walkOrder(root: string, entries: WalkEntry[]): WalkEntry[] {
  const base = path.posix.normalize(root).replace(/\/$/, '') || '/';
  const byParent = new Map<string, WalkEntry[]>();
  for (const e of entries) {
    const parent = path.posix.dirname(e.path);
    (byParent.get(parent) ?? byParent.set(parent, []).get(parent)!).push(e);
  }
  const out: WalkEntry[] = [];
  const visit = (dir: string) => {
    const kids = (byParent.get(dir) ?? []).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const dirs = kids.filter((k) => k.type === 'directory');
    out.push(...kids.filter((k) => k.type !== 'directory'), ...dirs);
    for (const d of dirs) visit(d.path);
  };
  visit(base);
  return out;
}

/** Python's fnmatch.fnmatch as a RegExp (*, ?, [seq], [!seq]; whole-name match). */
export function fnmatchRe(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (pat[j] === '!') j++;
      if (pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) re += '\\[';
      else {
        let body = pat.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^')) body = '\\' + body;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}
