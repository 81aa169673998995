// ansible.builtin.command: run a program with arguments, no shell (the words are split like
// Python's shlex and exec'd), with chdir, creates/removes guards and stdin.
import { COMMAND_PROPERTIES, commandArgs, runCommand } from '../engine/modules-sdk/command.js';
import { shlexSplit } from '../engine/modules-sdk/quote.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const command: ModuleDefinition = {
  name: 'command',
  description: 'Execute commands on targets (without a shell)',
  freeForm: true,
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: { ...COMMAND_PROPERTIES, argv: { type: 'array', items: { type: 'string' } } },
    additionalProperties: false,
    'x-mutually-exclusive': [['_raw_params', 'argv', 'cmd']],
  },
  async run(args, ctx) {
    const { line, options } = commandArgs(args);
    let argv: string[];
    if (Array.isArray(args.argv)) {
      argv = args.argv.map(String);
    } else {
      try {
        argv = shlexSplit(line ?? '');
      } catch (e) {
        return { failed: true, changed: false, rc: 256, msg: `Unable to parse command: ${(e as Error).message}` };
      }
    }
    if (argv.length === 0 || argv[0].trim() === '') {
      return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    }
    return runCommand(ctx, { argv, ...options }, argv);
  },
};

export default command;
