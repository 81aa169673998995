// Machine-readable output. `--output json`: one JSON object per event and line, shaped by the
// versioned schema in schema/events.v1.json (fields of the engine event plus "v" and "ts"), for
// tools that follow a run as it happens. `--output json-doc`: one document at the end, shaped
// like Ansible's json stdout callback (ansible.posix.json), for tools written against it.
import type { EngineEvent, Reporter } from './events.js';
import type { HostStats } from './stats.js';

/** Bumped on any incompatible change to the line format; additions keep the version. */
export const JSON_EVENTS_VERSION = 1;

/** Plain JSON data: drops functions/undefined, turns bigints and dates to strings, cuts cycles. */
export function toJsonSafe(value: unknown, ancestors: object[] = []): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (ancestors.includes(value)) return '[Circular]';
  const path = [...ancestors, value];
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, path) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = toJsonSafe(v, path);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}

/**
 * pause with echo: false returns what was typed in user_input; Ansible would print it with -v.
 * drover never writes hidden input anywhere.
 */
export function redactHiddenInput(result: Record<string, unknown>): Record<string, unknown> {
  if (result.echo === false && typeof result.user_input === 'string' && result.user_input !== '') {
    return { ...result, user_input: '********' };
  }
  return result;
}

/** One event as it goes on the wire (before JSON.stringify). */
export function jsonEvent(e: EngineEvent, now: Date): Record<string, unknown> {
  const body = e.kind === 'host.result' || e.kind === 'task.retry' ? { ...e, result: redactHiddenInput(e.result) } : e;
  return { v: JSON_EVENTS_VERSION, ts: now.toISOString(), ...(toJsonSafe(body) as Record<string, unknown>) };
}

export class JsonLinesReporter implements Reporter {
  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
    /** show_custom_stats: the json callback fills custom_stats only then. */
    private readonly showCustomStats = false,
  ) {}

  handle(e: EngineEvent): void {
    this.write(JSON.stringify(jsonEvent(e, this.now())) + '\n');
  }

  close(): void {}
}

interface DocTask {
  task: { name: string; id: string; path: string; duration: { start: string; end?: string } };
  hosts: Record<string, Record<string, unknown>>;
}
interface DocPlay {
  play: { name: string; id: string; path: string; duration: { start: string; end?: string } };
  tasks: DocTask[];
}

/** Ansible's json callback time format: UTC ISO without offset, then "Z". */
function isoZ(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The AggregateStats.summarize() keys the json callback prints ("failures", not "failed"). */
export function summarizeStats(stats: Record<string, HostStats>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const h of Object.keys(stats).sort()) {
    const s = stats[h];
    out[h] = { changed: s.changed, failures: s.failed, ignored: s.ignored, ok: s.ok, rescued: s.rescued, skipped: s.skipped, unreachable: s.unreachable };
  }
  return out;
}

export class JsonDocReporter implements Reporter {
  private readonly plays: DocPlay[] = [];
  private stats: Record<string, HostStats> = {};
  private custom: Record<string, Record<string, unknown>> = {};
  private readonly tasks = new Map<number, DocTask>();
  private readonly actions = new Map<number, string>();
  private file = '';
  private seq = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => Date = () => new Date(),
    /** show_custom_stats: the json callback fills custom_stats only then. */
    private readonly showCustomStats = false,
  ) {}

  private id(): string {
    // Ansible uses uuids; stable counters are enough to tell plays and tasks apart.
    return `drover-${String(++this.seq).padStart(8, '0')}`;
  }

  handle(e: EngineEvent): void {
    const t = isoZ(this.now());
    switch (e.kind) {
      case 'playbook.start':
        this.file = e.file;
        return;
      case 'play.start':
        // Like Ansible, a serial play starts a new entry for each batch.
        this.plays.push({ play: { name: e.name, id: this.id(), path: this.file, duration: { start: t } }, tasks: [] });
        this.tasks.clear();
        return;
      case 'task.start': {
        const play = this.plays[this.plays.length - 1];
        if (!play) return;
        const task: DocTask = {
          task: { name: e.name, id: this.id(), path: e.file ? `${e.file}:${e.line ?? 0}` : '', duration: { start: t } },
          hosts: {},
        };
        play.tasks.push(task);
        this.tasks.set(e.taskId, task);
        this.actions.set(e.taskId, e.action);
        return;
      }
      case 'host.result': {
        if (e.item) return; // the final loop result carries every item under "results"
        const task = this.tasks.get(e.taskId);
        if (!task) return;
        const r: Record<string, unknown> = { ...(toJsonSafe(redactHiddenInput(e.result)) as Record<string, unknown>) };
        if (e.status === 'unreachable') r.unreachable = true;
        if (e.status === 'skipped') r.skipped = true;
        if (e.status === 'failed') r.failed = true;
        r.action = this.actions.get(e.taskId);
        task.hosts[e.host] = r;
        task.task.duration.end = t;
        const play = this.plays[this.plays.length - 1];
        if (play) play.play.duration.end = t;
        return;
      }
      case 'play.done': {
        const play = this.plays[this.plays.length - 1];
        if (play && !play.play.duration.end) play.play.duration.end = t;
        return;
      }
      case 'recap':
        this.stats = e.stats;
        if (this.showCustomStats) this.custom = e.custom ?? {};
        return;
      default:
        return;
    }
  }

  /** The whole document (what close() prints). */
  document(): Record<string, unknown> {
    // the json callback: custom_stats per host; global_custom_stats is the run's own ('_run')
    const { _run: run = {}, ...perHost } = this.custom;
    return { custom_stats: perHost, global_custom_stats: run, plays: this.plays, stats: summarizeStats(this.stats) };
  }

  close(): void {
    this.write(JSON.stringify(this.document(), null, 4) + '\n');
  }
}
