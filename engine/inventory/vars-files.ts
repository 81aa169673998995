// group_vars/ and host_vars/ next to an inventory source or a playbook (Ansible's host_group_vars
// plugin): NAME, else NAME.yml, NAME.yaml, NAME.json (first found), or a directory NAME/ whose
// files are merged in sorted order. Directories are listed once, so 100k hosts cost no stat calls.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InventoryError } from '../errors/index.js';
import { isFloatSlot } from '../template/python.js';
import { storeVar } from './floats.js';
import { loadVarsText, type YamlOptions } from './yaml-load.js';
import { mergeable, mergeHash } from '../vars/combine.js';

export type Vars = Record<string, unknown>;

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * combine_vars in place: top-level keys of `src` replace those of `dst`, or, with
 * hash_behaviour=merge, dictionaries merge recursively.
 */
export function assignVars(dst: Vars, src: Vars | undefined, merge = false): Vars {
  if (!src) return dst;
  for (const k of Object.keys(src)) {
    if (merge && mergeable(dst[k], src[k])) storeVar(dst, k, mergeHash(dst[k] as Vars, src[k] as Vars), false);
    else storeVar(dst, k, src[k], isFloatSlot(src, k));
  }
  return dst;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Files of a vars directory NAME/: sorted, hidden and backup~ files skipped, subdirectories recursed. */
function dirFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = extname(name);
    const st = statSync(full);
    if (st.isDirectory() && !ext) out.push(...dirFiles(full));
    else if (st.isFile() && EXTENSIONS.includes(ext)) out.push(full);
  }
  return out;
}

/** One `<base>/group_vars` or `<base>/host_vars` directory. */
class VarsSubdir {
  private readonly names: Set<string> | null;
  private readonly cache = new Map<string, Vars | null>();

  constructor(
    readonly path: string,
    warnings: string[],
    private readonly merge = false,
    private readonly yaml: YamlOptions = {},
  ) {
    if (!existsSync(path)) this.names = null;
    else if (!isDir(path)) {
      warnings.push(`Found ${path} that is not a directory, skipping`);
      this.names = null;
    } else this.names = new Set(readdirSync(path));
  }

  private exists(entry: string): boolean {
    if (!this.names) return false;
    if (entry.includes('/')) return existsSync(join(this.path, entry));
    return this.names.has(entry);
  }

  /** Files that hold vars for NAME, in merge order. */
  files(name: string): string[] {
    if (!this.names || name.startsWith('/') || name === '' || name === '.' || name === '..') return [];
    for (const ext of EXTENSIONS) {
      const entry = name + ext;
      if (!this.exists(entry)) continue;
      const full = join(this.path, entry);
      return isDir(full) ? dirFiles(full) : [full];
    }
    return [];
  }

  /** Merged vars for NAME, or null when no file defines any. Loaded once. */
  vars(name: string): Vars | null {
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    let out: Vars | null = null;
    for (const file of this.files(name)) {
      const data = loadVarsFile(file, this.yaml);
      if (data === null) continue;
      out = assignVars(out ?? {}, data, this.merge);
    }
    this.cache.set(name, out);
    return out;
  }
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** Read a vars file: a mapping, or null for an empty file; anything else is an error. */
export function loadVarsFile(file: string, yaml: YamlOptions = {}): Vars | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InventoryError(`cannot read vars file: ${(e as Error).message}`, { file });
  }
  const data = loadVarsText(text, file, yaml);
  if (isEmpty(data)) return null;
  if (typeof data !== 'object' || Array.isArray(data)) {
    const kind = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    throw new InventoryError(`vars file must contain a mapping of variable names to values, got ${kind}`, { file, line: 1 });
  }
  return data as Vars;
}

/** The group_vars/ and host_vars/ pair found under one base directory. */
export class VarsDir {
  private readonly groupDir: VarsSubdir;
  private readonly hostDir: VarsSubdir;

  constructor(
    readonly base: string,
    warnings: string[] = [],
    merge = false,
    yaml: YamlOptions = {},
  ) {
    this.groupDir = new VarsSubdir(join(base, 'group_vars'), warnings, merge, yaml);
    this.hostDir = new VarsSubdir(join(base, 'host_vars'), warnings, merge, yaml);
  }

  groupVars(name: string): Vars | null {
    return this.groupDir.vars(name);
  }

  hostVars(name: string): Vars | null {
    return this.hostDir.vars(name);
  }
}
