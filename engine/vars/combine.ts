// Ansible's combine_vars (utils/vars.py): how two variable layers are combined. With
// hash_behaviour=replace (the default) a key of the higher layer replaces the lower one's; with
// merge, dictionaries are merged recursively by merge_hash (the combine filter's implementation,
// lists and scalars still replace).
import { mergeHash as mergeHashFull } from '../template/filters-ansible.js';
import { isMapping } from '../template/python.js';

export type Vars = Record<string, unknown>;

/** merge_hash(x, y) with its defaults (recursive, list_merge='replace'). */
export function mergeHash(x: Vars, y: Vars): Vars {
  return mergeHashFull(x, y, true, 'replace');
}

/** combine_vars(a, b): a new dictionary, `b` over `a`, merged when `merge` (hash_behaviour=merge). */
export function combineVars(a: Vars, b: Vars, merge: boolean): Vars {
  return merge ? mergeHash(a, b) : { ...a, ...b };
}

/** Whether both values are dictionaries that hash_behaviour=merge would merge. */
export function mergeable(a: unknown, b: unknown): boolean {
  return isMapping(a) && isMapping(b);
}
