// crypt(3)'s MD5-crypt ($1$) and SHA-crypt ($5$, $6$), the algorithms ansible-core's
// `password_hash` filter gets from Python's crypt module when passlib is absent (as on Debian):
// the same password and salt give the same string, so `user: password=` stays idempotent.
import { createHash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>= 6;
  }
  return out;
}

function digest(algo: string, ...parts: Buffer[]): Buffer {
  const h = createHash(algo);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** `len` bytes of `block` repeated. */
function stretch(block: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += block.length) block.copy(out, i, 0, Math.min(block.length, len - i));
  return out;
}

const SHA512_ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];
const SHA256_ORDER = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]];

/** Ulrich Drepper's SHA-crypt; `rounds` null means the implicit 5000 (not written out). */
export function shaCrypt(bits: 256 | 512, password: string, salt: string, rounds: number | null): string {
  const algo = bits === 512 ? 'sha512' : 'sha256';
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const n = rounds === null ? 5000 : Math.min(999_999_999, Math.max(1000, rounds));
  const b = digest(algo, p, s, p);
  const aParts: Buffer[] = [p, s, stretch(b, p.length)];
  for (let len = p.length; len > 0; len >>= 1) aParts.push(len & 1 ? b : p);
  let c = digest(algo, ...aParts);
  const pp = stretch(digest(algo, ...Array.from({ length: p.length }, () => p)), p.length);
  const ss = stretch(digest(algo, ...Array.from({ length: 16 + c[0] }, () => s)), s.length);
  for (let i = 0; i < n; i++) {
    const parts: Buffer[] = [i & 1 ? pp : c];
    if (i % 3) parts.push(ss);
    if (i % 7) parts.push(pp);
    parts.push(i & 1 ? c : pp);
    c = digest(algo, ...parts);
  }
  let out = '';
  for (const [x, y, z] of bits === 512 ? SHA512_ORDER : SHA256_ORDER) out += b64From24(c[x], c[y], c[z], 4);
  out += bits === 512 ? b64From24(0, 0, c[63], 2) : b64From24(0, c[31], c[30], 3);
  return `$${bits === 512 ? 6 : 5}$${rounds === null ? '' : `rounds=${n}$`}${s.toString('utf8')}$${out}`;
}

/** Poul-Henning Kamp's MD5-crypt ($1$). */
export function md5Crypt(password: string, salt: string): string {
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const alt = digest('md5', p, s, p);
  const parts: Buffer[] = [p, Buffer.from('$1$'), s, stretch(alt, p.length)];
  for (let i = p.length; i; i >>= 1) parts.push(i & 1 ? Buffer.alloc(1) : p.subarray(0, 1));
  let f = digest('md5', ...parts);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? p : f];
    if (i % 3) round.push(s);
    if (i % 7) round.push(p);
    round.push(i & 1 ? f : p);
    f = digest('md5', ...round);
  }
  const out =
    b64From24(f[0], f[6], f[12], 4) + b64From24(f[1], f[7], f[13], 4) + b64From24(f[2], f[8], f[14], 4) +
    b64From24(f[3], f[9], f[15], 4) + b64From24(f[4], f[10], f[5], 4) + b64From24(0, 0, f[11], 2);
  return `$1$${s.toString('utf8')}$${out}`;
}
