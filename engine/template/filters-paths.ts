// ansible-core 2.14's path filters: Python's posixpath (basename, dirname, expanduser,
// expandvars, realpath, relpath, splitext, path_join), ntpath (win_basename, win_dirname,
// win_splitdrive) and fileglob, evaluated on the controller as Ansible does.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { globToRegExp } from '../inventory/patterns.js';
import { pyStr, tuple, typeName } from './python.js';
import { addFilters, arg } from './registry.js';
import { EvalError } from './undefined.js';

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return /^\/*$/.test(head) ? head : head.replace(/\/+$/, '');
}

/** posixpath.expandvars: $name and ${name} from the environment; unknown ones stay. */
function expandvars(p: string): string {
  return p.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const key = name.startsWith('{') && name.endsWith('}') ? name.slice(1, -1) : name;
    return Object.prototype.hasOwnProperty.call(process.env, key) ? (process.env[key] as string) : m;
  });
}

/** posixpath.realpath(strict=False): symlinks resolved as far as the path exists. */
function realpath(p: string): string {
  let head = posix.resolve(p);
  const rest: string[] = [];
  while (!existsSync(head) && head !== '/') {
    rest.unshift(posix.basename(head));
    head = posix.dirname(head);
  }
  return posix.join(realpathSync(head), ...rest);
}

/** genericpath._splitext: the last dot of the last component, leading dots not counting. */
function splitext(p: string): [string, string] {
  const dot = p.lastIndexOf('.');
  if (dot <= p.lastIndexOf('/')) return [p, ''];
  const name = p.slice(p.lastIndexOf('/') + 1, dot);
  return /^\.*$/.test(name) ? [p, ''] : [p.slice(0, dot), p.slice(dot)];
}

function pathJoin(v: unknown): string {
  let parts: unknown[];
  if (typeof v === 'string') parts = [v];
  else if (Array.isArray(v)) parts = v;
  else throw new EvalError(`|path_join expects string or sequence, got <class '${typeName(v)}'> instead.`);
  let out = '';
  for (const x of parts) {
    if (typeof x !== 'string') throw new EvalError(`join() argument must be str, bytes, or os.PathLike object, not '${typeName(x)}'`);
    out = x.startsWith('/') ? x : out === '' || out.endsWith('/') ? out + x : out + '/' + x;
  }
  return out;
}

/** ntpath.splitdrive: "C:" drives and \\server\share UNC prefixes. */
function winSplitdrive(p: string): [string, string] {
  if (p.length < 2) return ['', p];
  const norm = p.replace(/\//g, '\\');
  if (norm.startsWith('\\\\')) {
    const start = norm.slice(0, 8).toUpperCase() === '\\\\?\\UNC\\' ? 8 : 2;
    const index = norm.indexOf('\\', start);
    if (index < 0) return [p, ''];
    const index2 = norm.indexOf('\\', index + 1);
    if (index2 < 0) return [p, ''];
    return [p.slice(0, index2), p.slice(index2)];
  }
  return norm[1] === ':' ? [p.slice(0, 2), p.slice(2)] : ['', p];
}

/** ntpath.split. */
function winSplit(path: string): [string, string] {
  const [d, p] = winSplitdrive(path);
  let i = p.length;
  while (i && !'\\/'.includes(p[i - 1])) i--;
  const head = p.slice(0, i);
  return [d + (head.replace(/[\\/]+$/, '') || head), p.slice(i)];
}

const MAGIC = /[*?[]/;

/** glob.glob: wildcards in any component; '*' skips dot files; then only regular files (fileglob). */
function fileglob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return existsSync(pattern) && isFile(pattern) ? [pattern] : [];
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((x, i) => x !== '' || i === 0);
  let found = [absolute ? '/' : ''];
  for (const part of absolute ? parts.slice(1) : parts) {
    const next: string[] = [];
    for (const dir of found) {
      if (!MAGIC.test(part)) {
        const p = dir ? posix.join(dir, part) : part;
        if (existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir || '.');
      } catch {
        continue;
      }
      const re = globToRegExp(part);
      for (const n of names) if ((part.startsWith('.') || !n.startsWith('.')) && re.test(n)) next.push(dir ? posix.join(dir, n) : n);
    }
    found = next;
  }
  return found.filter(isFile);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

addFilters({
  basename: (v) => basename(pyStr(v)),
  dirname: (v) => dirname(pyStr(v)),
  expanduser: (v) => pyStr(v).replace(/^~(?=$|\/)/, process.env.HOME ?? homedir()),
  expandvars: (v) => expandvars(pyStr(v)),
  realpath: (v) => realpath(pyStr(v)),
  relpath: (v, a, kw) => {
    const p = pyStr(v);
    if (!p) throw new EvalError('no path specified');
    return posix.relative(posix.resolve(pyStr(arg(a, kw, 0, 'start', '.'))), posix.resolve(p)) || '.';
  },
  splitext: (v) => tuple(splitext(pyStr(v))),
  path_join: (v) => pathJoin(v),
  win_basename: (v) => winSplit(pyStr(v))[1],
  win_dirname: (v) => winSplit(pyStr(v))[0],
  win_splitdrive: (v) => tuple(winSplitdrive(pyStr(v))),
  fileglob: (v) => fileglob(pyStr(v)),
});
