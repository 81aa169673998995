// crypt(3)'s SHA-crypt ($5$ sha256_crypt, $6$ sha512_crypt): what ansible-core 2.14's do_encrypt
// returns through Python's crypt module when passlib is absent (rounds=5000, not written out).
import { createHash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const ORDER: Record<'sha256' | 'sha512', { id: string; triples: number[][]; tail: number[] }> = {
  sha256: {
    id: '5',
    triples: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]],
    tail: [-1, 31, 30],
  },
  sha512: {
    id: '6',
    triples: [
      [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
      [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
    ],
    tail: [-1, -1, 63],
  },
};

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = '';
  for (let i = 0; i < n; i++) {
    s += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return s;
}

/** `n` bytes of `block` repeated. */
function stretch(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = block[i % block.length];
  return out;
}

/** Ulrich Drepper's SHA-crypt with the default 5000 rounds. */
export function shaCrypt(algo: 'sha256' | 'sha512', password: string, salt: string): string {
  const H = (...parts: Buffer[]) => createHash(algo).update(Buffer.concat(parts)).digest();
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const b = H(p, s, p);
  const aParts = [p, s, stretch(b, p.length)];
  for (let n = p.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : p);
  let c = H(...aParts);
  const pBytes = stretch(H(...Array<Buffer>(p.length).fill(p)), p.length);
  const sBytes = stretch(H(...Array<Buffer>(16 + c[0]).fill(s)), s.length);
  for (let i = 0; i < 5000; i++) {
    const parts: Buffer[] = [i & 1 ? pBytes : c];
    if (i % 3) parts.push(sBytes);
    if (i % 7) parts.push(pBytes);
    parts.push(i & 1 ? c : pBytes);
    c = H(...parts);
  }
  const o = ORDER[algo];
  const at = (i: number) => (i < 0 ? 0 : c[i]);
  let out = o.triples.map(([x, y, z]) => b64(c[x], c[y], c[z], 4)).join('');
  out += b64(at(o.tail[0]), at(o.tail[1]), at(o.tail[2]), algo === 'sha256' ? 3 : 2);
  return `$${o.id}$${salt.slice(0, 16)}$${out}`;
}
