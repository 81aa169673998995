// YAML as Ansible's loader (PyYAML, YAML 1.1 resolvers) reads it: yes/no/on/off are booleans,
// 0777 is octal, 1e3 stays a string, 2020-01-02 is a date, `<<` merges; duplicate keys keep the
// last value; !unsafe is a plain string. Used for YAML inventories and group_vars/host_vars files.
import { LineCounter, isMap, isScalar, parseDocument, type Document, type Node as YamlNode, type ScalarTag } from 'yaml';
import { InventoryError } from '../errors/index.js';
import { Unsafe } from '../template/python.js';
import { IntegralFloat, settle } from './floats.js';

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

function sexagesimal(parts: string[]): number {
  let v = 0;
  for (const p of parts) v = v * 60 + Number(p);
  return v;
}

function resolveInt(src: string): number {
  let s = src.replace(/_/g, '');
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s[0] === '0') return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s.split(':'));
  return sign * parseInt(s, 10);
}

function resolveFloat(src: string): number | IntegralFloat {
  let s = src.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  if (s.includes(':')) return sign * sexagesimal(s.split(':'));
  const n = sign * Number(s);
  return Number.isInteger(n) ? new IntegralFloat(n) : n;
}

/**
 * A YAML timestamp with a time part: PyYAML gives a datetime, which json.dumps (Ansible's encoder)
 * writes with isoformat() ("2001-12-14T21:59:43.100000-05:00") and str() prints with a space
 * ("2001-12-14 21:59:43.100000-05:00", as --graph --vars and templates show it).
 */
export class PyDateTime {
  constructor(readonly iso: string) {}
  toJSON(): string {
    return this.iso;
  }
  toString(): string {
    return this.iso.replace('T', ' ');
  }
}

/** PyYAML gives date objects (isoformat and str agree: keep the text) and datetimes (PyDateTime). */
function resolveTimestamp(src: string): string | PyDateTime {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.exec(src);
  if (!m) return src;
  const p2 = (x: string) => x.padStart(2, '0');
  const date = `${m[1]}-${p2(m[2])}-${p2(m[3])}`;
  if (m[4] === undefined) return date;
  let out = `${date}T${p2(m[4])}:${m[5]}:${m[6]}`;
  const frac = (m[7] ?? '').slice(0, 6);
  if (frac && Number(frac) !== 0) out += '.' + frac.padEnd(6, '0');
  if (m[8] === 'Z') out += '+00:00';
  else if (m[8]) {
    const [h, mm] = m[8].slice(1).split(':');
    out += m[8][0] + p2(h) + ':' + (mm ?? '00');
  }
  return new PyDateTime(out);
}

const scalar = (tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag,
  test,
  default: true,
  identify: () => false,
  resolve: resolve as ScalarTag['resolve'],
});

/** Implicit resolvers in PyYAML's order, then explicit-only tags. */
const PYYAML_TAGS: ScalarTag[] = [
  scalar('tag:yaml.org,2002:bool', BOOL_RE, (s) => /^(?:yes|true|on)$/i.test(s)),
  scalar('tag:yaml.org,2002:float', FLOAT_RE, resolveFloat),
  scalar('tag:yaml.org,2002:int', INT_RE, resolveInt),
  scalar('tag:yaml.org,2002:null', NULL_RE, () => null),
  scalar('tag:yaml.org,2002:timestamp', TIMESTAMP_RE, resolveTimestamp),
  { tag: '!unsafe', resolve: (s: string) => new Unsafe(s), identify: () => false },
];

export interface LoadedYaml {
  doc: Document;
  lines: LineCounter;
  file: string;
}

function fail(file: string, lines: LineCounter, offset: number, msg: string): never {
  const { line, col } = lines.linePos(offset);
  throw new InventoryError(msg, { file, line, column: col });
}

/** Parse one YAML document; syntax errors, unknown tags and multiple documents throw with file:line. */
export function parseYaml(text: string, file: string): LoadedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    schema: 'failsafe',
    customTags: (tags) => [...tags, ...PYYAML_TAGS],
    merge: true,
    uniqueKeys: false,
    lineCounter: lines,
    prettyErrors: false,
  });
  const err = doc.errors[0];
  if (err) {
    const extra = err.code === 'MULTIPLE_DOCS' ? 'expected a single YAML document' : `YAML syntax error: ${err.message.split('\n')[0]}`;
    fail(file, lines, err.pos[0], extra);
  }
  const warn = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (warn) fail(file, lines, warn.pos[0], `YAML: ${warn.message.split('\n')[0]} (only !unsafe and the standard tags are supported)`);
  return { doc, lines, file };
}

/** Convert a node (or the whole document) to plain JS data, as Ansible would see it. */
export function toData(y: LoadedYaml, node?: YamlNode | null): unknown {
  if (node === undefined) return settle(y.doc.toJS({ maxAliasCount: 10000 }));
  if (node === null) return null;
  return settle(node.toJS(y.doc, { maxAliasCount: 10000 }));
}

/** toData, with an integral float at the top left boxed so the caller can mark the slot it goes to. */
export function toDataBoxed(y: LoadedYaml, node: YamlNode | null | undefined): unknown {
  if (!node) return null;
  const d: unknown = node.toJS(y.doc, { maxAliasCount: 10000 });
  return d instanceof IntegralFloat ? d : settle(d);
}

/** Line (1-based) where a node starts. */
export function lineOf(y: LoadedYaml, node: YamlNode | null | undefined): number | undefined {
  if (!node || !node.range) return undefined;
  return y.lines.linePos(node.range[0]).line;
}

/** Error at a node's position. */
export function failAt(y: LoadedYaml, node: YamlNode | null | undefined, msg: string): never {
  throw new InventoryError(msg, { file: y.file, line: lineOf(y, node) });
}

/** Load a vars file (JSON first, as Ansible's loader, then YAML). Empty documents give null. */
export function loadVarsText(text: string, file: string): unknown {
  if (/^\s*\$ANSIBLE_VAULT;/.test(text)) throw new InventoryError('vault-encrypted files are not supported', { file, line: 1 });
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      /* not JSON: YAML below */
    }
  }
  return toData(parseYaml(text, file));
}

export { isMap, isScalar };
