// The plain, Ansible-like text reporter used when stdout is not a terminal (or with --no-live):
// PLAY/TASK banners, ok/changed/skipping/fatal lines, NO MORE HOSTS LEFT and the PLAY RECAP.
import type { EngineEvent, Reporter } from './events.js';
import { recapHosts, recapLine } from './stats.js';
import { pyStr } from '../template/python.js';
import { formatDiff } from './diff.js';
import { textwrap } from './textwrap.js';
import { isVerboseAlways, isVerboseOverride } from '../modules-sdk/display.js';
import { Unsafe } from '../template/python.js';

/** Display.warning()'s text: "[WARNING]: msg" wrapped by textwrap at 79 columns (no terminal). */
export function formatWarning(message: string): string {
  return textwrap(`[WARNING]: ${message}`).join('\n') + '\n';
}

/** Display.error()'s wrapped text: "\n[ERROR]: msg" through textwrap (the newline becomes a space). */
export function formatDisplayError(message: string): string {
  return textwrap(`\n[ERROR]: ${message}`).join('\n') + '\n';
}

/** Display.deprecated's text for one entry of a result's `deprecations` (2.14's get_deprecation_message). */
export function formatDeprecation(d: unknown): string {
  const e = (d !== null && typeof d === 'object' ? d : { msg: d }) as Record<string, unknown>;
  let msg = pyStr(e.msg ?? '').trim();
  if (msg && !['!', '?', '.'].includes(msg[msg.length - 1])) msg += '.';
  const coll = e.collection_name === 'ansible.builtin' ? 'ansible-core' : e.collection_name;
  const when = e.date ? `in a release after ${pyStr(e.date)}.` : e.version ? `in version ${pyStr(e.version)}.` : 'in a future release.';
  const text = [`[DEPRECATION WARNING]: ${msg}`, 'This feature will be removed', coll ? `from ${pyStr(coll)}` : '', when, 'Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.'].filter(Boolean).join(' ');
  return textwrap(text, 79, true).join('\n').trim() + '\n';
}

/** A loop label as Ansible prints it: Python's str() of the value. */
function itemLabel(label: unknown): string {
  return pyStr(label);
}

/** Ansible's banner: message (stripped), a space and stars up to 80 columns (minimum 3 stars). */
export function banner(text: string, columns = 79): string {
  const msg = text.trim();
  return `${msg} ${'*'.repeat(Math.max(3, columns - msg.length))}`;
}

/** Python json.dumps(sort_keys=True) style: ", " and ": " separators, keys sorted. */
export function pyJson(value: unknown, indent?: number): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v instanceof Unsafe) return v.value;
    // a YAML date or datetime reaches the callback only from debug var=, which templates it to str()
    if (v && typeof v === 'object' && Symbol.for('drover.pydate') in v) return String(v);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  const sorted = sortKeys(value);
  if (indent) return JSON.stringify(sorted, null, indent);
  return compactJson(sorted);
}

/** One line with Python's separators (", " and ": "), as json.dumps without indent writes it. */
function compactJson(v: unknown): string {
  const j = v as { toJSON?: () => unknown } | null;
  if (j !== null && typeof j === 'object' && typeof j.toJSON === 'function') return compactJson(j.toJSON());
  const skip = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';
  if (Array.isArray(v)) return `[${v.map((x) => (skip(x) ? 'null' : compactJson(x))).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => !skip(o[k])).map((k) => `${JSON.stringify(k)}: ${compactJson(o[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What a debug result may keep when it has a msg (CallbackBase's _DEBUG_ALLOWED_KEYS). */
const DEBUG_ALLOWED_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);
/** What a debug var= result drops (CallbackBase._hide_in_debug). */
const HIDE_IN_DEBUG = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];

/**
 * The result as ansible-core 2.14's default callback prints it: TaskResult.clean_copy() drops
 * `failed` and `skipped` (the status line says it), _clean_results() keeps a debug result to its
 * msg (or its var), _dump_results() drops internal keys, `exception`, and `invocation` and `diff`
 * below -vvv; the items of a loop's summary were reported one by one (_process_items).
 */
export function printable(result: Record<string, unknown>, o: { debug?: boolean; verbosity?: number; loopSummary?: boolean } = {}): Record<string, unknown> {
  const verbosity = o.verbosity ?? 0;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible') || k === 'exception' || k === 'failed' || k === 'skipped') continue;
    if ((k === 'invocation' || k === 'diff') && verbosity < 3) continue;
    if (k === 'results' && o.loopSummary) continue;
    out[k] = v;
  }
  if (o.debug) {
    if ('msg' in out) {
      for (const k of Object.keys(out)) if (!DEBUG_ALLOWED_KEYS.has(k) && !k.startsWith('_')) delete out[k];
    } else {
      for (const k of HIDE_IN_DEBUG) delete out[k];
    }
  }
  return out;
}

export class PlainReporter implements Reporter {
  /**
   * Ansible's default callback state: the name of the last started task, the task whose banner
   * was printed last, and each task's banner prefix. A result of another task than the last
   * banner's reprints a banner with that prefix and the last started name (what Ansible shows
   * when a lock-step round mixes a handler with a host's next task).
   */
  private lastTaskName = '';
  private lastBanner: number | undefined;
  private readonly prefixOf = new Map<number, string>();
  private readonly warned = new Set<string>();
  /** Where the task of a banner is (file:line), for the -vv "task path:" line. */
  private readonly pathOf = new Map<number, string>();
  constructor(
    private readonly write: (text: string) => void,
    private readonly verbosity = 0,
    /**
     * showCustomStats (show_custom_stats): print set_stats data after the recap. err: where
     * [WARNING] lines go (Display.warning writes to stderr); the main stream when not given.
     */
    private readonly opts: { showCustomStats?: boolean; err?: (text: string) => void } = {},
  ) {}

  handle(e: EngineEvent): void {
    switch (e.kind) {
      case 'playbook.start':
        // ansible-core 2.14: from -vv, the playbook's base name
        if (this.verbosity > 1) {
          // the loader's "statically imported" lines come before the callback's banner
          for (const f of e.imports ?? []) this.write(`statically imported: ${f}\n`);
          this.write(`\n${banner(`PLAYBOOK: ${e.file.replace(/^.*\//, '')}`)}\n`);
          if (e.plays !== undefined) this.write(`${e.plays} plays in ${e.given ?? e.file}\n`);
        }
        return;
      case 'play.start':
        this.write(`\n${banner(`PLAY [${e.name || e.pattern}]`)}\n`);
        return;
      case 'play.nohosts':
        this.write('skipping: no hosts matched\n');
        return;
      case 'batch.start':
      case 'batch.done':
      case 'play.done':
      case 'hook.start':
      case 'prompt':
        return;
      case 'task.start': {
        const prefix = e.handler ? 'RUNNING HANDLER' : 'TASK';
        this.prefixOf.set(e.taskId, prefix);
        if (e.file) this.pathOf.set(e.taskId, `${e.file}:${e.line ?? 0}`);
        if (e.merged) return;
        this.lastTaskName = e.name;
        this.lastBanner = e.taskId;
        this.taskBanner(prefix, e.name, e.taskId);
        return;
      }
      case 'include':
        this.write(`included: ${e.file} for ${e.hosts.join(', ')}${e.item ? ` => (item=${itemLabel(e.item.label)})` : ''}\n`);
        return;
      case 'task.async':
        // the default callback's v2_runner_on_async_poll / _ok / _failed (no banner of their own)
        if (e.phase === 'poll') this.write(`ASYNC POLL on ${e.host}: jid=${pyStr(e.jid)} started=${pyStr(e.started)} finished=${pyStr(e.finished)}\n`);
        else this.write(`ASYNC ${e.phase === 'ok' ? 'OK' : 'FAILED'} on ${e.host}: jid=${pyStr(e.jid)}\n`);
        return;
      case 'task.retry': {
        // from -vvv the default callback appends the attempt's result (censored for no_log)
        const result = this.verbosity > 2 ? `Result was: ${pyJson(printable(e.result, { verbosity: this.verbosity }), 4)}` : '';
        this.write(`FAILED - RETRYING: [${e.delegatedTo && e.delegatedTo !== e.host ? `${e.host} -> ${e.delegatedTo}` : e.host}]: ${e.name} (${e.retriesLeft} retries left).${result}\n`);
        return;
      }
      case 'host.result': {
        // the default callback's v2_on_file_diff comes before the result line
        const changed = e.result.changed === true && (e.status === 'ok' || e.status === 'changed');
        const diff = changed && e.result.diff && !(e.loop && !e.item) ? formatDiff(e.result.diff) : '';
        const notes = this.resultNotes(e);
        let line = diff + notes.exception + this.resultLine(e);
        if ((line || notes.warnings.length || notes.deprecations) && this.lastBanner !== e.taskId) {
          this.lastBanner = e.taskId;
          this.taskBanner(this.prefixOf.get(e.taskId) ?? 'TASK', this.lastTaskName, e.taskId);
        }
        // Display.warning: on their own stream when there is one, between the diff and the line otherwise
        if (this.opts.err) {
          for (const w of notes.warnings) this.warn(w);
          if (notes.deprecations) this.opts.err(notes.deprecations);
        } else line = diff + notes.exception + notes.warnings.map((w) => this.warning(w)).join('') + notes.deprecations + this.resultLine(e);
        this.write(line);
        return;
      }
      case 'warning':
        this.warn(e.message, e.scope);
        return;
      case 'deprecation':
        this.write(`[DEPRECATION WARNING]: ${e.message}\n`);
        return;
      case 'no_more_hosts':
        this.write(`\n${banner('NO MORE HOSTS LEFT')}\n`);
        return;
      case 'message':
        if ((e.verbosity ?? 0) > this.verbosity) return;
        (e.stream === 'stderr' ? (this.opts.err ?? this.write) : this.write)(e.text.endsWith('\n') ? e.text : e.text + '\n');
        return;
      case 'recap': {
        if (e.retryFile) this.write(`\tto retry, use: --limit @${e.retryFile}\n`);
        this.write(`\n${banner('PLAY RECAP')}\n`);
        for (const h of recapHosts(e.stats)) this.write(recapLine(h, e.stats[h]) + '\n');
        this.write('\n');
        if (e.custom && this.opts.showCustomStats) this.write(this.customStats(e.custom));
        return;
      }
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${(never as { kind: string }).kind}`);
      }
    }
  }

  /**
   * What the default callback prints before a result line: for a failure with an `exception`,
   * its last line (_handle_exception); then the module's `warnings` (_handle_warnings, not for
   * an ok loop item), which the dump then leaves out.
   */
  private resultNotes(e: Extract<EngineEvent, { kind: 'host.result' }>): { exception: string; warnings: string[]; deprecations: string } {
    let exception = '';
    const warnings: string[] = [];
    let deprecations = '';
    const failed = e.status === 'failed' && !(e.loop && !e.item && Array.isArray(e.result.results));
    if (failed && e.result.exception !== undefined) {
      const text = pyStr(e.result.exception);
      exception = this.verbosity < 3
        ? `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${text.trim().split('\n').pop() ?? ''}\n`
        : `The full traceback is:\n${text}${text.endsWith('\n') ? '' : '\n'}`;
    }
    if (failed || ((e.status === 'ok' || e.status === 'changed') && !e.item)) {
      if (Array.isArray(e.result.warnings)) for (const w of e.result.warnings) warnings.push(pyStr(w));
      // Display.deprecated shows each text once per run
      if (Array.isArray(e.result.deprecations)) {
        for (const d of e.result.deprecations) {
          const text = formatDeprecation(d);
          if (!this.warned.has(`deprecation\n${text}`)) deprecations += text;
          this.warned.add(`deprecation\n${text}`);
        }
      }
    }
    return { exception, warnings, deprecations };
  }

  /** The default callback's CUSTOM STATS block: hosts sorted, then the run's own as RUN. */
  private customStats(custom: Record<string, Record<string, unknown>>): string {
    const dump = (d: Record<string, unknown>) => pyJson(this.dumpable(d), 1).replace(/\n/g, '');
    let out = `\n${banner('CUSTOM STATS: ')}\n`;
    for (const h of recapHosts(custom)) if (h !== '_run') out += `\t${h}: ${dump(custom[h])}\n`;
    if (custom._run) out += `\n\tRUN: ${dump(custom._run)}\n`;
    return out + '\n';
  }

  /** What _dump_results leaves of a dict: no internal keys, no exception, invocation and diff below -vvv. */
  private dumpable(d: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d)) {
      if (k.startsWith('_ansible_') || k === 'exception') continue;
      if ((k === 'invocation' || k === 'diff') && this.verbosity < 3) continue;
      out[k] = v;
    }
    return out;
  }

  /** The default callback's banner for a task (with "task path:" from -vv). */
  private taskBanner(prefix: string, name: string, taskId: number): void {
    this.write(`\n${banner(`${prefix} [${name}]`)}\n`);
    const path = this.pathOf.get(taskId);
    if (this.verbosity > 1 && path) this.write(`task path: ${path}\n`);
  }

  /** `scope`: the event's dedupe scope (one task's run on a host), else the whole run. */
  private warn(message: string, scope?: string): void {
    const line = this.warning(message, scope);
    if (line) (this.opts.err ?? this.write)(line);
  }

  /** A [WARNING] line, or nothing when the scope showed it already (Display.warning's _warns). */
  private warning(message: string, scope = ''): string {
    if (this.warned.has(`${scope}\n${message}`)) return '';
    this.warned.add(`${scope}\n${message}`);
    return formatWarning(message);
  }

  private resultLine(e: Extract<EngineEvent, { kind: 'host.result' }>): string {
    const who = e.delegatedTo && e.delegatedTo !== e.host ? `[${e.host} -> ${e.delegatedTo}${e.delegatedAddress ? `(${e.delegatedAddress})` : ''}]` : `[${e.host}]`;
    const item = e.item ? ` => (item=${itemLabel(e.item.label)})` : '';
    // the event's verboseAlways marks a debug task (its result is cleaned for display); the
    // result's own flags say whether it is shown at any verbosity, indented (debug and assert
    // when they ran), or never with its payload (setup)
    const debug = e.verboseAlways === true;
    const alwaysShown = isVerboseAlways(e.result);
    const body = printable(e.result, { debug, verbosity: this.verbosity, loopSummary: e.loop && !e.item });
    // shown above the line by resultNotes
    if (Array.isArray(body.warnings) && body.warnings.length && (e.status === 'failed' || !e.item)) delete body.warnings;
    if (Array.isArray(body.deprecations) && body.deprecations.length && (e.status === 'failed' || !e.item)) delete body.deprecations;
    const verbose = (this.verbosity > 0 || alwaysShown) && !isVerboseOverride(e.result);
    const dump = () => pyJson(body, alwaysShown || this.verbosity > 2 ? 4 : undefined);
    switch (e.status) {
      case 'skipped':
        // Ansible's item line ends in a space before the optional payload
        if (e.item) return `skipping: ${who}${item} ${verbose ? ` => ${dump()}` : ''}\n`;
        return `skipping: ${who}${verbose ? ` => ${dump()}` : ''}\n`;
      case 'unreachable':
        return `fatal: ${who}${item}: UNREACHABLE! => ${pyJson(body)}\n${e.ignored ? '...ignoring\n' : ''}`;
      case 'failed': {
        // a loop's summary after its items were reported one by one; a loop that failed before
        // any item (its items could not be rendered) has no results and is reported as a task
        // (debug's _clean_results keeps only msg beside exceptions and warnings: with its
        // "One or more items failed" the results are gone and the summary is printed as a task)
        if (e.loop && !e.item && Array.isArray(e.result.results) && !(debug && 'msg' in e.result)) return e.ignored ? '...ignoring\n' : '';
        const line = e.item
          ? `failed: ${who} (item=${itemLabel(e.item.label)}) => ${dump()}\n`
          : `fatal: ${who}: FAILED! => ${dump()}\n`;
        return e.ignored ? line + '...ignoring\n' : line;
      }
      case 'ok':
      case 'changed': {
        const head = `${e.status}: ${who}${item}`;
        if (verbose) return `${head} => ${dump()}\n`;
        return head + '\n';
      }
    }
  }

  close(): void {}
}
