// `drover doc MODULE` and `drover doc --list`: module documentation generated from the module
// definitions themselves (description, JSON Schema of the arguments, check/diff support), so the
// docs cannot drift from what the playbook loader validates. Pure formatting plus a tiny argv.
import { listModules, getModule } from '../modules-sdk/registry.js';
import type { ModuleDefinition } from '../modules-sdk/types.js';
import { DroverError, ExitCode } from '../errors/index.js';

export const DOC_USAGE = `usage: drover doc [-h] [--list | --json] [MODULE ...]

Show the documentation of modules, generated from their argument schemas.

options:
  -l, --list   list every module with its one-line description
  -j, --json   print the argument schema(s) as JSON
  -h, --help   show this help message and exit
`;

interface Prop {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  items?: { type?: string };
  'x-aliases'?: string[];
  description?: string;
}

function typeName(p: Prop): string {
  const t = Array.isArray(p.type) ? p.type.join('|') : (p.type ?? 'raw');
  const py: Record<string, string> = { string: 'str', boolean: 'bool', integer: 'int', number: 'float', array: 'list', object: 'dict' };
  const s = t.split('|').map((x) => py[x] ?? x).join('|');
  return p.type === 'array' && p.items?.type ? `${s} of ${py[p.items.type] ?? p.items.type}` : s;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v === '' ? "''" : v;
  return JSON.stringify(v);
}

/** The one-module page. */
export function formatModuleDoc(mod: ModuleDefinition): string {
  const schema = mod.schema as { properties?: Record<string, Prop>; required?: string[]; [k: string]: unknown };
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  lines.push(`> ${mod.name.toUpperCase()}`, '', `        ${mod.description}`, '');
  if (mod.aliases?.length) lines.push(`ALIASES: ${mod.aliases.join(', ')}`, '');
  lines.push('OPTIONS (= is mandatory):', '');
  const props = Object.entries(schema.properties ?? {}).filter(([k]) => k !== '_raw_params');
  if (mod.freeForm) lines.push('- free_form', '        The command or script given as free-form text after the module name.', '        type: str', '');
  if (!props.length && !mod.freeForm) lines.push('        (none)', '');
  for (const [name, p] of props.sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${required.has(name) ? '=' : '-'} ${name}`);
    if (p.description) lines.push(`        ${p.description}`);
    if (p['x-aliases']?.length) lines.push(`        aliases: [${p['x-aliases'].join(', ')}]`);
    if (p.enum) lines.push(`        choices: [${p.enum.map(show).join(', ')}]`);
    if (p.default !== undefined) lines.push(`        default: ${show(p.default)}`);
    lines.push(`        type: ${typeName(p)}`, '');
  }
  const rules: [string, string][] = [
    ['x-mutually-exclusive', 'mutually exclusive'],
    ['x-required-one-of', 'one of these is required'],
    ['x-required-together', 'required together'],
  ];
  const notes: string[] = [];
  for (const [key, label] of rules) for (const g of (schema[key] ?? []) as string[][]) notes.push(`${label}: ${g.join(', ')}`);
  for (const [k, v, req] of (schema['x-required-if'] ?? []) as [string, unknown, string[]][]) notes.push(`when ${k}=${show(v)}: requires ${req.join(', ')}`);
  if (notes.length) lines.push('ARGUMENT RULES:', ...notes.map((n) => `        ${n}`), '');
  lines.push(
    'ATTRIBUTES:',
    `        check_mode: ${mod.supportsCheckMode ? 'supported' : 'not supported (the task is skipped in check mode)'}`,
    `        diff_mode: ${mod.supportsDiff ? 'supported' : 'none'}`,
    `        runs on: ${mod.controllerOnly ? 'the controller' : 'the target, as POSIX shell over the host connection'}`,
    '',
  );
  return lines.join('\n');
}

/** `--list`: name and description, aligned. */
export function formatModuleList(mods: ModuleDefinition[]): string {
  const w = Math.max(...mods.map((m) => m.name.length));
  return mods.map((m) => `${m.name.padEnd(w)}  ${m.description}`).join('\n') + '\n';
}

export async function docCommand(argv: string[], out: (s: string) => void): Promise<number> {
  let list = false;
  let json = false;
  const names: string[] = [];
  for (const a of argv) {
    if (a === '-h' || a === '--help') {
      out(DOC_USAGE);
      return 0;
    } else if (a === '-l' || a === '--list') list = true;
    else if (a === '-j' || a === '--json') json = true;
    else if (a.startsWith('-')) throw new DroverError(`unrecognized arguments: ${a}`, { exitCode: ExitCode.BAD_OPTIONS });
    else names.push(a);
  }
  if (list) {
    out(formatModuleList(listModules()));
    return 0;
  }
  if (!names.length) throw new DroverError('Incorrect options passed: give a module name or --list', { exitCode: ExitCode.BAD_OPTIONS });
  const mods = names.map((n) => {
    const m = getModule(n);
    if (!m) throw new DroverError(`module ${n} not found (see drover doc --list)`, { exitCode: ExitCode.ERROR });
    return m;
  });
  if (json) out(JSON.stringify(Object.fromEntries(mods.map((m) => [m.name, { description: m.description, check_mode: m.supportsCheckMode, diff: m.supportsDiff, schema: m.schema }])), null, 2) + '\n');
  else out(mods.map(formatModuleDoc).join('\n'));
  return 0;
}
