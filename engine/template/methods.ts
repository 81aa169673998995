// Python methods that playbooks call on strings, lists and dicts (`x.split(',')`, `d.items()`,
// `l.index(v)`), bound on demand so no JS prototype is touched.
import { strFormat } from './format.js';
import { pyEq } from './ops.js';
import { isMapping, isTuple, mappingEntries, mappingGet, mappingHas, mappingKeys, pyStr, tuple, typeName } from './python.js';
import { PyCallable } from './runtime.js';
import { EvalError, defined } from './undefined.js';

type Method<T> = (self: T, args: unknown[], kwargs: Record<string, unknown>) => unknown;

const WS = ' \t\n\r\x0b\x0c';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : pyStr(defined(chars));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** Python str.split / rsplit. */
export function pySplit(s: string, sep: unknown, maxsplit: unknown, fromRight = false): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(maxsplit);
  let parts: string[];
  if (sep === undefined || sep === null) {
    const words = s.split(/[\s]+/).filter((w) => w !== '');
    if (max < 0 || words.length <= max + 1) return words;
    if (fromRight) {
      const rest = s.replace(/\s+$/, '');
      const tail = words.slice(words.length - max);
      let cut = rest.length;
      for (let i = tail.length - 1; i >= 0; i--) cut = rest.lastIndexOf(tail[i], cut - 1);
      return [rest.slice(0, cut).replace(/\s+$/, ''), ...tail];
    }
    const head = words.slice(0, max);
    let pos = 0;
    for (const w of head) pos = s.indexOf(w, pos) + w.length;
    return [...head, s.slice(pos).replace(/^\s+/, '')];
  }
  const sp = pyStr(defined(sep));
  if (sp === '') throw new EvalError('empty separator');
  parts = s.split(sp);
  if (max >= 0 && parts.length > max + 1) {
    parts = fromRight ? [parts.slice(0, parts.length - max).join(sp), ...parts.slice(parts.length - max)] : [...parts.slice(0, max), parts.slice(max).join(sp)];
  }
  return parts;
}

function affix(s: string, args: unknown[], test: (s: string, p: string) => boolean): boolean {
  const start = args[1] === undefined || args[1] === null ? 0 : Number(args[1]);
  const end = args[2] === undefined || args[2] === null ? s.length : Number(args[2]);
  const sub = s.slice(start < 0 ? s.length + start : start, end < 0 ? s.length + end : end);
  const p = defined(args[0]);
  const cands = Array.isArray(p) ? p : [p];
  return cands.some((c) => {
    if (typeof c !== 'string') throw new EvalError(`startswith/endswith first arg must be str or a tuple of str, not ${typeName(c)}`);
    return test(sub, c);
  });
}

function findSub(s: string, args: unknown[], last: boolean): number {
  const sub = pyStr(defined(args[0]));
  const start = args[1] === undefined || args[1] === null ? 0 : Number(args[1]);
  const end = args[2] === undefined || args[2] === null ? s.length : Number(args[2]);
  const hay = s.slice(0, end);
  const i = last ? hay.lastIndexOf(sub) : hay.indexOf(sub, start);
  return i >= start ? i : -1;
}

const charTest = (re: RegExp) => (s: string) => s.length > 0 && re.test(s);

const STR: Record<string, Method<string>> = {
  split: (s, a, k) => pySplit(s, a[0] ?? k.sep, a[1] ?? k.maxsplit),
  rsplit: (s, a, k) => pySplit(s, a[0] ?? k.sep, a[1] ?? k.maxsplit, true),
  splitlines: (s, a) => {
    const lines = s.split(/(?<=\r\n|\n|\r(?!\n))/);
    const out = a[0] ? lines : lines.map((l) => l.replace(/(\r\n|\n|\r)$/, ''));
    return out.filter((l, i) => !(i === out.length - 1 && l === ''));
  },
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  capitalize: (s) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  title: (s) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  startswith: (s, a) => affix(s, a, (x, p) => x.startsWith(p)),
  endswith: (s, a) => affix(s, a, (x, p) => x.endsWith(p)),
  replace: (s, a) => {
    const [old, rep, count] = [pyStr(defined(a[0])), pyStr(defined(a[1])), a[2] === undefined ? -1 : Number(a[2])];
    const parts = s.split(old);
    if (count < 0 || parts.length - 1 <= count) return parts.join(rep);
    return parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old);
  },
  find: (s, a) => findSub(s, a, false),
  rfind: (s, a) => findSub(s, a, true),
  index: (s, a) => {
    const i = findSub(s, a, false);
    if (i < 0) throw new EvalError('substring not found');
    return i;
  },
  rindex: (s, a) => {
    const i = findSub(s, a, true);
    if (i < 0) throw new EvalError('substring not found');
    return i;
  },
  count: (s, a) => {
    const sub = pyStr(defined(a[0]));
    return sub === '' ? s.length + 1 : s.split(sub).length - 1;
  },
  join: (s, a) => {
    const items = iterate(a[0]);
    return items
      .map((x) => {
        if (typeof x !== 'string') throw new EvalError(`sequence item: expected str instance, ${typeName(x)} found`);
        return x;
      })
      .join(s);
  },
  format: (s, a, k) => strFormat(s, a, k),
  isdigit: charTest(/^[0-9]+$/),
  isnumeric: charTest(/^[0-9]+$/),
  isdecimal: charTest(/^[0-9]+$/),
  isalpha: charTest(/^\p{L}+$/u),
  isalnum: charTest(/^[\p{L}0-9]+$/u),
  isspace: charTest(/^\s+$/),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s, a) => {
    const w = Number(a[0]);
    const sign = /^[-+]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  center: (s, a) => {
    const w = Number(a[0]);
    const fill = a[1] === undefined ? ' ' : pyStr(a[1]);
    const gap = Math.max(0, w - s.length);
    const left = Math.floor(gap / 2) + (gap % 2 && w % 2 ? 1 : 0);
    return fill.repeat(left) + s + fill.repeat(gap - left);
  },
  ljust: (s, a) => s.padEnd(Number(a[0]), a[1] === undefined ? ' ' : pyStr(a[1])),
  rjust: (s, a) => s.padStart(Number(a[0]), a[1] === undefined ? ' ' : pyStr(a[1])),
  partition: (s, a) => {
    const sep = pyStr(defined(a[0]));
    const i = s.indexOf(sep);
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s, a) => {
    const sep = pyStr(defined(a[0]));
    const i = s.lastIndexOf(sep);
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  encode: (s) => s,
  decode: (s) => s,
};

/** Mutating list methods return None. */
const done = (_: unknown): null => null;

const LIST: Record<string, Method<unknown[]>> = {
  index: (l, a) => {
    const i = l.findIndex((x) => pyEq(x, a[0]));
    if (i < 0) throw new EvalError(`${pyStr(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => pyEq(x, a[0])).length,
  append: (l, a) => done(l.push(a[0])),
  extend: (l, a) => done(l.push(...iterate(a[0]))),
  insert: (l, a) => done(l.splice(Number(a[0]), 0, a[1])),
  pop: (l, a) => {
    if (!l.length) throw new EvalError('pop from empty list');
    const i = a[0] === undefined ? l.length - 1 : Number(a[0]);
    return l.splice(i < 0 ? l.length + i : i, 1)[0];
  },
  remove: (l, a) => {
    const i = l.findIndex((x) => pyEq(x, a[0]));
    if (i < 0) throw new EvalError('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  reverse: (l) => done(l.reverse()),
  copy: (l) => [...l],
  clear: (l) => done(l.splice(0)),
};

type Dict = Record<string, unknown> | Map<unknown, unknown>;

const DICT: Record<string, Method<Dict>> = {
  keys: (d) => mappingKeys(d),
  values: (d) => mappingEntries(d).map(([, v]) => v),
  items: (d) => mappingEntries(d).map(([k, v]) => tuple([k, v])),
  get: (d, a) => (mappingHas(d, a[0]) ? mappingGet(d, a[0]) : (a[1] ?? null)),
  copy: (d) => (d instanceof Map ? new Map(d) : { ...d }),
  update: (d, a, k) => {
    const src = a[0] === undefined ? {} : a[0];
    for (const [key, v] of isMapping(src) ? mappingEntries(src) : iterate(src).map((p) => p as [unknown, unknown])) setKey(d, key, v);
    for (const [key, v] of Object.entries(k)) setKey(d, key, v);
    return null;
  },
  pop: (d, a) => {
    if (!mappingHas(d, a[0])) {
      if (a.length > 1) return a[1];
      throw new EvalError(`KeyError: ${pyStr(a[0])}`);
    }
    const v = mappingGet(d, a[0]);
    if (d instanceof Map) d.delete(a[0]);
    else delete d[a[0] as string];
    return v;
  },
  setdefault: (d, a) => {
    if (!mappingHas(d, a[0])) setKey(d, a[0], a[1] ?? null);
    return mappingGet(d, a[0]);
  },
};

function setKey(d: Dict, k: unknown, v: unknown): void {
  if (d instanceof Map) d.set(k, v);
  else d[pyStr(k)] = v;
}

/** Python iteration: lists, strings (chars), dicts (keys). */
export function iterate(v: unknown): unknown[] {
  v = defined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return mappingKeys(v);
  if (v instanceof Set) return [...v];
  throw new EvalError(`'${typeName(v)}' object is not iterable`);
}

/** The bound Python method `name` of `obj`, or undefined when it has none. */
export function pythonMethod(obj: unknown, name: string): PyCallable | undefined {
  let table: Record<string, Method<any>> | undefined;
  if (typeof obj === 'string') table = STR;
  else if (Array.isArray(obj)) table = isTuple(obj) ? { index: LIST.index, count: LIST.count } : LIST;
  else if (isMapping(obj)) table = DICT;
  const m = table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!m) return undefined;
  return new PyCallable(`${typeName(obj)}.${name}`, (args, kwargs) => m(obj, args.map(defined), kwargs));
}
