// The rollout report's view model, built by pure functions from two event streams: the run's own
// JSON events (engine/output/schema/events.v1.json, as `--output json` writes them) and, when the
// run went against `drover lab`, the lab's event log (`drover lab events --json`), which is the
// independent witness of what changed on the hosts. Both are read tolerantly (unknown kinds and
// fields are ignored, booleans may arrive as "true"/"false" strings) so that recorded runs of
// older and newer drovers still render. html.ts turns the view into the HTML file.
import { eventTime, isTrue, labHostOf, type LabRecord, type RunRecord } from './records.js';
import { batchVersions, groupVersions, type GroupVersions } from './versions.js';

export type { LabRecord, RunRecord } from './records.js';

export type MarkKind = 'pkg' | 'hook' | 'restart' | 'reboot' | 'drain' | 'failed' | 'unreachable';

export interface Mark {
  t: number;
  kind: MarkKind;
  label: string;
}

export interface Window {
  from: number;
  to: number;
  /** Still out of service when the report was written. */
  open: boolean;
}

export interface HostRow {
  host: string;
  group: string;
  /** The batch of the play that rolled it (the play with the most batches it was in), e.g. "2/4 Upgrade nodes". */
  batch: string;
  /** Index into ReportView.batches of that batch, -1 when the host was in no serial play. */
  batchRef: number;
  windows: Window[];
  marks: Mark[];
  status: 'ok' | 'failed' | 'unreachable';
}

export interface BatchView {
  play: string;
  index: number;
  count: number;
  hosts: string[];
  start: number;
  end: number;
  maxFailPercentage?: number;
  failed: string[];
  unreachable: string[];
  /** Failures the batch may have before the play stops (Ansible: failed/batch > max_fail_percentage/100). */
  allowed?: number;
  exceeded: boolean;
}

export interface RecapRow {
  host: string;
  ok: number; changed: number; unreachable: number; failed: number; skipped: number; rescued: number; ignored: number;
}

export interface ReportView {
  title: string;
  start: number;
  end: number;
  params: { name: string; value: string }[];
  /** Batches of the plays that ran in more than one batch or had a max_fail_percentage. */
  batches: BatchView[];
  /** How many plays ran as a single batch without a failure budget (not listed). */
  singleBatchPlays: number;
  hosts: HostRow[];
  versions: GroupVersions[];
  recap: RecapRow[];
  counts: {
    hosts: number; failed: number; unreachable: number; hookRuns: number; restarts: number; reboots: number;
    packageChanges: number; maxOutOfService: number; longestOutOfServiceMs: number;
  };
  notes: string[];
}

export interface BuildOptions {
  /** Inventory groups without child groups, each with its hosts (the versions table's rows). */
  groups?: Map<string, string[]>;
  /** The report's title; default: the playbook as given. */
  title?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);
const base = (p: string) => p.replace(/.*\//, '').replace(/\.ya?ml$/, '');

/** Keep the first `n` characters of a one-line text. */
function clip(s: string, n = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** The failures a batch of `size` hosts may have under max_fail_percentage `pct` (Ansible's `>` test). */
export function allowedFailures(size: number, pct: number): number {
  let n = Math.floor((size * pct) / 100);
  while (n < size && (n + 1) / size <= pct / 100) n++;
  while (n > 0 && n / size > pct / 100) n--;
  return n;
}

/** The run's parameters as a person typed them: extra vars, limit, tags, check, and each serial play's serial. */
function runParams(run: RunRecord[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const e of run.filter((r) => r.kind === 'playbook.start')) {
    out.push({ name: 'playbook', value: str(e.given ?? e.file) });
    const p = (e.run ?? {}) as Record<string, unknown>;
    const ev = (p.extraVars ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(ev)) out.push({ name: '-e', value: `${k}=${str(v)}` });
    if (p.limit) out.push({ name: 'limit', value: str(p.limit) });
    for (const [flag, key] of [['tags', 'tags'], ['skip-tags', 'skipTags'], ['inventory', 'inventory']] as const) {
      const list = strings(p[key]).filter((t) => !(key === 'tags' && t === 'all'));
      if (list.length) out.push({ name: flag, value: list.join(',') });
    }
    if (isTrue(p.check)) out.push({ name: 'check', value: 'yes' });
    if (typeof p.forks === 'number') out.push({ name: 'forks', value: String(p.forks) });
  }
  const seen = new Set<string>();
  for (const e of run) {
    if (e.kind !== 'play.start' || e.serial === undefined || e.serial === null) continue;
    const v = `${str(e.name)}: ${str(e.serial)}`;
    if (!seen.has(v)) out.push({ name: 'serial', value: v });
    seen.add(v);
  }
  return out;
}

/** Each play's batches, with their failures and budget. */
function playBatches(run: RunRecord[]): { batches: BatchView[]; single: number } {
  const all: BatchView[] = [];
  let play = '';
  let cur: BatchView | undefined;
  for (const e of run) {
    const t = eventTime(e);
    if (e.kind === 'play.start') play = str(e.name);
    else if (e.kind === 'batch.start') {
      const hosts = strings(e.hosts);
      const pct = typeof e.maxFailPercentage === 'number' ? e.maxFailPercentage : undefined;
      cur = { play, index: Number(e.index ?? 0), count: Number(e.count ?? 1), hosts, start: t, end: t, maxFailPercentage: pct, failed: [], unreachable: [], exceeded: false };
      if (pct !== undefined) cur.allowed = allowedFailures(hosts.length, pct);
      all.push(cur);
    } else if (e.kind === 'batch.done' && cur) {
      cur.end = t;
      cur.failed = strings(e.failed);
      cur.unreachable = strings(e.unreachable);
      cur.exceeded = cur.allowed !== undefined && cur.failed.length > cur.allowed;
      cur = undefined;
    } else if (cur) cur.end = t;
  }
  const shown = all.filter((b) => b.count > 1 || b.maxFailPercentage !== undefined || b.failed.length || b.unreachable.length);
  const singlePlays = new Set(all.filter((b) => !shown.includes(b)).map((b) => b.play));
  return { batches: shown, single: singlePlays.size };
}

/** Out-of-service windows per host: unschedulable (cordon) or drained until schedulable again. */
function outOfService(lab: LabRecord[], hostOf: (node: string) => string, end: number): Map<string, Window[]> {
  const out = new Map<string, Window[]>();
  const open = new Map<string, number>();
  for (const e of lab) {
    if (e.kind !== 'node.schedulable' && e.kind !== 'node.drained' && e.kind !== 'node.uncordoned' && e.kind !== 'node.cordoned') continue;
    const host = hostOf(str(e.node ?? e.host));
    const t = eventTime(e);
    const down = e.kind === 'node.drained' || e.kind === 'node.cordoned' || (e.kind === 'node.schedulable' && !isTrue(e.schedulable));
    if (down) {
      if (!open.has(host)) open.set(host, t);
    } else if (open.has(host)) {
      out.set(host, [...(out.get(host) ?? []), { from: open.get(host) ?? t, to: t, open: false }]);
      open.delete(host);
    }
  }
  for (const [host, from] of open) out.set(host, [...(out.get(host) ?? []), { from, to: Math.max(end, from), open: true }]);
  return out;
}

/** The most hosts out of service at one instant. */
export function maxConcurrent(windows: Window[]): number {
  const edges = windows.flatMap((w) => [{ t: w.from, d: 1 }, { t: w.to, d: -1 }]).sort((a, b) => a.t - b.t || a.d - b.d);
  let cur = 0;
  let most = 0;
  for (const x of edges) most = Math.max(most, (cur += x.d));
  return most;
}

/** What the lab calls a reboot: the reboot itself when it sees it (typed lab events), else the request. */
function rebootKind(lab: LabRecord[]): string {
  return lab.some((e) => e.kind === 'host.rebooted') ? 'host.rebooted' : 'host.reboot.requested';
}

/** Lab marks (package changes, restarts, reboots, drains), merged per host within 3 s. */
function labMarks(lab: LabRecord[], hostOf: (h: string) => string, from: number, to: number): Map<string, Mark[]> {
  const out = new Map<string, Mark[]>();
  const reboot = rebootKind(lab);
  const add = (host: string, m: Mark) => {
    const list = out.get(host) ?? [];
    const last = [...list].reverse().find((x) => x.kind === m.kind);
    if (last && m.t - last.t < 3000 && m.kind !== 'drain') last.label = clip(`${last.label}, ${m.label}`, 400);
    else list.push(m);
    out.set(host, list);
  };
  for (const e of lab) {
    const t = eventTime(e);
    if (t < from || t > to) continue;
    const host = hostOf(str(e.host));
    const ver = (v: unknown) => str(v) || '(none)';
    if (e.kind === 'package.changed' || e.kind === 'package.installed' || e.kind === 'package.removed' || e.kind === 'package.upgraded') {
      add(host, { t, kind: 'pkg', label: `${str(e.name)} ${ver(e.from)} → ${ver(e.to)}` });
    } else if (e.kind === 'service.restarted') add(host, { t, kind: 'restart', label: `restarted ${str(e.service)}` });
    else if (e.kind === reboot) add(host, { t, kind: 'reboot', label: e.kind === 'host.rebooted' ? 'rebooted' : 'reboot requested' });
    else if (e.kind === 'node.drained') add(hostOf(str(e.node ?? e.host)), { t, kind: 'drain', label: 'drained' });
  }
  return out;
}

/** The view of a run (and what the lab saw during it). */
export function buildReport(run: RunRecord[], labEvents: LabRecord[] = [], o: BuildOptions = {}): ReportView {
  // the lab's watchers may append a change a moment after it happened, stamped with when it did
  const lab = [...labEvents].sort((a, b) => eventTime(a) - eventTime(b));
  const times = run.map(eventTime).filter((t) => t > 0);
  const start = times.length ? Math.min(...times) : 0;
  const end = times.length ? Math.max(...times) : 0;
  const { batches, single } = playBatches(run);
  const names = new Map<number, string>();
  const hostsSeen: string[] = [];
  const seen = new Set<string>();
  const see = (h: string) => {
    if (h && h !== 'localhost' && !seen.has(h)) hostsSeen.push(h);
    seen.add(h);
  };
  for (const e of run) if (e.kind === 'batch.start') strings(e.hosts).forEach(see);
  const hostOf = labHostOf(hostsSeen);
  const windows = outOfService(lab, hostOf, end);
  const marks = labMarks(lab, hostOf, start, end);
  const status = new Map<string, HostRow['status']>();
  const addMark = (h: string, m: Mark) => marks.set(h, [...(marks.get(h) ?? []), m]);
  let hookRuns = 0;
  for (const e of run) {
    const t = eventTime(e);
    if (e.kind === 'task.start') names.set(Number(e.taskId), str(e.name));
    else if (e.kind === 'hook.start') {
      hookRuns++;
      addMark(str(e.host), { t, kind: 'hook', label: `hook ${base(str(e.file))}` });
    } else if (e.kind === 'host.result' && (e.status === 'failed' || e.status === 'unreachable') && !isTrue(e.ignored) && e.item === undefined) {
      const r = (e.result ?? {}) as Record<string, unknown>;
      const kind = e.status === 'failed' ? 'failed' : 'unreachable';
      if (status.get(str(e.host)) !== 'unreachable') status.set(str(e.host), kind);
      addMark(str(e.host), { t, kind, label: clip(`${kind}: ${names.get(Number(e.taskId)) ?? ''}: ${str(r.msg)}`) });
    }
  }
  // hooks the run did not report (an older drover, another tool): the lab's record of them
  if (!hookRuns) {
    for (const e of lab.filter((x) => x.kind === 'hook.run' && eventTime(x) >= start && eventTime(x) <= end)) {
      hookRuns++;
      addMark(hostOf(str(e.host)), { t: eventTime(e), kind: 'hook', label: `hook ${str(e.hook)}` });
    }
  }
  // a host's batch: of the plays with the most batches it was in, the batch in which the most
  // happened to it (masters go through "Upgrade etcd" and "Upgrade the masters", both serial 1)
  const activity = (h: string, b: BatchView) => (marks.get(h) ?? []).filter((m) => m.t >= b.start && m.t <= b.end).length;
  const rolled = new Map<string, number>();
  batches.forEach((b, i) => {
    for (const h of b.hosts) {
      const prev = rolled.get(h);
      const p = prev === undefined ? undefined : batches[prev];
      if (!p || p.count < b.count || (p.count === b.count && activity(h, p) < activity(h, b))) rolled.set(h, i);
    }
  });
  const groupOf = (h: string) => [...(o.groups ?? new Map<string, string[]>())].find(([, hs]) => hs.includes(h))?.[0] ?? '';
  const hosts: HostRow[] = hostsSeen.map((host) => {
    const ref = rolled.get(host) ?? -1;
    const b = batches[ref];
    return {
      host, group: groupOf(host), batchRef: ref,
      batch: b ? `${b.index + 1}/${b.count} ${b.play}` : '',
      windows: windows.get(host) ?? [],
      marks: (marks.get(host) ?? []).sort((x, y) => x.t - y.t),
      status: status.get(host) ?? 'ok',
    };
  });
  hosts.sort((a, b) => (batches[a.batchRef]?.start ?? Infinity) - (batches[b.batchRef]?.start ?? Infinity) || (a.windows[0]?.from ?? Infinity) - (b.windows[0]?.from ?? Infinity));
  const recapEvent = [...run].reverse().find((e) => e.kind === 'recap');
  const stats = (recapEvent?.stats ?? {}) as Record<string, Record<string, number>>;
  const recap = Object.keys(stats).sort().map((host) => {
    const s = stats[host];
    return { host, ok: s.ok ?? 0, changed: s.changed ?? 0, unreachable: s.unreachable ?? 0, failed: s.failed ?? 0, skipped: s.skipped ?? 0, rescued: s.rescued ?? 0, ignored: s.ignored ?? 0 };
  });
  const allWindows = hosts.flatMap((h) => h.windows);
  const during = lab.filter((e) => eventTime(e) >= start && eventTime(e) <= end);
  const perHost = batchVersions(lab, hostOf, start, end);
  const notes: string[] = [];
  if (!lab.length) notes.push('No lab events: package versions and out-of-service windows come from the lab\'s event log (drover report EVENTS.jsonl LAB_EVENTS.json).');
  if (!recapEvent) notes.push('The run has no recap: it was interrupted or the event log is cut short.');
  const pkgCount = hosts.reduce((n, h) => n + [...(perHost.get(h.host)?.values() ?? [])].filter((v) => v.before !== v.after).length, 0);
  return {
    title: o.title ?? str(run.find((e) => e.kind === 'playbook.start')?.given ?? 'drover run'),
    start, end,
    params: runParams(run),
    batches, singleBatchPlays: single, hosts,
    versions: groupVersions(perHost, o.groups, hostsSeen),
    recap,
    counts: {
      hosts: hosts.length,
      failed: hosts.filter((h) => h.status === 'failed').length,
      unreachable: hosts.filter((h) => h.status === 'unreachable').length,
      hookRuns,
      restarts: during.filter((e) => e.kind === 'service.restarted').length,
      reboots: during.filter((e) => e.kind === rebootKind(lab)).length,
      packageChanges: pkgCount,
      maxOutOfService: maxConcurrent(allWindows),
      longestOutOfServiceMs: Math.max(0, ...allWindows.map((w) => w.to - w.from)),
    },
    notes,
  };
}
