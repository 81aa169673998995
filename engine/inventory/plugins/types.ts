// The contract between the inventory loader and its plugins, as ansible-core's InventoryManager
// sees BaseInventoryPlugin: verify_file() says whether a plugin wants a source, parse() fills the
// inventory or throws. A throw is a recorded failure, not the end of the run: the loader tries
// the next enabled plugin and prints every failure only when none of them parsed the source.
import type { Inventory } from '../inventory.js';
import type { Vars } from '../vars-files.js';
import type { YamlOptions } from '../yaml-load.js';

export interface PluginContext {
  /** Where relative paths and child processes start (the CLI's cwd). */
  cwd: string;
  /** How YAML files are read (vault secrets, duplicate keys). */
  yaml: YamlOptions;
  /** -e values, for constructed's use_extra_vars. */
  extraVars: Vars;
  /** Sources parsed so far (inventory.processed_sources), for use_vars_plugins. */
  processedSources: string[];
  /** INVENTORY_ENABLED: plugin names in the order they are tried. */
  enabled: string[];
  /** Environment for child processes (scripts, ansible-inventory). */
  env: NodeJS.ProcessEnv;
  /** How long an inventory script or ansible-inventory may run (ms). */
  timeoutMs: number;
  /** The source as the user wrote it, for file:line errors. */
  shown: string;
  /** The fact cache (CACHE_PLUGIN): constructed adds a host's cached facts to its variables. */
  facts?: (host: string) => Record<string, unknown> | undefined;
  /** always_show_stderr of the script plugin. */
  showScriptStderr: boolean;
}

export interface InventoryPlugin {
  /** The plugin's short name (INVENTORY_ENABLED entries, failure messages). */
  name: string;
  verify(source: string, ctx: PluginContext): boolean;
  parse(inv: Inventory, source: string, ctx: PluginContext): Promise<void>;
}

/** A plugin's refusal of a source (AnsibleParserError): the message Ansible shows in its warning. */
export class PluginParseError extends Error {}

/** Failures of the parsers behind one plugin step (yaml and ini), each under its own name. */
export class NamedFailure extends Error {
  /** `text`: the message as Ansible words it in its warning, when it differs from drover's error. */
  constructor(readonly failures: { plugin: string; error: Error; text?: string }[]) {
    super(failures.map((f) => f.error.message).join('; '));
  }
}
