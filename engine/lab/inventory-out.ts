// The lab's ready-to-use inventory: the user's hosts, groups and vars (group_vars/host_vars files
// folded in) as a YAML inventory that drover and ansible-playbook both read, with connection
// variables pointing every host at its lab address. The group tree is the original one, so host
// order (which decides serial batches) is the same for both tools.
import { stringify } from 'yaml';
import type { Inventory } from '../inventory/index.js';
import type { LabHost } from './layout.js';

export interface LabConnection {
  port: number;
  user: string;
  privateKey: string;
  knownHosts: string;
}

/** Host-level vars that make both drover and ansible-playbook reach the lab host. */
export function connectionVars(host: LabHost, c: LabConnection, existing: Record<string, unknown>): Record<string, unknown> {
  const v: Record<string, unknown> = {
    ansible_connection: 'ssh',
    ansible_host: host.address,
    ansible_port: c.port,
    ansible_user: c.user,
    ansible_ssh_private_key_file: c.privateKey,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${c.knownHosts} -o IdentitiesOnly=yes`,
  };
  // aliases the user may have set: overwrite them too, whichever one a tool reads first
  const aliases: Record<string, string> = {
    ansible_ssh_host: 'ansible_host',
    ansible_ssh_port: 'ansible_port',
    ansible_ssh_user: 'ansible_user',
    ansible_private_key_file: 'ansible_ssh_private_key_file',
  };
  for (const [alias, main] of Object.entries(aliases)) if (alias in existing) v[alias] = v[main];
  // the lab's hosts run the controller machine's Python, whatever distribution they pretend to be
  if (!('ansible_python_interpreter' in existing)) v.ansible_python_interpreter = '/usr/bin/python3';
  return v;
}

type YGroup = { hosts?: Record<string, unknown>; vars?: Record<string, unknown>; children?: Record<string, YGroup | null> };

/** Build the YAML inventory text. */
export function labInventoryYaml(inv: Inventory, hosts: LabHost[], c: LabConnection, header: string): string {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const hostEntry = (name: string): Record<string, unknown> => {
    const lab = byName.get(name);
    const own = inv.hostVarsExport(name);
    return lab ? { ...own, ...connectionVars(lab, c, inv.hostVars(name)) } : own;
  };
  // the same group tree as the original; a host's vars go where it first appears, so both tools
  // walk groups and hosts in the original order
  const seenHosts = new Set<string>();
  const hostsOf = (names: string[]) =>
    Object.fromEntries(names.map((h) => [h, seenHosts.has(h) ? null : (seenHosts.add(h), hostEntry(h))]));
  const emitted = new Set<string>(['all']);
  const group = (name: string): YGroup | null => {
    if (emitted.has(name)) return null;
    emitted.add(name);
    const g = inv.groups.get(name)!;
    const out: YGroup = {};
    if (g.hosts.length) out.hosts = hostsOf(g.hosts);
    const vars = inv.groupVarsExport(name);
    if (Object.keys(vars).length) out.vars = vars;
    if (g.children.length) out.children = Object.fromEntries(g.children.map((ch) => [ch, group(ch)]));
    return out;
  };
  const allGroup = inv.groups.get('all')!;
  const all: YGroup = {};
  if (allGroup.hosts.length) all.hosts = hostsOf(allGroup.hosts);
  const allVars = inv.groupVarsExport('all');
  if (Object.keys(allVars).length) all.vars = allVars;
  if (allGroup.children.length) all.children = Object.fromEntries(allGroup.children.map((ch) => [ch, group(ch)]));
  const text = stringify({ all }, { nullStr: '', lineWidth: 0, aliasDuplicateObjects: false });
  return header.split('\n').map((l) => (l ? `# ${l}` : '#')).join('\n') + '\n' + text;
}
