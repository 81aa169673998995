// `drover inventory`: the same answers as ansible-inventory (--list, --graph, --host), printed
// from the inventory layer. Extra vars (-e) show up in every host's vars, as in Ansible.
import { writeFileSync } from 'node:fs';
import { DroverError, OptionsError } from '../errors/index.js';
import { assignVars, factVars, removeInternal, inventoryListJson, inventoryGraph, singleHost, inventoryTomlTree, inventoryYamlTree, tomlDumps, TomlTypeError, type Vars } from '../inventory/index.js';
import { jsonDumps, yamlDump } from '../template/pydump.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { INVENTORY_OPTIONS, helpText, parseArgs, type OptionSpec } from './args.js';
import { VAULT_OPTIONS, vaultFromOptions } from './vault-options.js';
import { resolveSettings, setting } from '../config/settings.js';
import { formatWarning } from '../output/plain.js';
import type { FactCache } from '../scheduler/fact-cache.js';
import { ask } from './prompt.js';
import { loadInventoryShown } from './inventory-notices.js';
import { factCacheFromSettings, hashBehaviour } from './run-setup.js';

const SPECS: OptionSpec[] = [
  { name: 'list', long: 'list', help: 'output all hosts and groups as JSON (ansible-inventory --list)' },
  { name: 'graph', long: 'graph', help: 'print the group tree; optional positional GROUP picks the root' },
  { name: 'host', long: 'host', value: 'HOST', help: "output one host's variables" },
  { name: 'vars', long: 'vars', help: 'with --graph: show variables' },
  { name: 'export', long: 'export', help: 'with --list: keep group vars under their groups instead of flattening' },
  { name: 'yaml', long: 'yaml', short: 'y', help: 'YAML instead of JSON (with --list: the YAML inventory layout)' },
  { name: 'toml', long: 'toml', help: 'TOML instead of JSON (with --list: the TOML inventory layout)' },
  { name: 'output', long: 'output', value: 'FILE', help: 'write to FILE instead of stdout' },
  ...INVENTORY_OPTIONS,
  ...VAULT_OPTIONS,
];

export const INVENTORY_USAGE = helpText(
  'drover inventory -i SRC [-i SRC ...] (--list | --graph [GROUP] | --host HOST) [options]',
  'Show the inventory exactly as ansible-inventory 2.14 resolves it.',
  SPECS,
);

export async function inventoryCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  if (opts.help) {
    out(INVENTORY_USAGE);
    return 0;
  }
  const modes = ['list', 'graph', 'host'].filter((m) => opts[m]);
  if (modes.length !== 1) throw new OptionsError('No action selected, at least one of --host, --graph or --list needs to be specified.');
  const sources = (opts.inventory as string[] | undefined) ?? ['/etc/ansible/hosts'];
  const cfg = resolveSettings(process.env, process.cwd());
  const vault = await vaultFromOptions(opts, cfg, (m) => ask(m, { echo: false }), process.cwd());
  const merge = hashBehaviour(setting<string>(cfg, 'hash_behaviour')) === 'merge';
  const extra = loadExtraVars((opts.extraVars as string[] | undefined) ?? [], process.cwd(), { vault }, merge);
  // made on first use: only constructed reads it, as Ansible's FactCache
  let facts: FactCache | undefined;
  const cachedFacts = (h: string) =>
    (facts ??= factCacheFromSettings(cfg)).get(h);
  const inv = await loadInventoryShown(sources, { playbookDir: opts.playbookDir as string | undefined, vault, extraVars: extra, facts: cachedFacts, hashMerge: merge }, { warnings: true });

  if (opts.yaml && opts.toml) throw new OptionsError('argument --toml: not allowed with argument -y/--yaml');
  const format = opts.yaml ? 'yaml' : opts.toml ? 'toml' : 'json';
  // VariableManager.get_vars(host) without a play: inventory vars, the cached facts, then -e
  const inject = setting<boolean>(cfg, 'inject_facts_as_vars');
  const warned = new Set<string>();
  const warn = (m: string) => {
    if (!warned.has(m)) process.stderr.write(formatWarning(m));
    warned.add(m);
  };
  const hostVars = (h: string): Vars => {
    const v = removeInternal(inv.hostVars(h));
    assignVars(v, removeInternal(factVars(cachedFacts(h), inject, warn)), merge);
    return assignVars(v, extra, merge);
  };
  let text: string;
  if (opts.graph) {
    text = inventoryGraph(inv, positional[0], { vars: Boolean(opts.vars), hostVars }) + '\n';
  } else if (opts.host) {
    text = render(hostVars(singleHost(inv, opts.host as string)), format);
  } else if (format !== 'json') {
    const hv = opts.export ? undefined : hostVars;
    const tree = format === 'yaml' ? inventoryYamlTree(inv, { export: Boolean(opts.export), hostVars: hv }) : inventoryTomlTree(inv, { export: Boolean(opts.export), hostVars: hv });
    text = render(tree, format);
  } else {
    text = render(inventoryListJson(inv, { limit: opts.limit as string | undefined, export: Boolean(opts.export), hostVars }), format);
  }
  if (opts.output) writeFileSync(opts.output as string, text);
  else out(text);
  return 0;
}

/** InventoryCLI.dump(): json.dumps(sort_keys=True, indent=4, ensure_ascii=False) (1000.0, Infinity, !unsafe as a dict), PyYAML block style, or toml.dumps. */
function render(data: unknown, format: 'json' | 'yaml' | 'toml'): string {
  if (format === 'yaml') return yamlDump(data, { defaultFlowStyle: false, anchors: true });
  if (format === 'toml') {
    try {
      return withNewline(tomlDumps(data as Record<string, unknown>));
    } catch (e) {
      if (e instanceof TomlTypeError) throw new DroverError(`The source inventory contains a value that cannot be represented in TOML: ${e.message}`);
      throw e;
    }
  }
  return jsonDumps(data, { indent: 4, sortKeys: true, ensureAscii: false, unsafeAsDict: true }) + '\n';
}

/** Display.display() ends the text with a newline unless it has one. */
function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}
