// toml.dumps() of the uiri `toml` package (0.10.2, /usr/bin/python3's here), which
// ansible-inventory --toml uses: top-level keys first, then one [dotted.section] per nested table
// in breadth-first order, lists written as `[ a, b,]`, None values left out. Its quirks are kept
// because the output is compared byte for byte: _dump_str rebuilds repr() text and mangles \x
// escapes ("a\x07b" becomes "ax07b"; one at the start of a string raises IndexError), and a table
// met again at a deeper level is a "Circular reference". Those exceptions are not the TypeError or
// KeyError ansible-inventory reports, so they surface as its "Unexpected Exception" (exit 250).
import { isFloatSlot, pyFloat, Unsafe } from '../template/python.js';
import { strRepr } from './pyrepr.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const isDate = (v: unknown): v is { iso: string } => typeof v === 'object' && v !== null && Symbol.for('drover.pydate') in v;

/** _dump_str(), line for line. */
function dumpStr(s: string): string {
  let v = strRepr(s);
  const single = v.startsWith("'");
  if (single || v.startsWith('"')) v = v.slice(1, -1);
  if (single) v = v.replace(/\\'/g, "'").replace(/"/g, '\\"');
  let parts = v.split('\\x');
  while (parts.length > 1) {
    let i = -1;
    if (!parts[0]) parts = parts.slice(1);
    parts[0] = parts[0].split('\\\\').join('\\');
    if (!parts[0]) throw new Error('string index out of range');
    let joinx = parts[0].at(i) !== '\\';
    while (parts[0].slice(0, i) && parts[0].at(i) === '\\') {
      joinx = !joinx;
      i -= 1;
    }
    if (parts.length < 2) throw new Error('list index out of range');
    parts = [parts[0] + (joinx ? 'x' : 'u00') + parts[1], ...parts.slice(2)];
  }
  return `"${parts[0]}"`;
}

/** _dump_float(): "{}".format(v) with e+0N/e-0N shortened. */
function dumpFloat(n: number): string {
  return pyFloat(n).replace('e+0', 'e+').replace('e-0', 'e-');
}

function dumpValue(v: unknown, float = false): string {
  if (typeof v === 'string') return dumpStr(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return float || !Number.isInteger(v) ? dumpFloat(v) : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (isDate(v)) return v.iso.replace('+00:00', 'Z');
  // AnsibleTomlEncoder writes unsafe text as plain text
  if (v instanceof Unsafe) return dumpStr(v.value);
  if (Array.isArray(v)) return '[' + v.map((x, i) => ` ${dumpValue(x, isFloatSlot(v, i))},`).join('') + ']';
  // a dict inside a list is iterable: dump_list writes its keys
  if (isDict(v)) return dumpValue(Object.keys(v));
  if (v === null || v === undefined) return dumpStr('None');
  return dumpStr(String(v));
}

const quoteKey = (key: string): string => (/^[A-Za-z0-9_-]+$/.test(key) ? key : dumpStr(key));

/** dump_sections(o, sup): the key = value lines (arrays of tables after them) and the sub-tables. */
function dumpSections(o: Dict, sup0: string): [string, Map<string, Dict>] {
  const sup = sup0 !== '' && !sup0.endsWith('.') ? sup0 + '.' : sup0;
  let ret = '';
  let arrays = '';
  const tables = new Map<string, Dict>();
  for (const key of Object.keys(o)) {
    const q = quoteKey(key);
    const v = o[key];
    if (isDict(v)) {
      tables.set(q, v);
      continue;
    }
    if (Array.isArray(v) && v.some(isDict)) {
      for (const a of v) {
        let tabs = '\n';
        arrays += `[[${sup}${q}]]\n`;
        const [s, d0] = isDict(a) ? dumpSections(a, sup + q) : notATable(a);
        if (s) {
          if (s[0] === '[') tabs += s;
          else arrays += s;
        }
        let d = d0;
        while (d.size) {
          const next = new Map<string, Dict>();
          for (const [name, sub] of d) {
            const [s1, d1] = dumpSections(sub, `${sup}${q}.${name}`);
            if (s1) tabs += `[${sup}${q}.${name}]\n${s1}`;
            for (const [k1, v1] of d1) next.set(`${name}.${k1}`, v1);
          }
          d = next;
        }
        arrays += tabs;
      }
    } else if (v !== null && v !== undefined) {
      ret += `${q} = ${dumpValue(v, isFloatSlot(o, key))}\n`;
    }
  }
  return [ret + arrays, tables];
}

/** dump_sections() on a list item that is not a table: Python iterates it and fails, or finds nothing in an empty one. */
function notATable(a: unknown): [string, Map<string, Dict>] {
  if ((typeof a === 'string' || Array.isArray(a)) && a.length === 0) return ['', new Map()];
  if (typeof a === 'string') throw new TomlTypeError("string indices must be integers, not 'str'");
  if (Array.isArray(a)) throw new TomlTypeError('list indices must be integers or slices, not str');
  const type = a === null || a === undefined ? 'NoneType' : typeof a === 'boolean' ? 'bool' : typeof a === 'number' ? (Number.isInteger(a) ? 'int' : 'float') : isDate(a) ? (a.iso.includes('T') ? 'datetime.datetime' : 'datetime.date') : 'object';
  throw new TomlTypeError(`'${type}' object is not iterable`);
}

/** A TypeError of the toml library, which ansible-inventory reports as an unrepresentable value. */
export class TomlTypeError extends Error {}

export function tomlDumps(o: Dict): string {
  let [ret, sections] = dumpSections(o, '');
  const outer = new Set<object>([o]);
  while (sections.size) {
    for (const s of sections.values()) if (outer.has(s)) throw new Error('Circular reference detected');
    for (const s of sections.values()) outer.add(s);
    const next = new Map<string, Dict>();
    for (const [name, value] of sections) {
      const [s, sub] = dumpSections(value, name);
      if (s || sub.size === 0) {
        if (ret && !ret.endsWith('\n\n')) ret += '\n';
        ret += `[${name}]\n${s}`;
      }
      for (const [k, v] of sub) next.set(`${name}.${k}`, v);
    }
    sections = next;
  }
  return ret;
}
