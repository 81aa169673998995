// A small declarative argv parser with Ansible's conventions: short and long flags, repeated
// options (-e, -i), counted -v/-vvvv, "--opt=value", and generated --help text.
import { OptionsError } from '../errors/index.js';

export interface OptionSpec {
  name: string; // key in the parsed result
  long: string; // without dashes
  short?: string; // one letter, without dash
  value?: string; // placeholder: takes a value when set
  repeat?: boolean; // collect into an array
  count?: boolean; // -vvv → 3
  help: string;
}

export interface ParsedArgs {
  opts: Record<string, unknown>;
  positional: string[];
}

export class UsageError extends OptionsError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const opts: Record<string, unknown> = {};
  const positional: string[] = [];
  const set = (spec: OptionSpec, value: string | true) => {
    if (spec.count) opts[spec.name] = ((opts[spec.name] as number) ?? 0) + 1;
    else if (spec.repeat) ((opts[spec.name] ??= []) as unknown[]).push(value);
    else opts[spec.name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const long = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byLong.get(long);
      if (!spec) throw new UsageError(`unrecognized arguments: ${a}`);
      if (spec.value) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`argument --${long}: expected one argument`);
        set(spec, v);
      } else {
        if (eq > 0) throw new UsageError(`argument --${long}: ignored explicit argument '${a.slice(eq + 1)}'`);
        set(spec, true);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // a cluster of short flags: -vvv, -Cb, -fN, -e k=v
      for (let j = 1; j < a.length; j++) {
        const spec = byShort.get(a[j]);
        if (!spec) throw new UsageError(`unrecognized arguments: ${a}`);
        if (spec.value) {
          const rest = a.slice(j + 1);
          const v = rest !== '' ? rest : argv[++i];
          if (v === undefined) throw new UsageError(`argument -${a[j]}/--${spec.long}: expected one argument`);
          set(spec, v);
          break;
        }
        set(spec, true);
      }
      continue;
    }
    positional.push(a);
  }
  return { opts, positional };
}

export function helpText(usage: string, description: string, specs: OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = [s.short ? `-${s.short}` : '', `--${s.long}`].filter(Boolean).join(', ') + (s.value ? ` ${s.value}` : '');
    return [flag, s.help] as const;
  });
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
  const lines = rows.map(([f, h]) => (f.length + 2 > width ? `  ${f}\n  ${' '.repeat(width)}${h}` : `  ${f.padEnd(width)}${h}`));
  return `usage: ${usage}\n\n${description}\n\noptions:\n${lines.join('\n')}\n`;
}

/** Options shared by subcommands that read an inventory. */
export const INVENTORY_OPTIONS: OptionSpec[] = [
  { name: 'inventory', long: 'inventory', short: 'i', value: 'SRC', repeat: true, help: 'inventory source: file, directory or comma-separated host list (repeatable)' },
  { name: 'extraVars', long: 'extra-vars', short: 'e', value: 'VARS', repeat: true, help: 'extra variables: key=value, YAML/JSON, or @file (repeatable; later wins)' },
  { name: 'limit', long: 'limit', short: 'l', value: 'PATTERN', help: 'further limit hosts to a pattern (or @file)' },
  { name: 'playbookDir', long: 'playbook-dir', value: 'DIR', help: "pretend the playbook lives in DIR (its group_vars/ and host_vars/ apply)" },
  { name: 'verbose', long: 'verbose', short: 'v', count: true, help: 'more output (-vvvv for connection debugging)' },
  { name: 'help', long: 'help', short: 'h', help: 'show this help and exit' },
];

/** Output options of `drover playbook` (live view, JSON, run log). */
export const OUTPUT_OPTIONS: OptionSpec[] = [
  { name: 'output', long: 'output', value: 'FORMAT', help: 'auto (live view on a terminal), live, plain, json (event lines) or json-doc (one document)' },
  { name: 'noLive', long: 'no-live', help: 'plain Ansible-like output even on a terminal' },
  { name: 'logFile', long: 'log-file', value: 'FILE', help: 'append a timestamped run log to FILE (default: log_path / ANSIBLE_LOG_PATH)' },
];
