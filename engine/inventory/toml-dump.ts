// toml.dumps() of the uiri `toml` package, which ansible-inventory --toml uses: top-level keys
// first, then one [dotted.section] per nested table in breadth-first order, lists written as
// `[ a, b,]`, None values left out, strings from Python's repr turned into TOML basic strings.
import { isFloatSlot, pyFloat, Unsafe } from '../template/python.js';
import { strRepr } from './pyrepr.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** _dump_str(): repr() without its quotes, single-quote escapes undone, \xNN as \u00NN. */
function dumpStr(s: string): string {
  let v = strRepr(s);
  const single = v.startsWith("'");
  v = v.slice(1, -1);
  if (single) v = v.replace(/\\'/g, "'").replace(/"/g, '\\"');
  v = v.replace(/(\\+)x([0-9a-f]{2})/g, (m, bs: string, hex: string) => (bs.length % 2 === 1 ? `${bs}u00${hex}` : m));
  return `"${v}"`;
}

function dumpValue(v: unknown, float = false): string {
  if (typeof v === 'string') return dumpStr(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return float || !Number.isInteger(v) ? pyFloat(v).replace('e+0', 'e+').replace('e-0', 'e-') : String(v);
  if (Array.isArray(v)) return '[' + v.map((x, i) => ` ${dumpValue(x, isFloatSlot(v, i))},`).join('') + ']';
  if (v === null || v === undefined) return dumpStr('None');
  // AnsibleTomlEncoder writes unsafe text as plain text
  if (v instanceof Unsafe) return dumpStr(String(v.value));
  return dumpStr(String(v));
}

function section(o: Dict, sup: string): [string, Dict] {
  const prefix = sup !== '' && !sup.endsWith('.') ? sup + '.' : sup;
  let out = '';
  let arrays = '';
  const tables: Dict = {};
  for (const key of Object.keys(o)) {
    const q = /^[A-Za-z0-9_-]+$/.test(key) ? key : dumpStr(key);
    const v = o[key];
    if (isDict(v)) {
      tables[q] = v;
    } else if (Array.isArray(v) && v.some(isDict)) {
      for (const a of v) {
        arrays += `[[${prefix}${q}]]\n`;
        const [s] = section(isDict(a) ? a : {}, prefix + q);
        arrays += s;
      }
    } else if (v !== null && v !== undefined) {
      out += `${q} = ${dumpValue(v, isFloatSlot(o, key))}\n`;
    }
  }
  return [out + arrays, tables];
}

export function tomlDumps(o: Dict): string {
  let [ret, sections] = section(o, '');
  while (Object.keys(sections).length) {
    const next: Dict = {};
    for (const [name, value] of Object.entries(sections)) {
      const [s, sub] = section(value as Dict, name);
      if (s || Object.keys(sub).length === 0) {
        if (ret && !ret.endsWith('\n\n')) ret += '\n';
        ret += `[${name}]\n${s}`;
      }
      for (const [k, v] of Object.entries(sub)) next[`${name}.${k}`] = v;
    }
    sections = next;
  }
  return ret;
}
