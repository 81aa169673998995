// The contract between lookup plugins and the template layer: what a plugin is given when it
// runs (its terms, the caller's variables, the search stack, its options) and the errors it may
// raise, which ansible-core 2.14's Templar._lookup treats differently (errors=, messages).
import type { Vault } from '../../vault/secrets.js';
import type { PluginSource } from '../plugin-source.js';
import type { Kwargs } from '../registry.js';
import type { Runtime } from '../runtime.js';
import type { OptionDef } from './options.js';

/** What the Templar provides to plugins. */
export interface LookupServices {
  /** The task's search stack, ansible_search_path (engine/search/needle.ts), the basedir last. */
  searchPaths(rt: Runtime): string[];
  /** The loader's base directory (the play's folder): cwd of pipe/lines, base of password paths. */
  basedir(rt: Runtime): string;
  /** Template a value again (terms go through listify_lookup_plugin_terms, which templates them). */
  template(value: unknown, rt: Runtime): unknown;
  /**
   * Templar.template() of a whole template text (the template lookup): `env` holds the
   * lookup's delimiters, `convert` its convert_data, `native` its jinja2_native.
   */
  renderText(src: string, rt: Runtime, opts: { env?: Record<string, unknown>; convert: boolean; native?: boolean }): unknown;
  /** generate_ansible_template_vars (with the run's ansible_managed format). */
  templateVars(path: string, fullpath: string, dest?: string): Record<string, unknown>;
  /** DEFAULT_JINJA2_NATIVE. */
  jinja2Native: boolean;
  /** The run's vault secrets (unvault). */
  vault?: Vault;
  /** Lookups the run adds (Python plugins) for names drover lacks natively. */
  plugins?: PluginSource;
}

/** One run of a plugin. */
export interface LookupCall {
  name: string;
  rt: Runtime;
  svc: LookupServices;
  /** Keyword arguments of lookup()/query() (wantlist, errors and allow_unsafe removed). */
  kwargs: Kwargs;
  /** The with_<lookup> loop sets the subdir first_found searches (the task executor's _subdir). */
  subdir?: string;
  warn(msg: string): void;
}

export interface LookupPlugin {
  /** The plugin's documented options (set_options/get_option), when it reads any. */
  options?: Record<string, OptionDef>;
  /** terms: a list for lookup()/query(), whatever the loop gave for with_<lookup> (a dict stays one). */
  run(terms: unknown, call: LookupCall): unknown[];
}

/** AnsibleError and its subclasses: the Python class shows in lookup()'s "unhandled exception" text. */
export class PluginError extends Error {
  constructor(message: string, readonly pyClass = 'ansible.errors.AnsibleError') {
    super(message);
    this.name = 'PluginError';
  }
}

/** AnsibleLookupError: the plugin handled the failure; errors='warn'/'ignore' apply, text unchanged. */
export class LookupError extends PluginError {
  constructor(message: string) {
    super(message, 'ansible.errors.AnsibleLookupError');
    this.name = 'LookupError';
  }
}

/** AnsibleOptionsError: bad options given to a plugin; always raised as it is. */
export class OptionsError extends PluginError {
  constructor(message: string) {
    super(message, 'ansible.errors.AnsibleOptionsError');
    this.name = 'OptionsError';
  }
}
