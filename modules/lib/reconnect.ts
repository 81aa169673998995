// Waiting for a host to come back (wait_for_connection, reboot): reconnect through the
// ModuleContext's `reconnect` hook, run a probe, retry every `sleep` seconds until `timeout`.
// The clock is injectable so the logic is unit-tested with a fake host instead of real time.
import type { ModuleContext } from '../../engine/modules-sdk/types.js';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** A probe: true when satisfied, else a string saying why not (kept as the last error). */
export type Probe = (ctx: ModuleContext) => Promise<true | string>;

export interface WaitOptions {
  timeoutSec: number;
  sleepSec: number;
  connectTimeoutSec: number;
  /** Reconnect before every attempt (after a reboot the old session is dead). Default true. */
  reconnect?: boolean;
}

export interface WaitOutcome {
  ok: boolean;
  attempts: number;
  lastError?: string;
}

/** Reconnect and run a command, as one attempt; connection errors become a string. */
export async function attempt(ctx: ModuleContext, command: string, o: { connectTimeoutSec: number; reconnect: boolean }): Promise<{ rc: number; stdout: string } | string> {
  try {
    if (o.reconnect && ctx.reconnect) await ctx.reconnect({ timeoutSec: o.connectTimeoutSec });
    const r = await ctx.run(command, { timeoutMs: o.connectTimeoutSec * 1000 });
    if (r.timedOut) return `command timed out after ${o.connectTimeoutSec}s`;
    return { rc: r.rc, stdout: r.stdout };
  } catch (e) {
    return (e as Error).message || String(e);
  }
}

/** Retry `probe` until it passes or `timeoutSec` has passed since `start`. */
export async function waitUntil(ctx: ModuleContext, probe: Probe, o: WaitOptions, clock: Clock, start = clock.now()): Promise<WaitOutcome> {
  let attempts = 0;
  let lastError: string | undefined;
  for (;;) {
    attempts++;
    const r = await probe(ctx);
    if (r === true) return { ok: true, attempts };
    lastError = r;
    if (ctx.signal?.aborted) return { ok: false, attempts, lastError: 'interrupted' };
    if (clock.now() - start + o.sleepSec * 1000 > o.timeoutSec * 1000) return { ok: false, attempts, lastError };
    await clock.sleep(o.sleepSec * 1000, ctx.signal);
  }
}

/** Probe: a trivial command answers (what Ansible's ping does for wait_for_connection). */
export function pingProbe(connectTimeoutSec: number, reconnect = true): Probe {
  return async (ctx) => {
    const r = await attempt(ctx, 'echo pong', { connectTimeoutSec, reconnect });
    if (typeof r === 'string') return r;
    return r.rc === 0 && r.stdout.includes('pong') ? true : `ping failed (rc=${r.rc})`;
  };
}
