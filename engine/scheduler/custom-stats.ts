// set_stats data folded into the run's custom stats as ansible-core 2.14's strategy does
// (_process_pending_results → AggregateStats.set_custom_stats / update_custom_stats): per host
// (each host the task ran for) unless per_host is false, then under '_run'; `aggregate`
// combines with what is there as Python's `+=` would, or replaces it.
import type { RunStats } from '../output/stats.js';
import { mergeHash } from '../template/filters-ansible.js';

interface StatsRequest {
  data: Record<string, unknown>;
  per_host?: boolean;
  aggregate?: boolean;
}

/** Python's type(x) as far as JSON-like values go (bool is its own type, a subclass of int). */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  return typeof v;
}

/**
 * update_custom_stats' combination of an existing value with a new one: dicts merge (merge_hash),
 * numbers, strings and lists add up; a value of another type than the existing one is ignored
 * (isinstance(new, type(old)): an int after a bool is, a bool after an int counts as 1).
 */
export function aggregateStat(old: unknown, add: unknown): unknown {
  const oldType = pyType(old);
  const addType = pyType(add);
  const intLike = (t: string) => t === 'number' || t === 'boolean';
  if (oldType !== addType && !(oldType === 'number' && addType === 'boolean')) return old;
  if (oldType === 'dict') return mergeHash(old as Record<string, unknown>, add as Record<string, unknown>, true, 'replace');
  if (oldType === 'list') return [...(old as unknown[]), ...(add as unknown[])];
  if (oldType === 'string') return String(old) + String(add);
  if (intLike(oldType)) return Number(old) + Number(add);
  return old;
}

/** Fold one result's `ansible_stats` (set_stats) into the run's custom stats. */
export function foldCustomStats(stats: RunStats, result: Record<string, unknown>, hosts: string[]): void {
  const req = result.ansible_stats as StatsRequest | undefined;
  if (!req || !req.data || typeof req.data !== 'object' || !Object.keys(req.data).length) return;
  const targets = req.per_host === false ? ['_run'] : hosts;
  for (const host of targets) {
    let mine = stats.custom.get(host);
    if (!mine) stats.custom.set(host, (mine = {}));
    for (const [k, v] of Object.entries(req.data)) {
      mine[k] = req.aggregate && k in mine ? aggregateStat(mine[k], v) : v;
    }
  }
}
