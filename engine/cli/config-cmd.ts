// `drover config list`: every setting drover implements, its value and where the value came
// from (default, ansible.cfg with section and key, or the environment variable), like
// `ansible-config dump` but limited to what drover reads.
import { OptionsError } from '../errors/index.js';
import { SETTINGS, findConfigFile, resolveSettings, type ResolvedSetting } from '../config/settings.js';
import { helpText, parseArgs, type OptionSpec } from './args.js';

const SPECS: OptionSpec[] = [
  { name: 'json', long: 'json', help: 'print the settings as JSON' },
  { name: 'onlyChanged', long: 'only-changed', help: 'only settings that are not at their default' },
  { name: 'help', long: 'help', short: 'h', help: 'show this help and exit' },
];

export const CONFIG_USAGE = helpText(
  'drover config list [--json] [--only-changed]',
  'Show the settings drover reads ($ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg, then ANSIBLE_*/DROVER_* variables) with their origin.',
  SPECS,
);

function show(v: unknown): string {
  if (v === undefined) return 'None';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** The table: NAME = VALUE, then the origin, one setting per line, in catalogue order. */
export function formatSettings(list: ResolvedSetting[], configFile: string | undefined): string {
  const width = Math.max(...list.map((s) => s.name.length));
  const lines = list.map((s) => `${s.name.padEnd(width)} = ${show(s.value)}  (${s.origin})`);
  return `config file = ${configFile ?? 'None'}\n${lines.join('\n')}\n`;
}

export function configCommand(argv: string[], out: (s: string) => void, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): number {
  const { opts, positional } = parseArgs(argv, SPECS);
  if (opts.help || positional.length === 0) {
    out(CONFIG_USAGE);
    return opts.help ? 0 : 5;
  }
  if (positional[0] !== 'list' || positional.length > 1) throw new OptionsError(`unknown config action '${positional.join(' ')}' (only "list")`);
  const resolved = resolveSettings(env, cwd);
  let list = SETTINGS.map((d) => resolved.get(d.name) as ResolvedSetting);
  if (opts.onlyChanged) list = list.filter((s) => s.origin !== 'default');
  if (opts.json) {
    out(JSON.stringify({ configFile: findConfigFile(env, cwd) ?? null, settings: list }, null, 2) + '\n');
  } else {
    out(list.length ? formatSettings(list, findConfigFile(env, cwd)) : `config file = ${findConfigFile(env, cwd) ?? 'None'}\n`);
  }
  return 0;
}
