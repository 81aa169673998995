// Host key verification as OpenSSH's StrictHostKeyChecking=yes does it: known_hosts lines
// (plain names, [host]:port, comma lists, wildcards, hashed |1|salt|hash entries, @revoked),
// an unknown key is refused with how to accept it, a changed key is always refused. Under
// accept-new an unknown key is recorded as ssh records it, so it is accepted once only.
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export type HostKeyVerdict = { status: 'ok' } | { status: 'unknown'; message: string } | { status: 'changed'; message: string } | { status: 'revoked'; message: string };

export interface KnownHostEntry {
  patterns: string[]; // possibly negated (!), wildcards, or one hashed |1|salt|hash
  keyType: string;
  key: string; // base64 blob
  marker?: '@revoked' | '@cert-authority';
  file: string;
  line: number;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (parts[0] === '@revoked' || parts[0] === '@cert-authority') marker = parts.shift() as KnownHostEntry['marker'];
    if (parts.length < 3) return;
    out.push({ patterns: parts[0].split(','), keyType: parts[1], key: parts[2], marker, file, line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: "host" on port 22, "[host]:port" otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

const ASCII = /^[\x00-\x7f]*$/;
/** Per pattern: its lower case when it is ASCII without wildcards, else its regex. */
const globs = new Map<string, string | RegExp>();
/** The name last looked up, lower-cased when ASCII (verifyHostKey tries one name on every entry). */
let lastName: string | undefined;
let lastLower: string | undefined;

/**
 * Every host is checked against every entry, so with one known_hosts line per host this runs
 * hosts x lines times: an ASCII pattern without wildcards is compared as its regex would match
 * (ASCII case folding only; a non-ASCII name falls back to the regex), others compile once.
 */
function globMatch(pattern: string, name: string): boolean {
  let g = globs.get(pattern);
  if (g === undefined) {
    g = !pattern.includes('*') && !pattern.includes('?') && ASCII.test(pattern)
      ? pattern.toLowerCase()
      : new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    globs.set(pattern, g);
  }
  if (typeof g !== 'string') return g.test(name);
  if (name.length !== g.length) return false;
  if (name !== lastName) {
    lastName = name;
    lastLower = ASCII.test(name) ? name.toLowerCase() : undefined;
  }
  if (lastLower === undefined) return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&') + '$', 'i').test(name);
  return lastLower === g;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return globMatch(pattern, name);
}

/** Does the entry name this host (negations win)? */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let hit = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) hit = true;
  }
  return hit;
}

/** The key type inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer, files: string[]): HostKeyVerdict {
  const name = hostKeyName(host, port);
  const keyType = keyTypeOfBlob(blob);
  const b64 = blob.toString('base64');
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e, name));
  if (mine.some((e) => e.marker === '@revoked' && e.key === b64)) {
    return { status: 'revoked', message: `Host key for ${name} is marked as revoked in known_hosts; refusing to connect` };
  }
  if (mine.some((e) => !e.marker && e.key === b64)) return { status: 'ok' };
  const sameType = mine.find((e) => !e.marker && e.keyType === keyType);
  if (sameType) {
    return {
      status: 'changed',
      message: `REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: the ${keyType} key differs from ${sameType.file}:${sameType.line}. It may be a man-in-the-middle attack; if the host was reinstalled, remove the old key with: ssh-keygen -R '${name}'`,
    };
  }
  return {
    status: 'unknown',
    message: `Host key verification failed: no ${keyType} key for ${name} in ${files.join(', ')}. Accept it after checking its fingerprint with: ssh-keyscan -p ${port} ${host} >> ${files[0]} — or disable checking with ANSIBLE_HOST_KEY_CHECKING=False (host_key_checking = False in ansible.cfg)`,
  };
}

const cache = new Map<string, KnownHostEntry[]>();

/** The cached entries of one file (read on first use; a missing file is empty). */
function entriesOf(f: string): KnownHostEntry[] {
  let hit = cache.get(f);
  if (!hit) {
    try {
      hit = parseKnownHosts(readFileSync(f, 'utf8'), f);
    } catch {
      hit = [];
    }
    cache.set(f, hit);
  }
  return hit;
}

/** Entries of the given files, read once per run. Missing files are empty. */
export function loadKnownHosts(files: string[]): KnownHostEntry[] {
  return files.flatMap(entriesOf);
}

/**
 * The known_hosts line ssh writes for a new key: `name keytype base64`, the name hashed as
 * |1|salt|HMAC-SHA1(salt, name) with HashKnownHosts (a fresh 20-byte salt, as OpenSSH's host_hash).
 */
export function knownHostsLine(name: string, blob: Buffer, hash: boolean, salt: Buffer = randomBytes(20)): string {
  const host = hash ? `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}` : name;
  return `${host} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}\n`;
}

/** Does the file end without a newline (a line appended to it would join its last line)? */
function lacksFinalNewline(file: string): boolean {
  const st = existsSync(file) ? statSync(file) : undefined;
  if (!st || !st.isFile() || st.size === 0) return false;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, st.size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Record a new host key in `file` as ssh's add_host_to_hostfile does (the user's first
 * UserKnownHostsFile; its folder is created 0700 like ~/.ssh, the file with the umask), and in
 * this run's cache, so later connections check against it. Returns the error text when the
 * file cannot be written: ssh then warns and goes on, and so does the caller.
 */
export function recordHostKey(file: string, name: string, blob: Buffer, hash: boolean): string | undefined {
  const line = knownHostsLine(name, blob, hash);
  try {
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, (lacksFinalNewline(file) ? '\n' : '') + line, { mode: 0o666 });
  } catch (e) {
    return (e as Error).message;
  }
  let lineNo = 0;
  try {
    lineNo = readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    /* a device such as /dev/null: no line number to show */
  }
  entriesOf(file).push(...parseKnownHosts(line, file).map((e) => ({ ...e, line: lineNo })));
  return undefined;
}
