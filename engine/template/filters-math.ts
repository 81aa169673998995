// ansible-core 2.14's plugins/filter/mathstuff.py: unique and the set-theory filters (Python sets
// for hashable input, order-keeping lists otherwise), log/pow/root, human_readable/human_to_bytes,
// rekey_on_member and the itertools filters (zip, zip_longest, product, permutations, combinations).
import { attrGetter } from './filters-core.js';
import { printfFormat } from './format.js';
import { iterate } from './methods.js';
import { pyAdd, pyEq, pyIn } from './ops.js';
import { isMapping, isTuple, mappingEntries, mappingGet, mappingHas, pyStr, pythonTruthy, tuple, typeName } from './python.js';
import { pyLog, pyLog10, pyPow } from './pymath.js';
import { pyHash, setDifference, setIntersection, setSymmetricDifference, setUnion } from './pyset.js';
import { addFilters, arg } from './registry.js';
import { EvalError, Undefined } from './undefined.js';

/** isinstance(v, Hashable): str, numbers, None and tuples take the `set(a) op set(b)` path. */
function hashable(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || isTuple(v);
}

/** A key equal for values Python's set considers equal (1 == 1.0 == True); throws if unhashable. */
function hashKey(v: unknown): string {
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number' || typeof v === 'boolean') return 'n' + Number(v);
  if (v === null) return 'N';
  if (v instanceof Undefined) return 'U';
  if (isTuple(v)) return 't' + JSON.stringify((v as unknown[]).map(hashKey));
  pyHash(v); // raises Python's "unhashable type: 'list'"
  return '';
}

const NO_FALLBACK =
  "Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied";

/** Jinja2's do_unique (keys lower-cased unless case_sensitive); Ansible's list fallback when it raises. */
export function uniqueList(v: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const strict = caseSensitive === false || (attribute !== undefined && attribute !== null && pythonTruthy(attribute));
  const get = attribute === undefined || attribute === null ? (x: unknown) => x : attrGetter(attribute);
  const fold = pythonTruthy(caseSensitive ?? false) ? (x: unknown) => x : (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : x);
  let items: unknown[];
  try {
    items = iterate(v);
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const x of items) {
      const k = hashKey(fold(get(x)));
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(x);
    }
    return out;
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
    if (strict) throw new EvalError(`${NO_FALLBACK}. ${e.message}`);
  }
  const out: unknown[] = [];
  for (const x of iterate(v)) if (!out.some((y) => pyEq(y, x))) out.push(x);
  return out;
}

function setOp(a: unknown, b: unknown, op: (x: unknown[], y: unknown[]) => Set<unknown>, fallback: () => unknown[]): unknown {
  return hashable(a) && hashable(b) ? op(iterate(a), iterate(b)) : fallback();
}

function intersect(a: unknown, b: unknown): unknown {
  return setOp(a, b, setIntersection, () => uniqueList(iterate(a).filter((x) => pyIn(x, b)), true, null));
}

function union(a: unknown, b: unknown): unknown {
  return setOp(a, b, setUnion, () => uniqueList(pyAdd(a, b), true, null));
}

/** The message of Python's TypeError from math.* given a non-number. */
function mathArg(v: unknown, name: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  throw new EvalError(`${name}() can only be used on numbers: must be real number, not ${typeName(v)}`);
}

/** math.* results: NaN is Python's ValueError, an infinity from finite input its OverflowError. */
function checked(r: number, ...inputs: number[]): number {
  if (Number.isNaN(r) && !inputs.some(Number.isNaN)) throw new EvalError('math domain error');
  if (!Number.isFinite(r) && !Number.isNaN(r) && inputs.every(Number.isFinite)) throw new EvalError('math range error');
  return r;
}

/** math.log(x) / math.log10(x) / math.log(x, base) = log(x) / log(base). */
function logarithm(v: unknown, base: unknown): number {
  const x = mathArg(v, 'log');
  if (x <= 0) throw new EvalError('math domain error');
  if (base === undefined) return pyLog(x);
  const b = mathArg(base, 'log');
  if (b === 10) return pyLog10(x);
  if (b <= 0) throw new EvalError('math domain error');
  const den = pyLog(b);
  if (den === 0) throw new EvalError('float division by zero');
  return pyLog(x) / den;
}

function inversePower(v: unknown, base: unknown): number {
  const x = mathArg(v, 'root');
  const fail = (why: string): never => {
    throw new EvalError(`root() can only be used on numbers: ${why}`);
  };
  if (base === 2 || base === true || base === undefined) return x < 0 ? fail('math domain error') : Math.sqrt(x);
  const b = typeof base === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(base) ? Number(base) : base;
  if (typeof b !== 'number' && typeof b !== 'boolean') fail(typeof b === 'string' ? `could not convert string to float: '${b}'` : `float() argument must be a string or a real number, not '${typeName(b)}'`);
  if (Number(b) === 0) throw new EvalError('float division by zero');
  const r = pyPow(x, 1 / Number(b));
  return Number.isNaN(r) ? fail('math domain error') : r;
}

const SIZE_RANGES: [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]];

/** module_utils/common/text/formatters.py bytes_to_human. */
function humanReadable(size: unknown, isbits: unknown, unit: unknown): string {
  if (typeof size !== 'number' && typeof size !== 'boolean') {
    throw new EvalError(`human_readable() failed on bad input: '>=' not supported between instances of '${typeName(size)}' and 'int'`);
  }
  const n = Number(size);
  const wanted = unit === undefined || unit === null ? null : pyStr(unit).toUpperCase();
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1];
  for ([suffix, limit] of SIZE_RANGES) if ((wanted === null && n >= limit) || wanted === suffix) break;
  const base = pythonTruthy(isbits) ? 'bits' : 'Bytes';
  return printfFormat('%.2f %s', [n / limit, limit !== 1 ? suffix + base[0] : base]);
}

/** Python's round() to an int: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** formatters.human_to_bytes; every ValueError becomes mathstuff's "can't interpret" message. */
function humanToBytes(v: unknown, defaultUnit: unknown, isbits: unknown): number {
  const input = pyStr(v);
  const bad = (): never => {
    throw new EvalError(`human_to_bytes() can't interpret following string: ${input}`);
  };
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(input)!;
  if (!/\d/.test(m[1])) bad();
  const num = Number(m[1]);
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? null : pyStr(defaultUnit));
  if (unit === null) return roundHalfEven(num);
  const key = unit[0].toUpperCase();
  const range = SIZE_RANGES.find(([s]) => s === key);
  if (!range) return bad();
  const [unitClass, unitName] = pythonTruthy(isbits) ? ['b', 'bit'] : ['B', 'byte'];
  if (unit.length > 1 && !unit.toLowerCase().includes(unitName) && unit[1] !== unitClass) bad();
  return roundHalfEven(num * range[1]);
}

function rekeyOnMember(data: unknown, key: unknown, duplicates: unknown): Record<string, unknown> {
  if (duplicates !== 'error' && duplicates !== 'overwrite') {
    throw new EvalError(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(duplicates)}`);
  }
  let items: unknown[];
  if (isMapping(data)) items = mappingEntries(data).map(([, x]) => x);
  else if (Array.isArray(data) || data instanceof Set) items = [...data];
  else throw new EvalError('Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isMapping(item)) throw new EvalError('List item is not a valid dict');
    if (!mappingHas(item, key)) throw new EvalError(`Key ${pyStr(key)} was not found`);
    const k = pyStr(mappingGet(item, key));
    if (pythonTruthy(out[k] ?? null) && duplicates === 'error') {
      throw new EvalError(`Key ${k} is not unique, cannot correctly turn into dict`);
    }
    out[k] = item;
  }
  return out;
}

function combos(items: unknown[], r: number, perm: boolean): unknown[][] {
  if (r === 0) return [tuple([])];
  const out: unknown[][] = [];
  items.forEach((x, i) => {
    const rest = perm ? [...items.slice(0, i), ...items.slice(i + 1)] : items.slice(i + 1);
    for (const c of combos(rest, r - 1, perm)) out.push(tuple([x, ...c]));
  });
  return out;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new EvalError(`Expected int as r`);
  if (v < 0) throw new EvalError(`${what} must be non-negative`);
  return v;
}

addFilters({
  unique: (v, a, kw) => uniqueList(v, arg(a, kw, 0, 'case_sensitive', null), arg(a, kw, 1, 'attribute', null)),
  intersect: (v, a) => intersect(v, a[0]),
  union: (v, a) => union(v, a[0]),
  difference: (v, a) => setOp(v, a[0], setDifference, () => uniqueList(iterate(v).filter((x) => !pyIn(x, a[0])), true, null)),
  symmetric_difference: (v, a) =>
    setOp(v, a[0], setSymmetricDifference, () => {
      const isect = iterate(intersect(v, a[0]));
      return iterate(union(v, a[0])).filter((x) => !isect.some((y) => pyEq(x, y)));
    }),
  log: (v, a, kw) => logarithm(v, arg(a, kw, 0, 'base')),
  pow: (v, a, kw) => {
    const [x, y] = [mathArg(v, 'pow'), mathArg(arg(a, kw, 0, 'y'), 'pow')];
    return checked(pyPow(x, y), x, y);
  },
  root: (v, a, kw) => inversePower(v, arg(a, kw, 0, 'base')),
  human_readable: (v, a, kw) => humanReadable(v, arg(a, kw, 0, 'isbits', false), arg(a, kw, 1, 'unit', null)),
  human_to_bytes: (v, a, kw) => humanToBytes(v, arg(a, kw, 0, 'default_unit', null), arg(a, kw, 1, 'isbits', false)),
  rekey_on_member: (v, a, kw) => rekeyOnMember(v, arg(a, kw, 0, 'key'), arg(a, kw, 1, 'duplicates', 'error')),
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
  product: (v, a, kw) => {
    const lists = [v, ...a].map((l) => iterate(l));
    const all = Array.from({ length: count(kw.repeat ?? 1, 'repeat argument') }, () => lists).flat();
    return all.reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]).map((p) => tuple(p));
  },
  permutations: (v, a, kw) => {
    const items = iterate(v);
    const r = arg<unknown>(a, kw, 0, 'r', null);
    return r === null ? combos(items, items.length, true) : count(r, 'r') > items.length ? [] : combos(items, count(r, 'r'), true);
  },
  combinations: (v, a, kw) => {
    const items = iterate(v);
    const r = count(arg(a, kw, 0, 'r'), 'r');
    return r > items.length ? [] : combos(items, r, false);
  },
});
