// The fact cache behind the `facts` variable layer, as ansible-core 2.14's cache plugins: `memory`
// (the default: facts live for one run) and `jsonfile` (one JSON file per host under
// fact_caching_connection, named <fact_caching_prefix><host>, expiring after
// fact_caching_timeout seconds), so facts gathered or set with `cacheable: true` in one run are
// there in the next. --flush-cache and `meta: clear_facts` delete a host's entry.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DroverError } from '../errors/index.js';

/** A host's raw facts (module keys, ansible_ prefixes kept), as set_host_facts stores them. */
export type RawFacts = Record<string, unknown>;

export interface FactCache {
  get(host: string): RawFacts | undefined;
  set(host: string, facts: RawFacts): void;
  delete(host: string): void;
}

/** The `memory` plugin: nothing outlives the run. */
export class MemoryFactCache implements FactCache {
  private readonly data = new Map<string, RawFacts>();
  get(host: string): RawFacts | undefined {
    return this.data.get(host);
  }
  set(host: string, facts: RawFacts): void {
    this.data.set(host, facts);
  }
  delete(host: string): void {
    this.data.delete(host);
  }
}

/** JSON the way AnsibleJSONEncoder(sort_keys=True, indent=4) writes a cache file. */
function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
    }
    return x;
  };
  return JSON.stringify(sort(v), null, 4);
}

/** The `jsonfile` plugin (BaseFileCacheModule): reads once per run, writes on every change. */
export class JsonFileFactCache implements FactCache {
  private readonly memory = new Map<string, RawFacts>();

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly timeoutSec: number,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new DroverError(`error in 'jsonfile' cache plugin while trying to create cache dir ${dir} : ${(e as Error).message}`);
    }
  }

  private file(host: string): string {
    return join(this.dir, this.prefix + host);
  }

  private expired(host: string): boolean {
    if (this.timeoutSec === 0) return false;
    try {
      return Date.now() / 1000 - statSync(this.file(host)).mtimeMs / 1000 > this.timeoutSec;
    } catch {
      return false;
    }
  }

  get(host: string): RawFacts | undefined {
    const hit = this.memory.get(host);
    if (hit) return hit;
    if (host === '' || this.expired(host)) return undefined;
    let text: string;
    try {
      text = readFileSync(this.file(host), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const data = JSON.parse(text) as RawFacts;
      this.memory.set(host, data);
      return data;
    } catch (e) {
      throw new DroverError(`error in 'jsonfile' cache plugin while trying to read ${this.file(host)} : ${(e as Error).message}`);
    }
  }

  set(host: string, facts: RawFacts): void {
    this.memory.set(host, facts);
    const file = this.file(host);
    // written beside the target and renamed over it, as the plugin does
    const tmp = join(dirname(file), `.${this.prefix}${host}.${process.pid}.tmp`);
    writeFileSync(tmp, sortedJson(facts));
    renameSync(tmp, file);
  }

  delete(host: string): void {
    this.memory.delete(host);
    rmSync(this.file(host), { force: true });
  }
}

export interface FactCacheSettings {
  /** fact_caching: memory (default) or jsonfile. */
  plugin: string;
  /** fact_caching_connection: the jsonfile directory. */
  connection?: string;
  /** fact_caching_prefix (jsonfile's _prefix: none by default). */
  prefix: string;
  /** fact_caching_timeout in seconds (0: never expire). */
  timeoutSec: number;
}

/** The cache the settings ask for; an unknown plugin or a jsonfile without a directory is an error. */
export function factCacheFor(s: FactCacheSettings): FactCache {
  const plugin = s.plugin.replace(/^ansible\.builtin\./, '');
  if (plugin === 'memory') return new MemoryFactCache();
  if (plugin !== 'jsonfile') throw new DroverError(`Unable to load the facts cache plugin (${s.plugin}). drover has the memory and jsonfile cache plugins.`);
  if (!s.connection) {
    throw new DroverError("error, 'jsonfile' cache plugin requires the 'fact_caching_connection' config option to be set (to a writeable directory path)");
  }
  const dir = s.connection.replace(/^~(?=\/|$)/, homedir()).replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a: string, b: string) => process.env[a ?? b] ?? m);
  return new JsonFileFactCache(dir, s.prefix, s.timeoutSec);
}
