// The scalar resolvers and tags of Ansible's YAML loader (PyYAML's YAML 1.1 resolvers plus
// AnsibleConstructor's !unsafe and !vault), for the one loader in yaml-load.ts. Kept apart so the
// loader reads as parse → check → convert. yes/no/on/off/true/false in any case are booleans,
// y/n are strings; 0777 is octal; 1e3 is a string; 2020-01-02 is a date; `<<` merges.
import { YAMLMap, YAMLSeq, type CollectionTag, type ScalarTag } from 'yaml';

type ToJSContext = Parameters<YAMLSeq['toJSON']>[1];
import { Unsafe, VaultText, wrapUnsafe } from '../template/python.js';
import { IntegralFloat } from './floats.js';

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
 * A YAML timestamp: PyYAML gives a date or a datetime, which json.dumps (Ansible's encoder) writes
 * with isoformat() ("2001-12-14T21:59:43.100000-05:00") and str() prints with a space
 * ("2001-12-14 21:59:43.100000-05:00", as --graph --vars and templates show it). A date stays an
 * object too (not its text): yaml.dump writes it unquoted and toml.dumps as a TOML date.
 */
const PYDATE: unique symbol = Symbol.for('drover.pydate') as never;

export class PyDateTime {
  /** how the dumpers (template/yaml-emit.ts, toml-dump.ts) recognise it without importing this layer */
  readonly [PYDATE] = true;
  constructor(readonly iso: string) {}
  get dateOnly(): boolean {
    return !this.iso.includes('T');
  }
  /** repr(): datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 10, 11[, s[, us]][, tzinfo=...]). */
  pyRepr(): string {
    const m = /^(\d+)-(\d+)-(\d+)(?:T(\d+):(\d+):(\d+)(?:\.(\d+))?([-+]\d+:\d+)?)?$/.exec(this.iso);
    if (!m) return this.toString();
    const n = (x: string | undefined) => String(Number(x ?? 0));
    if (m[4] === undefined) return `datetime.date(${n(m[1])}, ${n(m[2])}, ${n(m[3])})`;
    const parts = [m[1], m[2], m[3], m[4], m[5]].map(n);
    if (Number(m[6]) || Number(m[7] ?? 0)) parts.push(n(m[6]));
    if (Number(m[7] ?? 0)) parts.push(n(m[7]));
    if (m[8]) {
      const sign = m[8][0] === '-' ? -1 : 1;
      const [h, mi] = m[8].slice(1).split(':').map(Number);
      const secs = sign * (h * 3600 + mi * 60);
      const delta = secs === 0 ? '' : secs > 0 ? `datetime.timedelta(seconds=${secs})` : `datetime.timedelta(days=-1, seconds=${86400 + secs})`;
      parts.push(secs === 0 ? 'tzinfo=datetime.timezone.utc' : `tzinfo=datetime.timezone(${delta})`);
    }
    return `datetime.datetime(${parts.join(', ')})`;
  }
  toJSON(): string {
    return this.iso;
  }
  toString(): string {
    return this.iso.replace('T', ' ');
  }
}

/** PyYAML gives date objects and datetimes. */
function resolveTimestamp(src: string): string | PyDateTime {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.exec(src);
  if (!m) return src;
  const p2 = (x: string) => x.padStart(2, '0');
  const date = `${m[1]}-${p2(m[2])}-${p2(m[3])}`;
  if (m[4] === undefined) return new PyDateTime(date);
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

/** `!unsafe [..]` and `!unsafe {..}`: the collection as usual, its strings wrapped. */
class UnsafeSeq extends YAMLSeq {
  static readonly tag = '!unsafe';
  override toJSON(key?: unknown, ctx?: ToJSContext): unknown[] {
    return wrapUnsafe(super.toJSON(key, ctx), { inPlace: true }) as unknown[];
  }
}
class UnsafeMap extends YAMLMap {
  static readonly tag = '!unsafe';
  override toJSON<T>(key?: unknown, ctx?: ToJSContext, Type?: new () => T): unknown {
    return wrapUnsafe(super.toJSON(key, ctx, Type as never), { inPlace: true });
  }
}

const unsafeCollection = (collection: 'seq' | 'map'): CollectionTag => ({
  tag: '!unsafe',
  collection,
  nodeClass: collection === 'seq' ? UnsafeSeq : UnsafeMap,
  resolve: (node) => Object.assign(collection === 'seq' ? new UnsafeSeq() : new UnsafeMap(), node),
});

/** Marks a `!vault` failure among the parser's errors, so the loader reports it as a vault error, not a syntax error. */
export const VAULT_ERROR_MARK = 'vault: ';

/**
 * `!vault` / `!vault-encrypted` scalars, decrypted at load by `decrypt` (so a wrong password stops the
 * run before any host is touched); without it they stay their encrypted text.
 */
export function vaultTags(decrypt?: (text: string) => string): ScalarTag[] {
  // the ciphertext as Ansible keeps it: the block's text with its final newline
  const envelope = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
  const tag = (name: string): ScalarTag => ({
    tag: name,
    identify: () => false,
    resolve: (text: string, onError: (msg: string) => void) => {
      if (!decrypt) return text;
      try {
        return new VaultText(decrypt(text), envelope(text));
      } catch (e) {
        onError(VAULT_ERROR_MARK + (e as Error).message);
        return text;
      }
    },
  });
  return [tag('!vault'), tag('!vault-encrypted')];
}

/** !!binary: PyYAML gives bytes; here the decoded bytes as a latin1 string (one char per byte). */
const binary: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  identify: () => false,
  resolve: (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('latin1'),
};

/** Implicit resolvers in PyYAML's order, then the explicit-only tags Ansible's constructor adds. */
export const PYYAML_TAGS: (ScalarTag | CollectionTag)[] = [
  scalar('tag:yaml.org,2002:bool', BOOL_RE, (s) => /^(?:yes|true|on)$/i.test(s)),
  scalar('tag:yaml.org,2002:float', FLOAT_RE, resolveFloat),
  scalar('tag:yaml.org,2002:int', INT_RE, resolveInt),
  scalar('tag:yaml.org,2002:null', NULL_RE, () => null),
  scalar('tag:yaml.org,2002:timestamp', TIMESTAMP_RE, resolveTimestamp),
  { tag: '!unsafe', resolve: (s: string) => new Unsafe(s), identify: () => false },
  unsafeCollection('seq'),
  unsafeCollection('map'),
  binary,
];
