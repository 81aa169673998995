// `drover adhoc PATTERN`: ansible 2.14's ad-hoc command. As adhoc.py does, it builds one implicit
// play (hosts: PATTERN, gather_facts: no, one task from -m/-a) and runs it through the playbook
// machinery (inventory, vars, scheduler, executor, transport, vault); only the output differs:
// the minimal callback, the oneline one with -o, and tree files with -t.
import { resolve } from 'node:path';
import { DroverError, ExitCode } from '../errors/index.js';
import { LOCALHOST_NAMES, applyLimit, resolvePattern } from '../inventory/index.js';
import { loadInventoryShown } from './inventory-notices.js';
import { collectionRoots } from '../search/collections.js';
import { parseKv, playbookFromData, type LoadOptions } from '../playbook/index.js';
import { Templar, isLookup } from '../template/index.js';
import { EventBus } from '../output/events.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { setSecretPrompt } from '../transport/ssh-connect.js';
import { PlaybookRunner } from '../scheduler/playbook-runner.js';
import { Interrupted } from '../scheduler/interrupt.js';
import type { DuplicateKeys, YamlOptions } from '../inventory/yaml-load.js';
import { VarScope } from '../vars/scope.js';
import { INVENTORY_OPTIONS, UsageError, helpText, parseArgs, type OptionSpec } from './args.js';
import { AdhocReporter, TreeReporter } from '../output/adhoc.js';
import { LogFileReporter } from '../output/log-file.js';
import { formatWarning } from '../output/plain.js';
import { findConfigFile, resolveSettings, setting } from '../config/settings.js';
import { VAULT_OPTIONS, vaultFromOptions } from './vault-options.js';
import { ask } from './prompt.js';
import { maskingEmit } from '../vault/redact.js';
import { builtinActionInfo, contentPlugins, factCacheFromSettings, hashBehaviour, runContext, runOptionsFrom, templateEngine } from './run-setup.js';
import { CONNECT_OPTIONS, MODULE_OPTIONS, RUNAS_OPTIONS, askPasswords, checkPasswordOptions, modulePaths } from './connect-options.js';
import { versionText } from './version.js';

const SPECS: OptionSpec[] = [
  { name: 'moduleName', long: 'module-name', short: 'm', value: 'MODULE', help: 'name of the action to execute (default command)' },
  { name: 'moduleArgs', long: 'args', short: 'a', value: 'ARGS', help: "the action's options: -a 'opt1=val1 opt2=val2', a JSON string, or free-form text" },
  ...INVENTORY_OPTIONS,
  { name: 'listHosts', long: 'list-hosts', help: 'outputs a list of matching hosts; does not execute anything else' },
  { name: 'oneLine', long: 'one-line', short: 'o', help: 'condense output' },
  { name: 'tree', long: 'tree', short: 't', value: 'DIR', help: 'log output to this directory' },
  { name: 'seconds', long: 'background', short: 'B', value: 'SECONDS', help: 'run asynchronously, failing after X seconds' },
  { name: 'poll', long: 'poll', short: 'P', value: 'N', help: 'set the poll interval if using -B (default 15)' },
  { name: 'taskTimeout', long: 'task-timeout', value: 'SEC', help: 'set the task timeout limit in seconds, must be positive' },
  { name: 'check', long: 'check', short: 'C', help: "don't make any changes; predict some of the changes that may occur" },
  { name: 'diff', long: 'diff', short: 'D', help: 'when changing (small) files and templates, show the differences' },
  { name: 'forks', long: 'forks', short: 'f', value: 'N', help: 'number of parallel processes to use (default 5)' },
  ...CONNECT_OPTIONS,
  ...RUNAS_OPTIONS,
  ...MODULE_OPTIONS,
  ...VAULT_OPTIONS,
  { name: 'version', long: 'version', help: "show the program's version number, config file location and exit" },
  { name: 'logFile', long: 'log-file', value: 'FILE', help: 'append a timestamped run log to FILE (default: log_path / ANSIBLE_LOG_PATH)' },
];

export const ADHOC_USAGE = helpText(
  'drover adhoc <host-pattern> [options]',
  "Define and run a single task 'playbook' against a set of hosts, as ansible 2.14's ad-hoc command (exit codes: 0 ok, 1 error, 2 failed hosts, 4 unreachable hosts, 5 bad options, 250 internal error).",
  SPECS,
);

/** C.MODULE_REQUIRE_ARGS: actions that need -a. */
const REQUIRE_ARGS = new Set(['command', 'win_command', 'shell', 'win_shell', 'raw', 'script']);
const IMPORT_PLAYBOOK = new Set(['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook']);
/** C._ACTION_ALL_INCLUDE_ROLE_TASKS: never made async. */
const INCLUDES = new Set(['include_role', 'import_role', 'include_tasks', 'import_tasks', 'include'].flatMap((a) => [a, `ansible.builtin.${a}`, `ansible.legacy.${a}`]));

const shortAction = (m: string) => m.replace(/^ansible\.(?:builtin|legacy|windows)\./, '');

function intOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(String(value))) throw new UsageError(`argument ${flag}: invalid int value: '${String(value)}'`);
  return Number(value);
}

/** adhoc.py's _play_ds: -a as JSON when it looks like a dict, else key=value (raw for commands). */
export function adhocPlay(pattern: string, module: string, rawArgs: string, o: { seconds?: number; poll?: number; taskTimeout?: number }): Record<string, unknown> {
  let args: Record<string, unknown> | undefined;
  if (rawArgs.startsWith('{') && rawArgs.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(rawArgs.trim());
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length) args = parsed as Record<string, unknown>;
    } catch {
      // not JSON: key=value below, as Ansible falls back
    }
  }
  args ??= parseKv(rawArgs, REQUIRE_ARGS.has(shortAction(module)));
  const task: Record<string, unknown> = { action: { module, args } };
  if (o.taskTimeout) task.timeout = o.taskTimeout;
  if (!INCLUDES.has(module) && o.seconds) {
    task.async = o.seconds;
    task.poll = o.poll ?? 15;
  }
  return { name: 'Ansible Ad-Hoc', hosts: pattern, gather_facts: 'no', tasks: [task] };
}

export async function adhocCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  checkPasswordOptions(opts);
  if (opts.help) {
    out(ADHOC_USAGE);
    return 0;
  }
  if (opts.version) {
    out(versionText());
    return 0;
  }
  if (positional.length === 0) throw new UsageError('the following arguments are required: pattern');
  if (positional.length > 1) throw new UsageError(`unrecognized arguments: ${positional.slice(1).join(' ')}`);
  const pattern = positional[0];
  const cwd = process.cwd();
  const cfg = resolveSettings(process.env, cwd);
  const forks = intOption(opts.forks, '-f/--forks') ?? setting<number>(cfg, 'forks');
  if (forks < 1) throw new UsageError('The number of processes (--forks) must be >= 1');
  const seconds = intOption(opts.seconds, '-B/--background');
  const poll = intOption(opts.poll, '-P/--poll');
  const taskTimeout = intOption(opts.taskTimeout, '--task-timeout');
  const moduleName = (opts.moduleName as string | undefined) ?? setting<string>(cfg, 'module_name');
  const moduleArgs = (opts.moduleArgs as string | undefined) ?? setting<string>(cfg, 'module_args') ?? '';
  const verbosity = Number(opts.verbose ?? 0);
  const err = (s: string) => void process.stderr.write(s);
  // CLI.run's -v line (the -vv version banner names Python's build: not imitated)
  if (verbosity > 0) {
    const file = findConfigFile(process.env, cwd);
    out(file ? `Using ${resolve(cwd, file)} as config file\n` : 'No config file found; using defaults\n');
  }

  const warned = new Set<string>();
  const warnOnce = (m: string) => {
    if (!warned.has(m)) err(formatWarning(m));
    warned.add(m);
  };
  const vault = await vaultFromOptions(opts, cfg, (m) => ask(m, { echo: false }), cwd);
  const yaml: YamlOptions = { vault, duplicateKeys: setting<DuplicateKeys>(cfg, 'duplicate_yaml_dict_key'), warn: warnOnce };
  const hashSetting = hashBehaviour(setting<string>(cfg, 'hash_behaviour'));
  const extraVars = loadExtraVars((opts.extraVars as string[] | undefined) ?? [], cwd, yaml, hashSetting === 'merge');
  // the loader's basedir: --playbook-dir (or playbook_dir), else the current folder
  const baseDir = resolve(cwd, (opts.playbookDir as string | undefined) ?? setting<string | undefined>(cfg, 'playbook_dir') ?? '.');
  const roots = collectionRoots(setting<string[]>(cfg, 'collections_paths'), [baseDir]);
  // the playbook command's module finder and Python plugins: any module ansible finds, -M's too;
  // native modules report the discovered Python as ansible's first contact prints it
  const content = contentPlugins(cfg, cwd, roots, modulePaths(opts, cwd), true);
  const { plugins, modules, actions } = content;
  const templar = new Templar({ searchPaths: [cwd], vault, jinja2Native: setting<boolean>(cfg, 'jinja2_native'), managedStr: setting<string>(cfg, 'ansible_managed'), plugins });
  const engine = templateEngine(templar);
  const loadOptions: LoadOptions = {
    // adhoc.py's task names its action in `action:`, which Ansible resolves and validates only
    // when the task runs on a host: a bad module or bad arguments fail each host (rc 2)
    moduleInfo: (name, as) => {
      const info = builtinActionInfo(name) ?? actions.info(as?.written ?? name) ?? modules.info(as?.written ?? name, as?.collections);
      return { freeForm: info?.freeForm ?? true, ...(info?.file ? { file: info.file } : {}) };
    },
    renderStatic: (t, vars) => String(engine.render(t, new VarScope({ play_vars: vars ?? {}, extra_vars: extraVars }, (v, l, o) => engine.render(v, l, o)))),
    lookups: (name) => isLookup(name) || plugins.lookup(name) !== undefined,
    roleSearchPaths: setting<string[]>(cfg, 'roles_path'),
    collectionRoots: roots,
    pluginDirs: content.pluginDirs,
    cwd,
    yaml,
  };

  const sources = (opts.inventory as string[] | undefined) ?? setting<string[]>(cfg, 'inventory');
  const inventory = await loadInventoryShown(sources, { playbookDir: baseDir, cwd, hashMerge: hashSetting === 'merge', vault, extraVars }, { warnings: false });
  for (const w of inventory.warnings) warnOnce(w);
  // CLI.get_host_list: an empty inventory leaves the implicit localhost; a pattern that matches
  // nothing only warns (and runs nothing), unless --limit is what left nothing
  const limit = opts.limit as string | undefined;
  const inventoryEmpty = resolvePattern(inventory, 'all').hosts.length === 0;
  if (inventoryEmpty && setting<boolean>(cfg, 'localhost_warning') && !LOCALHOST_NAMES.includes(pattern)) {
    warnOnce("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
  }
  const matched = resolvePattern(inventory, pattern);
  const limitWarnings: string[] = [];
  const hosts = applyLimit(inventory, matched.hosts, limit, { cwd, warnings: limitWarnings });
  for (const w of [...matched.warnings, ...limitWarnings]) warnOnce(w);
  if (!hosts.length && !inventoryEmpty) {
    if (limit !== undefined) throw new DroverError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', { exitCode: ExitCode.ERROR });
    warnOnce('No hosts matched, nothing to do');
  }
  if (opts.listHosts) {
    out(`  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h}\n`).join('')}`);
    return 0;
  }
  if (REQUIRE_ARGS.has(shortAction(moduleName)) && !moduleArgs) {
    // as ansible's options errors: the usage first (stdout), then the error
    out(ADHOC_USAGE);
    throw new DroverError(`No argument passed to ${moduleName} module${pattern.endsWith('.yml') ? ' (did you mean to run ansible-playbook?)' : ''}`, { exitCode: ExitCode.BAD_OPTIONS });
  }
  if (IMPORT_PLAYBOOK.has(moduleName)) {
    out(ADHOC_USAGE);
    throw new DroverError(`'${moduleName}' is not a valid action for ad-hoc commands`, { exitCode: ExitCode.BAD_OPTIONS });
  }
  const playbook = playbookFromData([adhocPlay(pattern, moduleName, moduleArgs, { seconds, poll, taskTimeout })], resolve(baseDir, '__adhoc_playbook__'), loadOptions);

  const options = runOptionsFrom({ opts, cfg, cwd, forks, yaml, vault, extraVars, hashBehaviour: hashSetting, factCache: factCacheFromSettings(cfg), inventorySources: sources });
  const secret = options.prompt;
  setSecretPrompt(secret ? (m) => secret(m, { echo: false }) : undefined);
  const passwords = await askPasswords(opts, ask, cwd);
  if (passwords.become !== undefined) options.becomePassword = passwords.become;

  const bus = new EventBus();
  const reporter = new AdhocReporter(out, err, {
    verbosity, oneLine: Boolean(opts.oneLine), diff: options.diff,
    // warnings shown while loading are not repeated (Display dedups for the whole run)
    warned,
  });
  bus.add(reporter);
  if (opts.tree !== undefined) bus.add(new TreeReporter(String(opts.tree), verbosity, (m) => bus.emit({ kind: 'warning', message: m })));
  const logPath = (opts.logFile as string | undefined) ?? setting<string | undefined>(cfg, 'log_path');
  if (logPath) bus.add(new LogFileReporter(logPath, { verbosity, warn: (m) => err(formatWarning(m)) }));
  const emit = maskingEmit(bus.emit.bind(bus), vault);
  const { ctx, pool, interrupt } = runContext({ inventory, engine, options, opts, cfg, loadOptions, emit, content, connectionPassword: passwords.connection });
  const onSignal = () => void interrupt.request();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await new PlaybookRunner(ctx).runPlaybook(playbook);
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    err('[ERROR]: User interrupted execution\n');
    return ExitCode.USER_INTERRUPTED;
  } finally {
    await bus.close();
    await pool.closeAll();
    content.actionWorkers.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
