// `drover playbook --report FILE.html`: a reporter beside the others (plain, live, JSON) that
// records the run's events as `--output json` would write them (compacted: records.ts) and writes
// the HTML report when the run ends, with the lab's events when the run went against a lab.
import { writeFileSync } from 'node:fs';
import type { EngineEvent, Reporter } from '../output/events.js';
import { jsonEvent } from '../output/json.js';
import { renderReport } from './html.js';
import { buildReport } from './model.js';
import { compactRunRecord, type LabRecord, type RunRecord } from './records.js';

export interface ReportReporterOptions {
  file: string;
  /** Inventory groups without child groups (the versions table's rows). */
  groups?: Map<string, string[]>;
  /** Read when the report is written: the lab's events (whole log; the run's start splits before/after). */
  labEvents?: () => LabRecord[] | Promise<LabRecord[]>;
  /** Told where the report went and its size. */
  written?: (file: string, bytes: number) => void;
  now?: () => Date;
}

export class ReportReporter implements Reporter {
  private readonly records: RunRecord[] = [];
  constructor(private readonly o: ReportReporterOptions) {}

  handle(e: EngineEvent): void {
    // most results are ok/changed/skipped: not worth turning into JSON only to drop them
    if (e.kind === 'host.result' && e.status !== 'failed' && e.status !== 'unreachable') return;
    const r = compactRunRecord(jsonEvent(e, (this.o.now ?? (() => new Date()))()) as RunRecord);
    if (r) this.records.push(r);
  }

  async close(): Promise<void> {
    const lab = (await this.o.labEvents?.()) ?? [];
    const html = renderReport(buildReport(this.records, lab, { groups: this.o.groups }));
    writeFileSync(this.o.file, html);
    this.o.written?.(this.o.file, Buffer.byteLength(html));
  }
}
