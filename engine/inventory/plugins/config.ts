// Plugin config files (`plugin: NAME` YAML) as BaseInventoryPlugin._read_config_data reads them,
// and the option defaults of each builtin plugin (unknown keys are ignored, as Ansible does).
import { accessSync, constants, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { loadVarsText } from '../yaml-load.js';
import { PluginParseError, type PluginContext } from './types.js';

export type Config = Record<string, unknown>;

/** The names a builtin plugin answers to in `plugin:` (short, ansible.builtin., ansible.legacy.). */
export function namesOf(short: string): string[] {
  return [short, `ansible.builtin.${short}`, `ansible.legacy.${short}`];
}

/** load_from_file() of a config: YAML (vault-aware), or the parser's error as a plugin failure. */
export function loadConfig(path: string, ctx: PluginContext): unknown {
  try {
    return loadVarsText(readFileSync(path, 'utf8'), path, ctx.yaml);
  } catch (e) {
    throw new PluginParseError((e as Error).message);
  }
}

/** _read_config_data(): the config of plugin `short`, or the plugin's refusal. */
export function readConfig(path: string, short: string, ctx: PluginContext): Config {
  const config = loadConfig(path, ctx);
  const empty = config === null || config === undefined || config === '' || (typeof config === 'object' && Object.keys(config).length === 0);
  if (empty) throw new PluginParseError(`${path} is empty`);
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new PluginParseError(`inventory source has invalid structure, it should be a dictionary, got: <class '${Array.isArray(config) ? 'list' : 'str'}'>`);
  }
  const name = (config as Config).plugin;
  if (typeof name !== 'string' || !namesOf(short).includes(name)) throw new PluginParseError(`Incorrect plugin name in file: ${name ?? 'none found'}`);
  return config as Config;
}

/** BaseFileInventoryPlugin.verify_file: a file this process may read. */
export function readableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** verify_file() of constructed and generator: a readable file with a YAML, .config or no extension. */
export function configExtension(path: string): boolean {
  const ext = extname(path);
  return !ext || ['.config', '.yaml', '.yml', '.json'].includes(ext);
}

/** The verify step constructed and generator share: a readable config file. */
export function verifyConfigFile(source: string, ctx: PluginContext): boolean {
  const path = resolve(ctx.cwd, source);
  return readableFile(path) && configExtension(path);
}

/** An option as a boolean (Ansible's `type: boolean` conversion of config values). */
export function boolOption(config: Config, key: string, dflt: boolean): boolean {
  const v = config[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['yes', 'on', '1', 'true', 't', 'y', '1.0'].includes(s)) return true;
  if (['no', 'off', '0', 'false', 'f', 'n', '0.0', ''].includes(s)) return false;
  throw new PluginParseError(`Invalid type for configuration option ${key}: The value '${String(v)}' is not a valid boolean.`);
}
