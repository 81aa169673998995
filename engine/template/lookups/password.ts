// The password lookup: a random password kept in a controller file (created 0600 in a 0700
// folder, beside a lock file), optionally hashed; seeded passwords equal ansible-core 2.14's
// (Python's Random), and the file format "PASSWORD salt=SALT ident=IDENT" is the same.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseKv, unquote } from '../../playbook/splitter.js';
import { md5Crypt, shaCrypt } from '../crypt.js';
import { pyRandom } from '../pyrandom.js';
import { pyStr } from '../python.js';
import { pyInt, resolveOptions } from './options.js';
import { PluginError, type LookupCall, type LookupPlugin } from './types.js';

const VALID = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Python's string module constants a `chars` entry may name. */
const STRING_CONSTANTS: Record<string, string> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
};
STRING_CONSTANTS.printable = STRING_CONSTANTS.digits + LETTERS + STRING_CONSTANTS.punctuation + STRING_CONSTANTS.whitespace;

/** Salt sizes and implicit idents of the hashes Ansible knows (BaseHash.algorithms). */
const ALGORITHMS: Record<string, { saltSize: number; ident: string | null }> = {
  md5_crypt: { saltSize: 8, ident: null },
  bcrypt: { saltSize: 22, ident: '2b' },
  sha256_crypt: { saltSize: 16, ident: null },
  sha512_crypt: { saltSize: 16, ident: null },
};

/** utils/encrypt.random_password: SystemRandom, or random.Random(seed) when seeded. */
function randomPassword(length: number, chars: string, seed: string | null): string {
  const rnd = pyRandom(seed);
  const cs = [...chars];
  if (!cs.length) throw new PluginError('Cannot choose from an empty sequence', 'IndexError');
  let out = '';
  for (let i = 0; i < length; i++) out += cs[rnd.below(cs.length)];
  return out;
}

const randomSalt = (length = 8) => randomPassword(length, LETTERS + '0123456789./', null);

function candidateChars(specs: string[]): string {
  return specs.map((s) => STRING_CONSTANTS[s] ?? s).join('').replace(/["']/g, '');
}

interface Params {
  length: number;
  encrypt: string | null;
  ident: string | null;
  seed: string | null;
  chars: string[];
}

function parseParameters(term: string, opts: Record<string, unknown>): { relpath: string; params: Params } {
  const space = term.indexOf(' ');
  let relpath = term;
  let kv: Record<string, string> = {};
  if (space >= 0) {
    relpath = term.slice(0, space);
    kv = parseKv(term.slice(space + 1));
    if (kv._raw_params !== undefined) {
      relpath = `${relpath} ${kv._raw_params}`;
      delete kv._raw_params;
      if (!term.startsWith(relpath)) throw new PluginError('Unrecognized value after key=value parameters given to password lookup');
    }
  }
  const invalid = Object.keys(kv).filter((k) => !VALID.has(k));
  if (invalid.length) throw new PluginError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
  let chars: unknown = kv.chars ?? opts.chars;
  if (typeof chars === 'string' && chars) {
    const list = chars.includes(',,') ? [','] : [];
    list.push(...chars.replace(/,,/g, ',').split(',').filter(Boolean));
    chars = list;
  }
  const opt = (k: string) => (kv[k] ?? opts[k] ?? null) as string | null;
  return { relpath, params: { length: pyInt(kv.length ?? opts.length), encrypt: opt('encrypt'), ident: opt('ident'), seed: opt('seed'), chars: (chars as unknown[]).map(pyStr) } };
}

/** DataLoader.path_dwim: ~ and absolute paths as they are, others from the play's folder. */
function pathDwim(given: string, call: LookupCall): string {
  const p = unquote(given);
  if (p.startsWith('~')) return resolve(homedir() + p.slice(1));
  return isAbsolute(p) ? resolve(p) : resolve(call.svc.basedir(call.rt), p);
}

/** "PASSWORD salt=SALT ident=IDENT": the last ` salt=` and ` ident=` split it. */
function parseContent(content: string): [string, string | null, string | null] {
  const at = content.lastIndexOf(' salt=');
  if (at < 0) return [content, null, null];
  const rest = content.slice(at + 6);
  const id = rest.lastIndexOf(' ident=');
  return id < 0 ? [content.slice(0, at), rest || null, null] : [content.slice(0, at), rest.slice(0, id), rest.slice(id + 7)];
}

/** do_encrypt through Python's crypt module (CryptHash): rounds left implicit. */
function encryptPassword(password: string, algorithm: string, salt: string): string {
  if (algorithm === 'sha256_crypt' || algorithm === 'sha512_crypt') return shaCrypt(algorithm === 'sha256_crypt' ? 256 : 512, password, salt, null);
  if (algorithm === 'md5_crypt') return md5Crypt(password, salt);
  throw new PluginError(`crypt.crypt does not support '${algorithm}' algorithm`);
}

/** One process at a time writes a new password file (the lock Ansible's forks share). */
function withLock<T>(path: string, fn: () => T): T {
  const lock = `${dirname(path)}/${createHash('sha1').update(path).digest('hex')}.ansible_lockfile`;
  let mine = false;
  if (!existsSync(lock) && path !== '/dev/null') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(lock, 'wx'));
      mine = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if (!mine && existsSync(lock)) {
    throw new PluginError(`Password lookup cannot get the lock in 7 seconds, abort...This may caused by un-removed lockfileyou can manually remove it from controller machine at ${lock} and try again`);
  }
  try {
    return fn();
  } finally {
    if (mine) rmSync(lock, { force: true });
  }
}

function lookupOne(term: string, opts: Record<string, unknown>, call: LookupCall): string {
  const { relpath, params } = parseParameters(term, opts);
  const path = pathDwim(relpath, call);
  const devNull = path === '/dev/null';
  let plaintext = '';
  let salt: string | null = null;
  let ident: string | null = null;
  const { encrypt } = params;
  withLock(path, () => {
    const content = !devNull && existsSync(path) ? readFileSync(path, 'utf8').trimEnd() : null;
    let changed = false;
    if (content === null) {
      plaintext = randomPassword(params.length, candidateChars(params.chars), params.seed);
      changed = true;
    } else [plaintext, salt, ident] = parseContent(content);
    const algo = encrypt ? ALGORITHMS[encrypt] : undefined;
    if (encrypt && !salt) {
      changed = true;
      salt = randomSalt(algo?.saltSize ?? 8);
    }
    // as 2.14 does, the ident= parameter replaces the stored one; without it the file is rewritten
    ident = params.ident;
    if (encrypt && !ident) {
      changed = true;
      ident = algo?.ident ?? null;
    }
    if (changed && !devNull) {
      const text = !encrypt && !salt ? plaintext : ident ? `${plaintext} salt=${salt} ident=${ident}` : `${plaintext} salt=${salt}`;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, text + '\n', { mode: 0o600 });
      chmodSync(path, 0o600);
    }
  });
  return encrypt ? encryptPassword(plaintext, encrypt, salt as unknown as string) : plaintext;
}

export const password: LookupPlugin = {
  options: {
    _terms: {},
    encrypt: {},
    ident: { type: 'str' },
    chars: { type: 'list', default: ['ascii_letters', 'digits', '.,:-_'] },
    length: { type: 'int', default: 20 },
    seed: { type: 'str' },
  },
  run(terms, call) {
    const opts = resolveOptions('password', this.options!, call.kwargs);
    return (terms as unknown[]).map((t) => lookupOne(pyStr(t), opts, call));
  },
};
