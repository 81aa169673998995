// Shared plumbing of the simulated OpenShift tools (oc, excluders, subscription-manager, docker,
// helm, osm): state files guarded by a lock, events, argv helpers. Plain ESM JavaScript so the
// tools run inside lab hosts with nothing but `node` (no build step, no TypeScript runtime).
// @ts-check
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';

/** A failure the tool reports as `error: MSG` on stderr with exit code `rc`. */
export class SimError extends Error {
  /** @param {string} message @param {number} [rc] */
  constructor(message, rc = 1) {
    super(message);
    this.rc = rc;
  }
}

/** Read KEY=VALUE lines of /etc/drover-sim/openshift.env (written by the installer) into env defaults. */
export function loadHostEnv(root = process.env.DROVER_SIM_ROOT ?? '/') {
  const file = path.join(root, 'etc/drover-sim/openshift.env');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2];
  }
}

/** Host root prefix for files the tools edit (/etc/yum.conf...): "/" in a lab host, a temp dir in tests. */
export function hostPath(p) {
  return path.join(process.env.DROVER_SIM_ROOT ?? '/', p);
}

const sleepBuf = new Int32Array(new SharedArrayBuffer(4));
/** Synchronous sleep: the tools are short sequential programs. @param {number} ms */
export function sleepSync(ms) {
  if (ms > 0) Atomics.wait(sleepBuf, 0, 0, ms);
}

/**
 * Run fn while holding an exclusive lock on `file`. The lock is `<file>.lock`, a file that may be
 * hard-linked into several lab hosts (chroots share no directory, only inodes): a taker adds one
 * more link to it and owns the lock when the inode's link count shows no other taker; otherwise
 * it removes its link and retries after a random pause. After 30 s of waiting the lock is taken
 * anyway (a crashed holder's link would otherwise block the cluster forever).
 * @template T @param {string} file @param {() => T} fn @returns {T}
 */
export function withLock(file, fn) {
  const lock = file + '.lock';
  if (!fs.existsSync(lock)) {
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, '', { flag: 'a' });
  }
  const base = staticLinks(lock);
  const mine = `${lock}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    fs.linkSync(lock, mine);
    if (fs.statSync(lock).nlink <= base + 1 || Date.now() > deadline) break;
    fs.unlinkSync(mine);
    sleepSync(5 + Math.random() * 25);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

/** Links the lock file has when nobody holds it: its content (written by the installer) or 1. */
function staticLinks(lock) {
  try {
    return Number(fs.readFileSync(lock, 'utf8').trim()) || 1;
  } catch {
    return 1;
  }
}

/** @param {string} file @param {any} fallback */
export function readJson(file, fallback) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trim() === '' ? fallback : JSON.parse(text);
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return fallback;
    throw e;
  }
}

/**
 * Rewrite a state file in place (not write + rename: the file may be hard-linked into several
 * lab hosts, and a rename would split the copies). Callers hold the lock, and so do readers.
 * @param {string} file @param {any} data
 */
export function writeJson(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

/**
 * Load state, let `fn` change it, save it back, all under the lock. Events are returned by fn
 * (as [kind, fields] pairs) and emitted after the state is saved.
 * @template T @param {string} file @param {any} fallback @param {(s: any) => T} fn @returns {T}
 */
export function updateJson(file, fallback, fn) {
  return withLock(file, () => {
    const state = readJson(file, fallback);
    const before = JSON.stringify(state);
    const out = fn(state);
    if (JSON.stringify(state) !== before) writeJson(file, state);
    return out;
  });
}

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(path.join(dir, cmd))) return true;
  }
  return false;
}

/** Render one event field as a lab-event word: `key=text` for strings, `key:=JSON` for the rest (kept typed). */
export function eventWord(key, value) {
  return typeof value === 'string' ? `${key}=${value}` : `${key}:=${JSON.stringify(value)}`;
}

/**
 * Record a change: `lab-event KIND key=value...` when that command is on PATH (inside a lab host),
 * and a JSON line {ts, kind, host?, ...fields} in $DROVER_SIM_EVENTS when set (tests).
 * @param {string} kind @param {Record<string, unknown>} fields
 */
export function emitEvent(kind, fields) {
  const host = process.env.DROVER_SIM_HOST;
  const file = process.env.DROVER_SIM_EVENTS;
  if (file) {
    const rec = { ts: new Date().toISOString(), ...(host ? { host } : {}), ...fields, kind };
    fs.appendFileSync(file, JSON.stringify(rec) + '\n');
  }
  if (onPath('lab-event')) {
    spawnSync('lab-event', [kind, ...Object.entries(fields).map(([k, v]) => eventWord(k, v))], { stdio: 'ignore' });
  }
}

/**
 * Split argv into positionals and options. `--x=v`, `--x v` (for names in `valued`), `-n v`,
 * `-nv`, bare `--x` → true. Repeated options collect into arrays under `all`.
 * @param {string[]} argv @param {string[]} valued names (without dashes) that take a value
 */
export function parseArgs(argv, valued) {
  /** @type {string[]} */
  const pos = [];
  /** @type {Record<string, string | boolean>} */
  const opts = {};
  /** @type {Record<string, (string|boolean)[]>} */
  const all = {};
  const set = (k, v) => {
    opts[k] = v;
    (all[k] ??= []).push(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    let m = /^--([^=]+)=(.*)$/s.exec(a);
    if (m) {
      set(m[1], m[2]);
      continue;
    }
    m = /^--(.+)$/.exec(a) ?? /^-([A-Za-z])$/.exec(a);
    if (m) {
      if (valued.includes(m[1]) && i + 1 < argv.length) set(m[1], argv[++i]);
      else set(m[1], true);
      continue;
    }
    m = /^-([A-Za-z])(.+)$/s.exec(a);
    if (m && valued.includes(m[1])) {
      set(m[1], m[2].replace(/^=/, ''));
      continue;
    }
    pos.push(a);
  }
  return { pos, opts, all };
}

/** Boolean option value: `--x`, `--x=true|false`. @param {string|boolean|undefined} v @param {boolean} dflt */
export function boolOpt(v, dflt) {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new SimError(`invalid boolean value "${v}"`);
}

/** Parse a Go duration ("30s", "5m", "1h30m", "0") into seconds. @param {string} s */
export function parseDuration(s) {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let m;
  let used = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
    used += m[0].length;
  }
  if (used !== s.length || s === '') throw new SimError(`invalid duration "${s}"`);
  return total;
}

/** Installed version of an rpm when rpm can answer, else undefined. @param {string} name */
export function rpmVersion(name) {
  if (process.env.DROVER_SIM_NO_RPM === '1') return undefined;
  const r = spawnSync('rpm', ['-q', '--qf', '%{VERSION}', name], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout || /not installed/.test(r.stdout)) return undefined;
  return r.stdout.trim();
}

/** Main wrapper: run the tool, print SimError as `error: ...`, exit with its code. @param {() => Promise<number|void>|number|void} fn */
export async function main(fn) {
  let rc = 0;
  try {
    rc = (await fn()) ?? 0;
  } catch (e) {
    if (e instanceof SimError) {
      if (e.message) process.stderr.write(/^(error|Error)/.test(e.message) ? e.message + '\n' : `error: ${e.message}\n`);
      rc = e.rc;
    } else {
      process.stderr.write(String(/** @type {Error} */ (e)?.stack ?? e) + '\n');
      rc = 2;
    }
  }
  process.exitCode = rc;
}

/** Deep copy of JSON data (the state is plain JSON). @template T @param {T} v @returns {T} */
export const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/**
 * The cluster's state file, $DROVER_CLUSTER_STATE/cluster.json; when the host has no cluster each
 * client fails with its own "connection refused" text (`refused`), as the real tools do.
 */
export function clusterStateFile(refused) {
  loadHostEnv();
  const dir = process.env.DROVER_CLUSTER_STATE;
  if (!dir || !fs.existsSync(path.join(dir, 'cluster.json'))) throw new SimError(refused);
  return path.join(dir, 'cluster.json');
}

/** helm/osm `--set a.b=c,d=e` into a values object (true/false/integers typed as helm does). */
export function applySetValues(values, expr, noValue) {
  for (const part of expr.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) throw new SimError(noValue(part));
    const keys = part.slice(0, i).split('.');
    const raw = part.slice(i + 1);
    const val = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
    let o = values;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] && typeof o[k] === 'object' ? o[k] : {};
    o[keys[keys.length - 1]] = val;
  }
  return values;
}
