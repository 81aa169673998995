// INI inventory parser with Ansible's rules: [g], [g:vars], [g:children], groups referenced before
// they are declared, host lines cut like shlex (comments even mid-token), host:port, ranges, and
// values typed as Python literals. Any malformed line throws InventoryError with file:line.
import { InventoryError } from '../errors/index.js';
import { AddressError, expandHostPattern } from './address.js';
import { StructureError, type Inventory } from './inventory.js';
import { iniValueBoxed } from './literal.js';
import { ShlexError, shlexSplit } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::([\p{L}\p{N}_]+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  name: string;
  parents: string[];
}

/** Python's str.strip(): whitespace only (a BOM is not whitespace there, but we drop a leading one). */
function strip(s: string): string {
  return s.replace(/^[\s\u001c-\u001f]+|[\s\u001c-\u001f]+$/gu, '');
}

export function parseIni(inv: Inventory, text: string, file: string, source: string): void {
  const lines = text.replace(/^\uFEFF/, '').split(LINE_BREAK);
  let lineno = 0;
  const fail = (msg: string, line = lineno): never => {
    throw new InventoryError(msg, { file, line });
  };
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StructureError || e instanceof AddressError || e instanceof ShlexError) return fail(e.message);
      throw e;
    }
  };

  const pending = new Map<string, Pending>();
  const addPendingChildren = (group: string): void => {
    const p = pending.get(group)!;
    for (const parent of p.parents) {
      inv.addChild(parent, group);
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(group);
  };

  let group = 'ungrouped';
  let state = 'hosts';
  for (const raw of lines) {
    lineno++;
    const line = strip(raw);
    if (!line || line[0] === '#' || line[0] === ';') continue;

    const m = SECTION.exec(line);
    if (m) {
      group = m[1];
      state = m[2] ?? 'hosts';
      if (state !== 'hosts' && state !== 'children' && state !== 'vars') fail(`Section [${group}:${state}] has unknown type: ${state}`);
      guard(() => {
        if (!inv.groups.has(group)) {
          if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state: 'vars', name: group, parents: [] });
          inv.ensureGroup(group);
        }
        const p = pending.get(group);
        if (p && state !== 'vars') {
          if (p.state === 'children') addPendingChildren(group);
          else pending.delete(group);
        }
      });
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`);
    }

    if (state === 'hosts') {
      guard(() => parseHostLine(inv, line, group, source, fail));
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`Expected key=value, got: ${line}`);
      const key = strip(line.slice(0, eq));
      const value = iniValueBoxed(strip(line.slice(eq + 1)));
      guard(() => inv.setGroupVar(group, key, value));
    } else {
      const gm = GROUP_NAME.exec(line);
      if (!gm) fail(`Expected group name, got: ${line}`);
      const child = gm![1];
      guard(() => {
        if (!inv.groups.has(child)) {
          const p = pending.get(child);
          if (p) p.parents.push(group);
          else pending.set(child, { line: lineno, state: 'children', name: child, parents: [group] });
        } else {
          inv.addChild(group, child);
        }
      });
    }
  }

  for (const p of pending.values()) {
    if (p.state === 'vars') fail(`Section [${p.name}:vars] not valid for undefined group: ${p.name}`, p.line);
    fail(`Section [${p.parents[p.parents.length - 1]}:children] includes undefined group: ${p.name}`, p.line);
  }
}

function parseHostLine(inv: Inventory, line: string, group: string, source: string, fail: (msg: string) => never): void {
  let tokens: string[];
  try {
    tokens = shlexSplit(line);
  } catch (e) {
    return fail(`Error parsing host definition '${line}': ${(e as Error).message}`);
  }
  if (tokens.length === 0) fail(`Expected a host name, got: ${line}`);
  const pattern = tokens[0];
  const { hostnames, port } = expandHostPattern(pattern);
  if (pattern.trim().endsWith(':') && port === undefined) {
    fail(`Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
  }
  if (hostnames.some((h) => h.trim() === '---')) fail(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`);
  const vars: [string, unknown][] = [];
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=');
    if (eq < 0) fail(`Expected key=value host variable assignment, got: ${t}`);
    vars.push([t.slice(0, eq), iniValueBoxed(t.slice(eq + 1))]);
  }
  for (const name of hostnames) {
    inv.ensureHost(name, group, port, source);
    for (const [k, v] of vars) inv.setHostVar(name, k, v);
  }
}
