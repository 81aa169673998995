// The yaml and ini plugins: static inventory files. drover tries them together (YAML first for
// YAML-looking text, then INI) so that a file that is neither fails with the error of the format
// it was meant to be, with file and line, instead of Ansible's two warnings; a YAML file that is
// a plugin config is refused as Ansible's yaml plugin refuses it.
import { accessSync, constants, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { isMap } from 'yaml';
import { InventoryError } from '../../errors/index.js';
import { parseIni } from '../ini.js';
import type { Inventory } from '../inventory.js';
import { applyYamlInventory, collectYamlInventory, type YamlOp } from '../yaml-inventory.js';
import { parseYaml, type LoadedYaml } from '../yaml-load.js';
import { NamedFailure, PluginParseError, type InventoryPlugin, type PluginContext } from './types.js';

const YAML_EXTS = ['.yaml', '.yml', '.json'];

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

function readText(file: string, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (e) {
    throw new InventoryError(`cannot read inventory file: ${(e as Error).message}`, { file: shown });
  }
}

/** ini.py words most errors "file:line: msg"; the host-pattern checks of _expand_hostpattern have no place. */
function iniText(e: Error): string {
  if (/^Invalid host pattern '/.test(e.message)) return e.message;
  return e instanceof InventoryError ? e.describe() : e.message;
}

/** Parse a static file with the formats enabled; throws InventoryError (file:line) or PluginParseError. */
export function parseStaticFile(inv: Inventory, file: string, shown: string, formats: { yaml: boolean; ini: boolean }): void {
  const ext = extname(file);
  const text = readText(file, shown);
  const yamlExt = YAML_EXTS.includes(ext);
  let yamlErr: unknown;
  let yamlWasMap = false;
  if (formats.yaml && (ext === '' || yamlExt) && (yamlExt || !formats.ini || mightBeYamlMapping(text))) {
    let y: LoadedYaml | undefined;
    let ops: YamlOp[] | undefined;
    try {
      y = parseYaml(text, shown, inv.yaml);
      if (isMap(y.doc.contents)) {
        yamlWasMap = true;
        ops = collectYamlInventory(y);
      } else if (yamlExt && y.doc.contents !== null) {
        throw new InventoryError('YAML inventory has invalid structure, it should be a dictionary', { file: shown, line: 1 });
      } else if (!formats.ini) {
        throw new PluginParseError('Parsed empty YAML file');
      }
    } catch (e) {
      if (!(e instanceof InventoryError) && !(e instanceof PluginParseError)) throw e;
      yamlErr = e;
    }
    if (y && ops) {
      applyYamlInventory(inv, y, ops, file);
      return;
    }
  }
  if (!formats.ini) throw new NamedFailure([{ plugin: 'yaml', error: (yamlErr as Error | undefined) ?? new PluginParseError(`${shown} is not a YAML inventory file`) }]);
  try {
    parseIni(inv, text, shown, file);
  } catch (e) {
    if (!(e instanceof InventoryError) && !(e instanceof PluginParseError)) throw e;
    // a plugin config: Ansible reports the yaml and the ini plugin's refusals
    if (yamlErr instanceof PluginParseError) throw new NamedFailure([{ plugin: 'yaml', error: yamlErr }, { plugin: 'ini', error: e, text: iniText(e) }]);
    if (yamlErr && (yamlExt || yamlWasMap || looksLikeYaml(text))) throw new NamedFailure([{ plugin: 'yaml', error: yamlErr as Error }]);
    throw new NamedFailure([{ plugin: 'ini', error: e, text: iniText(e) }]);
  }
}

/** The static formats as one step of the plugin chain, at the place of the first of yaml/ini. */
export function staticPlugin(formats: { yaml: boolean; ini: boolean }): InventoryPlugin {
  return {
    name: formats.yaml ? 'yaml' : 'ini',
    verify: (source, ctx: PluginContext) => {
      try {
        accessSync(resolve(ctx.cwd, source), constants.R_OK);
      } catch {
        return false;
      }
      // yaml.py wants YAML extensions or none; ini.py takes any file
      const ext = extname(source);
      return formats.ini || ext === '' || YAML_EXTS.includes(ext);
    },
    parse: async (inv: Inventory, source: string, ctx: PluginContext) => parseStaticFile(inv, resolve(ctx.cwd, source), ctx.shown || source, formats),
  };
}
