// The constructed plugin (and Ansible's Constructable helpers): per host, in inventory order,
// compose vars from Jinja expressions, then add the host to `groups` whose condition holds and to
// `keyed_groups` named after a variable's value (prefix, separator, default_value,
// trailing_separator, leading_separator, parent_group). Expressions see the host's group vars
// (by depth, priority, name), its host vars and magic vars, plus with use_vars_plugins the
// group_vars/host_vars of the sources parsed so far, the fact cache's facts, and with
// use_extra_vars the -e values.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Templar } from '../../template/index.js';
import { isFloatSlot, isPlainObject, setFloatSlot } from '../../template/python.js';
import { storeVar } from '../floats.js';
import type { Inventory, Host } from '../inventory.js';
import { assignVars, VarsDir, type Vars } from '../vars-files.js';
import { pyRepr, pyStr } from '../pyrepr.js';
import { boolOption, readConfig, verifyConfigFile, type Config } from './config.js';
import { PluginParseError, type InventoryPlugin, type PluginContext } from './types.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Host.get_vars(): the host's own vars and its magic vars. */
function hostOwnVars(inv: Inventory, h: Host): Vars {
  const out = assignVars({}, h.vars, inv.merge);
  out.inventory_hostname = h.name;
  out.inventory_hostname_short = h.name.split('.')[0];
  out.group_names = [...inv.transitiveGroups(h)].filter((g) => g !== 'all').sort();
  return out;
}

/** An exception's text as Ansible shows it: Templar raises AnsibleUndefinedVariable(e, orig_exc=e), "msg. msg". */
function templateErrorText(e: unknown): string {
  const err = e as Error & { undefinedVariable?: boolean };
  const msg = err.message.replace(/ in template "(?:[^"\\]|\\.)*"(?: \(line \d+\))?$/s, '');
  return err.undefinedVariable ? `${msg}. ${msg}` : msg;
}

/** The plugins' to_safe_group_name (force=True, silent): INVALID_VARIABLE_NAMES become '_'. */
/** A copy of lists and dicts (float marks kept); other values as they are. */
function freshCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(freshCopy);
    v.forEach((_, i) => setFloatSlot(out, i, isFloatSlot(v, i)));
    return out;
  }
  if (isPlainObject(v)) {
    const out: Vars = {};
    for (const k of Object.keys(v)) storeVar(out, k, freshCopy(v[k]), isFloatSlot(v, k));
    return out;
  }
  return v;
}

export function safeGroupName(name: string): string {
  return name.replace(/^[^\p{L}\p{N}_]|^\p{Nd}|[^\p{L}\p{N}_]/gu, '_');
}

class Constructor {
  private readonly templar = new Templar({});
  private readonly dirs: VarsDir[];

  constructor(
    private readonly inv: Inventory,
    private readonly config: Config,
    private readonly ctx: PluginContext,
  ) {
    const useVarsPlugins = boolOption(config, 'use_vars_plugins', false);
    const bases = useVarsPlugins ? ctx.processedSources.filter((s) => !s.includes(',') || s.startsWith('/')).map(baseOf) : [];
    this.dirs = bases.map((b) => new VarsDir(b, inv.warnings, inv.merge, inv.yaml));
  }

  /** get_all_host_vars(): group vars, then host vars (each with the vars plugins' files when enabled). */
  allVars(h: Host): Vars {
    const groups = this.inv.sortGroups(this.inv.transitiveGroups(h));
    const out: Vars = {};
    for (const g of groups) assignVars(out, this.inv.groups.get(g)!.vars, this.inv.merge);
    for (const d of this.dirs) for (const g of groups) assignVars(out, d.groupVars(g) ?? undefined, this.inv.merge);
    assignVars(out, hostOwnVars(this.inv, h), this.inv.merge);
    for (const d of this.dirs) assignVars(out, d.hostVars(h.name) ?? undefined, this.inv.merge);
    // `if host in fact_cache`: facts cached by earlier runs (jsonfile) are visible too
    const facts = this.ctx.facts?.(h.name);
    if (facts) assignVars(out, facts, this.inv.merge);
    return out;
  }

  /**
   * _compose(): `{{ expr }}` rendered with the host's vars (and -e with use_extra_vars). Ansible's
   * result is text evaluated back into a value, so containers are new ones, never a variable's own
   * (ansible-inventory --yaml shows no anchor between them).
   */
  compose(expr: unknown, vars: Vars): unknown {
    const scope = boolOption(this.config, 'use_extra_vars', false) ? assignVars(assignVars({}, vars), this.ctx.extraVars) : vars;
    return freshCopy(this.templar.render(`{{ ${String(expr)} }}`, scope));
  }

  run(h: Host, strict: boolean): void {
    const compose = this.config.compose;
    if (isDict(compose)) {
      const vars = this.allVars(h);
      for (const [name, expr] of Object.entries(compose)) {
        let value: unknown;
        try {
          value = this.compose(expr, vars);
        } catch (e) {
          if (strict) throw new PluginParseError(`Could not set ${name} for host ${h.name}: ${templateErrorText(e)}`);
          continue;
        }
        this.inv.setHostVar(h.name, name, value);
      }
    }
    const vars = this.allVars(h);
    this.composedGroups(h, vars, strict);
    this.keyedGroups(h, vars, strict);
  }

  private composedGroups(h: Host, vars: Vars, strict: boolean): void {
    const groups = this.config.groups;
    if (!isDict(groups)) return;
    for (const [name, cond] of Object.entries(groups)) {
      let result: boolean;
      try {
        const text = this.templar.render(`{% if ${String(cond)} %} True {% else %} False {% endif %}`, vars);
        result = String(text).trim().toLowerCase() === 'true';
      } catch (e) {
        if (strict) throw new PluginParseError(`Could not add host ${h.name} to group ${name}: ${templateErrorText(e)}`);
        continue;
      }
      if (result) {
        const g = safeGroupName(name);
        this.inv.ensureGroup(g);
        this.inv.ensureHost(h.name, g);
      }
    }
  }

  private keyedGroups(h: Host, vars: Vars, strict: boolean): void {
    const keys = this.config.keyed_groups;
    if (!Array.isArray(keys)) return;
    const leading = boolOption(this.config, 'leading_separator', true);
    for (const keyed of keys) {
      if (!keyed) continue;
      if (!isDict(keyed)) throw new PluginParseError(`Invalid keyed group entry, it must be a dictionary: ${pyRepr(keyed)} `);
      let key: unknown;
      try {
        key = this.compose(keyed.key, vars);
      } catch (e) {
        if (strict) throw new PluginParseError(`Could not generate group for host ${h.name} from ${String(keyed.key)} entry: ${templateErrorText(e)}`);
        continue;
      }
      const dflt = keyed.default_value ?? null;
      const trailing = keyed.trailing_separator;
      if (trailing !== undefined && trailing !== null && dflt !== null) {
        throw new PluginParseError('parameters are mutually exclusive for keyed groups: default_value|trailing_separator');
      }
      const empty = key === '' || key === null || key === undefined || key === false || key === 0 || (Array.isArray(key) && key.length === 0) || (isDict(key) && Object.keys(key).length === 0);
      if (empty && !(key === '' && dflt !== null)) {
        const trulyEmpty = (Array.isArray(key) && key.length === 0) || (isDict(key) && Object.keys(key).length === 0);
        if (strict && !trulyEmpty) throw new PluginParseError(`No key or key resulted empty for ${String(keyed.key)} in host ${h.name}, invalid entry`);
        continue;
      }
      const prefix = keyed.prefix === undefined || keyed.prefix === null ? '' : String(keyed.prefix);
      let sep = keyed.separator === undefined || keyed.separator === null ? '_' : String(keyed.separator);
      let parent: string | undefined;
      if (keyed.parent_group) {
        try {
          parent = String(this.templar.render(String(keyed.parent_group), vars));
        } catch (e) {
          if (strict) throw new PluginParseError(`Could not generate parent group ${String(keyed.parent_group)} for group ${String(key)}: ${templateErrorText(e)}`);
          continue;
        }
      }
      const names: string[] = [];
      const str = (v: unknown) => (typeof v === 'string' ? v : pyStr(v));
      if (typeof key === 'string') names.push(key === '' && dflt !== null ? str(dflt) : key);
      else if (Array.isArray(key)) for (const n of key) names.push(n === '' && dflt !== null ? str(dflt) : str(n));
      else if (isDict(key)) {
        for (const [gname, gval] of Object.entries(key)) {
          let bare = `${gname}${sep}${str(gval)}`;
          if (gval === '') {
            if (dflt !== null) bare = `${gname}${sep}${str(dflt)}`;
            else if (trailing === false) bare = gname;
          }
          names.push(bare);
        }
      } else throw new PluginParseError(`Invalid group name format, expected a string or a list of them or dictionary, got: <class '${typeof key === 'number' ? 'int' : 'bool'}'>`);
      for (const bare of names) {
        if (prefix === '' && !leading) sep = '';
        const gname = safeGroupName(`${prefix}${sep}${bare}`);
        this.inv.ensureGroup(gname);
        this.inv.ensureHost(h.name, gname);
        if (parent) {
          const p = safeGroupName(parent);
          this.inv.ensureGroup(p);
          this.inv.addChild(p, gname);
        }
      }
    }
  }
}

function baseOf(source: string): string {
  try {
    return statSync(source).isDirectory() ? source : dirname(source);
  } catch {
    return dirname(source);
  }
}

export const constructedPlugin: InventoryPlugin = {
  name: 'constructed',
  verify: verifyConfigFile,
  parse: async (inv, source, ctx) => {
    const path = resolve(ctx.cwd, source);
    const config = readConfig(path, 'constructed', ctx);
    const strict = boolOption(config, 'strict', false);
    const c = new Constructor(inv, config, ctx);
    try {
      for (const h of [...inv.hosts.values()]) c.run(h, strict);
    } catch (e) {
      // AnsibleParserError(..., orig_exc=e) appends ". " and the original message
      const m = (e as Error).message;
      throw new PluginParseError(`failed to parse ${path}: ${m} . ${m}`);
    }
  },
};

