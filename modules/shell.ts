// ansible.builtin.shell: run a command line through a shell (/bin/sh or `executable`), with
// chdir, creates/removes guards and stdin. It is the command module with _uses_shell, so it
// takes argv too (the words are quoted and joined into the line, as run_command does).
import { COMMAND_PROPERTIES, checkCommandGiven, commandArgs, runCommand } from '../engine/modules-sdk/command.js';
import { quoteArgv } from '../engine/modules-sdk/quote.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const shell: ModuleDefinition = {
  name: 'shell',
  description: 'Execute shell commands on targets',
  freeForm: true,
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: COMMAND_PROPERTIES,
    additionalProperties: false,
  },
  async run(args, ctx) {
    const { line, opt, options } = commandArgs(args);
    const bad = checkCommandGiven(line, args.argv);
    if (bad) return bad;
    const argv = Array.isArray(args.argv) && args.argv.length ? args.argv.map(String) : undefined;
    const text = argv ? quoteArgv(argv) : (line ?? '');
    return runCommand(ctx, { shell: text, executable: opt('executable'), ...options }, argv ?? text);
  },
};

export default shell;
