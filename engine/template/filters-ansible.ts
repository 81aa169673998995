// ansible-core 2.14's plugins/filter/core.py logic and data-structure filters: bool, ternary,
// mandatory, type_debug, combine, dict2items, items2dict, flatten, extract, subelements, random,
// shuffle, comment, with core.py's error texts (the integration targets assert on them).
import { iterate } from './methods.js';
import { pyEq } from './ops.js';
import { jsonDumps } from './pydump.js';
import { pyRandom, randrange, shuffled } from './pyrandom.js';
import { isMapping, isTuple, mappingEntries, mappingGet, mappingHas, pyRepr, pyStr, pythonTruthy, toBool, tuple, typeName } from './python.js';
import { addFilters, arg, type Kwargs } from './registry.js';
import { getItem } from './runtime.js';
import { EvalError, Undefined, UndefinedError, assertDeepDefined, defined } from './undefined.js';
import { versionTest } from './version.js';

type Dict = Record<string, unknown>;

/** Python's repr of a type, as `type(x)` prints in core.py's messages: <class 'bool'>. */
function pyType(v: unknown): string {
  return `<class '${typeName(v)}'>`;
}

function toDict(v: unknown): Dict {
  return Object.fromEntries(mappingEntries(v as Dict).map(([k, x]) => [pyStr(k), x]));
}

/** A MutableSequence: a list, not a tuple. */
function isList(v: unknown): v is unknown[] {
  return Array.isArray(v) && !isTuple(v);
}

function contains(list: unknown[], x: unknown): boolean {
  return list.some((y) => pyEq(x, y));
}

const LIST_MERGE = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

/** utils/vars.py _validate_mutable_mappings. */
function validateMappings(x: unknown, y: unknown): void {
  if (isMapping(x) && isMapping(y)) return;
  const dump = (v: unknown): string => {
    try {
      return jsonDumps(v);
    } catch {
      return pyStr(v);
    }
  };
  throw new EvalError(`failed to combine variables, expected dicts but got a '${typeName(x)}' and a '${typeName(y)}': \n${dump(x)}\n${dump(y)}`);
}

/** ansible.utils.vars.merge_hash: y's keys win; nested dicts and lists as `recursive`/`list_merge` say. */
export function mergeHash(x: unknown, y: unknown, recursive: boolean, listMerge: string): Dict {
  if (!LIST_MERGE.includes(listMerge)) {
    throw new EvalError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'");
  }
  validateMappings(x, y);
  const [xd, yd] = [toDict(x), toDict(y)];
  if (Object.keys(xd).length === 0 || pyEq(xd, yd)) return { ...yd };
  const out = { ...xd };
  if (!recursive && listMerge === 'replace') return Object.assign(out, yd);
  for (const [k, yv] of Object.entries(yd)) {
    if (!(k in out)) {
      out[k] = yv;
      continue;
    }
    const xv = out[k];
    if (isMapping(xv) && isMapping(yv)) {
      out[k] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    } else if (isList(xv) && isList(yv)) {
      if (listMerge === 'replace') out[k] = yv;
      else if (listMerge === 'append') out[k] = [...xv, ...yv];
      else if (listMerge === 'prepend') out[k] = [...yv, ...xv];
      else if (listMerge === 'append_rp') out[k] = [...xv.filter((z) => !contains(yv, z)), ...yv];
      else if (listMerge === 'prepend_rp') out[k] = [...yv, ...xv.filter((z) => !contains(yv, z))];
    } else {
      out[k] = yv;
    }
  }
  return out;
}

function flatten(list: unknown, levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const el of iterate(list)) {
    if (skipNulls && (el === null || el === 'None' || el === 'null')) continue;
    if (!Array.isArray(el)) out.push(el);
    else if (levels === null) out.push(...flatten(el, null, skipNulls));
    else if (levels >= 1) out.push(...flatten(el, levels - 1, skipNulls));
    else out.push(el);
  }
  return out;
}

function combine(terms: unknown[], kw: Kwargs): unknown {
  const recursive = pythonTruthy(kw.recursive ?? false);
  const listMerge = kw.list_merge ?? 'replace';
  if (Object.keys(kw).some((k) => k !== 'recursive' && k !== 'list_merge')) {
    throw new EvalError("'recursive' and 'list_merge' are the only valid keyword arguments");
  }
  const dicts = flatten(terms, 1, true);
  assertDeepDefined(dicts);
  if (dicts.length === 0) return {};
  if (dicts.length === 1) return dicts[0];
  let result = dicts[dicts.length - 1];
  for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i], result, recursive, pyStr(listMerge));
  return result;
}

function items2dict(v: unknown, keyName: unknown, valueName: unknown): Dict {
  if (!Array.isArray(v)) throw new EvalError(`items2dict requires a list, got ${pyType(v)} instead.`);
  const out: Dict = {};
  for (const item of v) {
    if (!isMapping(item)) throw new EvalError(`items2dict requires a list of dictionaries, got ${pyRepr(v)} instead.`);
    if (!mappingHas(item, keyName) || !mappingHas(item, valueName)) {
      throw new EvalError(
        `items2dict requires each dictionary in the list to contain the keys '${pyStr(keyName)}' and '${pyStr(valueName)}', got ${pyRepr(v)} instead.`,
      );
    }
    out[pyStr(mappingGet(item, keyName))] = mappingGet(item, valueName);
  }
  return out;
}

function subelements(obj: unknown, path: unknown, skipMissing: boolean): unknown[] {
  let elements: unknown[];
  if (isMapping(obj)) elements = mappingEntries(obj).map(([, x]) => x);
  else if (isList(obj)) elements = [...obj];
  else throw new EvalError('obj must be a list of dicts or a nested dict');
  let keys: unknown[];
  if (isList(path)) keys = [...path];
  else if (typeof path === 'string') keys = path.split('.');
  else throw new EvalError('subelements must be a list or a string');
  if (!keys.length) throw new EvalError("local variable 'subelement' referenced before assignment");
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const key of keys) {
      if (!isMapping(values)) throw new EvalError(`the key ${pyStr(key)} should point to a dictionary, got '${pyStr(values)}'`);
      if (!mappingHas(values, key)) {
        if (!skipMissing) throw new EvalError(`could not find ${pyRepr(key)} key in iterated item ${pyRepr(values)}`);
        values = [];
        break;
      }
      values = mappingGet(values, key);
    }
    if (!isList(values)) throw new EvalError(`the key ${pyRepr(keys[keys.length - 1])} should point to a list, got ${pyRepr(values)}`);
    for (const value of values) out.push(tuple([element, value]));
  }
  return out;
}

function random(end: unknown, start: unknown, step: unknown, seed: unknown): unknown {
  const r = pyRandom(seed);
  if (typeof end === 'number' && Number.isInteger(end)) {
    const n = (x: unknown, dflt: number): number => (pythonTruthy(x ?? null) ? Number(x) : dflt);
    return randrange(r, n(start, 0), end, n(step, 1));
  }
  if (typeof end === 'boolean') return randrange(r, 0, Number(end), 1);
  if (typeof end === 'string' || Array.isArray(end) || isMapping(end) || end instanceof Set) {
    if (pythonTruthy(start ?? null) || pythonTruthy(step ?? null)) throw new EvalError('start and step can only be used with integer values');
    if (end instanceof Set) throw new EvalError("'set' object is not subscriptable");
    const items = typeof end === 'string' ? [...end] : iterate(end);
    if (!items.length) throw new EvalError('Cannot choose from an empty sequence');
    const i = r.below(items.length);
    return isMapping(end) ? getItem(end, i, 'dict object') : items[i];
  }
  throw new EvalError('random can only be used on sequences and integers');
}

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** core.py comment(): prefix/postfix lines around the decorated text. */
function comment(text: string, style: string, kw: Kwargs): string {
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw new EvalError(`'${style}'`);
  const deco = 'decoration' in kw ? pyStr(kw.decoration) : styleParams.decoration;
  const p: Record<string, unknown> = {
    newline: '\n', beginning: '', prefix: deco.trimEnd(), prefix_count: 1, decoration: '', postfix: deco.trimEnd(), postfix_count: 1, end: '',
    ...styleParams,
    ...kw,
  };
  const s = (k: string): string => pyStr(p[k]);
  const nl = s('newline');
  const beginning = pythonTruthy(p.beginning) ? s('beginning') + nl : '';
  let prefix = '';
  if (pythonTruthy(p.prefix)) prefix = (s('prefix') !== nl ? s('prefix') + nl : nl).repeat(Math.max(0, Math.trunc(Number(p.prefix_count))));
  const decoration = s('decoration');
  const body = (decoration + text.split(nl).join(nl + decoration)).split(decoration + nl).join(decoration.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: Math.max(0, Math.trunc(Number(p.postfix_count))) }, () => s('postfix'))].join(nl);
  const end = pythonTruthy(p.end) ? nl + s('end') : '';
  return beginning + prefix + body + postfix + end;
}

addFilters({
  bool: (v) => (v === null ? null : toBool(v)),
  // only the chosen branch has to be defined (Jinja passes Undefined arguments through)
  ternary: {
    undefinedOk: true,
    fn: (v, a, kw) => {
      const none = arg(a, kw, 2, 'none_val', null);
      if (defined(v) === null && none !== null) return none;
      return pythonTruthy(v) ? arg(a, kw, 0, 'true_val') : arg(a, kw, 1, 'false_val');
    },
  },
  mandatory: {
    undefinedOk: true,
    fn: (v, a, kw) => {
      if (!(v instanceof Undefined)) return v;
      const msg = arg<unknown>(a, kw, 0, 'msg', null);
      if (msg !== null && !(msg instanceof Undefined)) throw new UndefinedError(pyStr(msg));
      throw new UndefinedError(`Mandatory variable ${v.name ? `'${v.name}' ` : ''} not defined.`);
    },
  },
  type_debug: { undefinedOk: true, fn: (v) => typeName(v) },
  combine: (v, a, kw) => combine([v, ...a], kw),
  dict2items: (v, a, kw) => {
    if (!isMapping(v)) throw new EvalError(`dict2items requires a dictionary, got ${pyType(v)} instead.`);
    const [k, val] = [pyStr(arg(a, kw, 0, 'key_name', 'key')), pyStr(arg(a, kw, 1, 'value_name', 'value'))];
    return mappingEntries(v).map(([key, value]) => ({ [k]: key, [val]: value }));
  },
  items2dict: (v, a, kw) => items2dict(v, arg(a, kw, 0, 'key_name', 'key'), arg(a, kw, 1, 'value_name', 'value')),
  flatten: (v, a, kw) => {
    const levels = arg<unknown>(a, kw, 0, 'levels', null);
    return flatten(v, levels === null ? null : Number(levels), pythonTruthy(arg(a, kw, 1, 'skip_nulls', true)));
  },
  // an undefined container (or a missing key on the way) gives Undefined, as environment.getitem does
  extract: {
    undefinedOk: true,
    fn: (v, a, kw) => {
      const more = arg<unknown>(a, kw, 1, 'morekeys', null);
      const keys = more === null ? [v] : isList(more) ? [v, ...more] : [v, more];
      return keys.reduce((value, k) => getItem(value, k, `${typeName(value)} object`), arg(a, kw, 0, 'container'));
    },
  },
  subelements: (v, a, kw) => subelements(v, arg(a, kw, 0, 'subelements'), pythonTruthy(arg(a, kw, 1, 'skip_missing', false))),
  random: (v, a, kw) => random(v, arg(a, kw, 0, 'start', null), arg(a, kw, 1, 'step', null), arg(a, kw, 2, 'seed', null)),
  shuffle: (v, a, kw) => {
    const seed = arg<unknown>(a, kw, 0, 'seed', null);
    let items: unknown[];
    try {
      items = iterate(v);
    } catch {
      return v;
    }
    return shuffled(pyRandom(pythonTruthy(seed) ? seed : null), items);
  },
  comment: (v, a, kw) => {
    const { style: _style, ...rest } = kw;
    return comment(pyStr(v), pyStr(arg(a, kw, 0, 'style', 'plain')), rest);
  },
  // Ansible 2.14 has these only as tests; issue 2 asks for the filter forms too (older playbooks)
  version_compare: versionTest,
  version: versionTest,
});
