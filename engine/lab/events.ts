// The lab's event log: one JSON object per line in <lab>/events.jsonl, hard-linked into every
// host as /var/lib/drover-sim/events.jsonl so that simulated tools (lab-event) and the
// controller append to the same file. Each append is one small write, so lines never interleave.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface LabEvent {
  time: string;
  host: string;
  kind: string;
  [detail: string]: unknown;
}

export function appendEvent(file: string, host: string, kind: string, details: Record<string, unknown> = {}): LabEvent {
  const ev: LabEvent = { time: new Date().toISOString(), host, kind, ...details };
  appendFileSync(file, JSON.stringify(ev) + '\n');
  return ev;
}

/** Parse the log text; lines that are not JSON objects with time/host/kind are skipped. */
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
  return out;
}

export function readEvents(file: string): LabEvent[] {
  return existsSync(file) ? parseEvents(readFileSync(file, 'utf8')) : [];
}

/** One line per event for people: time, host, kind, then key=value details. */
export function formatEvent(ev: LabEvent): string {
  const details = Object.entries(ev)
    .filter(([k]) => k !== 'time' && k !== 'host' && k !== 'kind')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  return [ev.time, ev.host || '-', ev.kind, ...details].join(' ');
}
