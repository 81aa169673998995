// loadInventory(): every -i source in order through the inventory plugin chain (plugins/chain.ts:
// host lists, scripts, plugin configs, YAML, INI, as INVENTORY_ENABLED orders them), directories
// entry by entry in ASCII order with Ansible's ignored extensions, then reconciliation and the
// group_vars/host_vars next to each source.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InventoryError } from '../errors/index.js';
import { resolveSettings, setting } from '../config/settings.js';
import { Inventory } from './inventory.js';
import { VarsDir, type Vars } from './vars-files.js';
import { parseWithPlugins } from './plugins/chain.js';
import type { PluginContext } from './plugins/types.js';
import type { Vault } from '../vault/secrets.js';

/** Files skipped inside an inventory directory (INVENTORY_IGNORE_EXTS and the always-ignored names). */
export const IGNORED_ENTRY =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|\.pyc$|\.pyo$|\.swp$|\.bak$|~$|\.rpm$|\.md$|\.txt$|\.rst$|\.orig$|\.ini$|\.cfg$|\.retry$/;
const DEFAULT_SOURCE = '/etc/ansible/hosts';

export interface LoadOptions {
  playbookDir?: string;
  cwd?: string;
  /** The run's vault secrets, for inventory files and their vars files. */
  vault?: Vault;
  /** hash_behaviour=merge: dictionaries of different sources and files merge. */
  hashMerge?: boolean;
  /** -e values: constructed's use_extra_vars sees them. */
  extraVars?: Vars;
  /** Environment of the run (settings, scripts); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Cached facts per host (fact_caching), for constructed. */
  facts?: (host: string) => Record<string, unknown> | undefined;
}

/** A source setting made loading fail (INVENTORY_*UNPARSED*): carries what was shown so far (warnings first, as Ansible prints them). */
export class InventoryLoadError extends InventoryError {
  constructor(
    message: string,
    readonly partial: Inventory,
  ) {
    super(message);
  }
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

interface Run {
  ctx: PluginContext;
  anyUnparsedIsFailed: boolean;
}

/** parse_source(): a directory entry by entry, anything else through the plugin chain. */
async function parseSource(inv: Inventory, path: string, shown: string, run: Run): Promise<boolean> {
  if (existsSync(path) && statSync(path).isDirectory()) {
    let parsed = false;
    for (const entry of readdirSync(path).sort(byteOrder)) {
      if (IGNORED_ENTRY.test(entry)) continue;
      if (await parseSource(inv, join(path, entry), join(shown, entry), run)) parsed = true;
    }
    if (!parsed) {
      if (run.anyUnparsedIsFailed) throw new InventoryLoadError(`Completely failed to parse inventory source ${path}`, inv);
      inv.warnings.push(`Unable to parse ${path} as an inventory source`);
    }
    return parsed;
  }
  const parsed = await parseWithPlugins(inv, path, { ...run.ctx, shown }, { isDefault: path === DEFAULT_SOURCE });
  if (!parsed && run.anyUnparsedIsFailed && (path !== DEFAULT_SOURCE || existsSync(path))) {
    // Ansible raises instead of warning "Unable to parse"
    inv.warnings = inv.warnings.filter((w) => w !== `Unable to parse ${path} as an inventory source`);
    throw new InventoryLoadError(`Completely failed to parse inventory source ${path}`, inv);
  }
  return parsed;
}

/** Load and merge inventory sources in order. Throws InventoryError (file:line) on any malformed source. */
export async function loadInventory(sources: string[], opts: LoadOptions = {}): Promise<Inventory> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const cfg = resolveSettings(env, cwd);
  const inv = new Inventory();
  inv.yaml = { vault: opts.vault };
  inv.merge = opts.hashMerge === true;
  const run: Run = {
    anyUnparsedIsFailed: setting<boolean>(cfg, 'inventory_any_unparsed_is_failed'),
    ctx: {
      cwd,
      yaml: inv.yaml,
      extraVars: opts.extraVars ?? {},
      processedSources: [],
      enabled: setting<string[]>(cfg, 'inventory_enabled'),
      env,
      timeoutMs: setting<number>(cfg, 'inventory_timeout') * 1000,
      shown: '',
      facts: opts.facts,
      showScriptStderr: setting<boolean>(cfg, 'inventory_script_stderr'),
    },
  };
  let parsed = false;
  const varsBases: string[] = [];
  for (const src of sources) {
    if (!src) continue;
    const abs = resolve(cwd, src);
    const isList = src.includes(',') && !existsSync(abs);
    inv.sources.push(isList ? src : abs);
    if (await parseSource(inv, isList ? src : abs, src, run)) parsed = true;
    if (isList || !existsSync(abs)) continue;
    const base = statSync(abs).isDirectory() ? abs : dirname(abs);
    if (varsBases[varsBases.length - 1] !== base) varsBases.push(base);
  }
  if (parsed) inv.reconcile();
  else if (setting<boolean>(cfg, 'inventory_unparsed_failed')) throw new InventoryLoadError('No inventory was parsed, please check your configuration and options.', inv);
  else if (setting<boolean>(cfg, 'inventory_unparsed_warning')) inv.warnings.push('No inventory was parsed, only implicit localhost is available');
  inv.varsDirs = varsBases.map((b) => new VarsDir(b, inv.warnings, inv.merge, inv.yaml));
  inv.preloadVarsFiles();
  if (opts.playbookDir !== undefined) inv.setPlaybookDir(resolve(cwd, opts.playbookDir));
  inv.invalidate();
  return inv;
}
