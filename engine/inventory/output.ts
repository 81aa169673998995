// The three views of ansible-inventory, as data or text identical to ansible-core 2.14:
// --list (optionally --export), --graph [GROUP] [--vars], and --host HOST.
import { InventoryError, OptionsError } from '../errors/index.js';
import type { Inventory } from './inventory.js';
import { limitTerms, resolvePattern } from './patterns.js';
import { isFloatSlot } from '../template/python.js';
import { storeVar } from './floats.js';
import { slotStr } from './pyrepr.js';
import type { Vars } from './vars-files.js';

/** Magic and run-time names that ansible-inventory never prints. */
export const INTERNAL_VARS = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

/** A copy without INTERNAL_VARS (float slots kept). */
export function removeInternal(v: Vars): Vars {
  const out: Vars = {};
  for (const k of Object.keys(v)) {
    if (INTERNAL_VARS.has(k)) continue;
    storeVar(out, k, v[k], isFloatSlot(v, k));
  }
  return out;
}

interface ListGroup {
  hosts?: string[];
  children?: string[];
  vars?: Vars;
}

/** The object ansible-inventory --list prints (key order aside: it sorts keys when dumping). */
export function inventoryListJson(inv: Inventory, opts: { limit?: string; export?: boolean; cwd?: string; hostVars?: (h: string) => Vars } = {}): object {
  let keep: Set<string> | null = null;
  if (opts.limit !== undefined) {
    keep = new Set(resolvePattern(inv, limitTerms(opts.limit, opts.cwd)).hosts);
  }
  const results: Record<string, ListGroup | { hostvars: Record<string, Vars> }> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const g = inv.groups.get(name)!;
    const entry: ListGroup = {};
    if (name !== 'all') entry.hosts = keep ? g.hosts.filter((h) => keep!.has(h)) : [...g.hosts];
    entry.children = [];
    results[name] = entry;
    for (const child of g.children) {
      entry.children.push(child);
      if (!seen.has(child)) {
        format(child);
        seen.add(child);
      }
    }
    if (opts.export) entry.vars = removeInternal(inv.groupVarsExport(name));
    for (const k of ['hosts', 'children', 'vars'] as const) {
      const v = entry[k];
      if (v !== undefined && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) delete entry[k];
    }
    if (Object.keys(entry).length === 0) delete results[name];
  };
  format('all');
  const hostvars: Record<string, Vars> = {};
  for (const h of inv.hostsOfGroup('all')) {
    if (keep && !keep.has(h)) continue;
    const vars = opts.export ? removeInternal(inv.hostVarsExport(h)) : opts.hostVars ? opts.hostVars(h) : removeInternal(inv.hostVars(h));
    if (Object.keys(vars).length) hostvars[h] = vars;
  }
  results._meta = { hostvars };
  return results;
}

/** ansible-inventory --graph [GROUP] [--vars]: the text, without a trailing newline. */
export function inventoryGraph(inv: Inventory, group = 'all', opts: { vars?: boolean; hostVars?: (h: string) => Vars } = {}): string {
  if (!inv.groups.has(group)) throw new OptionsError('Pattern must be valid group name when using --graph');
  const lines: string[] = [];
  const name = (text: string, depth: number) => (depth ? '  |'.repeat(depth) + '--' + text : text);
  const showVars = (vars: Vars, depth: number) => {
    for (const k of Object.keys(vars).sort()) lines.push(name(`{${k} = ${slotStr(vars, k)}}`, depth));
  };
  const walk = (gname: string, depth: number): void => {
    const g = inv.groups.get(gname)!;
    lines.push(name(`@${gname}:`, depth));
    for (const child of g.children) walk(child, depth + 1);
    if (gname !== 'all') {
      for (const h of g.hosts) {
        lines.push(name(h, depth + 1));
        if (opts.vars) showVars(opts.hostVars ? opts.hostVars(h) : removeInternal(inv.hostVars(h)), depth + 2);
      }
    }
    if (opts.vars) showVars(removeInternal(inv.groupVarsExport(gname)), depth + 1);
  };
  walk(group, 0);
  return lines.join('\n');
}

/** ansible-inventory --host HOST: HOST is a pattern that must match exactly one host; its name. */
export function singleHost(inv: Inventory, host: string): string {
  let hosts: string[];
  try {
    hosts = resolvePattern(inv, host).hosts;
  } catch (e) {
    if (e instanceof InventoryError) hosts = [];
    else throw e;
  }
  if (hosts.length !== 1) throw new OptionsError('You must pass a single valid host to --host parameter');
  return hosts[0];
}

/** ansible-inventory --host HOST: the host's merged inventory vars. */
export function inventoryHostJson(inv: Inventory, host: string): object {
  return removeInternal(inv.hostVars(singleHost(inv, host)));
}
