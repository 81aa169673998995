// The `toml` inventory plugin (ansible-core 2.14's plugins/inventory/toml.py): a .toml file of
// groups, each with `vars`, `children` (a list of names) and `hosts` (host pattern -> vars), with
// the plugin's own warnings for what it skips and its errors for entries of the wrong type.
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { expandHostPattern } from '../address.js';
import { IntegralFloat } from '../floats.js';
import { isFloatSlot } from '../../template/python.js';
import type { Inventory } from '../inventory.js';
import { parseToml } from '../toml-parse.js';
import { PluginParseError, type InventoryPlugin } from './types.js';

/** A table's value, an integral float boxed so the inventory keeps it a float (1.0, not 1). */
const val = (t: Record<string, unknown>, k: string): unknown => (isFloatSlot(t, k) ? new IntegralFloat(t[k] as number) : t[k]);

const isDict = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** type(x) as Python prints it in the plugin's messages. */
function pyType(v: unknown): string {
  if (Array.isArray(v)) return "<class 'list'>";
  if (isDict(v)) return "<class 'dict'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  return "<class 'datetime.datetime'>";
}

function parseGroup(inv: Inventory, group: string, data: unknown, source: string): void {
  if (data !== null && data !== undefined && !isDict(data)) {
    inv.warnings.push(`Skipping '${group}' as this is not a valid group definition`);
    return;
  }
  inv.ensureGroup(group);
  if (!data) return;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'vars') {
      if (!isDict(value)) throw new PluginParseError(`Invalid "vars" entry for "${group}" group, requires a dict, found "${pyType(value)}" instead.`);
      for (const k of Object.keys(value)) inv.setGroupVar(group, k, val(value, k));
    } else if (key === 'children') {
      if (!Array.isArray(value)) throw new PluginParseError(`Invalid "children" entry for "${group}" group, requires a list, found "${pyType(value)}" instead.`);
      for (const sub of value) {
        parseGroup(inv, String(sub), {}, source);
        inv.addChild(group, String(sub));
      }
    } else if (key === 'hosts') {
      if (!isDict(value)) throw new PluginParseError(`Invalid "hosts" entry for "${group}" group, requires a dict, found "${pyType(value)}" instead.`);
      for (const [pattern, vars] of Object.entries(value)) {
        const { hostnames, port } = expandHostPattern(pattern);
        for (const h of hostnames) {
          inv.ensureHost(h, group, port, source);
          // the same value objects for every host of a range, as _populate_host_vars sets them
          if (isDict(vars)) for (const k of Object.keys(vars)) inv.setHostVar(h, k, val(vars, k));
        }
      }
    } else {
      inv.warnings.push(`Skipping unexpected key "${key}" in group "${group}", only "vars", "children" and "hosts" are valid`);
    }
  }
}

export const tomlPlugin: InventoryPlugin = {
  name: 'toml',
  verify: (source, ctx) => {
    try {
      return extname(source) === '.toml' && readFileSync(resolve(ctx.cwd, source)) !== undefined;
    } catch {
      return false;
    }
  },
  parse: async (inv, source, ctx) => {
    const path = resolve(ctx.cwd, source);
    let data: Record<string, unknown>;
    try {
      data = parseToml(readFileSync(path, 'utf8'));
    } catch (e) {
      // AnsibleParserError(msg, orig_exc=e) appends the library's message once more
      const m = (e as Error).message;
      throw new PluginParseError(`TOML file (${path}) is invalid: ${m}. ${m}`);
    }
    if (Object.keys(data).length === 0) throw new PluginParseError('Parsed empty TOML file');
    if (data.plugin) throw new PluginParseError('Plugin configuration TOML file, not TOML inventory');
    for (const [name, group] of Object.entries(data)) parseGroup(inv, name, group, path);
  },
};
