// How template values cross to the Python plugin worker and back: JSON with ansible-core's own
// marker for unsafe text ({"__ansible_unsafe": text}, ansible.parsing.ajson), so a plugin sees an
// AnsibleUnsafeText where Ansible would give it one and its unsafe results stay unsafe in drover.
import { Unsafe, isMapping, isUnsafeValue, mappingEntries } from '../python.js';
import { Undefined } from '../undefined.js';

const MAX_DEPTH = 200;

/**
 * A value as JSON data for the worker. `unsafe`: the render has read unsafe data, so its text
 * goes over as unsafe (drover tracks unsafe-ness per render, see engine/template/README.md).
 * An Undefined (also one inside a lazy view such as hostvars) becomes an AnsibleUndefined there.
 */
export function encodeValue(v: unknown, unsafe: boolean, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('value nested too deeply to pass to a Python plugin');
  if (typeof v === 'string') return unsafe ? { __ansible_unsafe: v } : v;
  if (v instanceof Unsafe) return { __ansible_unsafe: v.value };
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Undefined) return { __drover_undefined: v.message };
  const inner = unsafe || isUnsafeValue(v);
  if (Array.isArray(v) || v instanceof Set) return [...v].map((x) => encodeValue(x, inner, depth + 1));
  if (isMapping(v)) {
    const out: Record<string, unknown> = {};
    if (!(v instanceof Map)) {
      for (const [k, x] of mappingEntries(v)) out[String(k)] = encodeValue(x, inner, depth + 1);
      return out;
    }
    // a lazy view renders each value on read: one that fails is undefined there, as in Ansible
    for (const k of v.keys()) {
      let x: unknown;
      try {
        x = v.get(k);
      } catch (e) {
        x = new Undefined((e as Error).message, String(k));
      }
      out[String(k)] = encodeValue(x, inner, depth + 1);
    }
    return out;
  }
  return String(v);
}

/** The worker's JSON answer as template data; `onUnsafe` is told when any text came back unsafe. */
export function decodeValue(text: string, onUnsafe: () => void): unknown {
  return JSON.parse(text, (_k, x: unknown) => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x);
      if (keys.length === 1 && keys[0] === '__ansible_unsafe') {
        onUnsafe();
        return (x as Record<string, unknown>).__ansible_unsafe;
      }
    }
    return x;
  }) as unknown;
}
