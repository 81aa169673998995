// Jinja2's built-in filters with Python semantics (default, length, join, map, select, sort,
// int, round, indent...), plus the helpers other filter files share (attribute paths, tests by name).
import { applyFilter, unknownPlugin } from './compile-expr.js';
import { printfFormat } from './format.js';
import { iterate } from './methods.js';
import { pyCmp, pyEq } from './ops.js';
import { isMapping, mappingEntries, mappingKeys, pyRepr, pyStr, pythonTruthy, tuple, typeName } from './python.js';
import { addFilters, arg, filters, shortName, tests, type Kwargs } from './registry.js';
import { getAttr, getItem, type Runtime } from './runtime.js';
import { EvalError, Undefined, defined } from './undefined.js';

/** Jinja's attribute getter: "a.b.0" walks dicts and list indexes; missing parts are Undefined. */
export function attrGetter(attribute: unknown, dflt?: unknown): (item: unknown) => unknown {
  const parts = pyStr(attribute).split('.').map((p) => (/^\d+$/.test(p) ? parseInt(p, 10) : p));
  return (item) => {
    let v = item;
    for (const p of parts) v = getItem(v, p, `${typeName(v)} object`);
    return v instanceof Undefined && dflt !== undefined ? dflt : v;
  };
}

/** Run a test by name (select/reject and friends). */
export function runTest(name: string, v: unknown, args: unknown[], rt: Runtime): boolean {
  const spec = tests.get(shortName(name)) ?? rt.host.plugins?.test(name);
  if (!spec) throw unknownPlugin(name);
  if (!spec.undefinedOk) defined(v);
  return spec.fn(v, args, {}, rt);
}

/** Run a filter by name (map). */
export function runFilter(name: string, v: unknown, args: unknown[], kwargs: Kwargs, rt: Runtime): unknown {
  const spec = filters.get(shortName(name)) ?? rt.host.plugins?.filter(name);
  if (!spec) throw unknownPlugin(name);
  return applyFilter(name, spec, v, args, kwargs, rt);
}

/** Sort key used by sort/min/max/unique: lower-cases strings unless case-sensitive. */
export function sortKey(caseSensitive: unknown, attribute?: unknown): (x: unknown) => unknown {
  const getters = attribute === undefined || attribute === null ? [(x: unknown) => x] : pyStr(attribute).split(',').map((a) => attrGetter(a.trim()));
  const fold = (v: unknown): unknown => (!pythonTruthy(caseSensitive) && typeof v === 'string' ? v.toLowerCase() : defined(v));
  return getters.length === 1 ? (x) => fold(getters[0](x)) : (x) => getters.map((g) => fold(g(x)));
}

function selectOrReject(seq: unknown, args: unknown[], rt: Runtime, keep: boolean, attr: boolean): unknown[] {
  const items = iterate(seq);
  let rest = args;
  let get = (x: unknown): unknown => x;
  if (attr) {
    get = attrGetter(rest[0]);
    rest = rest.slice(1);
  }
  const check = rest.length ? (v: unknown) => runTest(pyStr(rest[0]), v, rest.slice(1), rt) : (v: unknown) => pythonTruthy(v);
  return items.filter((x) => check(get(x)) === keep);
}

function pyRound(v: number, precision: number, method: string): number {
  const f = Math.pow(10, precision);
  if (method === 'ceil') return Math.ceil(v * f) / f;
  if (method === 'floor') return Math.floor(v * f) / f;
  if (method !== 'common') throw new EvalError('method must be common, ceil or floor');
  const x = Number((v * f).toPrecision(15));
  const r = Math.round(x);
  const half = Math.abs(x % 1) === 0.5 && Math.abs(v * f - x) < 1e-9;
  return (half && r % 2 !== 0 ? r - 1 : r) / f;
}

/** Python int(): strings with optional sign, whitespace, underscores and base prefixes. */
export function pyInt(value: unknown, base = 10): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  let s = value.trim().replace(/(?<=\w)_(?=\w)/g, '').toLowerCase();
  let sign = 1;
  if (/^[-+]/.test(s)) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  const prefixes: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };
  const pre = s.slice(0, 2);
  if (pre in prefixes && (base === 0 || base === prefixes[pre])) {
    base = prefixes[pre];
    s = s.slice(2);
  } else if (base === 0) {
    base = 10;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (!s || [...s].some((c) => !digits.includes(c))) return undefined;
  return sign * parseInt(s, base);
}

/** Python float() of a string or number; undefined when it would raise. */
export function pyFloat(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().toLowerCase().replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(s)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) return undefined;
  return parseFloat(s);
}

function first(v: unknown, last: boolean): unknown {
  const items = typeof v === 'string' ? [...v] : isMapping(v) ? mappingKeys(v) : iterate(v);
  if (!items.length) return new Undefined(`No ${last ? 'last' : 'first'} item, sequence was empty.`, '');
  return last ? items[items.length - 1] : items[0];
}

function minMax(v: unknown, args: unknown[], kw: Kwargs, sign: number): unknown {
  const items = iterate(v);
  if (!items.length) return new Undefined('No aggregated item, sequence was empty.', '');
  const key = sortKey(arg(args, kw, 0, 'case_sensitive', false), arg(args, kw, 1, 'attribute'));
  return items.reduce((best, x) => (pyCmp(key(x), key(best)) * sign > 0 ? x : best));
}

function indent(s: string, width: unknown, firstLine: unknown, blank: unknown): string {
  const ind = typeof width === 'string' ? width : ' '.repeat(Number(width));
  const lines = (s + '\n').split(/\r\n|\n|\r/).slice(0, -1);
  let rv: string;
  if (pythonTruthy(blank)) rv = lines.join('\n' + ind);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += '\n' + lines.map((l) => (l ? ind + l : l)).join('\n');
  }
  return pythonTruthy(firstLine) ? ind + rv : rv;
}

function groupby(v: unknown, args: unknown[], kw: Kwargs): unknown[] {
  const get = attrGetter(arg(args, kw, 0, 'attribute'), arg(args, kw, 1, 'default'));
  const cs = pythonTruthy(arg(args, kw, 2, 'case_sensitive', false));
  const fold = (x: unknown): unknown => (!cs && typeof x === 'string' ? x.toLowerCase() : x);
  const sorted = [...iterate(v)].sort((a, b) => pyCmp(fold(get(a)), fold(get(b))));
  const groups: unknown[][] = [];
  for (const item of sorted) {
    const last = groups[groups.length - 1];
    if (last && pyEq(fold(last[0]), fold(get(item)))) (last[1] as unknown[]).push(item);
    else groups.push([get(item), [item]]);
  }
  return groups.map((g) => Object.defineProperty(tuple(g), 'pyFields', { value: { grouper: 0, list: 1 } }));
}

const HTML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

addFilters({
  default: {
    undefinedOk: true,
    fn: (v, a, kw) => {
      const dflt = arg(a, kw, 0, 'default_value', '');
      return v instanceof Undefined || (pythonTruthy(arg(a, kw, 1, 'boolean', false)) && !pythonTruthy(v)) ? dflt : v;
    },
  },
  length: (v) => (typeof v === 'string' ? [...v].length : isMapping(v) ? mappingKeys(v).length : Array.isArray(v) ? v.length : lenError(v)),
  join: (v, a, kw) => {
    const attr = arg(a, kw, 1, 'attribute');
    const items = iterate(v).map(attr === undefined ? (x: unknown) => x : attrGetter(attr));
    return items.map((x) => pyStr(defined(x))).join(pyStr(arg(a, kw, 0, 'd', '')));
  },
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: (v) => {
    const s = pyStr(v);
    return s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s;
  },
  title: (v) => pyStr(v).replace(/([-\s([{<]+|^)([^-\s([{<]*)/g, (_m, sep: string, w: string) => sep + (w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : '')),
  trim: (v, a, kw) => {
    const chars = arg<string | undefined>(a, kw, 0, 'chars');
    if (chars === undefined || chars === null) return pyStr(v).trim();
    const re = new RegExp(`^[${chars.replace(/[\]\\^-]/g, '\\$&')}]+|[${chars.replace(/[\]\\^-]/g, '\\$&')}]+$`, 'g');
    return pyStr(v).replace(re, '');
  },
  replace: (v, a, kw) => {
    const [old, rep] = [pyStr(a[0]), pyStr(a[1])];
    const count = arg<number | null>(a, kw, 2, 'count', null);
    const parts = pyStr(v).split(old);
    if (count === null || parts.length - 1 <= count) return parts.join(rep);
    return parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old);
  },
  list: (v) => (isMapping(v) ? mappingKeys(v) : [...iterate(v)]),
  first: { fn: (v) => first(v, false) },
  last: { fn: (v) => first(v, true) },
  min: (v, a, kw) => minMax(v, a, kw, -1),
  max: (v, a, kw) => minMax(v, a, kw, 1),
  sort: (v, a, kw) => {
    const key = sortKey(arg(a, kw, 1, 'case_sensitive', false), arg(a, kw, 2, 'attribute'));
    const rev = pythonTruthy(arg(a, kw, 0, 'reverse', false)) ? -1 : 1;
    const items = iterate(v).map((x) => [key(x), x] as const);
    return items.sort((x, y) => pyCmp(x[0], y[0]) * rev).map(([, x]) => x);
  },
  map: (v, a, kw, rt) => {
    const items = iterate(v);
    if (!a.length && kw.attribute !== undefined) return items.map(attrGetter(kw.attribute, kw.default));
    const [name, ...rest] = a;
    if (name === undefined) throw new EvalError('map requires a filter name or attribute=');
    return items.map((x) => runFilter(pyStr(name), x, rest, kw, rt));
  },
  select: (v, a, _kw, rt) => selectOrReject(v, a, rt, true, false),
  reject: (v, a, _kw, rt) => selectOrReject(v, a, rt, false, false),
  selectattr: (v, a, _kw, rt) => selectOrReject(v, a, rt, true, true),
  rejectattr: (v, a, _kw, rt) => selectOrReject(v, a, rt, false, true),
  sum: (v, a, kw) => {
    const attr = arg(a, kw, 0, 'attribute');
    const items = iterate(v).map(attr === undefined || attr === null ? (x: unknown) => x : attrGetter(attr));
    return items.reduce((acc: unknown, x) => {
      if (typeof acc === 'number' && typeof x === 'number') return acc + x;
      if (Array.isArray(acc) && Array.isArray(x)) return [...acc, ...x];
      if (typeof x === 'boolean' && typeof acc === 'number') return acc + Number(x);
      throw new EvalError(`unsupported operand type(s) for +: '${typeof acc}' and '${typeof x}'`);
    }, arg(a, kw, 1, 'start', 0));
  },
  abs: (v) => {
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new EvalError(`bad operand type for abs(): '${typeof v}'`);
    return Math.abs(Number(v));
  },
  round: (v, a, kw) => pyRound(Number(v), Number(arg(a, kw, 0, 'precision', 0)), pyStr(arg(a, kw, 1, 'method', 'common'))),
  int: (v, a, kw) => {
    const base = Number(arg(a, kw, 1, 'base', 10));
    const dflt = arg(a, kw, 0, 'default', 0);
    const n = typeof v === 'string' ? pyInt(v, base) : pyInt(v);
    if (n !== undefined) return n;
    const f = pyFloat(v);
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : dflt;
  },
  float: (v, a, kw) => pyFloat(v) ?? arg(a, kw, 0, 'default', 0),
  string: (v) => pyStr(v),
  items: {
    undefinedOk: true,
    fn: (v) => {
      if (v instanceof Undefined) return [];
      if (!isMapping(v)) throw new EvalError('Can only get item pairs from a mapping.');
      return mappingEntries(v).map(([k, x]) => tuple([k, x]));
    },
  },
  dictsort: (v, a, kw) => {
    if (!isMapping(v)) throw new EvalError('dictsort filter requires a dict');
    const cs = arg(a, kw, 0, 'case_sensitive', false);
    const pos = pyStr(arg(a, kw, 1, 'by', 'key')) === 'value' ? 1 : 0;
    const rev = pythonTruthy(arg(a, kw, 2, 'reverse', false)) ? -1 : 1;
    const key = sortKey(cs);
    return mappingEntries(v)
      .sort((x, y) => pyCmp(key(x[pos]), key(y[pos])) * rev)
      .map((e) => tuple([...e]));
  },
  batch: (v, a, kw) => {
    const n = Number(a[0]);
    const fill = arg(a, kw, 1, 'fill_with', null);
    const items = iterate(v);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    const lastB = out[out.length - 1];
    if (fill !== null && lastB) while (lastB.length < n) lastB.push(fill);
    return out;
  },
  slice: (v, a, kw) => {
    const items = iterate(v);
    const n = Number(a[0]);
    const fill = arg(a, kw, 1, 'fill_with', null);
    const per = Math.floor(items.length / n);
    const extra = items.length % n;
    const out: unknown[][] = [];
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const size = per + (i < extra ? 1 : 0);
      const part = items.slice(offset, offset + size);
      offset += size;
      if (fill !== null && i >= extra && extra) part.push(fill);
      out.push(part);
    }
    return out;
  },
  groupby,
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iterate(v)].reverse()),
  center: (v, a, kw) => {
    const s = pyStr(v);
    const w = Number(arg(a, kw, 0, 'width', 80));
    const gap = Math.max(0, w - s.length);
    const left = Math.floor(gap / 2) + (gap % 2 && w % 2 ? 1 : 0);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  },
  indent: (v, a, kw) => indent(pyStr(v), arg(a, kw, 0, 'width', 4), arg(a, kw, 1, 'first', false), arg(a, kw, 2, 'blank', false)),
  wordcount: (v) => (pyStr(v).match(/\w+/gu) ?? []).length,
  truncate: (v, a, kw) => {
    const s = pyStr(v);
    const length = Number(arg(a, kw, 0, 'length', 255));
    const killwords = pythonTruthy(arg(a, kw, 1, 'killwords', false));
    const end = pyStr(arg(a, kw, 2, 'end', '...'));
    const leeway = Number(arg(a, kw, 3, 'leeway', 5));
    if (s.length <= length + leeway) return s;
    if (killwords) return s.slice(0, length - end.length) + end;
    const cut = s.slice(0, length - end.length);
    const i = cut.lastIndexOf(' ');
    return (i >= 0 ? cut.slice(0, i) : cut) + end;
  },
  format: (v, a, kw) => printfFormat(pyStr(v), a, Object.keys(kw).length ? kw : undefined),
  attr: (v, a) => getAttr(v, pyStr(a[0]), 'object'),
  safe: (v) => v,
  escape: (v) => pyStr(v).replace(/[&<>"']/g, (c) => HTML_ESC[c]),
  forceescape: (v) => pyStr(v).replace(/[&<>"']/g, (c) => HTML_ESC[c]),
  striptags: (v) => pyStr(v).replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
  pprint: (v) => pyRepr(v),
  filesizeformat: (v, a, kw) => {
    const bytes = Number(v);
    const binary = pythonTruthy(arg(a, kw, 0, 'binary', false));
    const base = binary ? 1024 : 1000;
    const units = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
    if (bytes === 1) return '1 Byte';
    if (bytes < base) return `${bytes} Bytes`;
    let unit = 0;
    while (unit < units.length - 1 && bytes >= Math.pow(base, unit + 2)) unit++;
    return `${(bytes / Math.pow(base, unit + 1)).toFixed(1)} ${units[unit]}`;
  },
  // Jinja's do_urlencode: a string keeps '/', query pairs quote it and write spaces as '+'
  urlencode: (v) => {
    const enc = (s: unknown, qs = false): string => {
      const q = encodeURIComponent(pyStr(s)).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
      return qs ? q.replace(/%20/g, '+') : q.replace(/%2F/g, '/');
    };
    if (isMapping(v) || Array.isArray(v) || v instanceof Set) {
      const pairs = isMapping(v) ? mappingEntries(v) : [...(v as Iterable<unknown>)].map((p) => iterate(p));
      return pairs.map(([k, x]) => `${enc(k, true)}=${enc(x, true)}`).join('&');
    }
    return enc(v);
  },
});

function lenError(v: unknown): never {
  throw new EvalError(`object of type '${typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : v === null ? 'NoneType' : typeof v}' has no len()`);
}

const aliases: [string, string][] = [
  ['d', 'default'],
  ['count', 'length'],
  ['e', 'escape'],
];
for (const [alias, name] of aliases) filters.set(alias, filters.get(name)!);

