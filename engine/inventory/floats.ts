// Integral Python floats (1e3, 2.0) from INI literals and YAML would print as ints once they are
// JS numbers. Parsers return them boxed; `settle` unboxes them into plain numbers and marks the
// containing slot (template/python.ts float slots) so --graph --vars and the JSON output print
// "1000.0" as ansible-inventory does. Values stay plain JSON-like data for everything else.
import { pyFloat, setFloatSlot } from '../template/python.js';

/** A float whose value is integral, as a parser produced it; never leaves the inventory loaders. */
export class IntegralFloat {
  constructor(readonly value: number) {}
  /** As a dict key, json.dumps writes the float's repr. */
  toString(): string {
    return pyFloat(this.value);
  }
}

/** Replace boxed floats inside `v` (in place, containers included) and return the plain value. */
export function settle(v: unknown, seen = new Set<object>()): unknown {
  if (v instanceof IntegralFloat) return v.value;
  if (v === null || typeof v !== 'object' || seen.has(v)) return v;
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x instanceof IntegralFloat) {
        setFloatSlot(v, i, true);
        v[i] = x.value;
      } else settle(x, seen);
    }
  } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (x instanceof IntegralFloat) storeVar(o, k, x.value, true);
      else settle(x, seen);
    }
  }
  return v;
}

/** Store `value` (boxed only at the top) at obj[key], keeping its float mark; "__proto__" is a plain key. */
export function storeVar(obj: Record<string, unknown>, key: string, value: unknown, markedFloat = false): void {
  const isFloat = markedFloat || value instanceof IntegralFloat;
  const plain = value instanceof IntegralFloat ? value.value : value;
  if (key === '__proto__') Object.defineProperty(obj, key, { value: plain, enumerable: true, writable: true, configurable: true });
  else obj[key] = plain;
  setFloatSlot(obj, key, isFloat);
}
