// Per-host recap counters, folded from task results exactly as Ansible's AggregateStats does,
// and the PLAY RECAP line format (host padded to 26, each counter "%s=%-4s").

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type StatKey = keyof HostStats;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

export class RunStats {
  /** Hosts that had any counter touched, in first-touch order. */
  readonly byHost = new Map<string, HostStats>();

  increment(host: string, key: StatKey, by = 1): void {
    let s = this.byHost.get(host);
    if (!s) {
      s = emptyStats();
      this.byHost.set(host, s);
    }
    s[key] += by;
  }

  /**
   * set_stats data (AggregateStats.custom): per host, and under '_run' for the whole run. How a
   * value aggregates is the scheduler's business (engine/scheduler/custom-stats.ts).
   */
  readonly custom = new Map<string, Record<string, unknown>>();

  /** The custom stats as the recap carries them; undefined when set_stats never ran. */
  customSnapshot(): Record<string, Record<string, unknown>> | undefined {
    if (!this.custom.size) return undefined;
    return Object.fromEntries([...this.custom].map(([h, d]) => [h, { ...d }]));
  }

  snapshot(): Record<string, HostStats> {
    const out: Record<string, HostStats> = {};
    for (const [h, s] of this.byHost) out[h] = { ...s };
    return out;
  }
}

const ORDER: StatKey[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

/** One PLAY RECAP line without colour, byte-identical to Ansible's default callback. */
export function recapLine(host: string, s: HostStats): string {
  const counters = ORDER.map((k) => `${k}=${String(s[k]).padEnd(4)}`).join(' ');
  return `${host.padEnd(26)} : ${counters}`;
}

/** Hosts in the recap are sorted by name (Python string sort = code-unit order). */
export function recapHosts(stats: Record<string, unknown>): string[] {
  return Object.keys(stats).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
