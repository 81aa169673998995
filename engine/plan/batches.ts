// Serial batches: how a play's hosts are cut into rolling-update batches (Ansible's
// _get_serialized_batches + pct_to_int), plus the `order:` keyword applied before slicing.
import { DroverError, ExitCode } from '../errors/index.js';

/** Ansible's pct_to_int: "N%" of total, truncated, minimum 1; anything else int(). */
export function serialValueToInt(value: unknown, total: number): number {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const pct = value.trim().slice(0, -1);
    if (!/^[+-]?\d+$/.test(pct.trim())) {
      throw new DroverError(`invalid literal for int() with base 10: '${pct}' (serial: "${value}")`, {
        exitCode: ExitCode.INTERNAL,
      });
    }
    return Math.trunc((parseInt(pct, 10) / 100) * total) || 1;
  }
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  const s = String(value).trim();
  if (!/^[+-]?\d+$/.test(s)) {
    throw new DroverError(`invalid literal for int() with base 10: '${s}' (serial)`, { exitCode: ExitCode.INTERNAL });
  }
  return parseInt(s, 10);
}

/** Normalise the `serial` keyword (scalar or list) to a list; empty means "all at once". */
export function serialList(serial: unknown): unknown[] {
  if (serial === undefined || serial === null || serial === '') return [];
  return Array.isArray(serial) ? serial : [serial];
}

/** Cut hosts into batches: list values in turn, the last one repeating; n <= 0 takes all the rest. */
export function computeBatches<T>(hosts: readonly T[], serial: unknown): T[][] {
  const list = serialList(serial);
  const values = list.length ? list : [-1];
  const total = hosts.length;
  const batches: T[][] = [];
  let rest = hosts.slice();
  let i = 0;
  while (rest.length) {
    const n = serialValueToInt(values[i], total);
    if (n <= 0) {
      batches.push(rest);
      break;
    }
    batches.push(rest.slice(0, n));
    rest = rest.slice(n);
    i = Math.min(i + 1, values.length - 1);
  }
  return batches;
}

export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

/** Apply the play's `order:` to the host list (before batches are cut). */
export function orderHosts(hosts: readonly string[], order: unknown, random: () => number = Math.random): string[] {
  const list = hosts.slice();
  switch (order ?? 'inventory') {
    case 'inventory':
      return list;
    case 'reverse_inventory':
      return list.reverse();
    case 'sorted':
      return list.sort();
    case 'reverse_sorted':
      return list.sort().reverse();
    case 'shuffle':
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    default:
      throw new DroverError(`Invalid play order '${String(order)}': expected inventory, reverse_inventory, sorted, reverse_sorted or shuffle`);
  }
}

/** max_fail_percentage accepts 25, "25", "25%", 12.5. */
export function parsePercent(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = String(value).trim().replace(/%$/, '');
  const n = Number(s);
  if (!Number.isFinite(n)) throw new DroverError(`max_fail_percentage: expected a number or "N%", got '${String(value)}'`);
  return n;
}

/** Ansible aborts only when failures in the batch strictly exceed the percentage. */
export function exceedsMaxFail(failed: number, batchSize: number, maxFailPercentage: number | undefined): boolean {
  if (maxFailPercentage === undefined || batchSize === 0) return false;
  return failed / batchSize > maxFailPercentage / 100;
}

/**
 * drover's `strategy: rolling`: the window size in force when each host (by play order) starts.
 * The serial values are read as for batches — host i belongs to the linear batch that would hold
 * it, and that batch's serial value (not its possibly shorter length) is the window; n <= 0 or no
 * serial means every host at once. Capped at the number of hosts.
 */
export function rollingWindows(hostCount: number, serial: unknown): number[] {
  const list = serialList(serial);
  const values = list.length ? list : [-1];
  const out: number[] = [];
  let i = 0;
  while (out.length < hostCount) {
    let n = serialValueToInt(values[i], hostCount);
    if (n <= 0 || n > hostCount) n = hostCount;
    for (let k = 0; k < n && out.length < hostCount; k++) out.push(n);
    i = Math.min(i + 1, values.length - 1);
  }
  return out;
}
