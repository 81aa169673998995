// ansible.builtin.command: run a program with arguments, no shell (the words are split like
// Python's shlex and exec'd), with chdir, creates/removes guards and stdin.
import { COMMAND_PROPERTIES, checkCommandGiven, commandArgs, commandFailure, runCommand } from '../engine/modules-sdk/command.js';
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
    properties: COMMAND_PROPERTIES,
    additionalProperties: false,
  },
  async run(args, ctx) {
    const { line, opt, options } = commandArgs(args);
    const executable = opt('executable');
    // 2.14's command module ignores `executable` (it has no shell to replace) and says so
    const warnings = executable ? [`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${executable}'.`] : [];
    const bad = checkCommandGiven(line, args.argv, warnings);
    if (bad) return bad;
    let argv: string[];
    if (Array.isArray(args.argv) && args.argv.length) {
      argv = args.argv.map(String);
    } else {
      try {
        argv = shlexSplit(line ?? '');
      } catch (e) {
        return commandFailure(`Unable to parse command: ${(e as Error).message}`, warnings);
      }
    }
    const res = await runCommand(ctx, { argv, ...options }, argv);
    return warnings.length ? { ...res, warnings } : res;
  },
};

export default command;
