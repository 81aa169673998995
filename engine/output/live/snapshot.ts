// From the live state to what one frame shows, as plain data: every line already cut to the
// terminal's width and the host list cut to its height, so the ink components only lay out
// text. Pure (state, clock, terminal size in → view out); the reporter calls it at the redraw
// rate, never once per event.
import { exceedsMaxFail } from '../../plan/batches.js';
import type { LiveState, PromptState } from './model.js';

export type Tone = 'plain' | 'dim' | 'ok' | 'changed' | 'warn' | 'error' | 'hook';

export interface ViewRow {
  host: string;
  task: string;
  time: string;
  last: string;
  tone: Tone;
  stuck: boolean;
}

export interface LiveView {
  columns: number;
  title: string;
  elapsed: string;
  batchLine?: string;
  progress: { bar: string; label: string };
  failLine: string;
  failTone: Tone;
  task?: string;
  rows: ViewRow[];
  moreRows: number;
  widths: { host: number; task: number; time: number; last: number };
  failures: { text: string; tone: Tone }[];
  moreFailures: number;
  folded: string;
  prompt?: PromptState;
  finished: boolean;
}

export interface SnapshotOptions {
  columns: number;
  rows: number;
  /** A host running one task longer than this is flagged as stuck. */
  stuckAfterMs: number;
}

/** 75 s → "1:15", 3725 s → "1:02:05". */
export function duration(ms: number): string {
  const t = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Cut to `width` characters, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : flat.slice(0, Math.max(0, width - 1)) + '…';
}

/** The most failures a batch of `size` hosts tolerates under max_fail_percentage. */
export function failureBudget(size: number, maxFailPercentage: number | undefined): number {
  if (maxFailPercentage === undefined) return Math.max(0, size - 1);
  let k = 0;
  while (k < size && !exceedsMaxFail(k + 1, size, maxFailPercentage)) k++;
  return k;
}

export function progressBar(done: number, total: number, width: number): string {
  const w = Math.max(4, width);
  const filled = total > 0 ? Math.min(w, Math.round((done / total) * w)) : 0;
  return '█'.repeat(filled) + '░'.repeat(w - filled);
}

/** "node01, node02, … (+17)" within width. */
export function hostList(hosts: string[], width: number): string {
  let out = '';
  for (let i = 0; i < hosts.length; i++) {
    const more = hosts.length - i - 1;
    const next = (out ? out + ', ' : '') + hosts[i];
    const suffix = more ? `, … (+${more})` : '';
    if (next.length + suffix.length > width) return fit(out ? `${out}, … (+${hosts.length - i})` : `… (${hosts.length} hosts)`, width);
    out = next;
  }
  return out;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

const LAST_TONE: Record<string, Tone> = { ok: 'ok', changed: 'changed', failed: 'error', unreachable: 'error', skipped: 'dim', retry: 'warn' };

export function snapshot(s: LiveState, now: number, o: SnapshotOptions): LiveView {
  const columns = Math.max(40, o.columns);
  const batch = s.batch;
  const rows = [...s.rows.values()];
  const batchFailed = rows.filter((r) => r.phase === 'failed' || r.phase === 'unreachable').length;
  const doneNow = Math.min(s.playTotal, s.playDone + batchFailed);

  const titleParts = [s.playbook ? basename(s.playbook) : 'drover', s.play ? `PLAY [${s.play}]` : '', s.strategy ?? ''];
  const elapsed = duration(now - s.startedAt);
  const title = fit(titleParts.filter(Boolean).join(' · '), columns - elapsed.length - 2);

  const label = `${doneNow}/${s.playTotal} hosts`;
  const bar = progressBar(doneNow, s.playTotal, Math.min(50, columns - label.length - 3));

  let failLine = `failures: ${s.failures.size} so far`;
  let failTone: Tone = s.failures.size ? 'warn' : 'ok';
  if (batch) {
    const budget = failureBudget(batch.hosts.length, batch.maxFailPercentage);
    const rule = batch.maxFailPercentage !== undefined ? `max_fail_percentage ${batch.maxFailPercentage}%` : 'stops only if all fail';
    failLine += ` · this batch ${batchFailed} of ${budget} allowed (${rule})`;
    if (batchFailed > budget) failTone = 'error';
  }

  // Height budget: title, batch, progress, failures line, task, table header, folded line,
  // failure list (≤ 3 + header + more), prompt (2), and one spare line for the cursor.
  const failureList = [...s.failures.values()];
  const shownFailures = Math.min(3, failureList.length);
  const fixed = 7 + (shownFailures ? shownFailures + 1 + (failureList.length > shownFailures ? 1 : 0) : 0) + (s.prompt ? 2 : 0) + 1;
  const inFlight = rows.filter((r) => r.phase === 'running' || r.phase === 'waiting' || r.phase === 'queued');
  // Running and stuck hosts first: they are what the operator watches.
  inFlight.sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity));
  const room = Math.max(1, o.rows - fixed);
  const visible = inFlight.length > room ? inFlight.slice(0, room - 1) : inFlight;

  const hostW = Math.min(24, Math.max(4, ...visible.map((r) => r.host.length)));
  const timeW = 7;
  const lastW = 12;
  const taskW = Math.max(8, columns - hostW - timeW - lastW - 4);
  const viewRows = visible.map((r) => {
    const running = r.since !== undefined ? now - r.since : undefined;
    const stuck = running !== undefined && running > o.stuckAfterMs;
    const hook = r.hook ? `hook ${basename(r.hook.file)} › ` : '';
    // While a task runs, the previous task's result would read as this one's: show "running".
    const last = stuck ? 'STUCK' : r.last === 'retry' ? `retry (${r.retriesLeft} left)` : r.phase === 'queued' ? 'queued' : running !== undefined ? 'running' : r.last ?? '';
    const tone: Tone = stuck ? 'error' : r.hook ? 'hook' : running !== undefined ? 'plain' : LAST_TONE[r.last ?? ''] ?? 'plain';
    return {
      host: fit(r.host, hostW),
      task: fit(hook + (r.task ?? ''), taskW),
      time: running !== undefined ? duration(running) : '',
      last: fit(last, lastW),
      tone,
      stuck,
    };
  });

  const failures = failureList.slice(-shownFailures).map((f) => ({
    text: fit(`${f.host} ${f.unreachable ? 'UNREACHABLE' : 'FAILED'} (batch ${f.batch}, ${f.task}): ${f.message}`, columns - 2),
    tone: 'error' as Tone,
  }));

  const f = s.folded;
  const r = s.results;
  const folded = `done: ${f.ok} ok · ${f.failed} failed · ${f.unreachable} unreachable | results: ${r.ok} ok · ${r.changed} changed · ${r.skipped} skipped`;

  return {
    columns,
    title,
    elapsed,
    batchLine: batch ? fit(`batch ${batch.index + 1}/${batch.count}: ${hostList(batch.hosts, columns - 14)}`, columns) : undefined,
    progress: { bar, label },
    failLine: fit(failLine, columns),
    failTone,
    task: s.task ? fit(`${s.task.handler ? 'RUNNING HANDLER' : 'TASK'} [${s.task.name}]`, columns) : undefined,
    rows: viewRows,
    moreRows: inFlight.length - visible.length,
    widths: { host: hostW, task: taskW, time: timeW, last: lastW },
    failures,
    moreFailures: failureList.length - shownFailures,
    folded: fit(folded, columns),
    prompt: s.prompt,
    finished: s.finished,
  };
}
