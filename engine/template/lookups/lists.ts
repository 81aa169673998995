// The list-shaping lookups behind the old with_<x> loops: items, list, indexed_items, dict, nested,
// together, subelements and random_choice, with ansible-core 2.14's quirks (items flattens one
// level, nested splices lists, subelements drops the subkey from the parent item).
import { iterate } from '../methods.js';
import { isMapping, mappingEntries, mappingGet, mappingHas, pyRepr, pyStr, tuple } from '../python.js';
import { flatten } from './common.js';
import { pyBoolean } from './options.js';
import { PluginError, type LookupPlugin } from './types.js';

/** listify_lookup_plugin_terms on an already templated value: a string (or scalar) becomes [it]. */
function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMapping(v)) return mappingEntries(v).map(([k]) => k);
  return [v];
}

function asDict(v: unknown): Record<string, unknown> {
  return isMapping(v) ? (Object.fromEntries(mappingEntries(v)) as Record<string, unknown>) : {};
}

/** Python `for x in terms` over what a with_ loop gave (a dict yields its keys). */
function terms(v: unknown): unknown[] {
  return Array.isArray(v) ? v : iterate(v);
}

const subelements: LookupPlugin = {
  run(raw) {
    const fail = (msg = ''): never => {
      throw new PluginError('subelements lookup expects a list of two or three items, ' + msg);
    };
    if (!Array.isArray(raw) || raw.length < 2 || raw.length > 3) return fail();
    const [first, key, flags = {}] = raw;
    const list = typeof first === 'string' ? [first] : first;
    if (!(Array.isArray(list) || isMapping(list)) || typeof key !== 'string') return fail('first a dict or a list, second a string pointing to the subkey');
    let elements: unknown[];
    if (isMapping(list)) {
      if (mappingHas(list, 'skipped') && mappingGet(list, 'skipped') !== false) return [];
      elements = mappingEntries(list).map(([, v]) => v);
    } else elements = list;
    if (!isMapping(flags) && !iterate(flags).every((k) => k === 'skip_missing')) fail("the optional third item must be a dict with flags ('skip_missing',)");
    const skipMissing = isMapping(flags) && pyBoolean(asDict(flags).skip_missing ?? false);
    const path = key.split('.');
    const out: unknown[] = [];
    for (const item of elements) {
      if (!isMapping(item)) throw new PluginError(`subelements lookup expects a dictionary, got '${pyStr(item)}'`);
      if (mappingHas(item, 'skipped') && mappingGet(item, 'skipped') !== false) continue;
      // Ansible pops the subkey out of (a templated copy of) the item: copy the dicts on the path
      const top = asDict(item);
      let sub = top;
      let list: unknown[] = [];
      for (let i = 0; i < path.length; i++) {
        const k = path[i];
        const last = i === path.length - 1;
        if (!(k in sub)) {
          if (skipMissing) continue;
          throw new PluginError(`could not find '${k}' key in iterated item '${pyRepr(sub)}'`);
        }
        if (!last) {
          if (!isMapping(sub[k])) {
            if (skipMissing) continue;
            throw new PluginError(`the key ${k} should point to a dictionary, got '${pyStr(sub[k])}'`);
          }
          sub = sub[k] = asDict(sub[k]);
        } else {
          if (!Array.isArray(sub[k])) throw new PluginError(`the key ${k} should point to a list, got '${pyStr(sub[k])}'`);
          list = sub[k] as unknown[];
          delete sub[k];
        }
      }
      for (const x of list) out.push(tuple([top, x]));
    }
    return out;
  },
};

export const LIST_LOOKUPS: Record<string, LookupPlugin> = {
  items: { run: (t) => flatten(terms(t)) },
  list: {
    run(t) {
      if (!Array.isArray(t)) throw new PluginError('with_list expects a list');
      return t;
    },
  },
  indexed_items: {
    run(t) {
      if (!Array.isArray(t)) throw new PluginError('with_indexed_items expects a list');
      return flatten(t).map((x, i) => tuple([i, x]));
    },
  },
  dict: {
    run(t) {
      return (Array.isArray(t) ? t : [t]).flatMap((term) => {
        if (!isMapping(term)) throw new PluginError('with_dict expects a dict');
        return mappingEntries(term).map(([key, value]) => ({ key, value }));
      });
    },
  },
  nested: {
    run(t) {
      const lists = terms(t).map(listify);
      if (!lists.length) throw new PluginError('with_nested requires at least one element in the nested list');
      let result: unknown[] = lists[0];
      for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flatten([x, y])));
      return result.map((x) => flatten(iterate(x)));
    },
  },
  together: {
    run(t) {
      const lists = terms(t).map(listify);
      if (!lists.length) throw new PluginError('with_together requires at least one element in each list');
      const n = Math.max(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))));
    },
  },
  subelements,
  random_choice: {
    run(t) {
      const list = terms(t);
      return list.length ? [list[Math.floor(Math.random() * list.length)]] : list;
    },
  },
};
