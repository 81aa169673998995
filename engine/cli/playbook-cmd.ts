// `drover playbook`: ansible-playbook's flags, exit codes and plain output, wired to the engine.
import { Interrupted, RunInterrupt } from '../scheduler/interrupt.js';
import { basename, resolve, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { DroverError, ExitCode } from '../errors/index.js';
import { applyLimit, resolvePattern } from '../inventory/index.js';
import { collectionRoots } from '../search/collections.js';
import { PythonPlugins, pluginWorkerEnv } from '../template/pyplugins/python-plugins.js';
import { PluginDirs } from '../search/plugin-dirs.js';
import { loadPlaybook, formatListTasks, formatListTags, formatListHosts, type LoadOptions, type Play } from '../playbook/index.js';
import { Templar, isLookup } from '../template/index.js';
import { moduleCatalog } from '../python/settings.js';
import { ActionPlugins } from '../python/action-plugins.js';
import { ActionWorkers } from '../python/action-worker.js';
import { PythonConnection } from '../python/python-connection.js';
import { moduleDefaultsFor } from '../python/module-defaults-run.js';
import { EventBus } from '../output/events.js';
import { TaskExecutor } from '../executor/task-executor.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { RunContext, type RunOptions } from '../scheduler/context.js';
import { ConnectionPool, connectionSpec } from '../scheduler/connections.js';
import { setSecretPrompt } from '../transport/ssh-connect.js';
import { PlaybookRunner } from '../scheduler/playbook-runner.js';
import type { DuplicateKeys, YamlOptions } from '../inventory/yaml-load.js';
import { splitTagArgs } from '../scheduler/tags.js';
import { VarScope } from '../vars/scope.js';
import { INVENTORY_OPTIONS, OUTPUT_OPTIONS, helpText, parseArgs, type OptionSpec } from './args.js';
import { playbookOutput } from '../output/reporters.js';
import { formatWarning } from '../output/plain.js';
import { loadInventoryShown } from './inventory-notices.js';
import { resolveSettings, setting } from '../config/settings.js';
import { VAULT_OPTIONS, vaultFromOptions } from './vault-options.js';
import { ask } from './prompt.js';
import { builtinActionInfo, factCacheFromSettings, hashBehaviour, templateEngine } from './run-setup.js';
import { maskingEmit } from '../vault/redact.js';
import { playbookReporter, REPORT_OPTIONS } from './report-cmd.js';

const SPECS: OptionSpec[] = [
  ...INVENTORY_OPTIONS.filter((o) => o.name !== 'playbookDir'),
  { name: 'tags', long: 'tags', short: 't', value: 'TAGS', repeat: true, help: 'only run plays and tasks tagged with these values' },
  { name: 'skipTags', long: 'skip-tags', value: 'TAGS', repeat: true, help: 'only run plays and tasks whose tags do not match these values' },
  { name: 'check', long: 'check', short: 'C', help: "don't make any changes; predict some of the changes that may occur" },
  { name: 'diff', long: 'diff', short: 'D', help: 'when changing (small) files and templates, show the differences' },
  { name: 'forks', long: 'forks', short: 'f', value: 'N', help: 'number of parallel processes to use (default 5)' },
  { name: 'listHosts', long: 'list-hosts', help: 'outputs a list of matching hosts; does not execute anything else' },
  { name: 'listTasks', long: 'list-tasks', help: 'list all tasks that would be executed' },
  { name: 'listTags', long: 'list-tags', help: 'list all available tags' },
  { name: 'syntaxCheck', long: 'syntax-check', help: 'perform a syntax check on the playbook, but do not execute it' },
  { name: 'startAtTask', long: 'start-at-task', value: 'NAME', help: 'start the playbook at the task matching this name' },
  { name: 'user', long: 'user', short: 'u', value: 'USER', help: 'connect as this user' },
  { name: 'privateKey', long: 'private-key', value: 'FILE', help: 'use this file to authenticate the connection' },
  { name: 'become', long: 'become', short: 'b', help: 'run operations with become (sudo by default)' },
  { name: 'becomeUser', long: 'become-user', value: 'USER', help: 'run operations as this user (default root)' },
  { name: 'becomeMethod', long: 'become-method', value: 'METHOD', help: 'privilege escalation method: sudo or su' },
  { name: 'askBecomePass', long: 'ask-become-pass', short: 'K', help: 'ask for the privilege escalation password' },
  { name: 'connection', long: 'connection', short: 'c', value: 'TYPE', help: 'connection type to use (ssh or local)' },
  { name: 'timeout', long: 'timeout', short: 'T', value: 'SEC', help: 'connection timeout in seconds (default 10)' },
  { name: 'forceHandlers', long: 'force-handlers', help: 'run handlers even if a task fails' },
  { name: 'flushCache', long: 'flush-cache', help: 'clear the fact cache for every host of the inventory' },
  { name: 'continueOnBatchFailure', long: 'continue-on-batch-failure', help: 'drover: keep rolling after a batch in which every host failed' },
  { name: 'taskTimeout', long: 'task-timeout', value: 'SEC', help: 'drover: default per-task timeout in seconds (0 = none)' },
  ...VAULT_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...REPORT_OPTIONS,
];

export const PLAYBOOK_USAGE = helpText(
  'drover playbook -i INVENTORY [options] PLAYBOOK.yml [PLAYBOOK.yml ...]',
  'Run Ansible playbooks with ansible-playbook 2.14 semantics (exit codes: 0 ok, 1 error, 2 failed hosts, 4 unreachable or parse error, 5 bad options, 250 internal error).',
  SPECS,
);

export async function playbookCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  if (opts.help) {
    out(PLAYBOOK_USAGE);
    return 0;
  }
  if (!positional.length) throw new DroverError('the following arguments are required: playbook', { exitCode: ExitCode.BAD_OPTIONS });
  const cwd = process.cwd();
  for (const p of positional) {
    if (!existsSync(resolve(cwd, p))) throw new DroverError(`the playbook: ${p} could not be found`, { exitCode: ExitCode.ERROR });
  }
  const cfg = resolveSettings(process.env, cwd);
  // the YAML loader's warnings, each text once as Ansible's Display: to stderr while loading,
  // through the reporters once the run has them (vars_files, include_vars)
  const warned = new Set<string>();
  const vault = await vaultFromOptions(opts, cfg, (m) => ask(m, { echo: false }), cwd);
  let warnSink = (m: string): void => void process.stderr.write(formatWarning(m));
  const yaml: YamlOptions = {
    vault,
    duplicateKeys: setting<DuplicateKeys>(cfg, 'duplicate_yaml_dict_key'),
    warn: (m) => {
      if (!warned.has(m)) warnSink(m);
      warned.add(m);
    },
  };
  const hashBehaviourSetting = hashBehaviour(setting<string>(cfg, 'hash_behaviour'));
  const extraVars = loadExtraVars((opts.extraVars as string[] | undefined) ?? [], cwd, yaml, hashBehaviourSetting === 'merge');
  const pluginDirs = new PluginDirs();
  const roots = collectionRoots(setting<string[]>(cfg, 'collections_paths'), positional.map((p) => dirname(resolve(cwd, p))));
  // filters, tests and lookups drover lacks come from Python plugins, in one worker started on first use
  const workerEnv = pluginWorkerEnv(process.env, { collections: roots, filter: setting<string[]>(cfg, 'filter_plugins'), test: setting<string[]>(cfg, 'test_plugins'), lookup: setting<string[]>(cfg, 'lookup_plugins') });
  const plugins = new PythonPlugins({ dirs: pluginDirs, cwd, env: workerEnv });
  const templar = new Templar({ searchPaths: [cwd], vault, jinja2Native: setting<boolean>(cfg, 'jinja2_native'), managedStr: setting<string>(cfg, 'ansible_managed'), plugins });
  const engine = templateEngine(templar);
  const staticScope = new VarScope({ extra_vars: extraVars }, (v, l, o) => engine.render(v, l, o));
  const modules = moduleCatalog(cfg, pluginDirs, roots);
  const onlyLoading = Boolean(opts.syntaxCheck || opts.listTasks || opts.listTags || opts.listHosts);
  // a custom action plugin of a task's name wins over modules, as in Ansible (run by the worker)
  const actionWorkers = new ActionWorkers({ dirs: pluginDirs, cwd, env: workerEnv });
  const actions = new ActionPlugins(pluginDirs, actionWorkers, modules);
  const loadOptions: LoadOptions = {
    moduleInfo: (name, as) => {
      const info = builtinActionInfo(name) ?? actions.info(as?.written ?? name, as?.collections) ?? modules.info(as?.written ?? name, as?.collections);
      // --syntax-check and the listings load as ansible-playbook does, which checks a module's
      // arguments only when it runs; a run keeps drover's load-time check of native modules
      return info && onlyLoading ? { ...info, validate: undefined } : info;
    },
    moduleSearched: (name, collections) => modules.searched(name, collections),
    // play vars (and import_playbook vars) known at parse time, under the extra vars
    renderStatic: (text, vars) => String(engine.render(text, vars ? new VarScope({ play_vars: vars, extra_vars: extraVars }, (v, l, o) => engine.render(v, l, o)) : staticScope)),
    lookups: (name) => isLookup(name) || plugins.lookup(name) !== undefined,
    roleSearchPaths: setting<string[]>(cfg, 'roles_path'),
    collectionRoots: roots,
    pluginDirs,
    cwd,
    yaml,
  };
  // what loading reports (-vv "statically imported", warnings) is shown when each playbook starts
  const notices: { imports: string[]; warnings: string[] }[] = [];
  const playbooks = positional.map((p) => {
    const mine = { imports: [] as string[], warnings: [] as string[] };
    notices.push(mine);
    loadOptions.notice = (n) => ('warning' in n ? mine.warnings.push(n.warning) : mine.imports.push(n.imported));
    return loadPlaybook(resolve(cwd, p), loadOptions);
  });
  delete loadOptions.notice;
  if (opts.syntaxCheck) {
    out(`\nplaybook: ${positional.join(' ')}\n`);
    return 0;
  }

  const sources = (opts.inventory as string[] | undefined) ?? setting<string[]>(cfg, 'inventory');
  const factCache = factCacheFromSettings(cfg);
  const inventory = await loadInventoryShown(sources, { playbookDir: dirname(resolve(cwd, positional[0])), cwd, hashMerge: hashBehaviourSetting === 'merge', vault, extraVars, facts: (h) => factCache.get(h) }, { warnings: false });
  const limit = opts.limit as string | undefined;
  // CLI.get_host_list: an empty inventory only warns (the implicit localhost is left); a limit
  // that leaves nothing of a non-empty one is an error
  const inventoryEmpty = resolvePattern(inventory, 'all').hosts.length === 0;
  if (inventoryEmpty && setting<boolean>(cfg, 'localhost_warning')) {
    inventory.warnings.push("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
  }
  const limitWarnings: string[] = [];
  const limited = limit ? applyLimit(inventory, resolvePattern(inventory, 'all').hosts, limit, { cwd, warnings: limitWarnings }) : [];
  for (const w of limitWarnings) if (!inventory.warnings.includes(w)) inventory.warnings.push(w);
  if (limit && !inventoryEmpty && limited.length === 0) {
    for (const w of inventory.warnings) process.stderr.write(formatWarning(w));
    throw new DroverError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', { exitCode: ExitCode.ERROR });
  }
  // listings print the inventory's warnings at once (stderr); a run sends them through its reporters
  const listing = Boolean(opts.listTasks || opts.listTags || opts.listHosts);
  if (listing) {
    for (const w of new Set(inventory.warnings)) process.stderr.write(formatWarning(w));
    // what loading the playbooks reported comes before the listings (ansible loads them all first)
    for (const n of notices) {
      if (Number(opts.verbose ?? 0) > 1) for (const f of n.imports) out(`statically imported: ${f}\n`);
      for (const w of n.warnings) process.stderr.write(formatWarning(w));
    }
  }
  // listings render play names, host patterns and tags with the play's vars and extra vars
  const render = (text: string, vars: Record<string, unknown>) => engine.render(text, new VarScope({ play_vars: vars, extra_vars: extraVars }, (v, l, o) => engine.render(v, l, o)));
  if (opts.listTasks || opts.listTags) {
    // the playbook path as given on the command line, as ansible-playbook prints it
    for (const [i, pb] of playbooks.entries()) {
      const listOpts = { displayPath: positional[i], render, tags: splitTagArgs(opts.tags as string[]), skipTags: splitTagArgs(opts.skipTags as string[]) };
      out(opts.listTasks ? formatListTasks(pb, listOpts) : formatListTags(pb, { displayPath: positional[i], render }));
    }
    return 0;
  }

  // the content's callback plugins (a role's callback_plugins/) are Python code drover never loads
  if (Number(opts.verbose ?? 0) >= 1) {
    for (const f of pluginDirs.files('callback')) process.stderr.write(`Skipping callback plugin '${basename(f, '.py')}' (${f}): drover does not load callback plugins\n`);
  }
  if (opts.flushCache) for (const h of inventory.hosts.keys()) factCache.delete(h);
  const forks = Number(opts.forks ?? setting<number>(cfg, 'forks'));
  const hostKeyChecking = setting<boolean>(cfg, 'host_key_checking');
  const options: RunOptions = {
    check: Boolean(opts.check), diff: Boolean(opts.diff), verbosity: Number(opts.verbose ?? 0), forks,
    defaultTimeoutSec: Number(opts.taskTimeout ?? setting<number>(cfg, 'task_timeout')),
    injectFacts: setting<boolean>(cfg, 'inject_facts_as_vars') !== false,
    noLog: setting<boolean>(cfg, 'no_log'),
    jinja2Native: setting<boolean>(cfg, 'jinja2_native') === true,
    hashBehaviour: hashBehaviourSetting,
    privateRoleVars: setting<boolean>(cfg, 'private_role_vars') === true,
    connectionTimeoutSec: Number(opts.timeout ?? setting<number>(cfg, 'timeout')),
    yaml,
    factCache,
    become: Boolean(opts.become) || setting<boolean>(cfg, 'become'),
    becomeUser: (opts.becomeUser as string | undefined) ?? setting<string>(cfg, 'become_user'),
    becomeMethod: (opts.becomeMethod as string | undefined) ?? setting<string>(cfg, 'become_method'),
    remoteUser: (opts.user as string | undefined) ?? setting<string | undefined>(cfg, 'remote_user'),
    privateKey: (opts.privateKey as string | undefined) ?? setting<string | undefined>(cfg, 'private_key_file'),
    connection: opts.connection as string | undefined,
    prompt: process.stdin.isTTY ? ask : undefined,
    vault,
    extraVars, limit, cwd, inventorySources: sources,
    tags: { only: splitTagArgs(opts.tags as string[] | undefined), skip: splitTagArgs(opts.skipTags as string[] | undefined) },
    startAtTask: opts.startAtTask as string | undefined,
    continueOnBatchFailure: Boolean(opts.continueOnBatchFailure),
    forceHandlers: Boolean(opts.forceHandlers) || setting<boolean>(cfg, 'force_handlers'),
    defaultStrategy: setting<string>(cfg, 'strategy'),
    errorOnMissingHandler: setting<boolean>(cfg, 'error_on_missing_handler'),
  };
  if (!options.tags.only.length) options.tags.only = ['all'];
  // live view, plain, JSON and the run log (issue 7); with the live view, prompts go through it
  const output = await playbookOutput(opts, cfg, out, options.verbosity);
  if (output.prompt) options.prompt = output.prompt;
  // key passphrases are asked through the same prompt, once per key file (transport/ssh-connect.ts)
  const secret = options.prompt;
  setSecretPrompt(secret ? (m) => secret(m, { echo: false }) : undefined);
  if (opts.askBecomePass) options.becomePassword = await (output.prompt ?? ask)('BECOME password: ', { echo: false });

  const bus = new EventBus();
  for (const r of output.reporters) bus.add(r);
  const report = await playbookReporter(opts, inventory, cwd);
  if (report) bus.add(report);
  const emit = maskingEmit(bus.emit.bind(bus), vault);
  warnSink = (message: string): void => emit({ kind: 'warning', message });
    const hostScope = (h: string) => new VarScope({ inventory: inventory.hostVars(h), extra_vars: extraVars }, (v, l, o) => engine.render(v, l, o));
  const connectionDefaults = {
    connection: options.connection, user: options.remoteUser, privateKey: options.privateKey, hostKeyChecking,
    timeoutSec: Number(opts.timeout ?? setting<number>(cfg, 'timeout')),
  };
  // a Python connection plugin (a collection's, a connection_plugins/ folder's) drives its hosts from a worker
  const pool = new ConnectionPool(
    (h, source) => connectionSpec(h, source?.vars ?? hostScope(h), connectionDefaults, source),
    (spec) => PythonConnection.open(spec, { workers: actionWorkers, dirs: pluginDirs }),
  );
  const interrupt = new RunInterrupt();
  options.interrupt = interrupt;
  const executor = new TaskExecutor({
    templar: engine, settings: options, connect: (h, s) => pool.get(h, s), reconnect: (h, o, s) => pool.reconnect(h, o, s), emit, killSignal: interrupt.killSignal,
    module: (action, task) => actions.module(action, task) ?? modules.module(action, task),
    withModuleDefaults: moduleDefaultsFor(modules, actions, setting<boolean>(cfg, 'validate_action_group_metadata') ? (m) => yaml.warn?.(m) : undefined),
  });
  const ctx = new RunContext(inventory, engine, options, executor, loadOptions, emit, (h) => pool.get(h));
  const runner = new PlaybookRunner(ctx);

  if (opts.listHosts) {
    // a pattern matching nothing warns on stderr, as during a run
    const warned = new Set<string>();
    const hostsOf = (play: Play) => {
      const { hosts, warnings } = runner.listHosts(play);
      for (const w of warnings) if (!warned.has(w) && warned.add(w)) process.stderr.write(formatWarning(w));
      return hosts;
    };
    for (const [i, pb] of playbooks.entries()) out(formatListHosts(pb, hostsOf, { displayPath: positional[i], render }));
    return 0;
  }

  let rc = 0;
  // Ctrl-C / SIGTERM: the first stops the run after the tasks in flight, the second kills them
  // (interrupt.ts); either way the recap is printed, the retry file written, and the exit is 99
  const onSignal = () => void interrupt.request();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let interrupted: Interrupted | undefined;
  try {
    try {
      for (const [i, pb] of playbooks.entries()) {
        // the inventory's warnings come with the first playbook (JSON output starts with playbook.start)
        const warnings = [...(i === 0 ? inventory.warnings : []), ...notices[i].warnings];
        rc = await runner.runPlaybook(pb, { given: positional[i], imports: notices[i].imports, warnings });
        if (rc !== 0) break;
      }
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      interrupted = e;
      rc = ExitCode.USER_INTERRUPTED;
    }
    // as ansible-playbook: an error that escapes the run (rc 1/4/250) prints no PLAY RECAP
    const stats = ctx.stats.snapshot();
    const custom = ctx.stats.customSnapshot();
    emit({ kind: 'recap', stats, retryFile: output.retryFile(resolve(cwd, positional[positional.length - 1]), stats, interrupted?.pending), ...(custom ? { custom } : {}) });
  } finally {
    await bus.close();
    await pool.closeAll();
    actionWorkers.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupted) process.stderr.write('[ERROR]: User interrupted execution\n');
  return rc;
}
