// ansible.builtin.wait_for_connection: wait until the host answers again — after `delay`, drop
// and reopen its connection (ModuleContext.reconnect) and run a trivial command, every `sleep`
// seconds, until `timeout`. Skipped in check mode, as in Ansible. Returns `elapsed` (seconds).
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pingProbe, realClock, waitUntil, type Clock } from './lib/reconnect.js';

export function makeWaitForConnection(clock: Clock): ModuleDefinition {
  return {
    name: 'wait_for_connection',
    description: 'Waits until remote system is reachable/usable',
    supportsCheckMode: true,
    supportsDiff: false,
    supportsAsync: false,
    schema: {
      type: 'object',
      properties: {
        connect_timeout: { type: 'integer', default: 5 },
        delay: { type: 'integer', default: 0 },
        sleep: { type: 'integer', default: 1 },
        timeout: { type: 'integer', default: 600 },
      },
      additionalProperties: false,
    },
    async run(args, ctx) {
      if (ctx.check) return { changed: false, skipped: true, msg: 'skipped in check mode' };
      const start = clock.now();
      const timeout = Number(args.timeout);
      await clock.sleep(Number(args.delay) * 1000, ctx.signal);
      const w = await waitUntil(ctx, pingProbe(Number(args.connect_timeout)), { timeoutSec: timeout, sleepSec: Number(args.sleep), connectTimeoutSec: Number(args.connect_timeout) }, clock, start);
      const elapsed = Math.floor((clock.now() - start) / 1000);
      if (!w.ok) return { changed: false, failed: true, elapsed, msg: `timed out waiting for ping module test: ${w.lastError ?? 'no answer'}` };
      return { changed: false, elapsed };
    },
  };
}

export default makeWaitForConnection(realClock);
