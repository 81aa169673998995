// Which reporters a `drover playbook` run gets: the live view on a terminal, plain text
// otherwise or with --no-live, JSON lines or one JSON document when asked (--output, the
// DROVER_OUTPUT setting, or ANSIBLE_STDOUT_CALLBACK=json), plus the run log when a log path is
// set. The choice is a pure function so its rules are tested without a terminal.
import { DroverError, ExitCode } from '../errors/index.js';
import { setting, type ResolvedSetting } from '../config/settings.js';
import type { Reporter } from './events.js';
import { JsonDocReporter, JsonLinesReporter } from './json.js';
// the live view (ink, react) is imported only when it runs: loading it costs ~1 s of CPU at start
import type { PromptFn } from './live/reporter.js';
import { LogFileReporter } from './log-file.js';
import { PlainReporter } from './plain.js';
import { writeRetryFile } from './retry.js';
import type { HostStats } from './stats.js';

export type OutputMode = 'live' | 'plain' | 'json' | 'json-doc';
export const OUTPUT_VALUES = ['auto', 'live', 'plain', 'json', 'json-doc'] as const;

export interface OutputInputs {
  /** --output. */
  flag?: string;
  /** --no-live. */
  noLive?: boolean;
  /** The `output` setting and whether it was set (env or ansible.cfg) rather than defaulted. */
  setting?: string;
  settingExplicit?: boolean;
  /** stdout_callback (ANSIBLE_STDOUT_CALLBACK / ansible.cfg). */
  stdoutCallback?: string;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
}

export interface OutputChoice {
  mode: OutputMode;
  color: boolean;
}

function checkValue(v: string, where: string): (typeof OUTPUT_VALUES)[number] {
  if (!(OUTPUT_VALUES as readonly string[]).includes(v)) {
    throw new DroverError(`${where}: invalid output '${v}' (choose from ${OUTPUT_VALUES.join(', ')})`, { exitCode: ExitCode.BAD_OPTIONS });
  }
  return v as (typeof OUTPUT_VALUES)[number];
}

/** Truthy in the env-var sense Ansible uses for ANSIBLE_NOCOLOR; NO_COLOR counts when non-empty. */
function noColor(env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return true;
  return /^(1|true|yes|on)$/i.test(env.ANSIBLE_NOCOLOR ?? '');
}

/** The same test as ink's is-in-ci package. */
function inCi(env: Record<string, string | undefined>): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => env[k] !== undefined && env[k] !== '0' && env[k] !== 'false');
}

export function chooseOutput(i: OutputInputs): OutputChoice {
  let want: (typeof OUTPUT_VALUES)[number] = 'auto';
  if (i.flag !== undefined) want = checkValue(i.flag, '--output');
  else if (i.settingExplicit && i.setting) want = checkValue(i.setting, 'DROVER_OUTPUT');
  else if (i.stdoutCallback === 'json' || i.stdoutCallback === 'ansible.posix.json') want = 'json-doc';
  let mode: OutputMode;
  // ink only prints the final frame under CI (its is-in-ci check), so auto means plain there
  if (want === 'auto') mode = i.stdoutIsTTY && !i.noLive && i.env.TERM !== 'dumb' && !inCi(i.env) ? 'live' : 'plain';
  else if (want === 'live') mode = i.noLive ? 'plain' : 'live';
  else mode = want;
  return { mode, color: !noColor(i.env) };
}

export interface OutputSetup {
  reporters: Reporter[];
  /** Set when the live view owns the terminal: prompts must go through it. */
  prompt?: PromptFn;
  mode: OutputMode;
}

export interface CreateOutputOptions {
  choice: OutputChoice;
  out: (s: string) => void;
  verbosity: number;
  logPath?: string;
  stuckAfterSec?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  warn?: (message: string) => void;
  /** Where the plain output's [WARNING] lines go (stderr, as Ansible's Display.warning). */
  err?: (s: string) => void;
  /** show_custom_stats: the recap is followed by the set_stats data. */
  showCustomStats?: boolean;
}

export async function createOutput(o: CreateOutputOptions): Promise<OutputSetup> {
  const reporters: Reporter[] = [];
  let prompt: PromptFn | undefined;
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  switch (o.choice.mode) {
    case 'live': {
      const { LiveReporter } = await import('./live/reporter.js');
      const live = new LiveReporter({ stdout, stdin, color: o.choice.color, stuckAfterMs: (o.stuckAfterSec ?? 300) * 1000, showCustomStats: o.showCustomStats });
      reporters.push(live);
      if (stdin.isTTY) prompt = live.prompt;
      break;
    }
    case 'plain':
      reporters.push(new PlainReporter(o.out, o.verbosity, { showCustomStats: o.showCustomStats, err: o.err }));
      break;
    case 'json':
      reporters.push(new JsonLinesReporter(o.out));
      break;
    case 'json-doc':
      reporters.push(new JsonDocReporter(o.out, undefined, o.showCustomStats));
      break;
  }
  if (o.logPath) reporters.push(new LogFileReporter(o.logPath, { verbosity: o.verbosity, warn: o.warn }));
  return { reporters, prompt, mode: o.choice.mode };
}

/**
 * Everything `drover playbook` needs from this layer, from its parsed flags and settings: the
 * reporters, the prompt to use, and the retry file writer (retry_files_enabled).
 */
export async function playbookOutput(
  opts: Record<string, unknown>,
  cfg: Map<string, ResolvedSetting>,
  out: (s: string) => void,
  verbosity: number,
): Promise<OutputSetup & { retryFile: (playbook: string, stats: Record<string, HostStats>, unfinished?: string[]) => string | undefined }> {
  const warn = (m: string) => void process.stderr.write(`[WARNING]: ${m}\n`);
  const choice = chooseOutput({
    flag: opts.output as string | undefined,
    // --list-hosts prints a listing, not a run: never start the live view for it
    noLive: Boolean(opts.noLive) || Boolean(opts.listHosts),
    setting: setting<string>(cfg, 'output'),
    settingExplicit: cfg.get('output')?.origin !== 'default',
    stdoutCallback: setting<string>(cfg, 'stdout_callback'),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  });
  const setup = await createOutput({
    choice, out, verbosity, warn,
    logPath: (opts.logFile as string | undefined) ?? setting<string | undefined>(cfg, 'log_path'),
    stuckAfterSec: setting<number>(cfg, 'stuck_after'),
    showCustomStats: setting<boolean>(cfg, 'show_custom_stats'),
    err: (s) => void process.stderr.write(s),
  });
  const retryFile = (playbook: string, stats: Record<string, HostStats>, unfinished?: string[]) =>
    setting<boolean>(cfg, 'retry_files_enabled')
      ? writeRetryFile(playbook, stats, { savePath: setting<string | undefined>(cfg, 'retry_files_save_path'), warn, unfinished })
      : undefined;
  return { ...setup, retryFile };
}
