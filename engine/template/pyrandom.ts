// Python's `random.Random` (MT19937 seeded as CPython 3.11 seeds it), so `random(seed=...)` and
// `shuffle(seed=...)` pick the same items as ansible-core: playbooks use a seeded random (cron
// minute splay by inventory_hostname) precisely because the value must be stable across runs.
import { createHash, randomInt } from 'node:crypto';
import { EvalError } from './undefined.js';

const N = 624;
const M = 397;

export interface PyRandom {
  /** Random int in [0, n); n >= 1. */
  below(n: number): number;
}

class MersenneTwister implements PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(key: number[]) {
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
        mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k) for 1 <= k <= 53: the first 32-bit word holds the low bits. */
  private bits(k: number): number {
    if (k <= 32) return this.next32() >>> (32 - k);
    const low = this.next32();
    const high = this.next32() >>> (64 - k);
    return high * 2 ** 32 + low;
  }

  /** Random._randbelow_with_getrandbits: rejection sampling on n.bit_length() bits. */
  below(n: number): number {
    const k = Math.floor(Math.log2(n)) + 1;
    let r = this.bits(k);
    while (r >= n) r = this.bits(k);
    return r;
  }
}

class SystemRandom implements PyRandom {
  below(n: number): number {
    return n <= 2 ** 48 - 1 ? randomInt(n) : Math.floor(Math.random() * n);
  }
}

/** The 32-bit words of abs(n), least significant first (CPython's random_seed). */
function words(n: bigint): number[] {
  if (n < 0n) n = -n;
  const out: number[] = [];
  while (n > 0n) {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  return out.length ? out : [0];
}

/** Random(seed) as Python 3.11 seeds it; `null` gives SystemRandom as Ansible's filters do. */
export function pyRandom(seed: unknown): PyRandom {
  if (seed === null || seed === undefined) return new SystemRandom();
  if (typeof seed === 'boolean') return new MersenneTwister(words(seed ? 1n : 0n));
  if (typeof seed === 'number') {
    // hash(float) of an integral float is the int; other floats are rare seeds
    if (Number.isInteger(seed)) return new MersenneTwister(words(BigInt(seed)));
    return new MersenneTwister(words(BigInt(Math.trunc(seed * 2 ** 20))));
  }
  if (typeof seed === 'string') {
    // version 2: int.from_bytes(s.encode() + sha512(s.encode()).digest(), 'big')
    const bytes = Buffer.from(seed, 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    return new MersenneTwister(words(BigInt('0x' + all.toString('hex'))));
  }
  throw new EvalError('The only supported seed types are: None, int, float, str, bytes, and bytearray.');
}

/** Random.randrange(start, stop, step) with Python's error texts. */
export function randrange(r: PyRandom, start: number, stop: number, step: number): number {
  const width = stop - start;
  if (step === 1) {
    if (width > 0) return start + r.below(width);
    throw new EvalError(`empty range for randrange() (${start}, ${stop}, ${width})`);
  }
  if (step === 0) throw new EvalError('zero step for randrange()');
  const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
  if (n <= 0) throw new EvalError('empty range for randrange()');
  return start + step * r.below(n);
}

/** Random.shuffle on a copy. */
export function shuffled<T>(r: PyRandom, items: T[]): T[] {
  const x = [...items];
  for (let i = x.length - 1; i > 0; i--) {
    const j = r.below(i + 1);
    [x[i], x[j]] = [x[j], x[i]];
  }
  return x;
}
