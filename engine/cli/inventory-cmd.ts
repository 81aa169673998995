// `drover inventory`: the same answers as ansible-inventory (--list, --graph, --host), printed
// from the inventory layer. Extra vars (-e) show up in every host's vars, as in Ansible.
import { writeFileSync } from 'node:fs';
import { OptionsError } from '../errors/index.js';
import { assignVars, inventoryListJson, inventoryGraph, inventoryHostJson, inventoryTomlTree, inventoryYamlTree, tomlDumps, type Vars } from '../inventory/index.js';
import { jsonDumps, yamlDump } from '../template/pydump.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { INVENTORY_OPTIONS, helpText, parseArgs, type OptionSpec } from './args.js';
import { VAULT_OPTIONS, vaultFromOptions } from './vault-options.js';
import { resolveSettings } from '../config/settings.js';
import type { FactCache } from '../scheduler/fact-cache.js';
import { ask } from './prompt.js';
import { loadInventoryShown } from './inventory-notices.js';
import { factCacheFromSettings } from './run-setup.js';

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
  const extra = loadExtraVars((opts.extraVars as string[] | undefined) ?? [], process.cwd(), { vault });
  // made on first use: only constructed reads it, as Ansible's FactCache
  let facts: FactCache | undefined;
  const cachedFacts = (h: string) =>
    (facts ??= factCacheFromSettings(cfg)).get(h);
  const inv = await loadInventoryShown(sources, { playbookDir: opts.playbookDir as string | undefined, vault, extraVars: extra, facts: cachedFacts }, { warnings: true });

  if (opts.yaml && opts.toml) throw new OptionsError('argument --toml: not allowed with argument -y/--yaml');
  const format = opts.yaml ? 'yaml' : opts.toml ? 'toml' : 'json';
  let text: string;
  if (opts.graph) {
    text = inventoryGraph(inv, positional[0], { vars: Boolean(opts.vars) }) + '\n';
  } else if (opts.host) {
    const data = assignVars(inventoryHostJson(inv, opts.host as string) as Vars, extra);
    text = render(data, format);
  } else if (format !== 'json') {
    // the YAML/TOML inventory layouts; non-export host vars see -e as VariableManager does
    const hostVars = opts.export ? undefined : (h: string) => assignVars(assignVars({}, inventoryHostJson(inv, h) as Vars), extra);
    const tree = format === 'yaml' ? inventoryYamlTree(inv, { export: Boolean(opts.export), hostVars }) : inventoryTomlTree(inv, { export: Boolean(opts.export), hostVars });
    text = render(tree, format);
  } else {
    const data = inventoryListJson(inv, { limit: opts.limit as string | undefined, export: Boolean(opts.export) }) as {
      _meta?: { hostvars: Record<string, Record<string, unknown>> };
    };
    if (Object.keys(extra).length && data._meta && !opts.export) {
      const listed = new Set<string>();
      for (const [k, g] of Object.entries(data)) {
        if (k !== '_meta') for (const h of (g as { hosts?: string[] }).hosts ?? []) listed.add(h);
      }
      for (const h of listed) data._meta.hostvars[h] = assignVars(assignVars({}, data._meta.hostvars[h]), extra);
    }
    text = render(data, format);
  }
  if (opts.output) writeFileSync(opts.output as string, text);
  else out(text);
  return 0;
}

/** InventoryCLI.dump(): json.dumps(sort_keys=True, indent=4, ensure_ascii=False) (1000.0, Infinity, !unsafe as a dict), PyYAML block style, or toml.dumps. */
function render(data: unknown, format: 'json' | 'yaml' | 'toml'): string {
  if (format === 'yaml') return yamlDump(data, { defaultFlowStyle: false, anchors: true });
  if (format === 'toml') return withNewline(tomlDumps(data as Record<string, unknown>));
  return jsonDumps(data, { indent: 4, sortKeys: true, ensureAscii: false, unsafeAsDict: true }) + '\n';
}

/** Display.display() ends the text with a newline unless it has one. */
function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}
