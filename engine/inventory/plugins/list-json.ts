// The `--list` JSON of an inventory script (and of ansible-inventory, which speaks the same
// format) put into the inventory as script.py's _parse_group does: a group is a host list, a
// dict with hosts/vars/children, or a bare dict of vars for a host of the group's own name.
// Host vars come from _meta.hostvars, or per host from `hostVars` when _meta is missing.
import { StructureError, type Inventory } from '../inventory.js';
import { pyRepr } from '../pyrepr.js';
import { PluginParseError } from './types.js';

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseGroup(inv: Inventory, name: string, raw: unknown, source: string, seen: string[]): void {
  inv.ensureGroup(name);
  let data: Dict;
  if (!isDict(raw)) data = { hosts: raw };
  else if (!['hosts', 'vars', 'children'].some((k) => k in raw)) data = { hosts: [name], vars: raw };
  else data = raw;
  if ('hosts' in data) {
    if (!Array.isArray(data.hosts)) throw new PluginParseError(`You defined a group '${name}' with bad data for the host list:\n ${pyRepr(data)}`);
    for (const h of data.hosts) {
      const host = String(h);
      if (!seen.includes(host)) seen.push(host);
      inv.ensureHost(host, name, undefined, source);
    }
  }
  if ('vars' in data) {
    if (!isDict(data.vars)) throw new PluginParseError(`You defined a group '${name}' with bad data for variables:\n ${pyRepr(data)}`);
    for (const [k, v] of Object.entries(data.vars)) inv.setGroupVar(name, k, v);
  }
  if ('children' in data && data.children !== null && data.children !== undefined) {
    const children = Array.isArray(data.children) ? data.children : isDict(data.children) ? Object.keys(data.children) : [data.children];
    for (const c of children) {
      inv.ensureGroup(String(c));
      inv.addChild(name, String(c));
    }
  }
}

/** Apply a parsed `--list` answer; `hostVars` answers `--host NAME` when there is no _meta.hostvars. */
export function applyListJson(inv: Inventory, processed: unknown, source: string, hostVars: (host: string) => unknown): string[] {
  if (!isDict(processed)) throw new PluginParseError(`failed to parse executable inventory script results from ${source}: needs to be a json dict\n`);
  const hosts: string[] = [];
  let meta: unknown;
  try {
    for (const [group, gdata] of Object.entries(processed)) {
      if (group === '_meta') {
        if (isDict(gdata) && 'hostvars' in gdata) meta = gdata.hostvars;
      } else parseGroup(inv, group, gdata, source, hosts);
    }
    for (const host of hosts) {
      let got: unknown = {};
      if (meta === undefined) got = hostVars(host);
      else if (isDict(meta)) got = meta[host] ?? {};
      else throw new PluginParseError(`Improperly formatted host information for ${host}: '${pyType(meta)}' object has no attribute 'get'`);
      if (!isDict(got)) throw new PluginParseError(`Invalid data from file, expected dictionary and got:\n\n${pyRepr(got)}`);
      for (const [k, v] of Object.entries(got)) inv.setHostVar(host, k, v);
    }
  } catch (e) {
    if (e instanceof StructureError) throw new PluginParseError(e.message);
    throw e;
  }
  return hosts;
}

function pyType(v: unknown): string {
  return Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'NoneType';
}
