// ansible-core 2.14's plugins/test/files.py: Python's os.path predicates on controller paths
// (directory, file, link, exists, link_exists, abs, same_file, mount) and their is_* aliases.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { pyRepr, pyStr } from './python.js';
import { addTests, tests } from './registry.js';
import { EvalError } from './undefined.js';

/** os.stat / os.lstat, or undefined where Python's predicate catches OSError. */
function stat(p: unknown, follow = true): Stats | undefined {
  try {
    return follow ? statSync(pyStr(p)) : lstatSync(pyStr(p));
  } catch {
    return undefined;
  }
}

/** os.path.samefile: a missing path is an error there, not False. */
function sameFile(a: unknown, b: unknown): boolean {
  const st = (p: unknown): Stats => {
    const s = stat(p);
    if (!s) throw new EvalError(`[Errno 2] No such file or directory: ${pyRepr(pyStr(p))}`);
    return s;
  };
  const [x, y] = [st(a), st(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

/** posixpath.ismount: not a symlink, and on another device than (or the same inode as) its parent. */
function isMount(v: unknown): boolean {
  const p = pyStr(v);
  const s1 = stat(p, false);
  if (!s1 || s1.isSymbolicLink()) return false;
  let parent: string;
  try {
    parent = realpathSync(posix.join(p, '..'));
  } catch {
    return false;
  }
  const s2 = stat(parent, false);
  if (!s2) return false;
  return s1.dev !== s2.dev || s1.ino === s2.ino;
}

addTests({
  directory: (v) => stat(v)?.isDirectory() ?? false,
  file: (v) => stat(v)?.isFile() ?? false,
  link: (v) => stat(v, false)?.isSymbolicLink() ?? false,
  exists: (v) => stat(v) !== undefined,
  link_exists: (v) => stat(v, false) !== undefined,
  abs: (v) => pyStr(v).startsWith('/'),
  same_file: (v, a) => sameFile(v, a[0]),
  mount: (v) => isMount(v),
});

const aliases: [string, string][] = [
  ['is_dir', 'directory'],
  ['is_file', 'file'],
  ['is_link', 'link'],
  ['is_abs', 'abs'],
  ['is_same_file', 'same_file'],
  ['is_mount', 'mount'],
];
for (const [alias, name] of aliases) tests.set(alias, tests.get(name)!);
