// The live view's model: engine events (plus the view's own prompt actions) folded into a state,
// with no I/O and no clock of its own (the caller passes `now`), so it is unit-tested apart from
// rendering. The state is updated in place: a 1,000-host run sends a result per host per task,
// and copying every row per event would make the view cost grow with the square of the fleet.
// What the terminal shows is computed from this state by snapshot.ts, at the redraw rate.
import type { EngineEvent, HostStatus } from '../events.js';
import type { HostStats } from '../stats.js';

/** Where a host of the current batch stands. */
export type HostPhase = 'queued' | 'running' | 'waiting' | 'ok' | 'failed' | 'unreachable';

export interface HostRow {
  host: string;
  phase: HostPhase;
  /** Current (or last) task title on this host. */
  task?: string;
  /** When the current task started on this host (ms); unset while waiting for the next task. */
  since?: number;
  last?: HostStatus | 'retry';
  retriesLeft?: number;
  /** Failure message (failed/unreachable). */
  message?: string;
  /** Set while the host runs tasks of a hook file. */
  hook?: { file: string; hookVar: string };
}

export interface FailureEntry {
  host: string;
  unreachable: boolean;
  task: string;
  message: string;
  /** 1-based batch number the failure happened in. */
  batch: number;
}

/** Lines that scroll above the live area (ink's <Static>) and so stay in the scroll-back. */
export interface LogLine {
  id: number;
  tone: 'info' | 'ok' | 'warn' | 'error' | 'hook';
  text: string;
}

export interface PromptState {
  message: string;
  echo: boolean;
}

export interface LiveState {
  startedAt: number;
  playbook?: string;
  play?: string;
  strategy?: string;
  batch?: { index: number; count: number; hosts: string[]; maxFailPercentage?: number };
  /** Hosts of the current play (all batches) and how many of them finished their batch. */
  playTotal: number;
  playDone: number;
  task?: { name: string; handler: boolean; file?: string };
  rows: Map<string, HostRow>;
  /** Failed/unreachable hosts of the whole run, in order of failure. */
  failures: Map<string, FailureEntry>;
  /** Hosts whose batch completed, by outcome (run-wide). */
  folded: { ok: number; failed: number; unreachable: number };
  /** Final task results seen so far (loop items excluded). */
  results: Record<HostStatus, number>;
  log: LogLine[];
  prompt?: PromptState;
  recap?: Record<string, HostStats>;
  finished: boolean;
}

/** Actions the view adds to the engine's events. */
export type LiveAction =
  | EngineEvent
  | { kind: 'ui.prompt'; message: string; echo: boolean }
  | { kind: 'ui.answered' };

export function initialState(now: number): LiveState {
  return {
    startedAt: now,
    playTotal: 0,
    playDone: 0,
    rows: new Map(),
    failures: new Map(),
    folded: { ok: 0, failed: 0, unreachable: 0 },
    results: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 },
    log: [],
    finished: false,
  };
}

/** The message a person needs from a failed result: msg, then stderr, then the reason. */
export function failureMessage(result: Record<string, unknown>): string {
  for (const k of ['msg', 'stderr', 'reason', 'censored']) {
    const v = result[k];
    if (typeof v === 'string' && v.trim()) return v.trim().split('\n')[0];
  }
  if (typeof result.rc === 'number') return `non-zero return code ${result.rc}`;
  return 'failed';
}

function pushLog(s: LiveState, tone: LogLine['tone'], text: string): void {
  s.log.push({ id: s.log.length, tone, text });
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Hosts of the batch a task.start without a host list applies to: everybody still going. */
function taskHosts(s: LiveState, e: Extract<EngineEvent, { kind: 'task.start' }>): string[] {
  if (e.hosts) return e.hosts;
  return [...s.rows.values()].filter((r) => r.phase !== 'failed' && r.phase !== 'unreachable').map((r) => r.host);
}

function onResult(s: LiveState, e: Extract<EngineEvent, { kind: 'host.result' }>): void {
  const row = s.rows.get(e.host);
  if (e.item) {
    if (row) row.last = e.status;
    return;
  }
  s.results[e.status]++;
  // debug output (always shown by Ansible) goes to the scroll-back.
  if (e.verboseAlways && e.result.msg !== undefined) {
    pushLog(s, 'info', `[${e.host}] ${typeof e.result.msg === 'string' ? e.result.msg : JSON.stringify(e.result.msg)}`);
  }
  if (!row) return;
  row.last = e.status;
  row.retriesLeft = undefined;
  const fatal = !e.ignored && (e.status === 'failed' || e.status === 'unreachable');
  if (!fatal) {
    if (row.phase === 'running') row.phase = 'waiting';
    row.since = undefined;
    return;
  }
  const unreachable = e.status === 'unreachable';
  row.phase = unreachable ? 'unreachable' : 'failed';
  row.message = failureMessage(e.result);
  row.since = undefined;
  const task = row.task ?? s.task?.name ?? '';
  s.failures.set(e.host, { host: e.host, unreachable, task, message: row.message, batch: (s.batch?.index ?? 0) + 1 });
  pushLog(s, 'error', `${unreachable ? 'UNREACHABLE' : 'FAILED'} [${e.host}] ${task}: ${row.message}`);
}

/** Fold one event or view action into the state (in place) and return it. */
export function reduce(s: LiveState, e: LiveAction, now: number): LiveState {
  switch (e.kind) {
    case 'playbook.start':
      s.playbook = e.file;
      return s;
    case 'play.start':
      if (s.play !== (e.name || e.pattern)) pushLog(s, 'info', `PLAY [${e.name || e.pattern}]`);
      s.play = e.name || e.pattern;
      s.strategy = e.strategy;
      return s;
    case 'play.nohosts':
      pushLog(s, 'warn', `PLAY [${e.name}]: no hosts matched`);
      return s;
    case 'batch.start':
      if (e.index === 0) {
        s.playDone = 0;
        s.playTotal = e.playHosts ?? e.hosts.length;
      }
      s.playTotal = Math.max(s.playTotal, s.playDone + e.hosts.length);
      s.batch = { index: e.index, count: e.count, hosts: e.hosts, maxFailPercentage: e.maxFailPercentage };
      s.rows = new Map(e.hosts.map((h) => [h, { host: h, phase: 'queued' as HostPhase }]));
      s.task = undefined;
      return s;
    case 'task.start':
      s.task = { name: e.name, handler: e.handler, file: e.file };
      for (const h of taskHosts(s, e)) {
        const row = s.rows.get(h);
        if (!row) continue;
        // A failed host that runs again was rescued (or runs an always section).
        row.phase = 'running';
        row.task = e.name;
        row.since = now;
        row.retriesLeft = undefined;
        if (row.hook && e.file !== row.hook.file) row.hook = undefined;
      }
      return s;
    case 'host.result':
      onResult(s, e);
      return s;
    case 'task.retry': {
      const row = s.rows.get(e.host);
      if (row) {
        row.last = 'retry';
        row.retriesLeft = e.retriesLeft;
      }
      return s;
    }
    case 'task.async':
      // the host's row already shows the task running; ASYNC POLL lines are the plain output's
      return s;
    case 'include.result':
      // the "included:" line (the include event) is what the view shows
      return s;
    case 'include':
      if (e.hook) pushLog(s, 'hook', `hook ${basename(e.file)} for ${e.hosts.join(', ')}`);
      return s;
    case 'hook.start': {
      const row = s.rows.get(e.host);
      if (row) row.hook = { file: e.file, hookVar: e.hookVar };
      return s;
    }
    case 'batch.done': {
      const failed = new Set(e.failed);
      const unreachable = new Set(e.unreachable);
      const hosts = s.batch?.hosts ?? [];
      for (const h of hosts) {
        if (unreachable.has(h)) s.folded.unreachable++;
        else if (failed.has(h)) s.folded.failed++;
        else {
          s.folded.ok++;
          // A host the batch does not report as failed was rescued after all.
          if (s.failures.get(h)?.batch === e.index + 1) s.failures.delete(h);
        }
      }
      s.playDone += hosts.length;
      const n = s.batch ? `${e.index + 1}/${s.batch.count}` : String(e.index + 1);
      const bad = e.failed.length + e.unreachable.length;
      pushLog(s, bad ? 'warn' : 'ok', `batch ${n} done: ${hosts.length - bad} ok${bad ? `, ${bad} failed (${[...e.failed, ...e.unreachable].join(', ')})` : ''}`);
      s.rows = new Map();
      s.task = undefined;
      return s;
    }
    case 'warning':
      pushLog(s, 'warn', `[WARNING]: ${e.message}`);
      return s;
    case 'deprecation':
      pushLog(s, 'warn', `[DEPRECATION WARNING]: ${e.message}`);
      return s;
    case 'message':
      pushLog(s, e.stream === 'stderr' ? 'warn' : 'info', e.text.replace(/\n$/, ''));
      return s;
    case 'no_more_hosts':
      pushLog(s, 'error', 'NO MORE HOSTS LEFT');
      return s;
    case 'play.done':
      s.rows = new Map();
      return s;
    case 'recap':
      s.recap = e.stats;
      s.finished = true;
      s.rows = new Map();
      return s;
    case 'prompt':
      // vars_prompt announces itself; the question arrives as ui.prompt.
      return s;
    case 'ui.prompt':
      s.prompt = { message: e.message, echo: e.echo };
      return s;
    case 'ui.answered':
      s.prompt = undefined;
      return s;
    default: {
      const never: never = e;
      throw new Error(`unhandled live event ${(never as { kind: string }).kind}`);
    }
  }
}
