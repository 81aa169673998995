// ansible.builtin.find: list files under paths matching patterns/excludes (fnmatch or Python
// regex), file_type, age, size, contains, hidden, depth. One trip lists the tree with stats
// (lib/walk.ts); filtering is the pure selectEntries(); only `contains` and `get_checksum` need
// one more trip each, for the candidates alone.
import { statCoreKeys, statModeBits } from '../engine/modules-sdk/facts.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import { checksumToolMissing } from '../engine/modules-sdk/tools.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { compilePy } from './lib/pyre.js';
import { fnmatchRe, parseWalk, walkOrder, walkScript, type WalkEntry } from './lib/walk.js';
import * as path from 'node:path';

const AGE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "-2d" → -172800; undefined when malformed. */
export function parseAge(s: string): number | undefined {
  const m = /^(-?\d+)(s|m|h|d|w)?$/.exec(s.toLowerCase());
  return m ? parseInt(m[1], 10) * (AGE_UNITS[m[2] ?? 's'] ?? 1) : undefined;
}

/** "10k" → 10240; undefined when malformed. */
export function parseSize(s: string): number | undefined {
  const m = /^(-?\d+)(b|k|m|g|t)?$/.exec(s.toLowerCase());
  return m ? parseInt(m[1], 10) * (SIZE_UNITS[m[2] ?? 'b'] ?? 1) : undefined;
}

export interface FindParams {
  patterns: string[];
  excludes?: string[];
  useRegex: boolean;
  fileType: 'any' | 'directory' | 'file' | 'link';
  age?: number;
  ageStamp: 'atime' | 'ctime' | 'mtime';
  size?: number;
  hidden: boolean;
  depth?: number;
  /** Seconds since the epoch, for age. */
  now: number;
}

/** find's pfilter(): name matches a pattern and no exclude. */
export function nameFilter(name: string, patterns: string[], excludes: string[] | undefined, useRegex: boolean): boolean {
  if (!patterns.length && !excludes?.length) return true;
  const test = (p: string) => (useRegex ? new RegExp('^(?:' + compilePy(p).source + ')', compilePy(p).flags).test(name) : fnmatchRe(p).test(name));
  if (!patterns.some(test)) return false;
  return !(excludes ?? []).some(test);
}

/** Everything but `contains`: which entries of one root match, in os.walk order. */
export function selectEntries(root: string, entries: WalkEntry[], p: FindParams): WalkEntry[] {
  const base = path.posix.normalize(root).replace(/\/$/, '') + '/';
  const rootDepth = base.split('/').length - 1;
  const out: WalkEntry[] = [];
  for (const e of walkOrder(root, entries)) {
    if (p.depth && e.path.split('/').length - 1 - rootDepth + 1 > p.depth) continue;
    const name = path.posix.basename(e.path);
    if (name.startsWith('.') && !p.hidden) continue;
    const ageOk = () => {
      if (p.age === undefined) return true;
      const delta = p.now - (e[p.ageStamp] ?? 0);
      return p.age >= 0 ? delta >= Math.abs(p.age) : delta <= Math.abs(p.age);
    };
    const sizeOk = () => p.size === undefined || (p.size >= 0 ? e.size >= Math.abs(p.size) : e.size <= Math.abs(p.size));
    const named = () => nameFilter(name, p.patterns, p.excludes, p.useRegex);
    const t = p.fileType;
    if (t === 'any') {
      if (named() && ageOk() && (e.type !== 'file' || sizeOk())) out.push(e);
    } else if (e.type === t) {
      if (named() && ageOk() && (t !== 'file' || sizeOk())) out.push(e);
    }
  }
  return out;
}

/** find's `examined`: os.walk stops descending below `depth`, so deeper entries are not looked at. */
export function countExamined(root: string, entries: WalkEntry[], depth?: number): number {
  if (!depth) return entries.length;
  const rootDepth = (path.posix.normalize(root).replace(/\/$/, '') + '/').split('/').length - 1;
  return entries.filter((e) => e.path.split('/').length - 1 - rootDepth + 1 <= depth + 1).length;
}

/** Ansible's statinfo() dict for one entry. */
export function statInfo(e: WalkEntry): Record<string, unknown> {
  return { path: e.path, ...statCoreKeys(e), gr_name: e.group, pw_name: e.owner, ...statModeBits(e.mode) };
}

/** Script printing each file's content after a header line "<token> <index>". */
export function contentsScript(files: string[], token: string): string {
  return buildScript(`i=0; for f in ${files.map(quote).join(' ')}; do printf '\\n%s %s\\n' ${quote(token)} "$i"; cat -- "$f" 2>/dev/null; i=$((i+1)); done`);
}

export function parseContents(stdout: string, token: string, n: number): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(n).fill(undefined);
  const parts = stdout.split(`\n${token} `);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const i = Number(part.slice(0, nl));
    if (Number.isInteger(i) && i < n) out[i] = part.slice(nl + 1);
  }
  return out;
}

/** contentfilter(): a line matches (re.match), or the whole text (re.search). */
export function contentMatches(text: string, pattern: string, wholeFile: boolean): boolean {
  const re = compilePy(pattern);
  if (wholeFile) return re.test(text);
  const anchored = new RegExp('^(?:' + re.source + ')', re.flags);
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((l) => anchored.test(l));
}

const find: ModuleDefinition = {
  name: 'find',
  description: 'Return a list of files based on specific criteria',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      paths: { type: 'array', items: { type: 'string' }, 'x-aliases': ['name', 'path'] },
      patterns: { type: 'array', items: { type: 'string' }, default: [], 'x-aliases': ['pattern'] },
      excludes: { type: 'array', items: { type: 'string' }, 'x-aliases': ['exclude'] },
      contains: { type: 'string' },
      read_whole_file: { type: 'boolean', default: false },
      file_type: { type: 'string', enum: ['any', 'directory', 'file', 'link'], default: 'file' },
      age: { type: 'string' },
      age_stamp: { type: 'string', enum: ['atime', 'ctime', 'mtime'], default: 'mtime' },
      size: { type: 'string' },
      recurse: { type: 'boolean', default: false },
      hidden: { type: 'boolean', default: false },
      follow: { type: 'boolean', default: false },
      get_checksum: { type: 'boolean', default: false },
      use_regex: { type: 'boolean', default: false },
      depth: { type: 'integer' },
    },
    required: ['paths'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const paths = (args.paths as unknown[]).map(String);
    let patterns = ((args.patterns as unknown[]) ?? []).map(String);
    if (!patterns.length) patterns = [args.use_regex ? '.*' : '*'];
    const age = args.age === undefined || args.age === null ? undefined : parseAge(String(args.age));
    if (args.age !== undefined && args.age !== null && age === undefined) return { changed: false, failed: true, age: args.age, msg: 'failed to process age' };
    const size = args.size === undefined || args.size === null ? undefined : parseSize(String(args.size));
    if (args.size !== undefined && args.size !== null && size === undefined) return { changed: false, failed: true, size: args.size, msg: 'failed to process size' };
    const r = await ctx.run(walkScript(paths, !!args.recurse, !!args.follow) + 'date +%s\n');
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() };
    const now = Number(/(\d+)\s*$/.exec(r.stdout)?.[1] ?? Date.now() / 1000);
    const walk = parseWalk(r.stdout);
    const params: FindParams = {
      patterns,
      excludes: (args.excludes as string[] | undefined)?.map(String),
      useRegex: !!args.use_regex,
      fileType: args.file_type as FindParams['fileType'],
      age,
      ageStamp: args.age_stamp as FindParams['ageStamp'],
      size,
      hidden: !!args.hidden,
      depth: args.depth as number | undefined,
      now,
    };
    let matched: WalkEntry[] = [];
    let examined = 0;
    try {
      for (const { root, entries } of walk.roots) {
        examined += countExamined(root, entries, params.depth);
        matched.push(...selectEntries(root, entries, params));
      }
      if (args.contains !== undefined && args.contains !== null && params.fileType === 'file' && matched.length) {
        const token = `__DROVER_FILE_${Date.now().toString(36)}__`;
        const c = await ctx.run(contentsScript(matched.map((e) => e.path), token));
        const texts = parseContents(c.stdout, token, matched.length);
        const pat = String(args.contains);
        matched = matched.filter((_e, i) => texts[i] !== undefined && contentMatches(texts[i]!, pat, !!args.read_whole_file));
      }
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message };
    }
    const files = matched.map(statInfo);
    if (args.get_checksum) {
      const regs = matched.map((e, i) => [e, i] as const).filter(([e]) => e.type === 'file');
      if (regs.length) {
        const s = await ctx.run(buildScript(`_d_sum_ok sha1 || _d_fail ${quote(checksumToolMissing('sha1'))}`, ...regs.map(([e, i]) => `printf '%s %s\\n' ${i} "$(_d_sum sha1 ${quote(e.path)})"`)));
        const failed = parseOutput(s.stdout).fields.failed;
        if (failed !== undefined) return { changed: false, failed: true, msg: failed };
        for (const line of s.stdout.split('\n')) {
          const [i, sum] = line.split(' ');
          if (sum) files[Number(i)].checksum = sum;
        }
      }
    }
    const skipped: Record<string, string> = {};
    for (const p of walk.notDirs) skipped[p] = `'${p}' is not a directory`;
    const warnings = Object.entries(skipped).map(([p, why]) => `Skipped '${p}' path due to this access issue: ${why}\n`);
    return {
      changed: false,
      files,
      matched: files.length,
      examined,
      skipped_paths: skipped,
      msg: warnings.length ? 'Not all paths examined, check warnings for details' : 'All paths examined',
      ...(warnings.length ? { warnings } : {}),
    };
  },
};

export default find;
