// drover's command line: dispatches subcommands and is the only place that turns errors into
// exit codes (Ansible's codes: 1 error, 4 parse error, 5 bad options, 250 internal error).
import { DroverError, ExitCode, traceback } from '../errors/index.js';
import { inventoryCommand, INVENTORY_USAGE } from './inventory-cmd.js';
import { playbookCommand, PLAYBOOK_USAGE } from './playbook-cmd.js';
import { labCommand } from './lab-cmd.js';
import { reportCommand, REPORT_USAGE } from './report-cmd.js';
import { adhocCommand, ADHOC_USAGE } from './adhoc-cmd.js';
import { vaultCommand } from './vault-cmd.js';
import { docCommand } from './doc-cmd.js';
import { UsageError } from './args.js';
import { configCommand, CONFIG_USAGE } from './config-cmd.js';
import { completionCommand } from './completion.js';
import { versionText } from './version.js';
import { describeForCli } from './error-display.js';

const HELP = `usage: drover <command> [options]

An Ansible-compatible automation engine for rolling cluster upgrades.

commands:
  inventory   show an inventory as ansible-inventory does (--list, --graph, --host)
  vault       encrypt and decrypt vault files and strings as ansible-vault does
  playbook    run playbooks with ansible-playbook semantics
  adhoc       run one module on the hosts of a pattern, as ansible does (adhoc all -m ping -i INV)
  config      "config list": each setting's value and where it came from
  completion  print a bash or zsh completion script ("source <(drover completion bash)")
  doc         module documentation from the argument schemas (doc MODULE, doc --list)
  lab         bring up a simulated cluster to rehearse upgrades (up, down, status, events, fault)
  report      write the rollout report (HTML) of a recorded run (--output json) and its lab's events

Run "drover <command> --help" for the options of a command.
`;

export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => {
    process.stdout.write(s);
  };
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(HELP);
        return cmd === undefined ? ExitCode.BAD_OPTIONS : 0;
      case '--version':
        out(versionText());
        return 0;
      case 'config':
        return configCommand(rest, out);
      case 'completion':
        return completionCommand(rest, out);
      case 'vault':
        return await vaultCommand(rest, out);
      case 'inventory':
        return await inventoryCommand(rest, out);
      case 'playbook':
        return await playbookCommand(rest, out);
      case 'adhoc':
        return await adhocCommand(rest, out);
      case 'lab':
        return await labCommand(rest, out);
      case 'report':
        return await reportCommand(rest, out);
      case 'doc':
        return await docCommand(rest, out);
      default:
        process.stderr.write(`drover: unknown command '${cmd}'\n\n${HELP}`);
        return ExitCode.BAD_OPTIONS;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const usage = cmd === 'inventory' ? INVENTORY_USAGE : cmd === 'config' ? CONFIG_USAGE : cmd === 'adhoc' ? ADHOC_USAGE : cmd === 'report' ? REPORT_USAGE : PLAYBOOK_USAGE;
      process.stderr.write(`${usage.split('\n')[0]}\ndrover ${cmd}: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DroverError) {
      const text = `ERROR! ${describeForCli(e)}`;
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
      return e.exitCode;
    }
    return internalError(e, rest);
  }
}

/** -v flags on the command line (-v, -vvv, --verbose), read here because a bug may come before the options are parsed. */
export function argvVerbosity(argv: string[]): number {
  let n = 0;
  for (const a of argv) {
    if (a === '--') break;
    if (/^-v+$/.test(a)) n += a.length - 1;
    else if (a === '--verbose') n++;
  }
  return n;
}

/**
 * A bug that escaped the run, reported as ansible-playbook does: the message on stderr, the
 * traceback on stdout from -vvv (below that, how to see it), exit 250.
 */
function internalError(e: unknown, argv: string[]): number {
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`ERROR! Unexpected Exception, this is probably a bug: ${err.message}\n`);
  process.stdout.write(argvVerbosity(argv) > 2 ? `the full traceback was:\n\n${traceback(err)}` : 'to see the full traceback, use -vvv\n');
  return ExitCode.INTERNAL;
}
