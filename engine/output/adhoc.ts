// The output of `drover adhoc`: ansible-core 2.14's `minimal` callback (the ad-hoc default), its
// `oneline` callback (-o) and its `tree` callback (-t DIR, one JSON file per host). They read
// the same events as every reporter; only host results, warnings and messages print anything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineEvent, Reporter } from './events.js';
import { formatDiff } from './diff.js';
import { formatWarning, printable, pyJson } from './plain.js';
import { pyStr } from '../template/python.js';
import { isVerboseAlways } from '../modules-sdk/display.js';

type HostResult = Extract<EngineEvent, { kind: 'host.result' }>;

/** C.MODULE_NO_JSON: actions whose result prints as "rc=N >>" and their output. */
const NO_JSON = new Set(['command', 'win_command', 'shell', 'win_shell', 'raw']);

/** True when `action` (as written on the command line) prints as a command (C.MODULE_NO_JSON). */
export function isNoJsonAction(action: string): boolean {
  const m = /^(?:ansible\.(?:builtin|legacy)\.|ansible\.windows\.)?(\w+)$/.exec(action);
  if (!m) return false;
  // ansible.windows.* only holds the win_ ones, ansible.builtin.* only the others
  return NO_JSON.has(m[1]) && (!action.startsWith('ansible.windows.') || m[1].startsWith('win_'));
}

export interface AdhocOutputOptions {
  verbosity: number;
  /** -o: the oneline callback. */
  oneLine: boolean;
  /** --diff: file diffs before ok results (v2_on_file_diff). */
  diff: boolean;
  /** ACTION_WARNINGS: module warnings are shown (and leave the dump). */
  actionWarnings?: boolean;
  /** Warnings already shown before the run (they are not repeated). */
  warned?: Iterable<string>;
}

/** The text of a Python str() of a result value that may be missing (result.get(key, '')). */
function text(v: unknown): string {
  return v === undefined || v === null ? (v === null ? 'None' : '') : pyStr(v);
}

/** `minimal` and `oneline`: one block (or line) per host result; warnings to stderr. */
export class AdhocReporter implements Reporter {
  private readonly warned: Set<string>;
  /**
   * Each task's action: the callbacks decide by result._task.action whether a result prints as a
   * command (C.MODULE_NO_JSON) and whether a debug result keeps its msg only (_clean_results),
   * which matters for the tasks an ad-hoc include_role / include_tasks runs.
   */
  private readonly actions = new Map<number, string>();

  constructor(
    private readonly write: (s: string) => void,
    private readonly err: (s: string) => void,
    private readonly o: AdhocOutputOptions,
  ) {
    this.warned = new Set(o.warned ?? []);
  }

  handle(e: EngineEvent): void {
    switch (e.kind) {
      case 'task.start':
        this.actions.set(e.taskId, e.action);
        return;
      case 'host.result':
        this.result(e);
        return;
      case 'include.result':
        // v2_runner_on_ok of the include task itself ("include_args" first for include_role)
        this.result({ kind: 'host.result', taskId: e.taskId, host: e.host, status: 'ok', result: e.result, ignored: false });
        return;
      case 'warning':
        this.warn(e.message);
        return;
      case 'deprecation':
        this.err(`[DEPRECATION WARNING]: ${e.message}\n`);
        return;
      case 'message':
        if ((e.verbosity ?? 0) > this.o.verbosity) return;
        (e.stream === 'stderr' ? this.err : this.write)(e.text.endsWith('\n') ? e.text : `${e.text}\n`);
        return;
      default:
        // banners, recap, async polls: neither callback prints them
        return;
    }
  }

  close(): void {}

  /** Display.warning: each text once per run. */
  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.err(formatWarning(message));
  }

  /**
   * _dump_results with the indent the callback asks for: minimal 4, oneline 0, newlines removed for
   * oneline; 4 there too from -vvv or for a result that asks to be shown (debug), whose spaces stay.
   */
  private dump(body: Record<string, unknown>, result: Record<string, unknown>): string {
    if (!this.o.oneLine) return pyJson(body, 4);
    const indented = pyJson(body, 4);
    return this.o.verbosity > 2 || isVerboseAlways(result) ? indented.replace(/\n/g, '') : indented.replace(/\n */g, '');
  }

  /** The task's action prints as a command. */
  private noJson(e: HostResult): boolean {
    return isNoJsonAction(this.actions.get(e.taskId) ?? '');
  }

  private result(e: HostResult): void {
    const host = e.host;
    // minimal cleans a debug result; oneline prints it whole
    const debug = !this.o.oneLine && /^(?:ansible\.(?:builtin|legacy)\.)?debug$/.test(this.actions.get(e.taskId) ?? '');
    const body = printable(e.result, { verbosity: this.o.verbosity, debug: debug && e.status !== 'failed' && e.status !== 'unreachable' });
    if (e.status === 'skipped') {
      this.write(`${host} | SKIPPED\n`);
      return;
    }
    if (e.status === 'unreachable') {
      if (this.o.oneLine) this.write(`${host} | UNREACHABLE!: ${text(e.result.msg)}\n`);
      else this.write(`${host} | UNREACHABLE! => ${this.dump(body, e.result)}\n`);
      return;
    }
    const failed = e.status === 'failed';
    if (this.o.oneLine) {
      this.oneLine(e, body, failed);
      return;
    }
    // minimal: exception, then warnings (which leave the dump), then the result
    if (failed && e.result.exception !== undefined) {
      const ex = pyStr(e.result.exception);
      this.write(this.o.verbosity < 3
        ? `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${ex.trim().split('\n').pop() ?? ''}\n`
        : `The full traceback is:\n${ex}${ex.endsWith('\n') ? '' : '\n'}`);
    }
    this.moduleWarnings(body);
    if (!failed && this.o.diff && e.result.diff) this.write(formatDiff(e.result.diff));
    const state = failed ? 'FAILED' : e.result.changed === true ? 'CHANGED' : 'SUCCESS';
    const asCommand = this.noJson(e) && (failed ? !('module_stderr' in e.result) : !('ansible_job_id' in e.result));
    if (asCommand) this.write(this.commandBlock(host, e.result, state));
    else this.write(`${host} | ${failed ? 'FAILED!' : state} => ${this.dump(body, e.result)}\n`);
  }

  /** _handle_warnings: each module warning through Display.warning; they leave the result. */
  private moduleWarnings(body: Record<string, unknown>): void {
    if (this.o.actionWarnings === false) return;
    if (Array.isArray(body.warnings) && body.warnings.length) {
      for (const w of body.warnings) this.warn(pyStr(w));
      delete body.warnings;
    }
    if (Array.isArray(body.deprecations) && body.deprecations.length) delete body.deprecations;
  }

  /** minimal's _command_generic_msg: "host | STATE | rc=N >>", then stdout, stderr and msg. */
  private commandBlock(host: string, r: Record<string, unknown>, state: string): string {
    const rc = r.rc === undefined ? -1 : r.rc;
    return `${host} | ${state} | rc=${text(rc)} >>\n${text(r.stdout)}${text(r.stderr)}${text(r.msg)}\n`;
  }

  /** The oneline callback: commands on one line with \n escaped, everything else as one-line JSON. */
  private oneLine(e: HostResult, body: Record<string, unknown>, failed: boolean): void {
    const r = e.result;
    const esc = (v: unknown) => text(v).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    const command = (state: string) => {
      const head = `${e.host} | ${state} | rc=${text(r.rc === undefined ? -1 : r.rc)} | (stdout) ${esc(r.stdout)}`;
      return r.stderr ? `${head} (stderr) ${esc(r.stderr)}\n` : `${head}\n`;
    };
    if (failed) {
      if (r.exception !== undefined) {
        const ex = pyStr(r.exception);
        if (this.noJson(e) && !('module_stderr' in r)) this.write(command('FAILED'));
        else {
          this.write(this.o.verbosity < 3
            ? `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${ex.trim().split('\n').pop() ?? ''}\n`
            : `An exception occurred during task execution. The full traceback is:\n${ex.replace(/\n/g, '')}\n`);
        }
      }
      this.write(`${e.host} | FAILED! => ${this.dump(body, e.result)}\n`);
      return;
    }
    const state = r.changed === true ? 'CHANGED' : 'SUCCESS';
    if (this.noJson(e) && !('ansible_job_id' in r)) this.write(command(state));
    else this.write(`${e.host} | ${state} => ${this.dump(body, e.result)}\n`);
  }
}

/** The tree callback (-t DIR): each host's last result as JSON in DIR/HOST. */
export class TreeReporter implements Reporter {
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly verbosity: number,
    private readonly warn: (message: string) => void,
  ) {
    this.dir = resolve(dir.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  }

  handle(e: EngineEvent): void {
    if (e.kind !== 'host.result' || e.status === 'skipped') return;
    // _dump_results of the clean copy: compact JSON, indented when the result asks to be shown (debug) or from -vvv
    const body = printable(e.result, { verbosity: this.verbosity });
    const text = pyJson(body, isVerboseAlways(e.result) || this.verbosity > 2 ? 4 : undefined);
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      this.warn(`Unable to access or create the configured directory (${this.dir}): ${(err as Error).message}`);
    }
    try {
      writeFileSync(join(this.dir, e.host), text);
    } catch (err) {
      this.warn(`Unable to write to ${e.host}'s file: ${(err as Error).message}`);
    }
  }

  close(): void {}
}
