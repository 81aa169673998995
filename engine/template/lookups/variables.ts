// Lookups over what the templar can see: vars, varnames, inventory_hostnames (host patterns over
// the `groups` variable) and config (drover's settings under ansible-core 2.14's constant names).
import { resolveSettings } from '../../config/settings.js';
import { Inventory } from '../../inventory/inventory.js';
import { resolvePattern } from '../../inventory/patterns.js';
import { isMapping, mappingEntries, mappingGet, mappingHas, pyStr, typeName } from '../python.js';
import { pyRegex } from '../regex.js';
import { UndefinedError, isUndefined } from '../undefined.js';
import { resolveOptions } from './options.js';
import { LookupError, OptionsError, PluginError, type LookupPlugin } from './types.js';

function identifier(t: unknown, itIs: string): string {
  if (typeof t !== 'string') throw new PluginError(`Invalid setting identifier, "${pyStr(t)}" is not a string, ${itIs} <class '${typeName(t)}'>`);
  return t;
}

const vars: LookupPlugin = {
  options: { default: {} },
  run(terms, call) {
    const dflt = resolveOptions('vars', this.options!, call.kwargs).default;
    const { rt } = call;
    return (terms as unknown[]).map((t) => {
      const name = identifier(t, 'its a');
      try {
        if (rt.vars(name) !== undefined) return rt.lookupVar(name);
        const hostvars = rt.vars('hostvars');
        const host = rt.vars('inventory_hostname');
        const mine = isMapping(hostvars) && mappingHas(hostvars, host) ? mappingGet(hostvars, host) : undefined;
        if (isMapping(mine) && mappingHas(mine, name)) {
          const v = mappingGet(mine, name);
          if (!isUndefined(v)) return v;
        }
        throw new UndefinedError(`No variable found with this name: ${name}`);
      } catch (e) {
        if (e instanceof UndefinedError && dflt !== null && dflt !== undefined) return dflt;
        throw e;
      }
    });
  },
};

/** Python's wording for the regex errors users hit most ("nothing to repeat at position 0"). */
function regexErrorText(pattern: string, e: unknown): string {
  const msg = (e as Error).message ?? String(e);
  if (/nothing to repeat/i.test(msg)) {
    const at = [...pattern].findIndex((c, i) => '*+?'.includes(c) && (i === 0 || '(|'.includes(pattern[i - 1])));
    return `nothing to repeat at position ${Math.max(at, 0)}`;
  }
  if (/unterminated group/i.test(msg)) return `missing ), unterminated subpattern at position ${pattern.indexOf('(')}`;
  if (/unmatched '\)'/i.test(msg)) return `unbalanced parenthesis at position ${pattern.indexOf(')')}`;
  return msg.replace(/^Invalid regular expression: /, '');
}

const varnames: LookupPlugin = {
  run(terms, call) {
    const names = call.rt.vars.names?.() ?? [];
    return (terms as unknown[]).flatMap((t) => {
      const term = identifier(t, 'it is a');
      let re: RegExp;
      try {
        const g = pyRegex(term);
        re = new RegExp(g.source, g.flags.replace('g', ''));
      } catch (e) {
        throw new PluginError(`Unable to use "${term}" as a search parameter: ${regexErrorText(term, e)}`);
      }
      return names.filter((n) => re.test(n));
    });
  },
};

const inventoryHostnames: LookupPlugin = {
  run(terms, call) {
    const inv = new Inventory();
    const groups = call.rt.lookupVar('groups');
    if (isMapping(groups)) {
      for (const [g, hosts] of mappingEntries(groups)) {
        inv.ensureGroup(pyStr(g));
        for (const h of Array.isArray(hosts) ? hosts : []) inv.ensureHost(pyStr(h), pyStr(g));
      }
    }
    try {
      return resolvePattern(inv, (terms as unknown[]).map(pyStr)).hosts;
    } catch {
      return [];
    }
  },
};

/** ansible.constants names of the settings drover has (engine/config/settings.ts). */
const CONSTANTS: Record<string, string> = {
  DEFAULT_FORKS: 'forks', DEFAULT_HOST_LIST: 'inventory', DEFAULT_REMOTE_USER: 'remote_user',
  DEFAULT_PRIVATE_KEY_FILE: 'private_key_file', HOST_KEY_CHECKING: 'host_key_checking', DEFAULT_TIMEOUT: 'timeout',
  DEFAULT_LOG_PATH: 'log_path', RETRY_FILES_ENABLED: 'retry_files_enabled', RETRY_FILES_SAVE_PATH: 'retry_files_save_path',
  DEFAULT_BECOME: 'become', DEFAULT_BECOME_USER: 'become_user', DEFAULT_BECOME_METHOD: 'become_method',
  DEFAULT_STDOUT_CALLBACK: 'stdout_callback', INJECT_FACTS_AS_VARS: 'inject_facts_as_vars',
  DEFAULT_ROLES_PATH: 'roles_path', COLLECTIONS_PATHS: 'collections_paths',
};

const config: LookupPlugin = {
  options: {
    on_missing: { type: 'str', default: 'error', choices: ['error', 'skip', 'warn'] },
    plugin_type: { type: 'str', choices: ['become', 'cache', 'callback', 'cliconf', 'connection', 'httpapi', 'inventory', 'lookup', 'netconf', 'shell', 'vars'] },
    plugin_name: { type: 'str' },
  },
  run(terms, call) {
    const o = resolveOptions('config', this.options!, call.kwargs);
    if ((o.plugin_type || o.plugin_name) && !(o.plugin_type && o.plugin_name)) throw new OptionsError('Both plugin_type and plugin_name are required, cannot use one without the other');
    if (o.plugin_type) throw new LookupError(`drover reads no settings of ${pyStr(o.plugin_type)} plugins (config lookup with plugin_name=${pyStr(o.plugin_name)})`);
    const settings = resolveSettings();
    const out: unknown[] = [];
    for (const t of terms as unknown[]) {
      if (typeof t !== 'string') throw new OptionsError(`Invalid setting identifier, "${pyStr(t)}" is not a string, its a <class '${typeName(t)}'>`);
      const name = CONSTANTS[t];
      if (name !== undefined) out.push(settings.get(name)?.value ?? null);
      else if (o.on_missing === 'error') throw new LookupError(`Unable to find setting ${t}. module 'ansible.constants' has no attribute '${t}'`);
      else if (o.on_missing === 'warn') call.warn(`Skipping, did not find setting ${t}`);
    }
    return out;
  },
};

export const VARIABLE_LOOKUPS: Record<string, LookupPlugin> = { vars, varnames, inventory_hostnames: inventoryHostnames, config };
