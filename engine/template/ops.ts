// Jinja2 operators with Python semantics: equality and ordering across lists and dicts, `in`,
// arithmetic that refuses to mix strings and numbers, floor division and modulo signs.
import { printfFormat } from './format.js';
import { isMapping, isPlainObject, isTuple, mappingEntries, mappingHas, mappingKeys, tuple, typeName } from './python.js';
import { EvalError, PyRuntimeError, defined } from './undefined.js';

/** Objects (dates, durations) that behave like numbers in comparisons and arithmetic. */
export interface PyNumeric {
  valueOf(): number;
  pyAdd?(other: unknown): unknown;
  pySub?(other: unknown): unknown;
}

function isNum(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

function num(v: number | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function typeError(op: string, a: unknown, b: unknown): EvalError {
  return new EvalError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyEq(a: unknown, b: unknown): boolean {
  a = defined(a);
  b = defined(b);
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (isNum(a) && isNum(b)) return num(a) === num(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    if (isTuple(a) !== isTuple(b)) return false;
    return a.every((x, i) => pyEq(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = mappingKeys(a);
    if (ka.length !== mappingKeys(b).length) return false;
    const bm = b;
    return mappingEntries(a).every(([k, v]) => mappingHas(bm, k) && pyEq(v, bm instanceof Map ? bm.get(k) : bm[k as string]));
  }
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => pyIn(x, b));
  if (typeof (a as { pyEq?: unknown }).pyEq === 'function') return (a as { pyEq(o: unknown): boolean }).pyEq(b);
  return false;
}

/** -1, 0 or 1; throws Python's TypeError text when the values are not orderable. */
export function pyCmp(a: unknown, b: unknown, op = '<'): number {
  a = defined(a);
  b = defined(b);
  if (isNum(a) && isNum(b)) {
    const x = num(a);
    const y = num(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (pyEq(a[i], b[i])) continue;
      return pyCmp(a[i], b[i], op);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  if (isNumeric(a) && isNumeric(b) && a.constructor === b.constructor) {
    return Math.sign(a.valueOf() - b.valueOf());
  }
  throw new EvalError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

function isNumeric(v: unknown): v is PyNumeric {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v) && typeof (v as PyNumeric).pySub === 'function';
}

export function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEq(a, b);
    case '!=':
    case '!==':
      return !pyEq(a, b);
    case '<':
      return pyCmp(a, b, op) < 0;
    case '<=':
      return pyCmp(a, b, op) <= 0;
    case '>':
      return pyCmp(a, b, op) > 0;
    case '>=':
      return pyCmp(a, b, op) >= 0;
    default:
      throw new EvalError(`unknown comparison operator ${op}`);
  }
}

/** Python `item in container`. */
export function pyIn(item: unknown, container: unknown): boolean {
  item = defined(item);
  container = defined(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new EvalError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (container instanceof Map) return container.has(item);
  if (isPlainObject(container)) {
    const key = typeof item === 'number' || typeof item === 'boolean' ? String(item) : item;
    return mappingHas(container, key);
  }
  if (container instanceof Set) return container.has(item) || [...container].some((x) => pyEq(x, item));
  throw new EvalError(`argument of type '${typeName(container)}' is not iterable`);
}

export function pyAdd(a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (isNum(a) && isNum(b)) return num(a) + num(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
  if (isNumeric(a) && a.pyAdd) return a.pyAdd(b);
  if (isNumeric(b) && b.pyAdd) return b.pyAdd(a);
  if (typeof a === 'string') throw new EvalError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) throw new EvalError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  throw typeError('+', a, b);
}

export function pySub(a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (isNum(a) && isNum(b)) return num(a) - num(b);
  if (isNumeric(a) && a.pySub) return a.pySub(b);
  throw typeError('-', a, b);
}

export function pyMul(a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (isNum(a) && isNum(b)) return num(a) * num(b);
  const [seq, n] = isNum(b) ? [a, num(b)] : [b, isNum(a) ? num(a) : NaN];
  if (Number.isInteger(n) && typeof seq === 'string') return n > 0 ? seq.repeat(n) : '';
  if (Number.isInteger(n) && Array.isArray(seq)) {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(...seq);
    return out;
  }
  throw typeError('*', a, b);
}

export function pyDiv(a: unknown, b: unknown): number {
  a = defined(a);
  b = defined(b);
  if (!isNum(a) || !isNum(b)) throw typeError('/', a, b);
  if (num(b) === 0) throw new PyRuntimeError('division by zero', 'ZeroDivisionError');
  return num(a) / num(b);
}

export function pyFloorDiv(a: unknown, b: unknown): number {
  a = defined(a);
  b = defined(b);
  if (!isNum(a) || !isNum(b)) throw typeError('//', a, b);
  if (num(b) === 0) throw new PyRuntimeError('integer division or modulo by zero', 'ZeroDivisionError');
  return Math.floor(num(a) / num(b));
}

export function pyMod(a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (typeof a === 'string') return printfFormat(a, Array.isArray(b) && isTuple(b) ? b : [b], b);
  if (!isNum(a) || !isNum(b)) throw typeError('%', a, b);
  const y = num(b);
  if (y === 0) throw new PyRuntimeError('integer division or modulo by zero', 'ZeroDivisionError');
  const r = num(a) % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

export function pyPow(a: unknown, b: unknown): number {
  a = defined(a);
  b = defined(b);
  if (!isNum(a) || !isNum(b)) throw typeError('** or pow()', a, b);
  return Math.pow(num(a), num(b));
}

export function pyNeg(a: unknown): number {
  a = defined(a);
  if (!isNum(a)) throw new EvalError(`bad operand type for unary -: '${typeName(a)}'`);
  return -num(a);
}

export function pyPos(a: unknown): number {
  a = defined(a);
  if (!isNum(a)) throw new EvalError(`bad operand type for unary +: '${typeName(a)}'`);
  return num(a);
}

