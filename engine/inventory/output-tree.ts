// ansible-inventory --list --yaml and --toml: not the --list JSON but a YAML-inventory-shaped
// tree (InventoryCLI.yaml_inventory / toml_inventory): groups nested under their parents, each
// host's vars written at its first appearance only, group vars with --export.
import type { Inventory } from './inventory.js';
import { removeInternal } from './output.js';
import type { Vars } from './vars-files.js';

type Tree = Record<string, unknown>;

interface TreeOptions {
  export?: boolean;
  /** The vars shown for a host (the CLI adds -e to them); the inventory's own by default. */
  hostVars?: (host: string) => Vars;
}

function hostVarsOf(inv: Inventory, opts: TreeOptions): (h: string) => Vars {
  return opts.hostVars ?? ((h) => removeInternal(opts.export ? inv.hostVarsExport(h) : inv.hostVars(h)));
}

function dropEmpty(entry: Tree): void {
  for (const k of ['hosts', 'vars', 'children']) {
    const v = entry[k];
    if (v !== undefined && (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0)) delete entry[k];
  }
}

/** yaml_inventory(): {all: {children: {g: {children, hosts: {h: vars}, vars}}}}. */
export function inventoryYamlTree(inv: Inventory, opts: TreeOptions = {}): Tree {
  const seen = new Set<string>();
  const vars = hostVarsOf(inv, opts);
  const format = (name: string): Tree => {
    const g = inv.groups.get(name)!;
    const entry: Tree = {};
    const children: Tree = {};
    for (const c of g.children) if (c !== 'all') Object.assign(children, format(c));
    entry.children = children;
    const hosts: Tree = {};
    if (name !== 'all') {
      for (const h of g.hosts) {
        let v: Vars = {};
        if (!seen.has(h)) {
          seen.add(h);
          v = vars(h);
        }
        hosts[h] = v;
      }
    }
    entry.hosts = hosts;
    if (opts.export) {
      const gv = removeInternal(inv.groupVarsExport(name));
      if (Object.keys(gv).length) entry.vars = gv;
    }
    dropEmpty(entry);
    return { [name]: entry };
  };
  return format('all');
}

/** toml_inventory(): one table per group ({children: [names], hosts: {h: vars}, vars}), flat. */
export function inventoryTomlTree(inv: Inventory, opts: TreeOptions = {}): Tree {
  const seen = new Set<string>();
  const vars = hostVarsOf(inv, opts);
  const hasUngrouped = inv.groups.get('ungrouped')!.hosts.length > 0;
  const format = (name: string): Tree => {
    const g = inv.groups.get(name)!;
    const results: Tree = {};
    const entry: Tree = {};
    results[name] = entry;
    const children: string[] = [];
    entry.children = children;
    for (const c of g.children) {
      if (c === 'ungrouped' && !hasUngrouped) continue;
      if (name !== 'all') children.push(c);
      Object.assign(results, format(c));
    }
    if (name !== 'all') {
      for (const h of g.hosts) {
        let v: Vars = {};
        if (!seen.has(h)) {
          seen.add(h);
          v = vars(h);
        }
        ((entry.hosts ??= {}) as Tree)[h] = v;
      }
    }
    if (opts.export) entry.vars = removeInternal(inv.groupVarsExport(name));
    dropEmpty(entry);
    if (Object.keys(entry).length === 0) delete results[name];
    return results;
  };
  return format('all');
}
