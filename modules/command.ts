// ansible.builtin.command: run a program with arguments, no shell (the words are split like
// Python's shlex and exec'd), with chdir, creates/removes guards and stdin.
import { runCommand, splitFreeForm } from '../engine/modules-sdk/command.js';
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
    properties: {
      _raw_params: { type: 'string' },
      cmd: { type: 'string' },
      argv: { type: 'array', items: { type: 'string' } },
      chdir: { type: 'string' },
      creates: { type: 'string' },
      removes: { type: 'string' },
      stdin: { type: 'string' },
      stdin_add_newline: { type: 'boolean', default: true },
      strip_empty_ends: { type: 'boolean', default: true },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['_raw_params', 'argv', 'cmd']],
  },
  async run(args, ctx) {
    const extra: Record<string, string> = {};
    let line = typeof args.cmd === 'string' ? args.cmd : undefined;
    if (typeof args._raw_params === 'string') {
      const { rest, extracted } = splitFreeForm(args._raw_params);
      line = rest;
      Object.assign(extra, extracted);
    }
    const opt = (k: string) => (args[k] ?? extra[k]) as string | undefined;
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
    return runCommand(
      ctx,
      {
        argv,
        chdir: opt('chdir'),
        creates: opt('creates'),
        removes: opt('removes'),
        stdin: opt('stdin'),
        stdinAddNewline: args.stdin_add_newline !== false && extra.stdin_add_newline !== 'false',
        stripEmptyEnds: args.strip_empty_ends !== false,
      },
      argv,
    );
  },
};

export default command;
