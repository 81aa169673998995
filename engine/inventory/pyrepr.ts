// Python's str()/repr() of variable values, for `ansible-inventory --graph --vars` lines such as
// "{labels = {'region': 'infra'}}" and "{flag = True}". JS numbers do not remember that they came
// from a float literal: the loaders mark the container slots that hold an integral float (2.0),
// and tuples, so both print as Python prints them.
import { isFloatSlot, isTuple, pyFloat } from '../template/python.js';

/** repr() of a float that is not integral, in Python's shortest round-trip form. */
function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mant, exp] = n.toExponential().split('e');
    const e = parseInt(exp, 10);
    const sign = e < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}

function numberRepr(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return floatRepr(n);
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** repr() of a str: single quotes unless the text has ' and no ", escapes for the unprintable. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** repr() of a value made of JSON-like data. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return numberRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return strRepr(v);
  if (Array.isArray(v)) {
    const items = v.map((x, i) => slotRepr(v, i, x));
    if (isTuple(v)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  if (v instanceof Date) return strRepr(v.toISOString());
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const parts = Object.keys(v).map((k) => `${strRepr(k)}: ${slotRepr(v, k, (v as Record<string, unknown>)[k])}`);
    return `{${parts.join(', ')}}`;
  }
  return strRepr(String(v));
}

/** repr() of container[key], a float when the loader marked the slot as one. */
function slotRepr(container: object, key: string | number, x: unknown): string {
  return typeof x === 'number' && isFloatSlot(container, key) ? pyFloat(x) : pyRepr(x);
}

/** str() of container[key]: strings as they are, marked floats as floats, the rest as repr(). */
export function slotStr(container: object, key: string): string {
  const x = (container as Record<string, unknown>)[key];
  if (typeof x === 'string') return x;
  // objects such as a YAML datetime print with their own str()
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && ![Object.prototype, null].includes(Object.getPrototypeOf(x))) return String(x);
  return slotRepr(container, key, x);
}

/** str(): strings as they are, everything else as repr(). */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
