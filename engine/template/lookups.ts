// Lookup plugins run on the controller: env, file, pipe, vars, first_found, template, lines,
// items/list/dict/indexed_items/nested/together/subelements/sequence and fileglob. Each returns a
// list; lookup() joins strings with commas unless wantlist=True, as Ansible does.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { findNeedle } from '../search/needle.js';
import { iterate } from './methods.js';
import { isMapping, mappingEntries, pyStr, toBool } from './python.js';
import type { Kwargs } from './registry.js';
import type { Runtime } from './runtime.js';
import { EvalError, Undefined, UndefinedError, defined } from './undefined.js';

export interface LookupServices {
  searchPaths(rt: Runtime): string[];
  /** lookup('template'): the rendered file (a NativeText when Ansible returns NativeJinjaText). */
  renderFile(path: string, rt: Runtime, term?: string, kw?: Kwargs): unknown;
}

type Lookup = (terms: unknown[], kw: Kwargs, rt: Runtime, svc: LookupServices) => unknown[];

/** Find `name` as Ansible's _find_needle does (see engine/search/needle.ts). */
export const findFile = findNeedle;

function flattenOnce(terms: unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

function globToRegex(glob: string): RegExp {
  return new RegExp('^' + glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
}

function sequence(term: string): string[] {
  const kv: Record<string, string> = {};
  let spec = term.trim();
  const short = /^(\d+|0x[0-9a-f]+)?-?(\d+|0x[0-9a-f]+)(?:\/(\d+))?(?::(.+))?$/i.exec(spec);
  if (short && !spec.includes('=')) {
    Object.assign(kv, { start: short[1] ?? '1', end: short[2], stride: short[3] ?? '1' }, short[4] ? { format: short[4] } : {});
  } else {
    for (const m of spec.matchAll(/(\w+)=(\S+)/g)) kv[m[1]] = m[2];
    spec = '';
  }
  const start = Number(kv.start ?? 1);
  const stride = Number(kv.stride ?? 1);
  const end = kv.count !== undefined ? start + (Number(kv.count) - 1) * stride : Number(kv.end);
  if (Number.isNaN(end)) throw new EvalError('must specify count or end in with_sequence');
  const fmt = kv.format ?? '%d';
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(fmt.replace(/%(0?\d*)([dxXo])/, (_m, w: string, c: string) => {
    const s = i.toString(c === 'd' ? 10 : c === 'o' ? 8 : 16);
    return (c === 'X' ? s.toUpperCase() : s).padStart(Number(w || 0), w.startsWith('0') ? '0' : ' ');
  }));
  return out;
}

export const LOOKUPS: Record<string, Lookup> = {
  env: (terms, kw) => terms.map((t) => process.env[pyStr(t)] ?? (kw.default === undefined ? '' : kw.default)),
  file: (terms, kw, rt, svc) =>
    terms.map((t) => {
      const path = findFile(svc.searchPaths(rt), 'files', pyStr(t));
      if (!path) throw new EvalError(`could not locate file in lookup: ${pyStr(t)}`);
      let text = readFileSync(path, 'utf8');
      if (kw.rstrip === undefined || toBool(kw.rstrip)) text = text.replace(/\s+$/, '');
      if (toBool(kw.lstrip)) text = text.replace(/^\s+/, '');
      return text;
    }),
  pipe: (terms) =>
    terms.map((t) => {
      try {
        return execSync(pyStr(t), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: '/bin/sh' }).replace(/\s+$/, '');
      } catch (e) {
        throw new EvalError(`lookup_plugin.pipe(${pyStr(t)}) returned ${(e as { status?: number }).status ?? 1}`);
      }
    }),
  lines: (terms) =>
    terms.flatMap((t) => {
      try {
        return execSync(pyStr(t), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: '/bin/sh' }).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);
      } catch (e) {
        throw new EvalError(`lookup_plugin.lines(${pyStr(t)}) returned ${(e as { status?: number }).status ?? 1}`);
      }
    }),
  vars: (terms, kw, rt) =>
    terms.map((t) => {
      const v = rt.lookupVar(pyStr(defined(t)));
      if (v instanceof Undefined) {
        if (Object.prototype.hasOwnProperty.call(kw, 'default')) return kw.default;
        throw new UndefinedError(`No variable found with this name: ${pyStr(t)}`);
      }
      return v;
    }),
  first_found: (terms, kw, rt, svc) => {
    const files: string[] = [];
    let paths: string[] = [];
    let skip = toBool(kw.skip);
    const add = (t: unknown): void => {
      if (isMapping(t)) {
        const m = Object.fromEntries(mappingEntries(t)) as Record<string, unknown>;
        const split = (v: unknown): string[] => (Array.isArray(v) ? v.map(pyStr) : v ? pyStr(v).split(/[,;:]/) : []);
        files.push(...split(m.files));
        paths.push(...split(m.paths));
        if (m.skip !== undefined) skip = toBool(m.skip);
      } else if (Array.isArray(t)) t.forEach(add);
      else files.push(...pyStr(t).split(/[,;]/));
    };
    terms.forEach(add);
    if (kw.files) add({ files: kw.files, paths: kw.paths });
    if (!paths.length) paths = svc.searchPaths(rt);
    for (const f of files) {
      const found = paths.length && !isAbsolute(f) ? findFile(paths, 'files', f) : findFile(svc.searchPaths(rt), 'files', f);
      if (found) return [found];
    }
    if (skip) return [];
    throw new EvalError('No file was found when using first_found.');
  },
  template: (terms, kw, rt, svc) =>
    terms.map((t) => {
      const path = findFile(svc.searchPaths(rt), 'templates', pyStr(t));
      if (!path) throw new EvalError(`the template file ${pyStr(t)} could not be found for the lookup`);
      return svc.renderFile(path, rt, pyStr(t), kw);
    }),
  fileglob: (terms, _kw, rt, svc) =>
    terms.flatMap((t) => {
      const pat = pyStr(t);
      const dirs = isAbsolute(pat) ? [''] : svc.searchPaths(rt).flatMap((d) => [join(d, 'files'), d]);
      for (const d of dirs) {
        const dir = join(d, dirname(pat));
        if (!existsSync(dir)) continue;
        const re = globToRegex(basename(pat));
        const hits = readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
        if (hits.length) return hits;
      }
      return [];
    }),
  items: (terms) => flattenOnce(terms),
  list: (terms) => terms,
  indexed_items: (terms) => flattenOnce(terms).map((x, i) => [i, x]),
  dict: (terms) => terms.flatMap((t) => (isMapping(t) ? mappingEntries(t).map(([key, value]) => ({ key, value })) : [])),
  nested: (terms) => product(terms.map((t) => iterate(t))),
  cartesian: (terms) => product(terms.map((t) => iterate(t))),
  together: (terms) => {
    const lists = terms.map((t) => iterate(t));
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
  },
  subelements: (terms) => {
    const [list, key, flags] = terms;
    const skipMissing = isMapping(flags) && toBool(Object.fromEntries(mappingEntries(flags)).skip_missing);
    const out: unknown[] = [];
    for (const item of Array.isArray(list) ? list : isMapping(list) ? mappingEntries(list).map(([, v]) => v) : []) {
      let sub: unknown = item;
      for (const k of pyStr(key).split('.')) sub = isMapping(sub) ? Object.fromEntries(mappingEntries(sub))[k] : undefined;
      if (sub === undefined) {
        if (skipMissing) continue;
        throw new EvalError(`could not find '${pyStr(key)}' key in iterated item`);
      }
      for (const s of iterate(sub)) out.push([item, s]);
    }
    return out;
  },
  sequence: (terms) => terms.flatMap((t) => sequence(pyStr(t))),
};

/** Run lookup plugin `name` and return its list (query semantics). */
export function runQuery(name: string, terms: unknown[], kw: Kwargs, rt: Runtime, svc: LookupServices): unknown[] {
  const short = name.slice(name.lastIndexOf('.') + 1);
  const plugin = LOOKUPS[short];
  if (!plugin) throw new EvalError(`lookup plugin (${name}) not found`);
  const errors = kw.errors === undefined ? 'strict' : pyStr(kw.errors);
  const opts: Kwargs = { ...kw };
  delete opts.wantlist;
  delete opts.errors;
  try {
    return plugin(terms.map((t) => defined(t)), opts, rt, svc);
  } catch (e) {
    if (errors === 'ignore' || errors === 'warn') return [];
    if (e instanceof UndefinedError) throw e;
    throw new EvalError(`An unhandled exception occurred while running the lookup plugin '${short}'. Error was a ${(e as Error).name ?? 'Error'}, original message: ${(e as Error).message ?? e}`);
  }
}

/** lookup(): comma-joined strings, a single non-string value, or the list with wantlist=True. */
export function runLookup(name: string, terms: unknown[], kw: Kwargs, rt: Runtime, svc: LookupServices): unknown {
  const errors = kw.errors === undefined ? 'strict' : pyStr(kw.errors);
  const ran = runQuery(name, terms, kw, rt, svc);
  if (toBool(kw.wantlist)) return ran;
  if (!ran.length) return errors === 'strict' ? '' : null;
  if (ran.every((x) => typeof x === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}
