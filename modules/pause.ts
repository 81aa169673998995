// ansible.builtin.pause: wait for `seconds`/`minutes`, or until the operator answers a prompt
// (through ctx.prompt; without a terminal the prompt is answered empty). Controller only.
import { ansibleTime } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Python's repr of a float rounded to 2 places: 1 → "1.0", 1.234 → "1.23". */
function pyRound2(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

const pause: ModuleDefinition = {
  name: 'pause',
  description: 'Pause playbook execution',
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  controllerOnly: true,
  schema: {
    type: 'object',
    properties: {
      seconds: { type: 'number' },
      minutes: { type: 'number' },
      prompt: { type: 'string' },
      echo: { type: 'boolean', default: true },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['minutes', 'seconds']],
  },
  async run(args, ctx) {
    const echo = args.echo !== false;
    const unit = args.seconds !== undefined ? 'seconds' : 'minutes';
    let seconds: number | undefined;
    if (args.minutes !== undefined) seconds = Math.trunc(Number(args.minutes)) * 60;
    else if (args.seconds !== undefined) seconds = Math.trunc(Number(args.seconds));
    const start = new Date();
    let userInput = '';
    if (seconds !== undefined) {
      await sleep(Math.max(1, seconds) * 1000, ctx.signal);
    } else if (ctx.prompt) {
      const text = args.prompt ?? 'Press enter to continue, Ctrl+C to interrupt';
      userInput = await ctx.prompt(String(text) + (echo ? '' : ' (output is hidden)'), { echo });
    }
    const stop = new Date();
    const duration = (stop.getTime() - start.getTime()) / 1000;
    return {
      changed: false,
      rc: 0,
      stderr: '',
      stdout: `Paused for ${pyRound2(unit === 'minutes' ? duration / 60 : duration)} ${unit}`,
      start: ansibleTime(start),
      stop: ansibleTime(stop),
      delta: Math.trunc(duration),
      echo,
      user_input: userInput,
    };
  },
};

export default pause;
