// A collection's meta/runtime.yml (plugin_routing redirects and action_plugin entries,
// action_groups), and ansible-core's own ansible_builtin_runtime.yml for ansible.builtin: read once
// per run and shared by whoever resolves names (modules, action plugins, module_defaults groups).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml, toData } from '../inventory/yaml-load.js';
import { findCollection } from './collections.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export class CollectionMeta {
  private readonly files = new Map<string, Dict | undefined>();

  constructor(readonly o: { roots: string[]; ansibleCore?: string }) {}

  /** A runtime.yml's data ({} when empty or not a mapping; undefined when the file is missing). */
  read(file: string): Dict | undefined {
    if (this.files.has(file)) return this.files.get(file);
    let data: Dict | undefined;
    if (isFile(file)) {
      const parsed = toData(parseYaml(readFileSync(file, 'utf8'), file, { duplicateKeys: 'ignore' }));
      data = isDict(parsed) ? parsed : {};
    }
    this.files.set(file, data);
    return data;
  }

  /** The metadata of `ns.coll` ({} without a runtime.yml); undefined when the collection is not installed. */
  of(collection: string): Dict | undefined {
    if (collection === 'ansible.builtin') return this.o.ansibleCore ? (this.read(join(this.o.ansibleCore, 'config', 'ansible_builtin_runtime.yml')) ?? {}) : undefined;
    const [ns, coll] = collection.split('.');
    const dir = ns && coll ? findCollection(this.o.roots, ns, coll) : undefined;
    return dir ? (this.read(join(dir, 'meta', 'runtime.yml')) ?? {}) : undefined;
  }

  /** plugin_routing.<kind>.<name> of a collection (kind: 'modules', 'action', ...). */
  routing(collection: string, kind: string, name: string): Dict | undefined {
    const pr = this.of(collection)?.plugin_routing;
    const byKind = isDict(pr) ? pr[kind] : undefined;
    const entry = isDict(byKind) ? byKind[name] : undefined;
    return isDict(entry) ? entry : undefined;
  }
}
