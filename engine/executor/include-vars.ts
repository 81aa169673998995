// The include_vars action as ansible-core 2.14's (plugins/action/include_vars.py): one file found
// by the needle search (`file` or free form), or a directory (`dir`, relative to the role's vars/
// or to the task's file) walked in sorted order down to `depth`, filtered by `files_matching`,
// `ignore_files` and `extensions`; `name` nests the result; `hash_behaviour` combines with the
// current value. Errors are Ansible's: `message` for a bad file or directory, `msg` for bad
// arguments. Files are read by the project's one YAML loader.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { DroverError } from '../errors/index.js';
import { loadVarsText, type YamlOptions } from '../inventory/yaml-load.js';
import type { ModuleResult } from '../modules-sdk/types.js';
import type { Task } from '../playbook/types.js';
import { findNeedle, needleNotFound } from '../search/needle.js';
import { mergeHash } from '../template/filters-ansible.js';
import { isMapping, typeName } from '../template/python.js';
import { jsonDumps } from '../template/pydump.js';

const DIR_ARGS = new Set(['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions']);
const FILE_ARGS = new Set(['file', '_raw_params']);
const ALL_ARGS = new Set(['name', 'hash_behaviour']);
const DEFAULT_EXTENSIONS = ['yaml', 'yml', 'json'];

type Vars = Record<string, unknown>;

export interface IncludeVarsContext {
  task: Task;
  searchPaths: string[];
  /** The current value of a variable (for hash_behaviour). */
  current: (name: string) => unknown;
  /** DEFAULT_HASH_BEHAVIOUR: replace (default) or merge. */
  hashBehaviour: string;
  yaml?: YamlOptions;
  warn: (message: string) => void;
}

/** An AnsibleError raised out of the action: the executor fails the task with its `msg` alone. */
class ActionError extends DroverError {}

/** ansible.utils.vars.combine_vars for one value (both must be dicts). */
function combine(old: unknown, value: unknown, merge: boolean): unknown {
  if (!isMapping(old) || !isMapping(value)) {
    const dump = (v: unknown) => jsonDumps(v ?? null);
    throw new ActionError(`failed to combine variables, expected dicts but got a '${typeName(old)}' and a '${typeName(value)}': \n${dump(old)}\n${dump(value)}`);
  }
  return merge ? mergeHash(old as Vars, value as Vars, true, 'replace') : { ...(old as Vars), ...(value as Vars) };
}

/** os.walk (no symlinked directories entered), sorted by directory, files sorted, `depth` levels. */
function walkDir(root: string, depth: number): [string, string[]][] {
  const all: [string, string[]][] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // os.walk's onerror only logs
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) dirs.push(e.name);
      else if (e.isSymbolicLink()) {
        let isDir = false;
        try {
          isDir = statSync(join(dir, e.name)).isDirectory();
        } catch {
          /* a dangling link is a file to os.walk */
        }
        if (!isDir) files.push(e.name);
      } else files.push(e.name);
    }
    all.push([dir, files]);
    for (const d of dirs) visit(join(dir, d));
  };
  visit(root);
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = depth === 0 ? all : all.slice(0, depth);
  return kept.map(([d, f]) => [d, [...f].sort()]);
}

class Loader {
  readonly included: string[] = [];
  constructor(
    private readonly extensions: string[],
    private readonly yaml: YamlOptions | undefined,
  ) {}

  validExt(file: string): boolean {
    return this.extensions.includes(extname(file).slice(1));
  }

  /** _load_files: the file's mapping, or the failure message. */
  load(file: string, validateExt: boolean): Vars | string {
    if (validateExt && !this.validExt(file)) return `${file} does not have a valid extension: ${this.extensions.join(', ')}`;
    const data = loadVarsText(readFileSync(file, 'utf8'), file, this.yaml);
    const empty = data === null || data === undefined || data === false || data === 0 || data === '' || (Array.isArray(data) && !data.length);
    if (empty) {
      this.included.push(file);
      return {};
    }
    if (!isMapping(data)) return `${file} must be stored as a dictionary/hash`;
    this.included.push(file);
    return data as Vars;
  }
}

function regex(source: string, what: (s: string) => string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new ActionError(what(source));
  }
}

function loadDir(args: Vars, loader: Loader, ctx: IncludeVarsContext): { vars: Vars; error?: string } {
  let dir = String(args.dir);
  const role = ctx.task.origin.role;
  if (role) {
    if (dir.split('/')[0] === 'vars') {
      if (existsSync(join(role.path, dir))) dir = join(role.path, dir);
    } else dir = join(role.path, 'vars', dir);
  } else {
    dir = join(ctx.task.origin.pos.file ? dirname(ctx.task.origin.pos.file) : ctx.task.origin.baseDir, dir);
  }
  if (!existsSync(dir)) return { vars: {}, error: `${dir} directory does not exist` };
  if (!statSync(dir).isDirectory()) return { vars: {}, error: `${dir} is not a directory` };
  const matcher = args.files_matching ? regex(String(args.files_matching), (s) => `Invalid regular expression: ${s}`) : undefined;
  const ig = args.ignore_files;
  const ignore = !ig ? [] : typeof ig === 'string' ? ig.split(/\s+/).filter(Boolean) : Array.isArray(ig) ? ig.map(String) : Object.keys(ig as object);
  const ignored = (name: string) => ignore.some((p) => regex(`${p}$`, () => `Invalid regular expression: ${p}`).test(name));
  const skipUnknown = Boolean(args.ignore_unknown_extensions);
  // a failure keeps what the directories before it gave (2.14 returns them as ansible_facts)
  const vars: Vars = {};
  for (const [root, names] of walkDir(dir, Number(args.depth ?? 0) || 0)) {
    const dirVars: Vars = {};
    for (const name of names) {
      // "never include main.yml from a role": 2.14's test compares paths that never match
      if (role && join(role.path, name) === join(root, 'vars', 'main.yml')) continue;
      if (matcher && !matcher.test(name)) continue;
      const path = join(root, name);
      if (!existsSync(path) || ignored(name) || (skipUnknown && !loader.validExt(name))) continue;
      const got = loader.load(path, true);
      if (typeof got === 'string') return { vars, error: got };
      Object.assign(dirVars, got);
    }
    Object.assign(vars, dirVars);
  }
  return { vars };
}

function loadFile(source: unknown, loader: Loader, ctx: IncludeVarsContext): { vars: Vars; error?: string } {
  if (source === undefined || source === null || source === '') {
    ctx.warn('Invalid request to find a file that matches a "null" value');
    return { vars: {}, error: 'Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option' };
  }
  const name = String(source);
  const found = findNeedle(ctx.searchPaths, 'vars', name);
  if (!found) return { vars: {}, error: needleNotFound(ctx.searchPaths, 'vars', name) };
  try {
    const got = loader.load(found, false);
    return typeof got === 'string' ? { vars: {}, error: got } : { vars: got };
  } catch (e) {
    return { vars: {}, error: e instanceof DroverError ? e.describe() : (e as Error).message };
  }
}

/** include_vars; bad arguments throw (ActionError), a bad file or directory is a failed result. */
export function includeVars(args: Vars, ctx: IncludeVarsContext): ModuleResult {
  let dirs = 0;
  let files = 0;
  for (const k of Object.keys(args)) {
    if (DIR_ARGS.has(k)) dirs++;
    else if (FILE_ARGS.has(k)) files++;
    else if (!ALL_ARGS.has(k)) throw new ActionError(`${k} is not a valid option in include_vars`);
  }
  if (dirs && files) throw new ActionError('You are mixing file only and dir only arguments, these are incompatible');
  let exts: unknown = args.extensions ?? DEFAULT_EXTENSIONS;
  if (typeof exts === 'string') exts = [...exts];
  if (!Array.isArray(exts)) throw new ActionError('Invalid type for "extensions" option, it must be a list');
  const loader = new Loader(exts.map(String), ctx.yaml);

  let source: unknown = args.file;
  if (!args.dir && !source) source = typeof args._raw_params === 'string' ? args._raw_params.replace(/\n+$/, '') : args._raw_params;
  const { vars, error } = args.dir ? loadDir(args, loader, ctx) : loadFile(source, loader, ctx);

  let results: Vars = vars;
  const name = args.name;
  if (name) results = { [String(name)]: results };
  const result: ModuleResult = {};
  if (error) {
    result.failed = true;
    result.message = error;
  } else if (args.hash_behaviour !== undefined && args.hash_behaviour !== null && args.hash_behaviour !== ctx.hashBehaviour) {
    const merge = args.hash_behaviour === 'merge';
    for (const [k, v] of Object.entries(results)) results[k] = combine(ctx.current(k), v, merge);
  }
  result.ansible_included_var_files = loader.included;
  result.ansible_facts = results;
  return result;
}
