// The lab's event log: one JSON object per line in <lab>/events.jsonl, hard-linked into every
// host as /var/lib/drover-sim/events.jsonl so that simulated tools (lab-event) and the
// controller append to the same file. Each append is one small write, so lines never interleave.
// Every event carries `v` (the schema version, engine/output/schema/lab-events.v1.json) and `time`,
// when the change happened: the lab's watchers may append a change a moment after it (rpmdb.ts), so
// readers get the events ordered by time.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** The version of the lab event schema (lab-events.v<N>.json). */
export const LAB_EVENTS_VERSION = 1;

export interface LabEvent {
  v?: number;
  time: string;
  host: string;
  kind: string;
  [detail: string]: unknown;
}

/** Append one event; `at` is when the change happened when it was seen later (default: now). */
export function appendEvent(file: string, host: string, kind: string, details: Record<string, unknown> = {}, at: Date = new Date()): LabEvent {
  const ev: LabEvent = { v: LAB_EVENTS_VERSION, time: at.toISOString(), host, kind, ...details };
  appendFileSync(file, JSON.stringify(ev) + '\n');
  return ev;
}

/** Parse the log text, ordered by time (stable); lines that are not JSON objects with time/host/kind are skipped. */
export function parseEvents(text: string): LabEvent[] {
  const out: LabEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as LabEvent).kind === 'string' && typeof (v as LabEvent).time === 'string') {
        out.push(v as LabEvent);
      }
    } catch {
      /* a torn or foreign line: skip */
    }
  }
  // ISO 8601 UTC with milliseconds (both writers) orders as text
  return out.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => (a.time < b.time ? -1 : a.time > b.time ? 1 : i - j)).map(([e]) => e);
}

export function readEvents(file: string): LabEvent[] {
  return existsSync(file) ? parseEvents(readFileSync(file, 'utf8')) : [];
}

/** One line per event for people: time, host, kind, then key=value details. */
export function formatEvent(ev: LabEvent): string {
  const details = Object.entries(ev)
    .filter(([k]) => k !== 'time' && k !== 'host' && k !== 'kind' && k !== 'v')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  return [ev.time, ev.host || '-', ev.kind, ...details].join(' ');
}
