// Python's json.dumps and PyYAML's safe_dump output formats, so `to_json`, `to_nice_json`,
// `to_yaml` and `to_nice_yaml` print byte for byte what Ansible prints for the same data.
import { Unsafe, VaultText, isFloatSlot, isMapping, mappingEntries, pyFloat, pyNumber, pyStr } from './python.js';
import { Undefined } from './undefined.js';

export interface JsonDumpOptions {
  indent?: number;
  sortKeys?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '] (or [',', ': '] with indent). */
  separators?: [string, string];
  ensureAscii?: boolean;
  /** ansible-inventory's encoder writes !unsafe strings as {"__ansible_unsafe": text}; filters write the text. */
  unsafeAsDict?: boolean;
}

function jsonString(s: string, ensureAscii: boolean): string {
  // fast path: nothing to escape (the common case for hostnames and plain values)
  if (!(ensureAscii ? /[^\x20-\x7e]|["\\]/ : /[\x00-\x1f"\\]/).test(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) {
      if (c > 0xffff) {
        const v = c - 0x10000;
        out += '\\u' + (0xd800 + (v >> 10)).toString(16).padStart(4, '0') + '\\u' + (0xdc00 + (v & 0x3ff)).toString(16).padStart(4, '0');
      } else out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

function jsonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return pyNumber(n);
}

/** Python json.dumps with the options Ansible's filters pass. Pieces go to one array (83 MB for 100k hosts). */
export function jsonDumps(value: unknown, opts: JsonDumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent = opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent !== undefined ? [',', ': '] : [', ', ': ']);
  const pads: string[] = [];
  const pad = (level: number): string => (indent === undefined ? '' : (pads[level] ??= '\n' + ' '.repeat(indent * level)));
  const out: string[] = [];
  const slot = (container: object, key: string | number, x: unknown, level: number): void => {
    if (typeof x === 'number' && Number.isFinite(x) && isFloatSlot(container, key)) out.push(pyFloat(x));
    else walk(x, level);
  };
  const walk = (v: unknown, level: number): void => {
    if (v instanceof Undefined) v.fail();
    if (v === null || v === undefined) out.push('null');
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
    else if (typeof v === 'number') out.push(jsonNumber(v));
    else if (typeof v === 'bigint') out.push(v.toString());
    else if (typeof v === 'string') out.push(jsonString(v, ensureAscii));
    else if (Array.isArray(v) || v instanceof Set) {
      const items = Array.isArray(v) ? v : [...(v as Set<unknown>)];
      if (!items.length) return void out.push('[]');
      const sep = itemSep + pad(level + 1);
      out.push('[' + pad(level + 1));
      items.forEach((x, i) => {
        if (i) out.push(sep);
        slot(v, i, x, level + 1);
      });
      out.push(pad(level) + ']');
    } else if (isMapping(v)) {
      let entries = mappingEntries(v).map(([k, x]) => [typeof k === 'string' ? k : jsonKey(k), x, k] as [string, unknown, unknown]);
      if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (!entries.length) return void out.push('{}');
      const sep = itemSep + pad(level + 1);
      out.push('{' + pad(level + 1));
      entries.forEach(([k, x, rawKey], i) => {
        out.push((i ? sep : '') + jsonString(k, ensureAscii) + keySep);
        if (typeof rawKey === 'string') slot(v, rawKey, x, level + 1);
        else walk(x, level + 1);
      });
      out.push(pad(level) + '}');
    } else if (v instanceof Date) out.push(jsonString(v.toISOString(), ensureAscii));
    else if (v instanceof Unsafe) {
      if (opts.unsafeAsDict) walk(v instanceof VaultText ? { __ansible_vault: v.ciphertext } : { __ansible_unsafe: v.value }, level);
      else out.push(jsonString(v.value, ensureAscii));
    } else if (typeof (v as { toJSON?: unknown }).toJSON === 'function') walk((v as { toJSON(): unknown }).toJSON(), level);
    else out.push(jsonString(pyStr(v), ensureAscii));
  };
  walk(value, 0);
  return out.join('');
}

function jsonKey(k: unknown): string {
  if (k === null) return 'null';
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'number') return jsonNumber(k);
  return pyStr(k);
}

// ---- YAML (PyYAML SafeDumper) -----------------------------------------------------------------

export interface YamlDumpOptions {
  indent?: number;
  /** PyYAML default_flow_style: null = flow only for collections of scalars, false = block always. */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  width?: number;
}

const YAML_RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$/;
const YAML_NUMBERISH =
  /^(?:[-+]?(?:0|[1-9][0-9_]*)|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

/** Whether PyYAML would write this string as a plain (unquoted) scalar. */
function plainAllowed(s: string, flow: boolean): boolean {
  if (s === '') return false;
  if (YAML_RESERVED.test(s) || YAML_NUMBERISH.test(s)) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !(/^-[^\s]/.test(s) || (/^[?:][^\s]/.test(s) && !flow))) return false;
  if (/[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  if (flow && /^[?:]/.test(s)) return false; // '-x' stays plain in flow style, as PyYAML writes it
  return true;
}

function yamlScalar(v: unknown, flow: boolean): string {
  if (v instanceof Undefined) v.fail();
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return pyNumber(v);
  }
  const s = typeof v === 'string' ? v : pyStr(v);
  if (plainAllowed(s, flow)) return s;
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s) || s.includes('\n')) {
    return JSON.stringify(s);
  }
  return "'" + s.replace(/'/g, "''") + "'";
}

function isCollection(v: unknown): boolean {
  return Array.isArray(v) || isMapping(v) || v instanceof Set;
}

function entriesOf(v: unknown, sortKeys: boolean): [unknown, unknown][] {
  const e = mappingEntries(v as Record<string, unknown>);
  if (!sortKeys) return e;
  return e.sort(([a], [b]) => {
    const x = pyStr(a);
    const y = pyStr(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function flowValue(v: unknown, sortKeys: boolean): string {
  if (Array.isArray(v) || v instanceof Set) return '[' + [...(v as Iterable<unknown>)].map((x) => flowValue(x, sortKeys)).join(', ') + ']';
  if (isMapping(v)) return '{' + entriesOf(v, sortKeys).map(([k, x]) => `${yamlScalar(k, true)}: ${flowValue(x, sortKeys)}`).join(', ') + '}';
  return yamlScalar(v, true);
}

/** PyYAML's yaml.dump(..., Dumper=SafeDumper) for the shapes Ansible variables take. */
export function yamlDump(value: unknown, opts: YamlDumpOptions = {}): string {
  const indent = opts.indent ?? 2;
  const sortKeys = opts.sortKeys ?? true;
  const flowStyle = opts.defaultFlowStyle === undefined ? null : opts.defaultFlowStyle;
  const useFlow = (v: unknown): boolean => {
    if (flowStyle === true) return true;
    if (flowStyle === false) return false;
    const items = Array.isArray(v) || v instanceof Set ? [...(v as Iterable<unknown>)] : mappingEntries(v as Record<string, unknown>).map(([, x]) => x);
    return !items.some(isCollection);
  };
  const empty = (v: unknown): boolean =>
    Array.isArray(v) ? v.length === 0 : v instanceof Set ? v.size === 0 : isMapping(v) && mappingEntries(v).length === 0;
  const lines: string[] = [];
  const block = (v: unknown, pad: string, inSeq: boolean): void => {
    if (Array.isArray(v) || v instanceof Set) {
      // PyYAML writes sequences "indentless" under a mapping key; an item that is itself a
      // block collection starts on the dash line, its contents aligned `indent` columns in.
      for (const x of v as Iterable<unknown>) {
        if (isCollection(x) && !empty(x) && !useFlow(x)) {
          const sub: string[] = [];
          const saved = lines.length;
          block(x, pad + ' '.repeat(indent), true);
          sub.push(...lines.splice(saved));
          lines.push(pad + '-' + ' '.repeat(indent - 1) + sub[0].slice(pad.length + indent));
          lines.push(...sub.slice(1));
        } else lines.push(pad + '- ' + inline(x));
      }
      return;
    }
    void inSeq;
    for (const [k, x] of entriesOf(v, sortKeys)) {
      const key = yamlScalar(k, false);
      if (isCollection(x) && !empty(x) && !useFlow(x)) {
        lines.push(pad + key + ':');
        block(x, Array.isArray(x) || x instanceof Set ? pad : pad + ' '.repeat(indent), false);
      } else lines.push(pad + key + ': ' + inline(x));
    }
  };
  const inline = (x: unknown): string => (isCollection(x) ? flowValue(x, sortKeys) : yamlScalar(x, false));
  if (!isCollection(value)) {
    const s = yamlScalar(value, false);
    return s + '\n'; // Ansible's dumper ends a lone scalar without PyYAML's '...' marker
  }
  if (empty(value) || useFlow(value)) return flowValue(value, sortKeys) + '\n';
  block(value, '', false);
  return lines.join('\n') + '\n';
}
