// Python sets as CPython 3.11 builds them, for the set-theory filters on hashable input
// (`(1, 2, 3) | union((4, 5))` is `set(a) | set(b)` in ansible-core). The order a Python set
// iterates in is its hash-table slot order, so the table is emulated (ints, floats and tuples
// hash as in CPython; str hashes are randomised per process there, so any stable hash will do).
// The result is a JS Set whose insertion order is that iteration order.
import { pyEq } from './ops.js';
import { isTuple, typeName } from './python.js';
import { EvalError } from './undefined.js';

const MASK64 = (1n << 64n) - 1n;
const MODULUS = (1n << 61n) - 1n;
const PRIME1 = 11400714785074694791n;
const PRIME2 = 14029467366897019727n;
const PRIME5 = 2870177450012600261n;
const LINEAR_PROBES = 9;

/** Python's hash() as an unsigned 64-bit value (-1 is reserved, as in CPython). */
export function pyHash(v: unknown): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return numberHash(v) & MASK64;
  if (typeof v === 'string') return stringHash(v);
  if (v === null || v === undefined) return 0x5f3759dfn;
  if (isTuple(v)) return tupleHash(v as unknown[]);
  throw new EvalError(`unhashable type: '${typeName(v)}'`);
}

function numberHash(n: number): bigint {
  if (Number.isNaN(n)) return 0n;
  if (!Number.isFinite(n)) return n > 0 ? 314159n : -314159n;
  const sign = n < 0 ? -1n : 1n;
  let x = Math.abs(n);
  // x = m * 2**e exactly, then m * 2**(e mod 61) mod (2**61 - 1): CPython's _Py_HashDouble
  let e = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    e -= 1;
  }
  const m = BigInt(x);
  const shift = BigInt(((e % 61) + 61) % 61);
  let h = ((m % MODULUS) << shift) % MODULUS;
  h *= sign;
  return h === -1n ? -2n : h;
}

function stringHash(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(s, 'utf8')) h = ((h ^ BigInt(b)) * 0x100000001b3n) & MASK64;
  return h === MASK64 ? MASK64 - 1n : h;
}

function tupleHash(items: unknown[]): bigint {
  let acc = PRIME5;
  for (const x of items) {
    const lane = pyHash(x);
    acc = (acc + lane * PRIME2) & MASK64;
    acc = ((acc << 31n) | (acc >> 33n)) & MASK64;
    acc = (acc * PRIME1) & MASK64;
  }
  acc = (acc + (BigInt(items.length) ^ (PRIME5 ^ 3527539n))) & MASK64;
  return acc === MASK64 ? 1546275796n : acc;
}

interface Entry {
  key: unknown;
  hash: bigint;
}
const DUMMY: Entry = { key: Symbol('dummy'), hash: MASK64 };

/** setobject.c's open-addressing table: linear probes, then perturbed jumps. */
class SetTable {
  table: (Entry | null)[] = new Array(8).fill(null);
  fill = 0;
  used = 0;

  get mask(): number {
    return this.table.length - 1;
  }

  /** Slot indexes visited for `hash`, in CPython's probe order. */
  private *probe(hash: bigint): Generator<number> {
    const mask = this.mask;
    let perturb = hash;
    let i = Number(hash & BigInt(mask));
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) yield i + j;
      perturb >>= 5n;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  private find(key: unknown, hash: bigint): number {
    for (const i of this.probe(hash)) {
      const e = this.table[i];
      if (e === null) return -1;
      if (e !== DUMMY && e.hash === hash && pyEq(e.key, key)) return i;
    }
    return -1;
  }

  has(key: unknown): boolean {
    return this.find(key, pyHash(key)) >= 0;
  }

  add(key: unknown, hash = pyHash(key)): void {
    let freeslot = -1;
    for (const i of this.probe(hash)) {
      const e = this.table[i];
      if (e === null) {
        if (freeslot >= 0) {
          this.table[freeslot] = { key, hash };
          this.used++;
          return;
        }
        this.table[i] = { key, hash };
        this.fill++;
        this.used++;
        if (this.fill * 5 >= this.mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
        return;
      }
      if (e === DUMMY) {
        if (freeslot < 0) freeslot = i;
      } else if (e.hash === hash && pyEq(e.key, key)) {
        return;
      }
    }
  }

  discard(key: unknown, hash: bigint): boolean {
    const i = this.find(key, hash);
    if (i < 0) return false;
    this.table[i] = DUMMY;
    this.used--;
    return true;
  }

  private insertClean(e: Entry): void {
    for (const i of this.probe(e.hash)) {
      if (this.table[i] === null) {
        this.table[i] = e;
        return;
      }
    }
  }

  resize(minused: number): void {
    let size = 8;
    while (size <= minused) size <<= 1;
    const old = this.entries();
    this.table = new Array(size).fill(null);
    this.fill = this.used = old.length;
    for (const e of old) this.insertClean(e);
  }

  entries(): Entry[] {
    return this.table.filter((e): e is Entry => e !== null && e !== DUMMY);
  }

  /** set_merge: how `set(other_set)` and `s |= other` copy entries. */
  merge(other: SetTable): void {
    if ((this.fill + other.used) * 5 >= this.mask * 3) this.resize((this.used + other.used) * 2);
    if (this.fill === 0 && this.mask === other.mask && other.fill === other.used) {
      this.table = [...other.table];
      this.fill = other.fill;
      this.used = other.used;
    } else if (this.fill === 0) {
      this.fill = this.used = other.used;
      for (const e of other.entries()) this.insertClean(e);
    } else {
      for (const e of other.entries()) this.add(e.key, e.hash);
    }
  }

  toSet(): Set<unknown> {
    return new Set(this.entries().map((e) => e.key));
  }
}

function tableOf(items: Iterable<unknown>): SetTable {
  const t = new SetTable();
  for (const x of items) t.add(x);
  return t;
}

function copyOf(t: SetTable): SetTable {
  const c = new SetTable();
  c.merge(t);
  return c;
}

/** set(items), in CPython's iteration order; throws "unhashable type" like Python. */
export function pySet(items: Iterable<unknown>): Set<unknown> {
  return tableOf(items).toSet();
}

export function setUnion(a: Iterable<unknown>, b: Iterable<unknown>): Set<unknown> {
  const r = copyOf(tableOf(a));
  r.merge(tableOf(b));
  return r.toSet();
}

export function setIntersection(a: Iterable<unknown>, b: Iterable<unknown>): Set<unknown> {
  let [big, small] = [tableOf(a), tableOf(b)];
  if (small.used > big.used) [big, small] = [small, big];
  const r = new SetTable();
  for (const e of small.entries()) if (big.has(e.key)) r.add(e.key, e.hash);
  return r.toSet();
}

export function setDifference(a: Iterable<unknown>, b: Iterable<unknown>): Set<unknown> {
  const [x, y] = [tableOf(a), tableOf(b)];
  if (x.used >> 2 > y.used) {
    const r = copyOf(x);
    for (const e of y.entries()) r.discard(e.key, e.hash);
    if (r.fill - r.used > r.mask >> 2) r.resize(r.used > 50000 ? r.used * 2 : r.used * 4);
    return r.toSet();
  }
  const r = new SetTable();
  for (const e of x.entries()) if (!y.has(e.key)) r.add(e.key, e.hash);
  return r.toSet();
}

export function setSymmetricDifference(a: Iterable<unknown>, b: Iterable<unknown>): Set<unknown> {
  const r = copyOf(tableOf(b));
  for (const e of tableOf(a).entries()) if (!r.discard(e.key, e.hash)) r.add(e.key, e.hash);
  return r.toSet();
}
