// loadInventory(): every -i source in order — a comma host list, a file (YAML or INI, detected as
// Ansible's plugin chain does), or a directory of such files in ASCII order with Ansible's ignored
// extensions — then reconciliation and the group_vars/host_vars next to each source.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { InventoryError } from '../errors/index.js';
import { AddressError, parseAddress } from './address.js';
import { parseIni } from './ini.js';
import { Inventory } from './inventory.js';
import { VarsDir } from './vars-files.js';
import { applyYamlInventory, collectYamlInventory, type YamlOp } from './yaml-inventory.js';
import { parseYaml, type LoadedYaml } from './yaml-load.js';
import type { Vault } from '../vault/secrets.js';
import { isMap } from 'yaml';

/** Files skipped inside an inventory directory (INVENTORY_IGNORE_EXTS and the always-ignored names). */
export const IGNORED_ENTRY =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|\.pyc$|\.pyo$|\.swp$|\.bak$|~$|\.rpm$|\.md$|\.txt$|\.rst$|\.orig$|\.ini$|\.cfg$|\.retry$/;
const YAML_EXTS = ['.yaml', '.yml', '.json'];
const DEFAULT_SOURCE = '/etc/ansible/hosts';

export interface LoadOptions {
  playbookDir?: string;
  cwd?: string;
  /** The run's vault secrets, for inventory files and their vars files. */
  vault?: Vault;
  /** hash_behaviour=merge: dictionaries of different sources and files merge. */
  hashMerge?: boolean;
}

/** A comma host list: `-i 'a,b:2222,'` puts the hosts in 'ungrouped'. */
function parseHostList(inv: Inventory, list: string): void {
  for (const part of list.split(',')) {
    const h = part.trim();
    if (!h) continue;
    let host = h;
    let port: number | undefined;
    try {
      ({ host, port } = parseAddress(h, false));
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
    }
    if (!inv.hosts.has(host)) inv.ensureHost(host, 'ungrouped', port, list);
  }
}

/** First meaningful line of a YAML document looks like a mapping key or a document start. */
function looksLikeYaml(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    return line.startsWith('---') || line.startsWith('{') || line.startsWith('%') || /^[^\s=[\];]+:(\s|$)/.test(line);
  }
  return false;
}

function mightBeYamlMapping(text: string): boolean {
  for (const raw of text.split(/\r?\n/, 200)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^\[[^\]]*\]\s*(#.*)?$/.test(line)) return false; // an INI section header
    return /^(---|%|\{|\?)/.test(line) || line.includes(':');
  }
  return false;
}

function parseFile(inv: Inventory, file: string, shown: string): void {
  const ext = extname(file);
  if (ext === '.toml') throw new InventoryError('TOML inventories are not supported; use INI or YAML', { file: shown });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (e) {
    throw new InventoryError(`cannot read inventory file: ${(e as Error).message}`, { file: shown });
  }
  const st = statSync(file);
  if (text.startsWith('#!') && st.mode & 0o111) {
    throw new InventoryError('dynamic inventory scripts are not supported; write the inventory as INI or YAML', { file: shown, line: 1 });
  }
  const yamlExt = YAML_EXTS.includes(ext);
  let yamlErr: unknown;
  let yamlWasMap = false;
  if ((ext === '' || yamlExt) && (yamlExt || mightBeYamlMapping(text))) {
    let y: LoadedYaml | undefined;
    let ops: YamlOp[] | undefined;
    try {
      y = parseYaml(text, shown, inv.yaml);
      if (isMap(y.doc.contents)) {
        yamlWasMap = true;
        ops = collectYamlInventory(y);
      } else if (yamlExt && y.doc.contents !== null) {
        throw new InventoryError('YAML inventory has invalid structure, it should be a dictionary', { file: shown, line: 1 });
      }
    } catch (e) {
      if (!(e instanceof InventoryError)) throw e;
      yamlErr = e;
    }
    if (y && ops) {
      applyYamlInventory(inv, y, ops, file);
      return;
    }
  }
  try {
    parseIni(inv, text, shown, file);
  } catch (e) {
    if (yamlErr && (yamlExt || yamlWasMap || looksLikeYaml(text))) throw yamlErr;
    throw e;
  }
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Parse one path source; returns whether anything was parsed (an empty directory parses nothing). */
function parsePath(inv: Inventory, path: string, shown: string): boolean {
  if (statSync(path).isDirectory()) {
    let parsed = false;
    for (const entry of readdirSync(path).sort(byteOrder)) {
      if (IGNORED_ENTRY.test(entry)) continue;
      if (parsePath(inv, join(path, entry), join(shown, entry))) parsed = true;
    }
    return parsed;
  }
  parseFile(inv, path, shown);
  return true;
}

/** Load and merge inventory sources in order. Throws InventoryError (file:line) on any malformed source. */
export async function loadInventory(sources: string[], opts: LoadOptions = {}): Promise<Inventory> {
  const cwd = opts.cwd ?? process.cwd();
  const inv = new Inventory();
  inv.yaml = { vault: opts.vault };
  inv.merge = opts.hashMerge === true;
  let parsed = false;
  const varsBases: string[] = [];
  for (const src of sources) {
    if (!src) continue;
    const abs = resolve(cwd, src);
    if (src.includes(',') && !existsSync(abs)) {
      inv.sources.push(src);
      parseHostList(inv, src);
      parsed = true;
      continue;
    }
    if (!existsSync(abs)) {
      // as 2.14: a source that does not exist is skipped with a warning (the default one silently)
      if (src !== DEFAULT_SOURCE) inv.warnings.push(`Unable to parse ${abs} as an inventory source`);
      continue;
    }
    inv.sources.push(abs);
    if (parsePath(inv, abs, src)) parsed = true;
    else inv.warnings.push(`Unable to parse ${abs} as an inventory source`);
    const base = statSync(abs).isDirectory() ? abs : dirname(abs);
    if (varsBases[varsBases.length - 1] !== base) varsBases.push(base);
  }
  if (parsed) inv.reconcile();
  else inv.warnings.push('No inventory was parsed, only implicit localhost is available');
  inv.varsDirs = varsBases.map((b) => new VarsDir(b, inv.warnings, inv.merge, inv.yaml));
  inv.preloadVarsFiles();
  if (opts.playbookDir !== undefined) inv.setPlaybookDir(resolve(cwd, opts.playbookDir));
  inv.invalidate();
  return inv;
}
