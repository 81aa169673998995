// The generator plugin: every combination of the `layers` values (itertools.product order, the
// last layer varying fastest) names a host from the `hosts.name` template, and its `parents`
// (templated names, optional vars, nested parents) become groups above it.
import { resolve } from 'node:path';
import { Templar } from '../../template/index.js';
import type { Inventory } from '../inventory.js';
import { readConfig, verifyConfigFile } from './config.js';
import { PluginParseError, type InventoryPlugin } from './types.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

function product(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((v) => [...prefix, v]));
  return out;
}

class Generator {
  private readonly templar = new Templar({});
  constructor(private readonly inv: Inventory) {}

  template(pattern: unknown, vars: Dict): string {
    const r = this.templar.render(pattern, vars);
    return typeof r === 'string' ? r : String(r);
  }

  /** inventory.add_child(): a known group becomes a child group, else the host joins. */
  private addChild(group: string, child: string): void {
    if (this.inv.groups.has(child)) this.inv.addChild(group, child);
    else this.inv.ensureHost(child, group);
  }

  addParents(child: string, parents: unknown, vars: Dict): void {
    if (!Array.isArray(parents)) return;
    for (const parent of parents) {
      if (!isDict(parent) || parent.name === undefined) throw new PluginParseError(`Element ${child} has a parent with no name element`);
      const groupname = this.template(parent.name, vars);
      this.inv.ensureGroup(groupname);
      const pvars = parent.vars ?? {};
      if (!isDict(pvars)) throw new PluginParseError(`'${typeof pvars}' object has no attribute 'items'`);
      for (const [k, v] of Object.entries(pvars)) this.inv.setGroupVar(groupname, k, this.template(v, vars));
      this.addChild(groupname, child);
      this.addParents(groupname, parent.parents ?? [], vars);
    }
  }
}

export const generatorPlugin: InventoryPlugin = {
  name: 'generator',
  verify: verifyConfigFile,
  parse: async (inv, source, ctx) => {
    const path = resolve(ctx.cwd, source);
    const config = readConfig(path, 'generator', ctx);
    const layers = config.layers;
    const hosts = config.hosts;
    if (!isDict(layers)) throw new PluginParseError(`generator config ${path}: 'layers' must be a dictionary of lists`);
    if (!isDict(hosts) || hosts.name === undefined) throw new PluginParseError(`generator config ${path}: 'hosts' must be a dictionary with a 'name' template`);
    const keys = Object.keys(layers);
    const lists = keys.map((k) => (Array.isArray(layers[k]) ? (layers[k] as unknown[]) : typeof layers[k] === 'string' ? [...(layers[k] as string)] : []));
    const g = new Generator(inv);
    for (const item of product(lists)) {
      const vars: Dict = {};
      keys.forEach((k, i) => (vars[k] = item[i]));
      const host = g.template(hosts.name, vars);
      inv.ensureHost(host, undefined, undefined, path);
      g.addParents(host, hosts.parents ?? [], vars);
    }
  },
};
