// Python's json.dumps and PyYAML's safe_dump output formats, so `to_json`, `to_nice_json`,
// `to_yaml` and `to_nice_yaml` print byte for byte what Ansible prints for the same data.
import { Unsafe, VaultText, isFloatSlot, isMapping, mappingEntries, pyFloat, pyNumber, pyStr } from './python.js';
import { Undefined } from './undefined.js';
import { emitYaml, type EmitOptions } from './yaml-emit.js';

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

export type YamlDumpOptions = EmitOptions;

/** PyYAML's yaml.dump(..., Dumper=AnsibleDumper, allow_unicode=True) (see yaml-emit.ts). */
export function yamlDump(value: unknown, opts: YamlDumpOptions = {}): string {
  return emitYaml(value, opts);
}
