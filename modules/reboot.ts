// ansible.builtin.reboot: note the boot id, issue the reboot (shutdown -r +MIN "msg", or
// reboot_command), let the connection drop, wait post_reboot_delay, then reconnect until the boot
// id has changed and test_command succeeds, all within reboot_timeout. Returns `rebooted` and
// `elapsed`. Check mode reports a reboot without doing it, as Ansible does. The boot id is
// /proc/sys/kernel/random/boot_id (the lab gives each host its own).
import { quote } from '../engine/modules-sdk/quote.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { attempt, realClock, waitUntil, type Clock } from './lib/reconnect.js';

export const BOOT_ID_CMD = 'cat /proc/sys/kernel/random/boot_id';

/** The reboot command line: Ansible's `shutdown -r +{delay_min} "{message}"` unless overridden. */
export function rebootCommand(o: { preRebootDelay: number; msg: string; rebootCommand?: string }): string {
  if (o.rebootCommand) return o.rebootCommand;
  return `shutdown -r +${Math.floor(o.preRebootDelay / 60)} ${quote(o.msg)}`;
}

export function makeReboot(clock: Clock): ModuleDefinition {
  return {
    name: 'reboot',
    description: 'Reboot a machine and wait for it to come back',
    supportsCheckMode: true,
    supportsDiff: false,
    schema: {
      type: 'object',
      properties: {
        pre_reboot_delay: { type: 'integer', default: 0, 'x-aliases': ['pre_reboot_delay_sec'] },
        post_reboot_delay: { type: 'integer', default: 0, 'x-aliases': ['post_reboot_delay_sec'] },
        reboot_timeout: { type: 'integer', default: 600, 'x-aliases': ['reboot_timeout_sec'] },
        connect_timeout: { type: 'integer', 'x-aliases': ['connect_timeout_sec'] },
        test_command: { type: 'string', default: 'whoami' },
        msg: { type: 'string', default: 'Reboot initiated by Ansible' },
        reboot_command: { type: 'string' },
        search_paths: { type: 'array', items: { type: 'string' } },
        boot_time_command: { type: 'string', default: BOOT_ID_CMD },
      },
      additionalProperties: false,
    },
    async run(args, ctx) {
      if (ctx.check) return { changed: true, elapsed: 0, rebooted: true };
      const start = clock.now();
      const connectTimeout = Number(args.connect_timeout ?? 10);
      const elapsed = () => Math.floor((clock.now() - start) / 1000);
      const bootCmd = String(args.boot_time_command);
      const before = await attempt(ctx, bootCmd, { connectTimeoutSec: connectTimeout, reconnect: false });
      if (typeof before === 'string' || before.rc !== 0) {
        return { changed: false, failed: true, rebooted: false, elapsed: elapsed(), msg: `failed to read the boot id before rebooting: ${typeof before === 'string' ? before : `rc=${before.rc}`}` };
      }
      const bootBefore = before.stdout.trim();
      const cmd = rebootCommand({ preRebootDelay: Number(args.pre_reboot_delay), msg: String(args.msg), rebootCommand: args.reboot_command as string | undefined });
      // the session may die under us: that is the reboot happening, not an error
      const issued = await attempt(ctx, cmd, { connectTimeoutSec: Math.max(connectTimeout, 30), reconnect: false });
      if (typeof issued !== 'string' && issued.rc !== 0) {
        return { changed: false, failed: true, rebooted: false, elapsed: elapsed(), msg: `Reboot command failed (rc=${issued.rc}): ${cmd}` };
      }
      await clock.sleep(Number(args.post_reboot_delay) * 1000, ctx.signal);
      const timeoutSec = Number(args.reboot_timeout);
      const booted = await waitUntil(
        ctx,
        async (c) => {
          const r = await attempt(c, bootCmd, { connectTimeoutSec: connectTimeout, reconnect: true });
          if (typeof r === 'string') return r;
          const now = r.stdout.trim();
          return r.rc === 0 && now !== '' && now !== bootBefore ? true : 'boot id unchanged';
        },
        { timeoutSec, sleepSec: 1, connectTimeoutSec: connectTimeout },
        clock,
        start,
      );
      if (!booted.ok) return { changed: true, failed: true, rebooted: true, elapsed: elapsed(), msg: `Timed out waiting for last boot time check (timeout=${timeoutSec}): ${booted.lastError}` };
      const test = String(args.test_command);
      const tested = await waitUntil(
        ctx,
        async (c) => {
          const r = await attempt(c, test, { connectTimeoutSec: connectTimeout, reconnect: false });
          return typeof r === 'string' ? r : r.rc === 0 ? true : `test command failed (rc=${r.rc})`;
        },
        { timeoutSec, sleepSec: 1, connectTimeoutSec: connectTimeout },
        clock,
        start,
      );
      if (!tested.ok) return { changed: true, failed: true, rebooted: true, elapsed: elapsed(), msg: `Timed out waiting for post-reboot test command (timeout=${timeoutSec}): ${tested.lastError}` };
      return { changed: true, rebooted: true, elapsed: elapsed() };
    },
  };
}

export default makeReboot(realClock);
