// PyYAML's yaml.dump with Ansible's dumper, as ansible-core runs it here: SafeRepresenter builds
// nodes (one node per shared object, so a list or dict reached twice becomes &id001/*id001) and
// libyaml's emitter (CSafeDumper) writes them: its scalar analysis and style choice, folding at
// the width, and its printable set (astral characters are escaped, unlike pure PyYAML).
// to_yaml, to_nice_yaml and ansible-inventory --yaml all print through here.
import { Unsafe, VaultText, isFloatSlot, isMapping, mappingEntries, pyFloat, pyNumber, pyRepr, pyStr } from './python.js';
import { Undefined } from './undefined.js';
import { Emitter, type MapNode, type Node, type ScalarNode, type SeqNode, type Style } from './yaml-emitter.js';

export interface EmitOptions {
  indent?: number;
  /** default_flow_style: null = flow only for collections of plain scalars, false = block, true = flow. */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  width?: number;
  /** Anchors for objects reached twice (PyYAML always does this; callers whose data sharing differs from Ansible's leave it off). */
  anchors?: boolean;
}

const T = 'tag:yaml.org,2002:';
const RESOLVERS: [string, RegExp, string][] = [
  ['bool', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, 'yYnNtTfFoO'],
  ['float', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, '-+0123456789.'],
  ['int', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/, '-+0123456789'],
  ['merge', /^(?:<<)$/, '<'],
  ['null', /^(?:~|null|Null|NULL|)$/, '~nN'],
  ['timestamp', /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/, '0123456789'],
  ['value', /^(?:=)$/, '='],
  ['yaml', /^(?:!|&|\*)$/, '!&*'],
];

/** Resolver.resolve(ScalarNode, value, (True, False)): the tag a plain scalar would get. Python's `$` also matches before a final newline. */
function resolvePlain(value: string): string {
  const v = value.endsWith('\n') ? value.slice(0, -1) : value;
  for (const [tag, re, first] of RESOLVERS) {
    if (value === '' ? tag === 'null' : first.includes(value[0])) {
      if (re.test(v)) return T + tag;
    }
  }
  return T + 'str';
}

function scalar(tag: string, value: string, style?: Style): ScalarNode {
  return { kind: 'scalar', tag, value, style, plainImplicit: resolvePlain(value) === tag };
}

/** A date or datetime loaded from YAML (the inventory's PyDateTime): str() is isoformat(' '). */
function isPyDate(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Symbol.for('drover.pydate') in v;
}

/** SafeRepresenter.represent_data with AnsibleDumper's representers. */
function represent(root: unknown, opts: EmitOptions): Node {
  const seen = new Map<object, Node>();
  const sortKeys = opts.sortKeys ?? true;
  const flowStyle = opts.defaultFlowStyle === undefined ? null : opts.defaultFlowStyle;
  const num = (n: number, float: boolean): ScalarNode => {
    if (Number.isNaN(n)) return scalar(T + 'float', '.nan');
    if (n === Infinity) return scalar(T + 'float', '.inf');
    if (n === -Infinity) return scalar(T + 'float', '-.inf');
    if (!float && Number.isInteger(n)) return scalar(T + 'int', pyNumber(n));
    let s = (Number.isInteger(n) ? pyFloat(n) : pyNumber(n)).toLowerCase();
    if (!s.includes('.') && s.includes('e')) s = s.replace('e', '.0e');
    return scalar(T + 'float', s);
  };
  const rep = (v: unknown, float = false): Node => {
    if (v instanceof Undefined) v.fail();
    if (v === null || v === undefined) return scalar(T + 'null', 'null');
    if (typeof v === 'boolean') return scalar(T + 'bool', v ? 'true' : 'false');
    if (typeof v === 'number') return num(v, float);
    if (typeof v === 'bigint') return scalar(T + 'int', v.toString());
    if (typeof v === 'string') return scalar(T + 'str', v);
    if (v instanceof VaultText) return { kind: 'scalar', tag: '!vault', value: v.ciphertext, style: '|', plainImplicit: false };
    if (v instanceof Unsafe) return scalar(T + 'str', v.value);
    if (typeof v !== 'object') return scalar(T + 'str', pyStr(v));
    const hit = seen.get(v);
    if (hit) return hit;
    let node: Node;
    if (isPyDate(v)) {
      node = scalar(T + 'timestamp', String(v));
    } else if (Array.isArray(v) || v instanceof Set) {
      const seq: SeqNode = { kind: 'seq', items: [], flow: false };
      seen.set(v, seq);
      const arr = [...(v as Iterable<unknown>)];
      seq.items = arr.map((x, i) => rep(x, Array.isArray(v) && isFloatSlot(v, i)));
      node = seq;
    } else if (isMapping(v)) {
      // a dict subclass SafeRepresenter has no representer for (toml's inline tables)
      if (Symbol.for('drover.pyclass') in v) throw new Error(`('cannot represent an object', ${pyRepr(v)})`);
      const map: MapNode = { kind: 'map', pairs: [], flow: false };
      seen.set(v, map);
      let entries = mappingEntries(v);
      if (sortKeys) entries = entries.sort(([a], [b]) => (pyStr(a) < pyStr(b) ? -1 : pyStr(a) > pyStr(b) ? 1 : 0));
      map.pairs = entries.map(([k, x]) => [rep(k), rep(x, !(v instanceof Map) && isFloatSlot(v, String(k)))]);
      node = map;
    } else {
      node = scalar(T + 'str', pyStr(v));
    }
    if (node.kind !== 'scalar') {
      const kids = node.kind === 'seq' ? node.items : node.pairs.flat();
      // best_style: flow unless an item is a collection or a styled scalar
      node.flow = flowStyle ?? kids.every((k) => k.kind === 'scalar' && !k.style);
    }
    seen.set(v, node);
    return node;
  };
  return rep(root);
}

/** The emitter's _anchor_node pass: ids numbered in the order second references are met. */
function anchorNodes(root: Node): Map<Node, string> {
  const marks = new Map<Node, string | null>();
  let last = 0;
  const walk = (n: Node): void => {
    if (marks.has(n)) {
      if (marks.get(n) === null) marks.set(n, `id${String(++last).padStart(3, '0')}`);
      return;
    }
    marks.set(n, null);
    if (n.kind === 'seq') n.items.forEach(walk);
    else if (n.kind === 'map') for (const [k, v] of n.pairs) {
      walk(k);
      walk(v);
    }
  };
  walk(root);
  const out = new Map<Node, string>();
  for (const [n, a] of marks) if (a) out.set(n, a);
  return out;
}

export function emitYaml(value: unknown, opts: EmitOptions = {}): string {
  const root = represent(value, opts);
  return new Emitter(opts, opts.anchors ? anchorNodes(root) : new Map()).document(root);
}
