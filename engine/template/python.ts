// How Python (and so Jinja2 under Ansible) sees JS values: str() and repr() of values, truthiness,
// type names, and what counts as a dict. Values are plain JSON-like data: null is None, arrays are
// lists (or tuples when marked), plain objects and Maps are dicts.
import { Undefined } from './undefined.js';

/**
 * Marks unsafe data: every Unsafe string, and a container that came from an unsafe source (a
 * registered result, a value set from unsafe data). VarScope (engine/vars/scope.ts) sends such
 * values through the renderer, which unwraps them; templates reading them produce unsafe text,
 * which is never templated again.
 */
export const UNSAFE: unique symbol = Symbol.for('drover.unsafe') as never;

/** The str subclass Ansible gives unsafe text, as type_debug reports it. */
export type UnsafeType = 'AnsibleUnsafeText' | 'NativeJinjaUnsafeText' | 'AnsibleVaultEncryptedUnicode';

/** A string that must never be templated (YAML `!unsafe`, command output, lookup results). */
export class Unsafe {
  readonly [UNSAFE] = true;
  constructor(
    readonly value: string,
    readonly pyType: UnsafeType = 'AnsibleUnsafeText',
  ) {}
  toString(): string {
    return this.value;
  }
  toJSON(): string {
    return this.value;
  }
}

/**
 * A `!vault` value, decrypted at load (so a wrong password stops the run early) but, like Ansible's
 * AnsibleVaultEncryptedUnicode, never templated and dumped by ansible-inventory as its ciphertext.
 */
export class VaultText extends Unsafe {
  constructor(
    value: string,
    readonly ciphertext: string,
  ) {
    super(value, 'AnsibleVaultEncryptedUnicode');
  }
}

/** Lazy views (hostvars, a host's variables) render on read: never walked, kept as they are. */
const LAZY = Symbol.for('drover.opaque');

export function isLazy(v: object): boolean {
  return (v as Record<symbol, unknown>)[LAZY] === true;
}

export function isUnsafeValue(v: unknown): boolean {
  return v instanceof Unsafe || (typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[UNSAFE] === true);
}

/**
 * Ansible's wrap_var: every string becomes Unsafe (keys stay plain) and containers are marked,
 * so text read from them later is known to be unsafe. `inPlace` keeps the containers' identity
 * (the YAML loader records positions by identity); `native` types a top-level string
 * NativeJinjaUnsafeText (an unsafe NativeJinjaText result).
 */
export function wrapUnsafe(v: unknown, opts: { inPlace?: boolean; native?: boolean } = {}, depth = 0): unknown {
  if (typeof v === 'string') return new Unsafe(v, opts.native && depth === 0 ? 'NativeJinjaUnsafeText' : 'AnsibleUnsafeText');
  if (depth > 100 || v === null || typeof v !== 'object' || v instanceof Unsafe || isLazy(v)) return v;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(v)) {
    out = opts.inPlace ? v : v.slice();
    for (let i = 0; i < out.length; i++) out[i] = wrapUnsafe(out[i], opts, depth + 1);
    if (tuples.has(v)) tuples.add(out);
  } else if (isPlainObject(v)) {
    out = opts.inPlace ? v : { ...v };
    for (const k of Object.keys(out)) out[k] = wrapUnsafe(out[k], opts, depth + 1);
  } else {
    return v;
  }
  if (!Object.prototype.hasOwnProperty.call(out, UNSAFE)) Object.defineProperty(out, UNSAFE, { value: true });
  return out;
}

function hasUnsafe(v: unknown, depth = 0): boolean {
  if (v instanceof Unsafe) return true;
  if (depth > 100 || v === null || typeof v !== 'object' || isLazy(v)) return false;
  if (Array.isArray(v)) return v.some((x) => hasUnsafe(x, depth + 1));
  return isPlainObject(v) && Object.values(v).some((x) => hasUnsafe(x, depth + 1));
}

/** A copy of an unsafe container is unsafe too. */
export function keepUnsafeMark<T>(from: unknown, to: T): T {
  if (isUnsafeValue(from) && typeof to === 'object' && to !== null && !Object.prototype.hasOwnProperty.call(to, UNSAFE)) {
    Object.defineProperty(to, UNSAFE, { value: true });
  }
  return to;
}

/** The plain value of a wrap_var'd one (strings unwrapped; copies of containers stay marked). */
export function unwrapUnsafe(v: unknown, depth = 0): unknown {
  if (v instanceof Unsafe) return v.value;
  if (depth > 100 || v === null || typeof v !== 'object' || isLazy(v) || (depth === 0 && !hasUnsafe(v))) return v;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(v)) {
    if (!v.some((x) => typeof x === 'object' && x !== null)) return v;
    out = v.map((x) => unwrapUnsafe(x, depth + 1));
    if (tuples.has(v)) tuples.add(out);
  } else if (isPlainObject(v)) {
    out = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrapUnsafe(x, depth + 1);
  } else {
    return v;
  }
  return keepUnsafeMark(v, out);
}
const tuples = new WeakSet<unknown[]>();

/** Mark an array as a Python tuple (affects repr, type_debug and equality with lists). */
export function tuple<T extends unknown[]>(arr: T): T {
  tuples.add(arr);
  return arr;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && tuples.has(v);
}

const OPAQUE = Symbol.for('drover.opaque');
const detupled = new WeakMap<object, unknown>();

/**
 * The value as Ansible's Templar.template() hands back stored data: it walks lists and dicts
 * and rebuilds every sequence as a list, so a tuple kept by set_fact or register (groupby,
 * zip, dict.items()) reads back as a list. Unchanged values keep their identity.
 */
export function detuple(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v)) || (v as Record<symbol, unknown>)[OPAQUE]) return v;
  const known = detupled.get(v);
  if (known !== undefined) return known;
  let out: unknown = v;
  if (Array.isArray(v)) {
    const items = v.map(detuple);
    if (tuples.has(v) || items.some((x, i) => x !== v[i])) out = items;
  } else {
    const entries = Object.entries(v).map(([k, x]) => [k, detuple(x)] as const);
    if (entries.some(([k, x]) => x !== (v as Record<string, unknown>)[k])) out = Object.fromEntries(entries);
  }
  detupled.set(v, out);
  return out;
}

// Python floats with integral values (1000.0) are plain JS numbers here, which print as ints.
// Loaders that know better (INI literals, YAML) tell the container which of its slots hold one,
// so repr() and json.dumps() can print "1000.0" as Python does. Copies made by filters forget it.
const floatSlots = new WeakMap<object, Set<string>>();
let anyFloatSlot = false;

/** Record (or clear) that `container[key]` holds a Python float. */
export function setFloatSlot(container: object, key: string | number, isFloat: boolean): void {
  if (!isFloat && !anyFloatSlot) return; // the common case: no float was ever marked
  let slots = floatSlots.get(container);
  if (!isFloat) {
    slots?.delete(String(key));
    return;
  }
  anyFloatSlot = true;
  if (!slots) floatSlots.set(container, (slots = new Set()));
  slots.add(String(key));
}

export function isFloatSlot(container: object, key: string | number): boolean {
  return anyFloatSlot && (floatSlots.get(container)?.has(String(key)) ?? false);
}

/** repr() of a Python float: 1000.0, 1e+16, 1.5, inf. */
export function pyFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return (Object.is(n, -0) ? '-0' : String(n)) + '.0';
  if (Number.isInteger(n)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return pyNumber(n);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A Python dict: a plain object or a Map (Maps allow lazily computed values such as hostvars). */
export function isMapping(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  return v instanceof Map || isPlainObject(v);
}

export function mappingKeys(v: Record<string, unknown> | Map<unknown, unknown>): unknown[] {
  return v instanceof Map ? [...v.keys()] : Object.keys(v);
}

export function mappingHas(v: Record<string, unknown> | Map<unknown, unknown>, key: unknown): boolean {
  if (v instanceof Map) return v.has(key);
  return typeof key === 'string' || typeof key === 'number' ? Object.prototype.hasOwnProperty.call(v, key) : false;
}

export function mappingGet(v: Record<string, unknown> | Map<unknown, unknown>, key: unknown): unknown {
  if (v instanceof Map) return v.get(key);
  return mappingHas(v, key) ? v[key as string] : undefined;
}

export function mappingEntries(v: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] {
  return v instanceof Map ? [...v.entries()] : Object.entries(v);
}

/** Python's float repr for non-integral numbers, int formatting otherwise. */
export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Object.is(n, -0) ? '0' : String(n);
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** Python str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (v instanceof Undefined) return v.fail();
  if (typeof v === 'object' && !Array.isArray(v) && !isMapping(v) && !(v instanceof Set)) return String(v);
  return pyRepr(v);
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code >= 0x80 && code < 0xa0) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Python repr(). */
export function pyRepr(v: unknown, depth = 0): string {
  if (typeof v === 'string') return reprString(v);
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return pyStr(v);
  if (v instanceof Undefined) return v.fail();
  if (depth > 100) return '...';
  if (Array.isArray(v)) {
    const items = v.map((x, i) => (typeof x === 'number' && isFloatSlot(v, i) ? pyFloat(x) : pyRepr(x, depth + 1)));
    if (tuples.has(v)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  if (isMapping(v)) {
    const parts = mappingEntries(v).map(([k, x]) => {
      const val = typeof x === 'number' && typeof k === 'string' && isFloatSlot(v, k) ? pyFloat(x) : pyRepr(x, depth + 1);
      return `${pyRepr(k, depth + 1)}: ${val}`;
    });
    return `{${parts.join(', ')}}`;
  }
  if (v instanceof Set) return v.size ? `{${[...v].map((x) => pyRepr(x, depth + 1)).join(', ')}}` : 'set()';
  if (typeof v === 'object' && typeof (v as { pyRepr?: unknown }).pyRepr === 'function') {
    return (v as { pyRepr(): string }).pyRepr();
  }
  return String(v);
}

/** Python/Jinja truthiness; using an Undefined here is an error as in Ansible. */
export function pythonTruthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    case 'object':
      if (v instanceof Undefined) return v.fail();
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Map || v instanceof Set) return v.size > 0;
      if (isPlainObject(v)) return Object.keys(v).length > 0;
      return true;
    default:
      return true;
  }
}

/** Ansible's `bool` filter: yes/on/1/true (case-insensitive) and the number 1 are true. */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (v instanceof Undefined) return v.fail();
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase());
  if (typeof v === 'number') return v === 1;
  return false;
}

/** Python type name as `type_debug` reports it. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'string':
      return 'str';
    case 'function':
      return 'function';
    default:
      if (Array.isArray(v)) return tuples.has(v) ? 'tuple' : 'list';
      if (isMapping(v)) return 'dict';
      if (v instanceof Set) return 'set';
      // a YAML timestamp (inventory/yaml-tags.ts PyDateTime): PyYAML's date or datetime
      if (Symbol.for('drover.pydate') in (v as object)) return String((v as { iso: string }).iso).includes('T') ? 'datetime' : 'date';
      return (v as object).constructor?.name ?? 'object';
  }
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Python numbers: int, float and bool. */
export function isNumberLike(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}
