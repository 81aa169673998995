// The plain, Ansible-like text reporter used when stdout is not a terminal (or with --no-live):
// PLAY/TASK banners, ok/changed/skipping/fatal lines, NO MORE HOSTS LEFT and the PLAY RECAP.
import type { EngineEvent, Reporter } from './events.js';
import { recapHosts, recapLine } from './stats.js';
import { pyStr } from '../template/python.js';
import { formatDiff } from './diff.js';

/** A loop label as Ansible prints it: Python's str() of the value. */
function itemLabel(label: unknown): string {
  return pyStr(label);
}

/** Ansible's banner: message, a space and stars up to 80 columns (minimum 3 stars). */
export function banner(msg: string, columns = 79): string {
  return `${msg} ${'*'.repeat(Math.max(3, columns - msg.length))}`;
}

/** Python json.dumps(sort_keys=True) style: ", " and ": " separators, keys sorted. */
export function pyJson(value: unknown, indent?: number): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  const sorted = sortKeys(value);
  if (indent) return JSON.stringify(sorted, null, indent);
  return JSON.stringify(sorted, null, 1).replace(/\n\s*/g, (m, off: number, str: string) => {
    // collapse the pretty form back to one line with Python's separators
    const prev = str[off - 1];
    return prev === '[' || prev === '{' ? '' : ' ';
  }).replace(/ ([\]}])/g, '$1');
}

/** Keys Ansible strips before printing a result. */
function printable(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible') || k === 'invocation') continue;
    out[k] = v;
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
  constructor(
    private readonly write: (text: string) => void,
    private readonly verbosity = 0,
  ) {}

  handle(e: EngineEvent): void {
    switch (e.kind) {
      case 'playbook.start':
        if (this.verbosity > 0) this.write(`\nPLAYBOOK: ${e.file} ${'*'.repeat(Math.max(3, 79 - 10 - e.file.length))}\n`);
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
        if (e.merged) return;
        this.lastTaskName = e.name;
        this.lastBanner = e.taskId;
        this.write(`\n${banner(`${prefix} [${e.name}]`)}\n`);
        return;
      }
      case 'include':
        this.write(`included: ${e.file} for ${e.hosts.join(', ')}${e.item ? ` => (item=${itemLabel(e.item.label)})` : ''}\n`);
        return;
      case 'task.retry':
        this.write(`FAILED - RETRYING: [${e.delegatedTo && e.delegatedTo !== e.host ? `${e.host} -> ${e.delegatedTo}` : e.host}]: ${e.name} (${e.retriesLeft} retries left).\n`);
        return;
      case 'host.result': {
        // the default callback's v2_on_file_diff comes before the result line
        const changed = e.result.changed === true && (e.status === 'ok' || e.status === 'changed');
        const diff = changed && e.result.diff && !(e.loop && !e.item) ? formatDiff(e.result.diff) : '';
        const line = diff + this.resultLine(e);
        if (line && this.lastBanner !== e.taskId) {
          this.lastBanner = e.taskId;
          this.write(`\n${banner(`${this.prefixOf.get(e.taskId) ?? 'TASK'} [${this.lastTaskName}]`)}\n`);
        }
        this.write(line);
        return;
      }
      case 'warning':
        this.write(`[WARNING]: ${e.message}\n`);
        return;
      case 'deprecation':
        this.write(`[DEPRECATION WARNING]: ${e.message}\n`);
        return;
      case 'no_more_hosts':
        this.write(`\n${banner('NO MORE HOSTS LEFT')}\n`);
        return;
      case 'message':
        this.write(e.text.endsWith('\n') ? e.text : e.text + '\n');
        return;
      case 'recap': {
        if (e.retryFile) this.write(`\tto retry, use: --limit @${e.retryFile}\n`);
        this.write(`\n${banner('PLAY RECAP')}\n`);
        for (const h of recapHosts(e.stats)) this.write(recapLine(h, e.stats[h]) + '\n');
        this.write('\n');
        return;
      }
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${(never as { kind: string }).kind}`);
      }
    }
  }

  private resultLine(e: Extract<EngineEvent, { kind: 'host.result' }>): string {
    const who = e.delegatedTo && e.delegatedTo !== e.host ? `[${e.host} -> ${e.delegatedTo}${e.delegatedAddress ? `(${e.delegatedAddress})` : ''}]` : `[${e.host}]`;
    const item = e.item ? ` => (item=${itemLabel(e.item.label)})` : '';
    const body = printable(e.result);
    const verbose = this.verbosity > 0 || e.verboseAlways;
    switch (e.status) {
      case 'skipped':
        return `skipping: ${who}${item}\n`;
      case 'unreachable':
        return `fatal: ${who}${item}: UNREACHABLE! => ${pyJson(body)}\n${e.ignored ? '...ignoring\n' : ''}`;
      case 'failed': {
        if (e.loop && !e.item) return e.ignored ? '...ignoring\n' : '';
        const line = e.item
          ? `failed: ${who} (item=${itemLabel(e.item.label)}) => ${pyJson(body)}\n`
          : `fatal: ${who}: FAILED! => ${pyJson(body)}\n`;
        return e.ignored ? line + '...ignoring\n' : line;
      }
      case 'ok':
      case 'changed': {
        const head = `${e.status}: ${who}${item}`;
        if (verbose) return `${head} => ${pyJson(body, 4)}\n`;
        return head + '\n';
      }
    }
  }

  close(): void {}
}
