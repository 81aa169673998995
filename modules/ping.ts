// ansible.builtin.ping: check the host answers a command; returns ping=<data> ("pong").
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const ping: ModuleDefinition = {
  name: 'ping',
  description: 'Try to connect to host and return pong on success',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: { data: { type: 'string', default: 'pong' } },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const data = String(args.data ?? 'pong');
    // ping.py raises Exception('boom') for this value: a module crash, which the action
    // reports as MODULE FAILURE with the traceback on the module's stderr
    if (data === 'crash') {
      const traceback = 'Traceback (most recent call last):\n  File "ansible/modules/ping.py", line 79, in main\nException: boom\n';
      return {
        changed: false, failed: true, rc: 1, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
        module_stdout: '', module_stderr: traceback, exception: traceback,
      };
    }
    const r = await ctx.run('echo pong');
    if (r.rc !== 0 || r.stdout.trim() !== 'pong') {
      return { changed: false, failed: true, rc: r.rc, msg: `ping failed: ${(r.stderr || r.stdout).trim()}` };
    }
    return { changed: false, ping: data };
  },
};

export default ping;
