// The two event streams the report reads, and the small readers every part of it shares: when an
// event happened (run events carry `ts`, lab events `time`), truthy values as the lab wrote them
// before its events were typed ("true"), and which inventory host a lab event names.

/** One line of `--output json` (or what ReportReporter records): kind, ts and the event's fields. */
export type RunRecord = { kind: string; ts?: string } & Record<string, unknown>;
/** One event of the lab's log: kind, time, host and details. */
export type LabRecord = { kind: string } & Record<string, unknown>;

/** Epoch ms of an event (0 when it has no time). */
export function eventTime(e: RunRecord | LabRecord): number {
  const v = e.ts ?? e.time;
  const t = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(t) ? t : 0;
}

/** true, "true", "yes", 1: the lab's untyped events wrote booleans as strings. */
export function isTrue(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && /^(true|yes|1|on)$/i.test(v));
}

/** Maps a name in a lab event (FQDN, short name) to the run's inventory host of that name. */
export function labHostOf(runHosts: string[]): (name: string) => string {
  const exact = new Set(runHosts);
  const short = new Map<string, string>();
  for (const h of runHosts) if (!short.has(h.split('.')[0])) short.set(h.split('.')[0], h);
  return (name) => (exact.has(name) ? name : short.get(name.split('.')[0]) ?? name);
}


/** Kinds the report reads; everything else in a run's log is dropped when recording. */
const KEPT = new Set(['playbook.start', 'play.start', 'batch.start', 'batch.done', 'task.start', 'hook.start', 'recap']);

/**
 * What the report keeps of one run event: the kinds it reads, and of a task result only a failure
 * or an unreachable host (with its message), so recording a 1,000-host run costs little memory.
 */
export function compactRunRecord(r: RunRecord): RunRecord | undefined {
  if (KEPT.has(r.kind)) {
    if (r.kind !== 'task.start' && r.kind !== 'playbook.start') return r;
    if (r.kind === 'playbook.start') return { kind: r.kind, ts: r.ts, file: r.file, given: r.given, run: r.run };
    return { kind: r.kind, ts: r.ts, taskId: r.taskId, name: r.name };
  }
  if (r.kind !== 'host.result' || (r.status !== 'failed' && r.status !== 'unreachable') || r.item !== undefined) return undefined;
  const result = (r.result ?? {}) as Record<string, unknown>;
  return { kind: r.kind, ts: r.ts, taskId: r.taskId, host: r.host, status: r.status, ignored: r.ignored, result: { msg: result.msg } };
}
