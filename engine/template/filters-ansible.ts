// Ansible's own list/dict/logic filters: bool, ternary, mandatory, combine, dict2items,
// items2dict, flatten, set operations, unique, zip, extract, subelements, combinatorics, math.
import { attrGetter } from './filters-core.js';
import { iterate } from './methods.js';
import { pyEq } from './ops.js';
import { isMapping, mappingEntries, mappingGet, mappingHas, pyStr, pythonTruthy, toBool, tuple, typeName } from './python.js';
import { addFilters, arg, type Kwargs } from './registry.js';
import { getItem } from './runtime.js';
import { EvalError, Undefined, UndefinedError, assertDeepDefined, defined } from './undefined.js';
import { versionCompare } from './version.js';

type Dict = Record<string, unknown>;

function toDict(v: unknown): Dict {
  return Object.fromEntries(mappingEntries(v as Dict).map(([k, x]) => [pyStr(k), x]));
}

/** Ansible's unique: keeps first occurrences; strings compare case-insensitively by default. */
export function uniqueList(items: unknown[], caseSensitive: boolean, attribute?: unknown): unknown[] {
  const get = attribute === undefined || attribute === null ? (x: unknown) => x : attrGetter(attribute);
  const key = (x: unknown): unknown => {
    const v = get(x);
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
  const seen: unknown[] = [];
  const out: unknown[] = [];
  const hashable = new Set<unknown>();
  for (const x of items) {
    const k = key(x);
    if (k === null || typeof k !== 'object') {
      const hk = typeof k === 'boolean' ? Number(k) : k;
      if (hashable.has(hk)) continue;
      hashable.add(hk);
    } else if (seen.some((s) => pyEq(s, k))) {
      continue;
    } else {
      seen.push(k);
    }
    out.push(x);
  }
  return out;
}

function contains(list: unknown[], x: unknown): boolean {
  return list.some((y) => pyEq(x, y));
}

/** ansible.utils.vars.merge_hash */
export function mergeHash(x: Dict, y: Dict, recursive: boolean, listMerge: string): Dict {
  if (Object.keys(x).length === 0 || pyEq(x, y)) return { ...y };
  const out = { ...x };
  if (!recursive && listMerge === 'replace') return Object.assign(out, y);
  for (const [k, yv] of Object.entries(y)) {
    if (!(k in out)) {
      out[k] = yv;
      continue;
    }
    const xv = out[k];
    if (isMapping(xv) && isMapping(yv)) {
      out[k] = recursive ? mergeHash(toDict(xv), toDict(yv), recursive, listMerge) : yv;
    } else if (Array.isArray(xv) && Array.isArray(yv)) {
      switch (listMerge) {
        case 'replace': out[k] = yv; break;
        case 'append': out[k] = [...xv, ...yv]; break;
        case 'prepend': out[k] = [...yv, ...xv]; break;
        case 'append_rp': out[k] = [...xv.filter((z) => !contains(yv, z)), ...yv]; break;
        case 'prepend_rp': out[k] = [...yv, ...xv.filter((z) => !contains(yv, z))]; break;
        case 'keep': break;
        default: throw new EvalError(`merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'`);
      }
    } else {
      out[k] = yv;
    }
  }
  return out;
}

function flatten(list: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const el of list) {
    if (skipNulls && (el === null || el === 'None' || el === 'null')) continue;
    if (Array.isArray(el)) {
      if (levels === null) out.push(...flatten(el, null, skipNulls));
      else if (levels >= 1) out.push(...flatten(el, levels - 1, skipNulls));
      else out.push(el);
    } else {
      out.push(el);
    }
  }
  return out;
}

function combos(items: unknown[], r: number, perm: boolean): unknown[][] {
  if (r === 0) return [[]];
  const out: unknown[][] = [];
  items.forEach((x, i) => {
    const rest = perm ? [...items.slice(0, i), ...items.slice(i + 1)] : items.slice(i + 1);
    for (const c of combos(rest, r - 1, perm)) out.push(tuple([x, ...c]));
  });
  return out;
}

const SIZE_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

function humanReadable(size: number, isbits: boolean, unit: string | null): string {
  const suffix = isbits ? 'b' : 'B';
  let idx = unit ? SIZE_UNITS.indexOf(unit[0].toUpperCase()) : -1;
  if (idx < 0) {
    idx = 0;
    while (idx < SIZE_UNITS.length - 1 && Math.abs(size) >= Math.pow(1024, idx + 1)) idx++;
  }
  const value = size / Math.pow(1024, idx);
  const name = idx === 0 ? (isbits ? 'bits' : 'Bytes') : SIZE_UNITS[idx] + suffix;
  return `${value.toFixed(2)} ${name}`;
}

function humanToBytes(s: unknown, defaultUnit: unknown, isbits: boolean): number {
  const m = /^\s*(\d*\.?\d+)\s*([A-Za-z]*)\s*$/.exec(pyStr(s));
  if (!m) throw new EvalError(`human_to_bytes() can't interpret following string: ${pyStr(s)}`);
  const num = parseFloat(m[1]);
  const unit = m[2] || (defaultUnit ? pyStr(defaultUnit) : '');
  if (!unit) return Math.round(num);
  const idx = SIZE_UNITS.indexOf(unit[0].toUpperCase());
  const tail = unit.slice(1);
  const bitsUnit = tail === 'b' || (unit.length === 1 && unit === 'b') || /bits?$/.test(unit);
  if (idx < 0 || (isbits && !bitsUnit && unit.length > 1) || (!isbits && bitsUnit && unit !== 'b')) {
    throw new EvalError(`human_to_bytes() failed to convert ${pyStr(s)}. Value is not a valid string (${unit})`);
  }
  return Math.round(num * Math.pow(1024, idx));
}

let seededState = 0;
function seeded(seed: unknown): () => number {
  if (seed === undefined || seed === null) return Math.random;
  let h = 2166136261;
  for (const c of pyStr(seed)) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  seededState = h >>> 0;
  return () => {
    seededState = (Math.imul(seededState, 1664525) + 1013904223) >>> 0;
    return seededState / 2 ** 32;
  };
}

function versionFilter(v: unknown, a: unknown[], kw: Record<string, unknown>): boolean {
  return versionCompare(pyStr(v), pyStr(arg(a, kw, 0, 'version')), pyStr(arg(a, kw, 1, 'operator', 'eq')), pythonTruthy(arg(a, kw, 2, 'strict', false)), arg(a, kw, 3, 'version_type', null) as string | null);
}

addFilters({
  bool: (v) => (v === null ? null : toBool(v)),
  ternary: (v, a, kw) => {
    const none = arg(a, kw, 2, 'none_val', null);
    if (v === null && none !== null) return none;
    return pythonTruthy(v) ? arg(a, kw, 0, 'true_val') : arg(a, kw, 1, 'false_val');
  },
  mandatory: {
    undefinedOk: true,
    fn: (v, a, kw) => {
      if (!(v instanceof Undefined)) return v;
      const msg = arg(a, kw, 0, 'msg');
      if (msg !== undefined && msg !== null) throw new UndefinedError(pyStr(msg));
      throw new UndefinedError(v.name ? `Mandatory variable '${v.name}' not defined.` : 'Mandatory variable not defined.');
    },
  },
  type_debug: { undefinedOk: true, fn: (v) => typeName(v) },
  combine: (v, a, kw) => {
    const recursive = pythonTruthy(kw.recursive ?? false);
    const listMerge = pyStr(kw.list_merge ?? 'replace');
    const extra = Object.keys(kw).filter((k) => k !== 'recursive' && k !== 'list_merge');
    if (extra.length) throw new EvalError(`'${extra[0]}' is an invalid keyword argument for combine()`);
    const dicts: unknown[] = [];
    for (const t of [v, ...a]) {
      if (Array.isArray(t)) dicts.push(...t);
      else dicts.push(t);
    }
    return dicts.reduce<Dict>((acc, d) => {
      assertDeepDefined(d);
      if (!isMapping(d)) throw new EvalError(`failed to combine variables, expected dicts but got a '${typeName(d)}'`);
      return mergeHash(acc, toDict(d), recursive, listMerge);
    }, {});
  },
  dict2items: (v, a, kw) => {
    if (!isMapping(v)) throw new EvalError(`dict2items requires a dictionary, got ${typeName(v)} instead.`);
    const [k, val] = [pyStr(arg(a, kw, 0, 'key_name', 'key')), pyStr(arg(a, kw, 1, 'value_name', 'value'))];
    return mappingEntries(v).map(([key, value]) => ({ [k]: key, [val]: value }));
  },
  items2dict: (v, a, kw) => {
    if (!Array.isArray(v)) throw new EvalError(`items2dict requires a list, got ${typeName(v)} instead.`);
    const [k, val] = [pyStr(arg(a, kw, 0, 'key_name', 'key')), pyStr(arg(a, kw, 1, 'value_name', 'value'))];
    const out: Dict = {};
    for (const item of v) {
      if (!isMapping(item)) throw new EvalError(`items2dict requires a list of dictionaries, got ${typeName(item)} instead.`);
      if (!mappingHas(item, k) || !mappingHas(item, val)) throw new EvalError(`items2dict requires each dictionary to have keys '${k}' and '${val}'`);
      out[pyStr(mappingGet(item, k))] = mappingGet(item, val);
    }
    return out;
  },
  flatten: (v, a, kw) => {
    const levels = arg<unknown>(a, kw, 0, 'levels', null);
    return flatten(iterate(v), levels === null ? null : Number(levels), pythonTruthy(arg(a, kw, 1, 'skip_nulls', true)));
  },
  unique: (v, a, kw) => uniqueList(iterate(v), pythonTruthy(arg(a, kw, 0, 'case_sensitive', false)), arg(a, kw, 1, 'attribute')),
  union: (v, a) => uniqueList([...iterate(v), ...iterate(a[0])], true),
  intersect: (v, a) => {
    const b = iterate(a[0]);
    return uniqueList(iterate(v).filter((x) => contains(b, x)), true);
  },
  difference: (v, a) => {
    const b = iterate(a[0]);
    return uniqueList(iterate(v).filter((x) => !contains(b, x)), true);
  },
  symmetric_difference: (v, a) => {
    const [x, y] = [iterate(v), iterate(a[0])];
    const isect = uniqueList(x.filter((e) => contains(y, e)), true);
    return uniqueList([...x, ...y], true).filter((e) => !contains(isect, e));
  },
  zip: (v, a) => {
    const lists = [v, ...a].map((l) => iterate(l));
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l[i])));
  },
  zip_longest: (v, a, kw) => {
    const lists = [v, ...a].map((l) => iterate(l));
    const fill = kw.fillvalue ?? null;
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  },
  extract: (v, a, kw, rt) => {
    const container = arg(a, kw, 0, 'container');
    let out = getItem(container, v, 'container');
    const more = arg<unknown>(a, kw, 1, 'morekeys', null);
    if (more !== null) for (const k of Array.isArray(more) ? more : [more]) out = getItem(out, k, pyStr(k));
    void rt;
    return out;
  },
  subelements: (v, a, kw) => {
    const path = pyStr(arg(a, kw, 0, 'subelements'));
    const skipMissing = pythonTruthy(arg(a, kw, 1, 'skip_missing', false));
    const items = isMapping(v) ? mappingEntries(v).map(([, x]) => x) : iterate(v);
    const out: unknown[] = [];
    for (const item of items) {
      let sub: unknown = item;
      for (const k of path.split('.')) {
        if (!isMapping(sub) || !mappingHas(sub, k)) {
          sub = undefined;
          break;
        }
        sub = mappingGet(sub, k);
      }
      if (sub === undefined) {
        if (skipMissing) continue;
        throw new EvalError(`could not find '${path}' key in iterated item '${pyStr(item)}'`);
      }
      if (!Array.isArray(sub)) throw new EvalError('the key %s should point to a list, got ' + pyStr(sub));
      for (const s of sub) out.push(tuple([item, s]));
    }
    return out;
  },
  product: (v, a, kw) => {
    const lists = [v, ...a].map((l) => iterate(l));
    const repeat = Number(kw.repeat ?? 1);
    const all = Array.from({ length: repeat }, () => lists).flat();
    return all.reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]).map((p) => tuple(p));
  },
  permutations: (v, a) => {
    const items = iterate(v);
    return combos(items, a[0] === undefined || a[0] === null ? items.length : Number(a[0]), true);
  },
  combinations: (v, a) => combos(iterate(v), Number(a[0]), false),
  // Ansible 2.14 has these only as tests; issue 2 asks for the filter forms too (older playbooks)
  version_compare: versionFilter,
  version: versionFilter,
  log: (v, a) => (a[0] === undefined ? Math.log(Number(v)) : Math.log(Number(v)) / Math.log(Number(a[0]))),
  pow: (v, a) => Math.pow(Number(v), Number(a[0])),
  root: (v, a) => {
    const base = a[0] === undefined ? 2 : Number(a[0]);
    return base === 2 ? Math.sqrt(Number(v)) : Math.pow(Number(v), 1 / base);
  },
  human_readable: (v, a, kw) => humanReadable(Number(v), pythonTruthy(arg(a, kw, 0, 'isbits', false)), arg<string | null>(a, kw, 1, 'unit', null)),
  human_to_bytes: (v, a, kw) => humanToBytes(v, arg(a, kw, 0, 'default_unit', null), pythonTruthy(arg(a, kw, 1, 'isbits', false))),
  random: (v, a, kw) => {
    const rnd = seeded(arg(a, kw, 2, 'seed'));
    if (typeof v === 'number') {
      const start = Number(arg(a, kw, 0, 'start', 0) ?? 0);
      const step = Number(arg(a, kw, 1, 'step', 1) ?? 1);
      const n = Math.ceil((v - start) / step);
      if (n <= 0) throw new EvalError('empty range for randrange()');
      return start + Math.floor(rnd() * n) * step;
    }
    const items = iterate(v);
    if (!items.length) throw new EvalError('Cannot choose from an empty sequence');
    return items[Math.floor(rnd() * items.length)];
  },
  shuffle: (v, a, kw) => {
    const rnd = seeded(arg(a, kw, 0, 'seed'));
    const items = [...iterate(v)];
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  },
});

export type { Kwargs };
export { defined };
