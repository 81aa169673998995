// The rollout report from the command line: `drover report EVENTS.jsonl [LAB_EVENTS.json] -o
// FILE.html` for a recorded run (`--output json`), and the `--report FILE.html` / `--report-lab
// LAB` options `drover playbook` takes to write it as the run ends. The report itself lives in
// engine/report; this file reads files, inventories and labs, and reports bad input with its line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DroverError, ExitCode } from '../errors/index.js';
import { loadInventory, type Inventory } from '../inventory/index.js';
import type { Reporter } from '../output/events.js';
import { renderReport } from '../report/html.js';
import { buildReport } from '../report/model.js';
import { compactRunRecord, type LabRecord, type RunRecord } from '../report/records.js';
import { ReportReporter } from '../report/reporter.js';
import { helpText, parseArgs, type OptionSpec } from './args.js';

/** The options `drover playbook` gains. */
export const REPORT_OPTIONS: OptionSpec[] = [
  { name: 'report', long: 'report', value: 'FILE', help: 'drover: write a rollout report (one self-contained HTML file) to FILE when the run ends' },
  { name: 'reportLab', long: 'report-lab', value: 'LAB', help: 'drover: add what this lab (a name, or its events file) recorded to the report' },
];

const SPECS: OptionSpec[] = [
  { name: 'outFile', long: 'output', short: 'o', value: 'FILE', help: 'where to write the report, an HTML file (required)' },
  { name: 'inventory', long: 'inventory', short: 'i', value: 'SRC', repeat: true, help: "the run's inventory: its groups make the versions table's rows" },
  { name: 'help', long: 'help', short: 'h', help: 'show this help and exit' },
];

export const REPORT_USAGE = helpText(
  'drover report EVENTS.jsonl [LAB_EVENTS.json] -o FILE.html [-i INVENTORY]',
  'Write the rollout report of a recorded run: EVENTS.jsonl from `drover playbook --output json`, LAB_EVENTS.json from `drover lab events NAME --json` (or the lab\'s events.jsonl).',
  SPECS,
);

function parseJson(text: string, file: string, line: number, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new DroverError(`${file}:${line}: expected ${what}, got invalid JSON (${(e as Error).message})`, { exitCode: ExitCode.ERROR });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as { kind?: unknown }).kind !== 'string') {
    throw new DroverError(`${file}:${line}: expected ${what} (a JSON object with a "kind")`, { exitCode: ExitCode.ERROR });
  }
  return v as Record<string, unknown>;
}

/** A run's `--output json` lines, compacted to what the report reads. */
export function readRunEvents(file: string): RunRecord[] {
  const out: RunRecord[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const r = compactRunRecord(parseJson(line, file, i + 1, 'one run event per line (drover playbook --output json)') as RunRecord);
    if (r) out.push(r);
  });
  if (!out.some((r) => r.kind === 'playbook.start')) throw new DroverError(`${file}: expected the events of a run (drover playbook --output json); found no playbook.start`, { exitCode: ExitCode.ERROR });
  return out;
}

/** The lab's events: `drover lab events --json` (an array) or the lab's own events.jsonl. */
export function readLabEvents(file: string): LabRecord[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch (e) {
      throw new DroverError(`${file}: expected the lab's events (drover lab events NAME --json), got invalid JSON (${(e as Error).message})`, { exitCode: ExitCode.ERROR });
    }
    return (list as unknown[]).map((v, i) => parseJson(JSON.stringify(v), file, i + 1, 'a lab event (array item)') as LabRecord);
  }
  return text.split('\n').flatMap((line, i) => (line.trim() ? [parseJson(line, file, i + 1, 'one lab event per line') as LabRecord] : []));
}

/** Inventory groups without child groups, with their hosts: the versions table's rows. */
export function leafGroups(inv: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    if (g.name === 'all' || g.children.length || !g.hosts.length) continue;
    out.set(g.name, [...g.hosts]);
  }
  return out;
}

/** The reporter for `drover playbook --report`, or undefined when not asked for. */
export async function playbookReporter(opts: Record<string, unknown>, inventory: Inventory, cwd: string): Promise<Reporter | undefined> {
  const file = opts.report as string | undefined;
  if (!file) {
    if (opts.reportLab) throw new DroverError('--report-lab needs --report FILE.html', { exitCode: ExitCode.BAD_OPTIONS });
    return undefined;
  }
  const lab = opts.reportLab as string | undefined;
  let labEvents: (() => LabRecord[] | Promise<LabRecord[]>) | undefined;
  if (lab && existsSync(resolve(cwd, lab))) labEvents = () => readLabEvents(resolve(cwd, lab));
  else if (lab) {
    const { labEvents: fromLab, findLab, labSync } = await import('../lab/lab.js');
    findLab(lab); // an unknown lab is an error now, not after the run
    labEvents = async () => {
      await labSync(lab); // changes the lab's watchers still hold (a transaction settling) are recorded first
      return fromLab(lab) as unknown as LabRecord[];
    };
  }
  return new ReportReporter({
    file: resolve(cwd, file), groups: leafGroups(inventory), labEvents,
    written: (f, bytes) => void process.stderr.write(`drover: rollout report written to ${f} (${Math.ceil(bytes / 1024)} KiB)\n`),
  });
}

export async function reportCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  if (opts.help) {
    out(REPORT_USAGE);
    return 0;
  }
  const [events, labFile, ...extra] = positional;
  if (!events || extra.length) throw new DroverError(`expected EVENTS.jsonl and at most one LAB_EVENTS.json\n${REPORT_USAGE}`, { exitCode: ExitCode.BAD_OPTIONS });
  const target = opts.outFile as string | undefined;
  if (!target) throw new DroverError('-o FILE.html is required', { exitCode: ExitCode.BAD_OPTIONS });
  const cwd = process.cwd();
  for (const f of [events, labFile]) if (f && !existsSync(resolve(cwd, f))) throw new DroverError(`${f}: no such file`, { exitCode: ExitCode.ERROR });
  const run = readRunEvents(resolve(cwd, events));
  const lab = labFile ? readLabEvents(resolve(cwd, labFile)) : [];
  const sources = opts.inventory as string[] | undefined;
  const groups = sources?.length ? leafGroups(await loadInventory(sources, { cwd })) : undefined;
  const html = renderReport(buildReport(run, lab, { groups }));
  writeFileSync(resolve(cwd, target), html);
  out(`${resolve(cwd, target)} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)\n`);
  return 0;
}
