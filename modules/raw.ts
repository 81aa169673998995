// ansible.builtin.raw: send the text to the host as is (no module machinery, no result parsing);
// `executable` picks the shell. Not run in check mode.
import { quote } from '../engine/modules-sdk/quote.js';
import { withLines } from '../engine/modules-sdk/command.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const raw: ModuleDefinition = {
  name: 'raw',
  description: 'Executes a low-down and dirty command',
  freeForm: true,
  supportsCheckMode: false,
  supportsDiff: false,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      _raw_params: { type: 'string' },
      executable: { type: 'string' },
    },
    required: ['_raw_params'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    let text = String(args._raw_params ?? '');
    let executable = args.executable as string | undefined;
    const m = /(?:^|\s)executable=(\S+)(?=\s|$)/.exec(text);
    if (m && !executable) {
      executable = m[1];
      text = (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim();
    }
    if (ctx.check) return { changed: false, skipped: true, msg: 'check mode not supported for raw' };
    const command = executable ? `${quote(executable)} -c ${quote(text)}` : text;
    const r = await ctx.run(command);
    const res = withLines({ rc: r.rc, stdout: r.stdout, stderr: r.stderr, changed: true });
    if (r.rc !== 0) {
      res.failed = true;
      res.msg = 'non-zero return code';
    }
    return res;
  },
};

export default raw;
