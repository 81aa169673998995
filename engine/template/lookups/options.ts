// A lookup plugin's options as ansible-core 2.14 resolves them (set_options(direct=kwargs) then
// get_option): keyword arguments by name or alias, else the documented default, converted by
// config.manager.ensure_type and checked against the choices, with Ansible's error texts.
import { unquote } from '../../playbook/splitter.js';
import { isMapping, pyRepr, pyStr } from '../python.js';
import type { Kwargs } from '../registry.js';
import { defined } from '../undefined.js';
import { OptionsError, PluginError } from './types.js';

export interface OptionDef {
  /** ensure_type's type; none means "string when it is one". */
  type?: 'bool' | 'int' | 'list' | 'str' | 'dict' | 'raw';
  default?: unknown;
  aliases?: string[];
  choices?: unknown[];
}

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);

/** module_utils boolean(value, strict=False). */
export function pyBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  return typeof v === 'string' && TRUE.has(v.toLowerCase().trim());
}

/** Python int(value): integers, floats (truncated), bools and decimal strings. */
export function pyInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Math.trunc(v);
  const s = pyStr(v).trim().replace(/_(?=\d)/g, '');
  if (/^[-+]?\d+$/.test(s)) return parseInt(s, 10);
  throw new PluginError(`invalid literal for int() with base 10: ${pyRepr(pyStr(v))}`, 'ValueError');
}

function ensureType(value: unknown, type: OptionDef['type']): unknown {
  if (value === null || value === undefined || type === 'raw') return value;
  defined(value);
  switch (type) {
    case 'bool':
      return pyBoolean(value);
    case 'int':
      return pyInt(value);
    case 'list':
      if (typeof value === 'string') return value.split(',').map((x) => unquote(x.trim()));
      if (!Array.isArray(value)) throw new Error(`Invalid type provided for "list": ${pyStr(value)}`);
      return value;
    case 'dict':
      if (!isMapping(value)) throw new Error(`Invalid type provided for "dictionary": ${pyStr(value)}`);
      return value;
    case 'str':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return unquote(pyStr(value));
      throw new Error(`Invalid type provided for "string": ${pyStr(value)}`);
    default:
      return typeof value === 'string' ? unquote(value) : value;
  }
}

function entry(plugin: string, option: string): string {
  return `plugin_type: lookup plugin: ${plugin} setting: ${option} `;
}

/** get_options() after set_options(direct=kwargs): every documented option's value. */
export function resolveOptions(plugin: string, defs: Record<string, OptionDef>, direct: Kwargs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    let value: unknown = direct[name];
    let origin = 'Direct';
    if (value === undefined) value = (def.aliases ?? []).map((a) => direct[a]).find((v) => v !== undefined);
    if (value === undefined || value === null) {
      value = def.default;
      origin = 'default';
    }
    try {
      value = ensureType(value, def.type);
    } catch (e) {
      throw new OptionsError(`Invalid type for configuration option ${entry(plugin, name).trim()} (from ${origin}): ${(e as Error).message}`);
    }
    if (value !== null && value !== undefined && def.choices) {
      const ok = Array.isArray(value) && def.type === 'list' ? value.every((v) => def.choices!.includes(v)) : def.choices.includes(value);
      if (!ok) throw new OptionsError(`Invalid value "${pyStr(value)}" for configuration option "${entry(plugin, name)}", valid values are: ${def.choices.map(pyStr).join(', ')}`);
    }
    out[name] = value;
  }
  return out;
}
