// The inventory data model: hosts and groups in first-seen order, the group DAG with Ansible's
// reconciliation rules (all/ungrouped), host ordering for patterns, and the merged inventory vars
// per host (cached per set of groups, so 100k hosts in a few groups merge a few times, not 100k).
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { InventoryError } from '../errors/index.js';
import { IntegralFloat } from './floats.js';
import { assignVars, VarsDir, type Vars } from './vars-files.js';
import type { YamlOptions } from './yaml-load.js';

export interface Host {
  name: string;
  /** host-level inventory vars (host lines, YAML host entries, add_host vars) */
  vars: Vars;
  /** direct groups, in the order the host was added to them */
  groups: string[];
  port?: number;
  /** the inventory source where the host was first seen (inventory_file) */
  source?: string;
  /** the implicit localhost (not in the inventory, never in 'all') */
  implicit?: boolean;
}

export interface Group {
  name: string;
  vars: Vars;
  hosts: string[];
  children: string[];
  parents: string[];
  priority: number;
}

/** Names that resolve to the implicit localhost when no such host is in the inventory. */
export const LOCALHOST_NAMES = ['127.0.0.1', 'localhost', '::1'];

/** A structural error (loop, unknown group); parsers add file and line. */
export class StructureError extends Error {}

export class Inventory {
  hosts = new Map<string, Host>();
  groups = new Map<string, Group>();
  sources: string[] = [];
  /** Ansible's warnings while loading (invalid group name characters, host and group with one name). */
  warnings: string[] = [];
  /** Display.error() messages of the plugins (an inventory script's stderr), shown as [ERROR]. */
  errors: string[] = [];
  /** stderr of ansible-inventory runs for plugins drover hands over, shown as it is. */
  stderrText: string[] = [];
  /** group_vars/host_vars next to each inventory source, in source order */
  varsDirs: VarsDir[] = [];
  /** How its vars files are read (the run's vault secrets): set by loadInventory, used for the playbook's dir too. */
  yaml: YamlOptions = {};
  playbookVars?: VarsDir;
  /** hash_behaviour=merge: dictionaries of different sources merge (combine_vars). */
  merge = false;

  private localhostHost?: Host;
  private members = new Map<string, Set<string>>();
  private depthCache: Map<string, number> | null = null;
  private ancestorCache: Map<string, Set<string>> | null = null;
  private orderCache = new Map<string, string[]>();
  private varsCache = new Map<string, Vars>();
  private groupLayerCache = new Map<string, Vars>();

  constructor() {
    this.ensureGroup('all');
    this.ensureGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  /** Drop every cached answer; call after changing vars or structure directly. */
  invalidate(): void {
    this.depthCache = null;
    this.ancestorCache = null;
    this.orderCache.clear();
    this.varsCache.clear();
    this.groupLayerCache.clear();
  }

  getHost(name: string): Host | undefined {
    const h = this.hosts.get(name);
    if (h || !LOCALHOST_NAMES.includes(name)) return h;
    if (!this.localhostHost) {
      // ansible-core gives the implicit localhost its own interpreter (sys.executable)
      this.localhostHost = { name, vars: { ansible_python_interpreter: '/usr/bin/python3', ansible_connection: 'local' }, groups: [], implicit: true };
    }
    return this.localhostHost;
  }

  // ---- building (used by the parsers and by add_host / group_by) ----

  ensureGroup(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      if (!name) throw new StructureError('Invalid empty group name');
      g = { name, vars: {}, hosts: [], children: [], parents: [], priority: 1 };
      this.groups.set(name, g);
      this.members.set(name, new Set());
      if (/[^\p{L}\p{N}_]|^\p{N}/u.test(name)) {
        this.warn('Invalid characters were found in group names but not replaced, use -vvvv to see details');
      }
      this.invalidate();
    }
    return g;
  }

  /** add_host(): create on first sight (the port counts only then) and join `group` if given. */
  ensureHost(name: string, group?: string, port?: number, source?: string): Host {
    if (!name) throw new StructureError('Invalid empty host name');
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, groups: [], source };
      if (port !== undefined) {
        h.port = port;
        h.vars.ansible_port = port;
      }
      this.hosts.set(name, h);
      if (LOCALHOST_NAMES.includes(name)) {
        if (!this.localhostHost) this.localhostHost = h;
        else this.warn(`A duplicate localhost-like entry was found (${name}). First found localhost was ${this.localhostHost.name}`);
      }
      this.invalidate();
    }
    if (group !== undefined) this.joinGroup(h, group);
    return h;
  }

  private joinGroup(h: Host, group: string): boolean {
    const g = this.groups.get(group);
    if (!g) throw new StructureError(`Could not find group ${group} in inventory`);
    const set = this.members.get(group)!;
    if (set.has(h.name)) return false;
    set.add(h.name);
    g.hosts.push(h.name);
    h.groups.push(group);
    this.invalidate();
    return true;
  }

  setGroupVar(group: string, key: string, value: unknown): void {
    const g = this.groups.get(group);
    if (!g) throw new StructureError(`Could not identify group or host named ${group}`);
    if (key === 'ansible_group_priority') {
      const v = value instanceof IntegralFloat ? value.value : value;
      const n = typeof v === 'number' ? Math.trunc(v) : typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? parseInt(v, 10) : NaN;
      if (!Number.isFinite(n)) throw new StructureError(`ansible_group_priority must be an integer, got: ${JSON.stringify(value)}`);
      g.priority = n;
    } else assignVars(g.vars, { [key]: value }, this.merge);
    this.varsCache.clear();
    this.groupLayerCache.clear();
  }

  setHostVar(host: string, key: string, value: unknown): void {
    const h = this.hosts.get(host);
    if (!h) throw new StructureError(`Could not identify group or host named ${host}`);
    assignVars(h.vars, { [key]: value }, this.merge);
    this.varsCache.delete(host);
  }

  /** add_child_group(): refuse self-membership and loops; keep first-added order. */
  addChild(parent: string, child: string): boolean {
    const p = this.groups.get(parent);
    const c = this.groups.get(child);
    if (!p) throw new StructureError(`${parent} is not a known group`);
    if (!c) throw new StructureError(`${child} is not a known host nor group`);
    if (parent === child) throw new StructureError(`can't add group to itself: ${child}`);
    if (p.children.includes(child)) return false;
    if (this.ancestorsOf(parent).has(child)) {
      throw new StructureError(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`);
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
    this.invalidate();
    return true;
  }

  private warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }

  /**
   * reconcile_inventory(): parentless groups under 'all'; 'ungrouped' holds exactly the hosts in
   * no other group. `only` limits the host pass to hosts that changed (runtime add_host).
   */
  reconcile(only?: Iterable<Host>): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    const drop = new Set<string>();
    for (const h of only ?? this.hosts.values()) {
      const all = this.transitiveGroups(h);
      if (all.has('ungrouped')) {
        const other = [...all].some((n) => n !== 'all' && n !== 'ungrouped');
        if (other && this.members.get('ungrouped')!.has(h.name)) drop.add(h.name);
      } else if (!h.implicit && (all.size === 0 || (all.size === 1 && all.has('all')))) {
        this.joinGroup(h, 'ungrouped');
      }
    }
    if (drop.size) {
      ungrouped.hosts = ungrouped.hosts.filter((n) => !drop.has(n));
      for (const n of drop) {
        this.members.get('ungrouped')!.delete(n);
        const h = this.hosts.get(n)!;
        h.groups = h.groups.filter((g) => g !== 'ungrouped');
      }
    }
    for (const name of this.groups.keys()) {
      if (this.hosts.has(name)) this.warn(`Found both group and host with same name: ${name}`);
    }
    this.invalidate();
  }

  // ---- runtime mutation (add_host, group_by) ----

  /** add_host: create the host (under 'all') if new, merge vars, join groups (created if needed). Returns whether anything changed. */
  addHost(name: string, groups: string[], vars: Vars = {}): boolean {
    let changed = false;
    if (!this.hosts.has(name)) {
      this.ensureHost(name, 'all');
      changed = true;
    }
    const h = this.hosts.get(name)!;
    for (const k of Object.keys(vars)) {
      if (!(k in h.vars) || !isDeepStrictEqual(h.vars[k], vars[k])) changed = true;
    }
    assignVars(h.vars, vars, this.merge);
    for (const g of groups) {
      if (!this.groups.has(g)) {
        this.ensureGroup(g);
        changed = true;
      }
      if (this.joinGroup(h, g)) changed = true;
    }
    if (changed) this.reconcile([h]);
    this.invalidate();
    return changed;
  }

  /** group_by / add_host groups: create `name` (and `parent`), nest it under `parent`. */
  addGroup(name: string, parent?: string): boolean {
    let changed = false;
    if (!this.groups.has(name)) {
      this.ensureGroup(name);
      changed = true;
    }
    if (parent !== undefined) {
      if (!this.groups.has(parent)) this.ensureGroup(parent);
      if (this.addChild(parent, name)) changed = true;
    }
    if (changed) this.reconcile();
    return changed;
  }

  setPlaybookDir(dir: string | undefined): void {
    this.playbookVars = dir === undefined ? undefined : new VarsDir(resolve(dir), this.warnings, this.merge, this.yaml);
    this.invalidate();
    if (this.playbookVars) this.preloadVarsFiles([this.playbookVars]);
  }

  // ---- queries ----

  /** Transitive parents of a group. */
  ancestorsOf(group: string): Set<string> {
    if (!this.ancestorCache) this.ancestorCache = new Map();
    const hit = this.ancestorCache.get(group);
    if (hit) return hit;
    const out = new Set<string>();
    const stack = [...(this.groups.get(group)?.parents ?? [])];
    while (stack.length) {
      const g = stack.pop()!;
      if (out.has(g)) continue;
      out.add(g);
      stack.push(...this.groups.get(g)!.parents);
    }
    this.ancestorCache.set(group, out);
    return out;
  }

  /** Direct groups and all their ancestors (Ansible's host.get_groups()). */
  transitiveGroups(h: Host): Set<string> {
    const out = new Set<string>();
    for (const g of h.groups) {
      out.add(g);
      for (const a of this.ancestorsOf(g)) out.add(a);
    }
    return out;
  }

  /** Longest path from 'all' (Ansible's group.depth). */
  depth(group: string): number {
    if (!this.depthCache) this.depthCache = new Map();
    const hit = this.depthCache.get(group);
    if (hit !== undefined) return hit;
    const g = this.groups.get(group);
    let d = 0;
    for (const p of g?.parents ?? []) d = Math.max(d, this.depth(p) + 1);
    this.depthCache.set(group, d);
    return d;
  }

  /** Groups ordered as Ansible merges their vars: depth, then ansible_group_priority, then name. */
  sortGroups(names: Iterable<string>): string[] {
    const key = [...names].map((n) => ({ n, d: this.depth(n), p: this.groups.get(n)?.priority ?? 1 }));
    key.sort((a, b) => a.d - b.d || a.p - b.p || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
    return key.map((k) => k.n);
  }

  groupNames(host: string): string[] {
    const h = this.getHost(host);
    if (!h) return [];
    return [...this.transitiveGroups(h)].filter((g) => g !== 'all').sort();
  }

  /** Hosts of a group: the group, then its descendants breadth-first, first occurrence wins. */
  hostsOfGroup(group: string): string[] {
    const hit = this.orderCache.get(group);
    if (hit) return hit;
    const g0 = this.groups.get(group);
    if (!g0) return [];
    const ordered = [group, ...g0.children];
    const seen = new Set(ordered);
    let level = [...new Set(ordered)];
    while (level.length) {
      const next: string[] = [];
      for (const g of level) {
        for (const c of this.groups.get(g)!.children) {
          if (seen.has(c)) continue;
          seen.add(c);
          ordered.push(c);
          next.push(c);
        }
      }
      level = next;
    }
    const out: string[] = [];
    const taken = new Set<string>();
    for (const g of ordered) {
      for (const h of this.groups.get(g)!.hosts) {
        if (!taken.has(h)) {
          taken.add(h);
          out.push(h);
        }
      }
    }
    this.orderCache.set(group, out);
    return out;
  }

  groupsMap(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const name of this.groups.keys()) out[name] = [...this.hostsOfGroup(name)];
    return out;
  }

  /** Vars of the group layers (all, groups, group_vars inventory/playbook side) for one sorted group list. */
  private groupLayer(sorted: string[]): Vars {
    const sig = sorted.join('\u0000');
    // merged dictionaries are new for every host in Ansible (merge_hash copies), so never shared
    const hit = this.merge ? undefined : this.groupLayerCache.get(sig);
    if (hit) return hit;
    const out: Vars = {};
    assignVars(out, this.groups.get('all')!.vars, this.merge);
    for (const g of sorted) assignVars(out, this.groups.get(g)!.vars, this.merge);
    for (const d of this.varsDirs) assignVars(out, d.groupVars('all') ?? undefined, this.merge);
    if (this.playbookVars) assignVars(out, this.playbookVars.groupVars('all') ?? undefined, this.merge);
    for (const d of this.varsDirs) for (const g of sorted) assignVars(out, d.groupVars(g) ?? undefined, this.merge);
    if (this.playbookVars) for (const g of sorted) assignVars(out, this.playbookVars.groupVars(g) ?? undefined, this.merge);
    this.groupLayerCache.set(sig, out);
    return out;
  }

  /** Fully merged inventory vars for a host (as ansible-inventory --list shows them). Do not mutate the result. */
  hostVars(host: string): Vars {
    const hit = this.varsCache.get(host);
    if (hit) return hit;
    const h = this.getHost(host);
    if (!h) throw new InventoryError(`host not found in inventory: ${host}`);
    const groups = this.sortGroups([...this.transitiveGroups(h)].filter((g) => g !== 'all'));
    const out = assignVars({}, this.groupLayer(groups), this.merge);
    assignVars(out, h.vars, this.merge);
    for (const d of this.varsDirs) assignVars(out, d.hostVars(h.name) ?? undefined, this.merge);
    if (this.playbookVars) assignVars(out, this.playbookVars.hostVars(h.name) ?? undefined, this.merge);
    this.varsCache.set(host, out);
    return out;
  }

  /** Vars a group shows under --export and --graph --vars: its own, then group_vars/ files. */
  groupVarsExport(group: string): Vars {
    const g = this.groups.get(group);
    if (!g) throw new InventoryError(`group not found in inventory: ${group}`);
    const out = assignVars({}, g.vars, this.merge);
    for (const d of this.varsDirs) assignVars(out, d.groupVars(group) ?? undefined, this.merge);
    if (this.playbookVars) assignVars(out, this.playbookVars.groupVars(group) ?? undefined, this.merge);
    if (g.priority !== 1) out.ansible_group_priority = g.priority;
    return out;
  }

  /** Host-level vars only (host vars, then host_vars/ files), as --export shows them. */
  hostVarsExport(host: string): Vars {
    const h = this.getHost(host);
    if (!h) throw new InventoryError(`host not found in inventory: ${host}`);
    const out = assignVars({}, h.vars, this.merge);
    for (const d of this.varsDirs) assignVars(out, d.hostVars(h.name) ?? undefined, this.merge);
    if (this.playbookVars) assignVars(out, this.playbookVars.hostVars(h.name) ?? undefined, this.merge);
    return out;
  }

  /** Load every group_vars/host_vars file that applies, so a broken one fails now, not mid-run. */
  preloadVarsFiles(dirs: VarsDir[] = [...this.varsDirs, ...(this.playbookVars ? [this.playbookVars] : [])]): void {
    for (const d of dirs) {
      for (const g of this.groups.keys()) d.groupVars(g);
      for (const h of this.hosts.keys()) d.hostVars(h);
    }
  }
}
