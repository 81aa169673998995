// Ansible's combine_vars / merge_hash (utils/vars.py): how two variable layers are combined.
// With hash_behaviour=replace (the default) a key of the higher layer replaces the lower one's;
// with merge, dictionaries are merged recursively (lists and scalars still replace).

export type Vars = Record<string, unknown>;

function isDict(v: unknown): v is Vars {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** merge_hash(x, y): a new dictionary, y's keys win; dictionaries on both sides merge recursively. */
export function mergeHash(x: Vars, y: Vars): Vars {
  const out: Vars = { ...x };
  for (const [k, yv] of Object.entries(y)) {
    const xv = out[k];
    out[k] = isDict(xv) && isDict(yv) ? mergeHash(xv, yv) : yv;
  }
  return out;
}

/** combine_vars(a, b): a new dictionary, `b` over `a`, merged when `merge` (hash_behaviour=merge). */
export function combineVars(a: Vars, b: Vars, merge: boolean): Vars {
  return merge ? mergeHash(a, b) : { ...a, ...b };
}

/** Whether both values are dictionaries that hash_behaviour=merge would merge. */
export function mergeable(a: unknown, b: unknown): boolean {
  return isDict(a) && isDict(b);
}
