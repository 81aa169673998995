// Lookups that find controller files along the task's search stack: file, fileglob and
// first_found (its term forms, option splitting and search order as in ansible-core 2.14).
import { lstatSync, opendirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { globToRegExp } from '../../inventory/patterns.js';
import { iterate } from '../methods.js';
import { isMapping, mappingEntries, pyStr, typeName } from '../python.js';
import { UndefinedError } from '../undefined.js';
import { findInSearchPath, readLoaderText } from './common.js';
import { resolveOptions, type OptionDef } from './options.js';
import { LookupError, PluginError, type LookupCall, type LookupPlugin } from './types.js';
import { unvaultContent } from '../../vault/secrets.js';

/** Python os.path.join: an absolute part restarts the path. */
function pyJoin(...parts: string[]): string {
  return parts.reduce((acc, p) => (isAbsolute(p) || !acc ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '');
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** glob.glob(dir/pattern) for a last component only: fnmatch, dot files need a leading dot. */
function globIn(dir: string, pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) {
    try {
      lstatSync(join(dir, pattern));
      return [pyJoin(dir, pattern)];
    } catch {
      return [];
    }
  }
  // os.scandir order (readdirSync sorts; Python's glob does not)
  const names: string[] = [];
  try {
    const d = opendirSync(dir);
    try {
      for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    return [];
  }
  const re = globToRegExp(pattern);
  return names.filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.'))).map((n) => pyJoin(dir, n));
}

const file: LookupPlugin = {
  options: { rstrip: { type: 'bool', default: true }, lstrip: { type: 'bool', default: false } },
  run(terms, call) {
    const opts = resolveOptions('file', this.options!, call.kwargs);
    return (terms as unknown[]).map((t) => {
      const path = findInSearchPath(call, 'files', pyStr(t));
      if (!path) throw new PluginError(`could not locate file in lookup: ${pyStr(t)}`);
      let text = readLoaderText(path, call.svc.vault);
      if (opts.lstrip) text = text.trimStart();
      if (opts.rstrip) text = text.trimEnd();
      return text;
    });
  },
};

/** unvault: the file's text, decrypted when vault-encrypted; no stripping (unvault.py). */
const unvault: LookupPlugin = {
  run(terms, call) {
    return (terms as unknown[]).map((t) => {
      const path = findInSearchPath(call, 'files', pyStr(t));
      if (!path) throw new PluginError(`Unable to find file matching "${pyStr(t)}" `);
      return unvaultContent(call.svc.vault, readFileSync(path), path).toString('utf8');
    });
  },
};

const fileglob: LookupPlugin = {
  run(terms, call) {
    const out: string[] = [];
    for (const t of terms as unknown[]) {
      const term = pyStr(t);
      const pattern = basename(term);
      const dirs: (string | undefined)[] =
        pattern !== term ? [findInSearchPath(call, 'files', dirname(term))] : call.svc.searchPaths(call.rt).flatMap((p) => [join(p, 'files'), p]);
      for (const d of dirs) {
        if (!d) continue;
        const hits = globIn(d, pattern).filter(isFile);
        if (hits.length) {
          out.push(...hits);
          break;
        }
      }
    }
    return out;
  },
};

const FIRST_FOUND_OPTIONS: Record<string, OptionDef> = {
  files: { type: 'list', default: [] },
  paths: { type: 'list', default: [] },
  skip: { type: 'bool', default: false },
};

/** first_found's _split_on: strings split on any of `chars`, lists split item by item. */
function splitOn(v: unknown, chars: string): string[] {
  if (typeof v === 'string') return v.split(new RegExp(`[${chars}]`));
  return iterate(v).flatMap((x) => splitOn(typeof x === 'string' ? x : pyStr(x), chars));
}

function processTerms(terms: unknown[], call: LookupCall): { search: unknown[]; skip: boolean } {
  let search: unknown[] = [];
  let skip = false;
  for (const term of terms) {
    let direct: Record<string, unknown>;
    if (isMapping(term)) direct = Object.fromEntries(mappingEntries(term).map(([k, v]) => [pyStr(k), v]));
    else if (typeof term === 'string') direct = call.kwargs;
    else if (Array.isArray(term)) {
      const inner = processTerms(term, call);
      search.push(...inner.search);
      skip = inner.skip;
      continue;
    } else {
      throw new LookupError(`Invalid term supplied, can handle string, mapping or list of strings but got: <class '${typeName(term)}'> for ${pyStr(term)}`);
    }
    const opts = resolveOptions('first_found', FIRST_FOUND_OPTIONS, direct);
    skip = opts.skip as boolean;
    const files = splitOn(opts.files, ',;');
    const paths = splitOn(opts.paths, ',:;');
    if (paths.length) for (const p of paths) for (const f of files) search.push(pyJoin(p, f));
    else if (files.length) search = files;
    else search.push(term);
  }
  return { search, skip };
}

const firstFound: LookupPlugin = {
  run(terms, call) {
    const { search, skip } = processTerms(Array.isArray(terms) ? terms : iterate(terms), call);
    for (const candidate of search) {
      let fn: unknown;
      try {
        fn = call.svc.template(candidate, call.rt);
      } catch (e) {
        if (e instanceof UndefinedError) continue;
        throw e;
      }
      const path = findInSearchPath(call, call.subdir ?? 'files', pyStr(fn), true);
      if (path) return [path];
    }
    if (skip) return [];
    throw new LookupError('No file was found when using first_found.');
  },
};

export const FILE_LOOKUPS: Record<string, LookupPlugin> = { file, fileglob, first_found: firstFound, unvault };
