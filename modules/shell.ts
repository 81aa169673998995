// ansible.builtin.shell: run a command line through a shell (/bin/sh or `executable`), with
// chdir, creates/removes guards and stdin.
import { runCommand, splitFreeForm } from '../engine/modules-sdk/command.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const shell: ModuleDefinition = {
  name: 'shell',
  description: 'Execute shell commands on targets',
  freeForm: true,
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      _raw_params: { type: 'string' },
      cmd: { type: 'string' },
      chdir: { type: 'string' },
      creates: { type: 'string' },
      removes: { type: 'string' },
      executable: { type: 'string' },
      stdin: { type: 'string' },
      stdin_add_newline: { type: 'boolean', default: true },
      strip_empty_ends: { type: 'boolean', default: true },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['_raw_params', 'cmd']],
  },
  async run(args, ctx) {
    const extra: Record<string, string> = {};
    let line = typeof args.cmd === 'string' ? args.cmd : '';
    if (typeof args._raw_params === 'string') {
      const { rest, extracted } = splitFreeForm(args._raw_params);
      line = rest;
      Object.assign(extra, extracted);
    }
    const opt = (k: string) => (args[k] ?? extra[k]) as string | undefined;
    if (line.trim() === '') return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    return runCommand(
      ctx,
      {
        shell: line,
        executable: opt('executable'),
        chdir: opt('chdir'),
        creates: opt('creates'),
        removes: opt('removes'),
        stdin: opt('stdin'),
        stdinAddNewline: args.stdin_add_newline !== false && extra.stdin_add_newline !== 'false',
        stripEmptyEnds: args.strip_empty_ends !== false,
      },
      line,
    );
  },
};

export default shell;
