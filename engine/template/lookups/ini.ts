// The ini lookup: a key (or keys matching a regex) of a section of an INI or Java properties
// file, parsed by Python's configparser rules (./configparser.ts), with ansible-core 2.14's inline
// `key section=... file=...` form (its own word splitter) and error texts.
import { pyRepr, pyStr, pythonTruthy } from '../python.js';
import { pySearch } from '../regex.js';
import { findInSearchPath, invalidFilename, readText } from './common.js';
import { ConfigError, ConfigParser } from './configparser.js';
import { resolveOptions, type OptionDef } from './options.js';
import { LookupError, OptionsError, PluginError, type LookupPlugin } from './types.js';

const OPTIONS: Record<string, OptionDef> = {
  _terms: {},
  type: { default: 'ini', choices: ['ini', 'properties'] },
  file: { default: 'ansible.ini' },
  section: { default: 'global' },
  re: { type: 'bool', default: false },
  encoding: { default: 'utf-8' },
  default: { default: '' },
  case_sensitive: { default: false },
  allow_no_value: { type: 'bool', default: false, aliases: ['allow_none'] },
};

/** ini's _parse_params: words after a `known_key=` word belong to that key until the next one. */
function parseParams(term: string, valid: string[]): string[] {
  const params = new Map<string, string>();
  const keys: string[] = [];
  let key = 'key';
  term.trim().split(/\s+/).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of valid) if (phrase.includes(`${k}=`)) key = k;
    if (i === 0 || !params.get(key)) {
      params.set(key, phrase);
      keys.push(key);
    } else params.set(key, `${params.get(key)} ${phrase}`);
  });
  return keys.map((k) => params.get(k) ?? '');
}

export const ini: LookupPlugin = {
  options: OPTIONS,
  run(terms, call) {
    const params = resolveOptions('ini', OPTIONS, call.kwargs);
    const cp = new ConfigParser({ allowNoValue: Boolean(params.allow_no_value), caseSensitive: pythonTruthy(params.case_sensitive) });
    const out: unknown[] = [];
    for (const t of terms as unknown[]) {
      const term = pyStr(t);
      let key = term;
      if (term.includes('=') || term.trim().includes(' ')) {
        const list = parseParams(term, Object.keys(params));
        let updated = false;
        for (const param of list) {
          if (param.includes('=')) {
            const parts = param.split('=');
            if (parts.length !== 2) {
              throw new LookupError(`Could not use '${param}' from '${pyRepr(list)}': ${parts.length > 2 ? 'too many values to unpack (expected 2)' : 'not enough values to unpack (expected 2, got 1)'}`);
            }
            if (!(parts[0] in params)) throw new LookupError(`${parts[0]} is not a valid option.`);
            params[parts[0]] = parts[1];
          } else if (key === term) {
            key = param;
            updated = true;
          }
        }
        if (!updated) throw new OptionsError(`No key to lookup was provided as first term with in string inline options: ${term}`);
      }
      const file = pyStr(params.file);
      const path = findInSearchPath(call, 'files', file);
      if (!path) throw invalidFilename();
      let text = readText(path, pyStr(params.encoding));
      if (params.type === 'properties') {
        text = `[java_properties]\n${text}`;
        params.section = 'java_properties';
      }
      const section = pyStr(params.section);
      try {
        cp.read(text);
      } catch (e) {
        if (e instanceof ConfigError && e.kind === 'DuplicateOptionError') throw new LookupError(`Duplicate option in '${file}': ${e.message}`);
        if (e instanceof ConfigError) throw new PluginError(e.message, `configparser.${e.kind}`);
        throw e;
      }
      let value: unknown;
      try {
        if (pythonTruthy(params.re)) value = cp.items(section).filter(([k]) => pySearch(k, key, {}, true)).map(([, v]) => v);
        else value = cp.get(section, key) === undefined ? params.default : cp.get(section, key);
      } catch (e) {
        if (e instanceof ConfigError && e.kind === 'NoSectionError') throw new LookupError(`No section '${section}' in ${file}`);
        if (e instanceof ConfigError) throw new PluginError(e.message, `configparser.${e.kind}`);
        throw e;
      }
      if (Array.isArray(value)) out.push(...value);
      else if (value !== null && value !== undefined) out.push(value);
    }
    return out;
  },
};
