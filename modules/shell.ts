// ansible.builtin.shell: run a command line through a shell (/bin/sh or `executable`), with
// chdir, creates/removes guards and stdin.
import { COMMAND_PROPERTIES, commandArgs, runCommand } from '../engine/modules-sdk/command.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const shell: ModuleDefinition = {
  name: 'shell',
  description: 'Execute shell commands on targets',
  freeForm: true,
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: { ...COMMAND_PROPERTIES, executable: { type: 'string' } },
    additionalProperties: false,
    'x-mutually-exclusive': [['_raw_params', 'cmd']],
  },
  async run(args, ctx) {
    const { line = '', opt, options } = commandArgs(args);
    if (line.trim() === '') return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    return runCommand(ctx, { shell: line, executable: opt('executable'), ...options }, line);
  },
};

export default shell;
