// ansible-core 2.14's digest filters: hash (hashlib names), checksum/sha1/md5, to_uuid and
// password_hash the way Python's crypt module computes it when passlib is not installed.
import { createHash, getHashes, randomInt } from 'node:crypto';
import { md5Crypt, shaCrypt } from './crypt.js';
import { pyStr, typeName } from './python.js';
import { addFilters, arg } from './registry.js';
import { EvalError } from './undefined.js';

/** hashlib.new(name) → the OpenSSL digest Node knows it by. */
function nodeDigest(name: string): string | undefined {
  const n = name.toLowerCase();
  const aliases: Record<string, string> = { blake2b: 'blake2b512', blake2s: 'blake2s256', sha512_224: 'sha512-224', sha512_256: 'sha512-256' };
  const candidate = aliases[n] ?? n.replace(/^sha3_/, 'sha3-');
  if (/^shake/.test(candidate)) return undefined; // hexdigest() needs a length: Python fails too
  return getHashes().includes(candidate) ? candidate : undefined;
}

export function hashOf(v: unknown, algo: string): string {
  const a = nodeDigest(algo);
  if (!a) throw new EvalError(`unsupported hash type ${algo}`);
  return createHash(a).update(pyStr(v), 'utf8').digest('hex');
}

/** uuid.UUID(text): optional urn:/uuid: prefix, braces and dashes around 32 hex digits. */
function parseUuid(ns: unknown): Buffer {
  if (typeof ns !== 'string') throw new EvalError(`Invalid value '${pyStr(ns)}' for 'namespace': '${typeName(ns)}' object has no attribute 'replace'`);
  const hex = ns.replace(/urn:/g, '').replace(/uuid:/g, '').replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  if (hex.length !== 32) throw new EvalError(`Invalid value '${ns}' for 'namespace': badly formed hexadecimal UUID string`);
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new EvalError(`Invalid value '${ns}' for 'namespace': invalid literal for int() with base 16: '${hex}'`);
  return Buffer.from(hex, 'hex');
}

/** RFC 4122 version-5 UUID, as Python's uuid.uuid5. */
function uuid5(namespace: unknown, name: string): string {
  const h = createHash('sha1').update(parseUuid(namespace)).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';
const ALGORITHMS: Record<string, { id: string; saltSize: number; implicitRounds: number | null; saltExact: boolean }> = {
  md5_crypt: { id: '1', saltSize: 8, implicitRounds: null, saltExact: false },
  bcrypt: { id: '2b', saltSize: 22, implicitRounds: 12, saltExact: true },
  sha256_crypt: { id: '5', saltSize: 16, implicitRounds: 535000, saltExact: false },
  sha512_crypt: { id: '6', saltSize: 16, implicitRounds: 656000, saltExact: false },
};

/** utils/encrypt.py CryptHash.hash (passlib is not installed alongside Debian's ansible-core). */
function passwordHash(password: unknown, hashtype: string, salt: unknown, saltSize: unknown, rounds: unknown, ident: unknown): string {
  const mapping: Record<string, string> = { md5: 'md5_crypt', blowfish: 'bcrypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt' };
  const algorithm = mapping[hashtype] ?? hashtype;
  const algo = ALGORITHMS[algorithm];
  if (!algo) throw new EvalError(`crypt.crypt does not support '${algorithm}' algorithm`);
  if (saltSize !== null && (typeof saltSize !== 'number' || !Number.isInteger(saltSize))) throw new EvalError('salt_size must be an integer');
  const size = (saltSize as number | null) || algo.saltSize;
  const s = salt !== null && salt !== '' ? pyStr(salt) : Array.from({ length: size }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
  if (/[^./0-9A-Za-z]/.test(s)) throw new EvalError('invalid characters in salt');
  if (algo.saltExact ? s.length !== algo.saltSize : s.length > algo.saltSize) throw new EvalError('invalid salt size');
  const r = rounds === null || rounds === algo.implicitRounds ? null : Number(rounds);
  // CryptHash._ident drops an explicit ident for everything but bcrypt: crypt() then rejects the salt
  if (ident !== null && ident !== '' && algorithm !== 'bcrypt') throw new EvalError(`crypt.crypt does not support '${algorithm}' algorithm`);
  if (algorithm === 'bcrypt') throw new EvalError("password_hash: bcrypt ('blowfish') is not implemented by drover; use sha512");
  if (algorithm === 'md5_crypt') return md5Crypt(pyStr(password), s);
  return shaCrypt(algorithm === 'sha512_crypt' ? 512 : 256, pyStr(password), s, r);
}

addFilters({
  hash: (v, a, kw) => hashOf(v, pyStr(arg(a, kw, 0, 'hashtype', 'sha1'))),
  checksum: (v) => hashOf(v, 'sha1'),
  sha1: (v) => hashOf(v, 'sha1'),
  md5: (v) => hashOf(v, 'md5'),
  to_uuid: (v, a, kw) => uuid5(arg(a, kw, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E'), pyStr(v)),
  password_hash: (v, a, kw) =>
    passwordHash(
      v,
      pyStr(arg(a, kw, 0, 'hashtype', 'sha512')),
      arg(a, kw, 1, 'salt', null),
      arg(a, kw, 2, 'salt_size', null),
      arg(a, kw, 3, 'rounds', null),
      arg(a, kw, 4, 'ident', null),
    ),
});
