// InventoryManager.parse_source for one file or string: the enabled plugins (INVENTORY_ENABLED,
// in its order) are asked in turn; the first whose verify_file() accepts and whose parse()
// succeeds wins. When none does, every failure becomes Ansible's "* Failed to parse SRC with
// PLUGIN plugin" warning, then "Unable to parse SRC as an inventory source" (or an error under
// INVENTORY_ANY_UNPARSED_IS_FAILED, loader.ts). drover's one stricter rule: a file that only the static
// parsers tried and both refused is an error with file and line, as it was always meant as one.
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { DroverError, InventoryError } from '../../errors/index.js';
import type { Inventory } from '../inventory.js';
import { loadConfig, readableFile } from './config.js';
import { constructedPlugin } from './constructed.js';
import { parseExternal } from './external.js';
import { generatorPlugin } from './generator.js';
import { advancedHostListPlugin, hostListPlugin } from './host-list.js';
import { scriptPlugin } from './script.js';
import { staticPlugin } from './static.js';
import { tomlPlugin } from './toml.js';
import { NamedFailure, PluginParseError, type InventoryPlugin, type PluginContext } from './types.js';

export const DEFAULT_ENABLED = ['host_list', 'script', 'auto', 'yaml', 'ini', 'toml'];


/** A plugin drover runs through ansible-inventory: it wants YAML configs that name it. */
function externalPlugin(name: string): InventoryPlugin {
  const short = name.split('.').pop()!;
  return {
    name: short,
    verify: (source, ctx) => {
      const path = resolve(ctx.cwd, source);
      if (!['.yml', '.yaml'].includes(extname(path)) || !readableFile(path)) return false;
      try {
        const plugin = (loadConfig(path, ctx) as { plugin?: unknown } | null)?.plugin;
        return plugin === name || (typeof plugin === 'string' && plugin.split('.').pop() === short);
      } catch {
        return false;
      }
    },
    parse: (inv, source, ctx) => parseExternal(inv, source, name, ctx),
  };
}

const BUILTIN: Record<string, InventoryPlugin> = {
  host_list: hostListPlugin,
  advanced_host_list: advancedHostListPlugin,
  script: scriptPlugin,
  constructed: constructedPlugin,
  generator: generatorPlugin,
  toml: tomlPlugin,
};

/** A builtin plugin by any of its names (short, ansible.builtin.X, ansible.legacy.X). */
function builtin(name: string): InventoryPlugin | undefined {
  const short = /^ansible\.(builtin|legacy)\.([^.]+)$/.exec(name)?.[2] ?? name;
  if (short === 'yaml' || short === 'ini') return staticPlugin({ yaml: short === 'yaml', ini: short === 'ini' });
  return Object.prototype.hasOwnProperty.call(BUILTIN, short) ? BUILTIN[short] : undefined;
}

/** The auto plugin: a .yml/.yaml config's `plugin:` key picks the plugin that parses it. */
const autoPlugin: InventoryPlugin = {
  name: 'auto',
  verify: (source, ctx) => /\.ya?ml$/.test(source) && readableFile(resolve(ctx.cwd, source)),
  parse: async (inv, source, ctx) => {
    const path = resolve(ctx.cwd, source);
    const config = loadConfig(path, ctx);
    const name = config && typeof config === 'object' && !Array.isArray(config) ? (config as { plugin?: unknown }).plugin : undefined;
    if (!name) throw new PluginParseError(`no root 'plugin' key found, '${path}' is not a valid YAML inventory plugin config file`);
    const plugin = builtin(String(name));
    if (!plugin) return parseExternal(inv, source, String(name), ctx);
    if (!plugin.verify(source, ctx)) throw new PluginParseError(`inventory source '${path}' could not be verified by inventory plugin '${String(name)}'`);
    await plugin.parse(inv, source, ctx);
  },
};

/** The enabled plugins in order; yaml and ini run as one static step at the first one's place. */
export function enabledPlugins(names: string[]): InventoryPlugin[] {
  const short = names.map((n) => /^ansible\.(builtin|legacy)\.([^.]+)$/.exec(n)?.[2] ?? n);
  const formats = { yaml: short.includes('yaml'), ini: short.includes('ini') };
  const out: InventoryPlugin[] = [];
  let staticDone = false;
  for (let i = 0; i < names.length; i++) {
    const n = short[i];
    if (n === 'yaml' || n === 'ini') {
      if (!staticDone) out.push(staticPlugin(formats));
      staticDone = true;
    } else if (n === 'auto') out.push(autoPlugin);
    else out.push(builtin(n) ?? externalPlugin(names[i]));
  }
  if (!out.length) throw new InventoryError('No inventory plugins available to generate inventory, make sure you have at least one enabled.');
  return out;
}

interface Failure {
  plugin: string;
  error: Error;
  text?: string;
}

/** parse_source() for a file or string; returns whether a plugin parsed it. */
export async function parseWithPlugins(inv: Inventory, source: string, ctx: PluginContext, opts: { isDefault: boolean }): Promise<boolean> {
  const failures: Failure[] = [];
  for (const plugin of enabledPlugins(ctx.enabled)) {
    let wants = false;
    try {
      wants = plugin.verify(source, ctx);
    } catch {
      wants = false;
    }
    if (!wants) continue;
    try {
      await plugin.parse(inv, source, ctx);
      ctx.processedSources.push(source);
      return true;
    } catch (e) {
      if (e instanceof NamedFailure) failures.push(...e.failures);
      else if (e instanceof PluginParseError || e instanceof DroverError) failures.push({ plugin: plugin.name, error: e });
      else throw e;
    }
  }
  if (opts.isDefault && !existsSync(source)) return false;
  if (failures.length && failures.every((f) => f.error instanceof InventoryError)) throw failures[failures.length - 1].error;
  for (const f of failures) {
    const msg = f.text ?? (f.error instanceof DroverError ? f.error.describe() : f.error.message);
    inv.warnings.push(`\n* Failed to parse ${source} with ${f.plugin} plugin: ${msg}`);
  }
  inv.warnings.push(`Unable to parse ${source} as an inventory source`);
  return false;
}
