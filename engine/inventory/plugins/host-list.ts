// host_list and advanced_host_list: a source that is no path and holds a comma is a list of hosts
// (`-i 'a,b:2222,'`); advanced_host_list also expands ranges (`-i 'web[1:3],'`). Hosts go to
// 'ungrouped'; a name already in the inventory keeps its first entry.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AddressError, expandHostPattern, parseAddress } from '../address.js';
import type { Inventory } from '../inventory.js';
import { PluginParseError, type InventoryPlugin, type PluginContext } from './types.js';

function verify(source: string, ctx: PluginContext): boolean {
  return !existsSync(resolve(ctx.cwd, source)) && source.includes(',');
}

function addAll(inv: Inventory, source: string, names: string[], port: number | undefined): void {
  for (const host of names) if (!inv.hosts.has(host)) inv.ensureHost(host, 'ungrouped', port, source);
}

function parseList(inv: Inventory, source: string, ranges: boolean): void {
  try {
    for (const part of source.split(',')) {
      const h = part.trim();
      if (!h) continue;
      if (ranges) {
        let expanded: { hostnames: string[]; port?: number };
        try {
          expanded = expandHostPattern(h);
        } catch (e) {
          if (!(e instanceof AddressError)) throw e;
          expanded = { hostnames: [h] };
        }
        addAll(inv, source, expanded.hostnames, expanded.port);
        continue;
      }
      let host = h;
      let port: number | undefined;
      try {
        ({ host, port } = parseAddress(h, false));
      } catch (e) {
        if (!(e instanceof AddressError)) throw e;
      }
      addAll(inv, source, [host], port);
    }
  } catch (e) {
    throw new PluginParseError(`Invalid data from string, could not parse: ${(e as Error).message}`);
  }
}

export const hostListPlugin: InventoryPlugin = {
  name: 'host_list',
  verify,
  parse: async (inv, source) => parseList(inv, source, false),
};

export const advancedHostListPlugin: InventoryPlugin = {
  name: 'advanced_host_list',
  verify,
  parse: async (inv, source) => parseList(inv, source, true),
};
