// YAML inventory (Ansible's yaml plugin): top-level keys are groups, each a mapping of hosts,
// vars and children; host keys may carry ranges and ports; values keep their YAML types. Where
// Ansible only warns and skips (unknown keys, non-mapping groups) drover refuses with file:line.
import { PluginParseError } from './plugins/types.js';
import { isAlias, isMap, isScalar, type Node as YamlNode, type Pair } from 'yaml';
import { AddressError, expandHostPattern } from './address.js';
import { StructureError, type Inventory } from './inventory.js';
import { failAt, toData, toDataBoxed, type LoadedYaml } from './yaml-load.js';

type AnyNode = YamlNode | null | undefined;

function deref(y: LoadedYaml, node: unknown): AnyNode {
  let n = node as AnyNode;
  for (let i = 0; n && isAlias(n) && i < 100; i++) n = n.resolve(y.doc) as AnyNode;
  return n;
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  return 'dict';
}

/** Key of a structural mapping entry (group, host, child): must be a string. */
function keyName(y: LoadedYaml, pair: Pair, what: string): string {
  const key = deref(y, pair.key);
  if (isScalar(key) && typeof key.value === 'string') return key.value;
  if (isScalar(key) && typeof key.value === 'symbol') return failAt(y, key, `merge keys (<<) are not supported in the inventory structure, only inside vars`);
  const v = isScalar(key) ? key.value : toData(y, key);
  if (what === 'host') return failAt(y, key, `Host pattern ${String(v)} must be a string. Enclose integers/floats in quotation marks.`);
  return failAt(y, key, `Invalid ${what} name supplied, expected a string but got ${typeName(v)} for ${String(v)}`);
}

/** Key of a vars entry as json.dumps would write it. */
function varKey(y: LoadedYaml, pair: Pair): string {
  const key = deref(y, pair.key);
  const v = isScalar(key) ? key.value : toData(y, key);
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return failAt(y, key, 'variable names must be strings');
}

/** Entries of a hosts/vars/children section: a mapping, a lone string (one key), or empty. */
function sectionPairs(y: LoadedYaml, node: AnyNode, section: string, group: string): Pair[] | null {
  if (!node || (isScalar(node) && node.value === null)) return null;
  if (isScalar(node) && typeof node.value === 'string') return [{ key: node, value: null } as unknown as Pair];
  if (isMap(node)) return node.items as Pair[];
  const found = isScalar(node) ? typeName(node.value) : typeName(toData(y, node));
  return failAt(y, node, `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${found}" instead.`);
}

/** One change to apply to the inventory; collected first so a malformed file changes nothing. */
export type YamlOp =
  | { t: 'group'; name: string; at: AnyNode }
  | { t: 'child'; parent: string; child: string; at: AnyNode }
  | { t: 'gvar'; group: string; key: string; value: unknown; at: AnyNode }
  | { t: 'hosts'; names: string[]; port?: number; group: string; vars: Record<string, unknown> | null; at: AnyNode };

/** Walk a YAML inventory document and return the changes it makes, or throw with file:line. */
export function collectYamlInventory(y: LoadedYaml): YamlOp[] {
  const root = y.doc.contents;
  if (!isMap(root)) return failAt(y, root, 'YAML inventory has invalid structure, it should be a dictionary');
  const ops: YamlOp[] = [];

  const parseGroup = (name: string, node: AnyNode, at: AnyNode): void => {
    node = deref(y, node);
    if (node && !isMap(node) && !(isScalar(node) && node.value === null)) {
      failAt(y, node, `group '${name}' must be a mapping with "hosts", "vars" and "children", or empty`);
    }
    ops.push({ t: 'group', name, at });
    if (!isMap(node)) return;
    for (const pair of node.items as Pair[]) {
      const key = keyName(y, pair, 'section');
      const value = deref(y, pair.value);
      if (key !== 'vars' && key !== 'children' && key !== 'hosts') {
        failAt(y, pair.key as YamlNode, `unexpected key '${key}' in group '${name}': only "vars", "children" and "hosts" are valid`);
      }
      const items = sectionPairs(y, value, key, name);
      if (!items) continue;
      for (const item of items) {
        if (key === 'vars') {
          ops.push({ t: 'gvar', group: name, key: varKey(y, item), value: toDataBoxed(y, item.value as YamlNode | null), at: item.key as YamlNode });
        } else if (key === 'children') {
          const child = keyName(y, item, 'group');
          parseGroup(child, item.value as AnyNode, item.key as YamlNode);
          ops.push({ t: 'child', parent: name, child, at: item.key as YamlNode });
        } else {
          ops.push(hostsOp(keyName(y, item, 'host'), item, name));
        }
      }
    }
  };

  const hostsOp = (pattern: string, item: Pair, group: string): YamlOp => {
    const at = item.key as YamlNode;
    const valueNode = deref(y, item.value);
    const vars = valueNode ? toData(y, valueNode) : null;
    if (vars !== null && (typeof vars !== 'object' || Array.isArray(vars))) {
      failAt(y, valueNode, `Invalid data for host '${pattern}': expected a mapping of variables, got ${typeName(vars)}`);
    }
    try {
      const { hostnames, port } = expandHostPattern(pattern);
      return { t: 'hosts', names: hostnames, port, group, vars: vars as Record<string, unknown> | null, at };
    } catch (e) {
      if (e instanceof AddressError) return failAt(y, at, e.message);
      throw e;
    }
  };

  const plugin = (root.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'plugin');
  // yaml.py refuses a plugin config (the auto plugin, tried before it, reads those)
  if (plugin) throw new PluginParseError('Plugin configuration YAML file, not YAML inventory');
  for (const pair of root.items as Pair[]) {
    parseGroup(keyName(y, pair, 'group'), pair.value as AnyNode, pair.key as YamlNode);
  }
  return ops;
}

/** Apply collected changes; structural errors (loops) still carry the YAML position. */
export function applyYamlInventory(inv: Inventory, y: LoadedYaml, ops: YamlOp[], source: string): void {
  for (const op of ops) {
    try {
      if (op.t === 'group') inv.ensureGroup(op.name);
      else if (op.t === 'child') inv.addChild(op.parent, op.child);
      else if (op.t === 'gvar') inv.setGroupVar(op.group, op.key, op.value);
      else {
        for (const h of op.names) {
          inv.ensureHost(h, op.group, op.port, source);
          if (op.vars) for (const k of Object.keys(op.vars)) inv.setHostVar(h, k, op.vars[k]);
        }
      }
    } catch (e) {
      if (e instanceof StructureError) failAt(y, op.at, e.message);
      throw e;
    }
  }
}
