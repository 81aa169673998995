// Loop sources: `loop:` and the with_<lookup> family, turned into the list of items a task
// iterates over. Pure functions of already-rendered values.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { parseKv } from '../playbook/splitter.js';

export class LoopError extends Error {}

/** with_fileglob matches files (not directories) of one directory, like Ansible's fileglob. */
function globFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const re = new RegExp(
    '^' + basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
  );
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n) && statSync(join(dir, n)).isFile()).map((n) => join(dir, n));
}

function flattenOnce(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

function flattenDeep(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? flattenDeep(x) : [x]));
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

function asList(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  throw new LoopError(`Invalid data passed to '${what}', it requires a list, got this instead: ${JSON.stringify(v)}.`);
}

/** with_sequence: "start=1 end=10 stride=2 format=host%02d" or "1-10/2" or "count=5". */
export function sequenceItems(spec: unknown): string[] {
  const text = String(spec).trim();
  let start = 1;
  let end: number | undefined;
  let stride = 1;
  let format = '%d';
  const short = /^(\d+)-(\d+)(?:\/(\d+))?(?::(.+))?$/.exec(text);
  if (short) {
    start = +short[1];
    end = +short[2];
    if (short[3]) stride = +short[3];
    if (short[4]) format = short[4];
  } else {
    const kv = parseKv(text);
    if (kv.start !== undefined) start = parseInt(kv.start, 10);
    if (kv.end !== undefined) end = parseInt(kv.end, 10);
    if (kv.count !== undefined) end = start + (parseInt(kv.count, 10) - 1) * (kv.stride ? parseInt(kv.stride, 10) : 1);
    if (kv.stride !== undefined) stride = parseInt(kv.stride, 10);
    if (kv.format !== undefined) format = kv.format;
  }
  if (end === undefined) throw new LoopError("with_sequence: must specify 'count' or 'end'");
  const out: string[] = [];
  if (stride > 0) for (let i = start; i <= end; i += stride) out.push(formatPrintf(format, i));
  else if (stride < 0) for (let i = start; i >= end; i += stride) out.push(formatPrintf(format, i));
  return out;
}

function formatPrintf(format: string, n: number): string {
  return format.replace(/%(0?)(\d*)([dxXo])/g, (_m, zero: string, width: string, conv: string) => {
    let s = conv === 'd' ? String(n) : conv === 'o' ? n.toString(8) : n.toString(16);
    if (conv === 'X') s = s.toUpperCase();
    const w = width ? parseInt(width, 10) : 0;
    return s.padStart(w, zero ? '0' : ' ');
  });
}

/** Items for a task: `loop` (with=undefined) or with_<name>; value is already templated. */
export function loopItems(value: unknown, withName: string | undefined, baseDir: string): unknown[] {
  switch (withName) {
    case undefined:
      if (!Array.isArray(value)) {
        throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
      }
      return value;
    case 'items':
      return flattenOnce(asList(value, 'with_items'));
    case 'list':
      return asList(value, 'with_list');
    case 'flattened':
      return flattenDeep(asList(value, 'with_flattened'));
    case 'indexed_items':
      return asList(value, 'with_indexed_items').map((x, i) => [i, x]);
    case 'dict': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LoopError('with_dict expects a dict');
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    }
    case 'nested':
    case 'cartesian':
      return product(asList(value, `with_${withName}`).map((l) => asList(l, `with_${withName}`)));
    case 'together': {
      const lists = asList(value, 'with_together').map((l) => asList(l, 'with_together'));
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'sequence':
      return (Array.isArray(value) ? value : [value]).flatMap(sequenceItems);
    case 'fileglob':
      return asList(value, 'with_fileglob').flatMap((p) => {
        const pattern = isAbsolute(String(p)) ? String(p) : join(baseDir, 'files', String(p));
        const alt = isAbsolute(String(p)) ? [] : globFiles(join(baseDir, String(p)));
        const found = globFiles(pattern);
        return (found.length ? found : alt).sort();
      });
    case 'subelements': {
      const [list, key] = asList(value, 'with_subelements');
      return asList(list, 'with_subelements').flatMap((el) => {
        const sub = (el as Record<string, unknown>)[String(key)];
        return asList(sub ?? [], 'with_subelements').map((s) => [el, s]);
      });
    }
    case 'random_choice': {
      const list = asList(value, 'with_random_choice');
      return list.length ? [list[Math.floor(Math.random() * list.length)]] : [];
    }
    default:
      throw new LoopError(`Unsupported loop lookup: with_${withName}`);
  }
}
