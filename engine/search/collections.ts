// Where collections live and how a fully qualified name (ns.coll.name) maps to a folder in one,
// as ansible-core 2.14's collection loader does: the configured collections_paths, then the
// `collections/` folder beside each playbook, then Python's own path (where Debian's `ansible`
// package installs its collections).
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where Debian's `ansible` package (and pip installs of it) put ansible_collections/. */
export const PYTHON_COLLECTION_ROOTS = ['/usr/lib/python3/dist-packages'];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CollectionRef {
  namespace: string;
  collection: string;
  /** The resource inside it (a role name, or a module name with optional subdirs). */
  resource: string;
}

/** ns.coll.name (or ns.coll.sub.name for plugins) split; undefined when not a valid FQCR. */
export function parseFqcr(name: string): CollectionRef | undefined {
  const parts = name.split('.');
  if (parts.length < 3 || !parts.every((p) => IDENT.test(p))) return undefined;
  return { namespace: parts[0], collection: parts[1], resource: parts.slice(2).join('.') };
}

/** The search roots in order: configured paths, playbook-adjacent collections/, Python's. */
export function collectionRoots(configured: string[], playbookDirs: string[] = []): string[] {
  // a configured .../ansible_collections folder stands for its parent, as _AnsibleCollectionFinder has it
  const roots = configured.map((p) => (basename(p) === 'ansible_collections' ? dirname(p) : p));
  return [...roots, ...playbookDirs.map((d) => join(d, 'collections')), ...PYTHON_COLLECTION_ROOTS];
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Folder of the collection `ns.coll` under the first root that has it, or undefined. */
export function findCollection(roots: string[], namespace: string, collection: string): string | undefined {
  for (const root of roots) {
    const dir = join(root, 'ansible_collections', namespace, collection);
    if (isDir(dir)) return dir;
  }
  return undefined;
}

/**
 * A role by collection: `ns.coll.role` directly, or a short name tried in each collection of the
 * `collections:` keyword (ansible.builtin and ansible.legacy hold no roles). Returns the role
 * folder and the collection it came from.
 */
export function findCollectionRole(roots: string[], name: string, collectionList: string[]): { path: string; collection: string; name: string } | undefined {
  const fq = parseFqcr(name);
  const tries: Array<[string, string, string]> = [];
  if (fq && !fq.resource.includes('.')) tries.push([fq.namespace, fq.collection, fq.resource]);
  else if (!fq) {
    for (const c of collectionList) {
      const [ns, coll] = c.split('.');
      if (!ns || !coll || c === 'ansible.builtin' || c === 'ansible.legacy') continue;
      tries.push([ns, coll, name]);
    }
  }
  for (const [ns, coll, role] of tries) {
    const dir = findCollection(roots, ns, coll);
    if (dir && isDir(join(dir, 'roles', role))) return { path: join(dir, 'roles', role), collection: `${ns}.${coll}`, name: role };
  }
  return undefined;
}
