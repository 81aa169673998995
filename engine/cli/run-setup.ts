// What every command that runs tasks builds the same way (drover playbook, drover adhoc): the
// template engine adapter, the hash_behaviour check, the loader's view of the module registry,
// the Python plugins and module catalog, the run options and the connection defaults.
import { setting, type ResolvedSetting } from '../config/settings.js';
import { DroverError, ExitCode } from '../errors/index.js';
import type { TemplateEngine } from '../executor/types.js';
import { getModule } from '../modules-sdk/registry.js';
import { validateArgs } from '../modules-sdk/validate.js';
import type { ModuleInfo } from '../playbook/index.js';
import type { Templar } from '../template/index.js';
import { factCacheFor, type FactCache } from '../scheduler/fact-cache.js';
import { RunContext, type RunOptions } from '../scheduler/context.js';
import { ConnectionPool, connectionSpec, type ConnectionDefaults } from '../scheduler/connections.js';
import { RunInterrupt } from '../scheduler/interrupt.js';
import { TaskExecutor } from '../executor/task-executor.js';
import { VarScope } from '../vars/scope.js';
import type { Inventory } from '../inventory/index.js';
import type { LoadOptions } from '../playbook/index.js';
import type { EngineEvent } from '../output/events.js';
import type { Vault } from '../vault/secrets.js';
import type { YamlOptions } from '../inventory/yaml-load.js';
import type { Task } from '../playbook/types.js';
import type { ModuleDefinition } from '../modules-sdk/types.js';
import { PluginDirs } from '../search/plugin-dirs.js';
import { PythonPlugins, pluginWorkerEnv } from '../template/pyplugins/python-plugins.js';
import { moduleCatalog } from '../python/settings.js';
import type { ModuleCatalog } from '../python/catalog.js';
import { ActionPlugins } from '../python/action-plugins.js';
import { ActionWorkers } from '../python/action-worker.js';
import { PythonConnection } from '../python/python-connection.js';
import { moduleDefaultsFor } from '../python/module-defaults-run.js';
import { ask } from './prompt.js';

/** Actions the scheduler runs itself (no module in the registry). */
const BUILTIN_ACTIONS = new Set(['set_fact', 'include_vars', 'add_host', 'group_by', 'setup', 'gather_facts', 'meta', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'include', 'import_playbook']);
const FREE_FORM_BUILTINS = new Set(['include_tasks', 'import_tasks', 'include', 'include_vars', 'meta', 'group_by']);

/** Adapter: the Templar works on any {get,has} lookup, which VarScope is. */
export function templateEngine(t: Templar): TemplateEngine {
  return t as unknown as TemplateEngine;
}

/** DEFAULT_HASH_BEHAVIOUR: 'replace' or 'merge' (Ansible's two choices). */
export function hashBehaviour(value: string | undefined): 'replace' | 'merge' {
  const v = (value ?? 'replace').trim().toLowerCase();
  if (v !== 'replace' && v !== 'merge') {
    throw new DroverError(`Invalid value "${value}" for configuration option "setting: DEFAULT_HASH_BEHAVIOUR", valid values are: replace, merge`, { exitCode: ExitCode.ERROR });
  }
  return v;
}

/** The loader's view of an action the scheduler runs itself; undefined for any other name. */
export function builtinActionInfo(name: string): ModuleInfo | undefined {
  return BUILTIN_ACTIONS.has(name) ? { freeForm: FREE_FORM_BUILTINS.has(name) } : undefined;
}

/** LoadOptions.moduleInfo: free-form and argument validation from the module registry. */
export function moduleInfo(name: string): ModuleInfo | undefined {
  if (BUILTIN_ACTIONS.has(name)) return { freeForm: FREE_FORM_BUILTINS.has(name) };
  const mod = getModule(name);
  if (!mod) return undefined;
  return { freeForm: Boolean(mod.freeForm), validate: (args) => validateArgs(mod, args) };
}

/** The fact cache the fact_caching settings ask for (playbook, ad-hoc and inventory commands). */
export function factCacheFromSettings(cfg: Map<string, ResolvedSetting>): FactCache {
  return factCacheFor({
    plugin: setting<string>(cfg, 'fact_caching'),
    connection: setting<string | undefined>(cfg, 'fact_caching_connection'),
    prefix: setting<string>(cfg, 'fact_caching_prefix'),
    timeoutSec: setting<number>(cfg, 'fact_caching_timeout'),
  });
}

/** What a run loads beyond native code: plugin folders, Python plugins, action plugins and modules. */
export interface ContentPlugins {
  pluginDirs: PluginDirs;
  plugins: PythonPlugins;
  modules: ModuleCatalog;
  actions: ActionPlugins;
  /** The workers of action and connection plugins, closed when the run ends. */
  actionWorkers: ActionWorkers;
  /** ExecutorServices.module: a custom action plugin of the task's name wins over modules, as in Ansible. */
  module(action: string, task: Task): ModuleDefinition | undefined;
}

/** Filters, tests and lookups drover lacks run in one Python worker started on first use; -M paths come before `library`. */
export function contentPlugins(cfg: Map<string, ResolvedSetting>, cwd: string, roots: string[], modulePaths: string[] = [], discoverForNative = false): ContentPlugins {
  const pluginDirs = new PluginDirs();
  const workerEnv = pluginWorkerEnv(process.env, { collections: roots, filter: setting<string[]>(cfg, 'filter_plugins'), test: setting<string[]>(cfg, 'test_plugins'), lookup: setting<string[]>(cfg, 'lookup_plugins') });
  const plugins = new PythonPlugins({ dirs: pluginDirs, cwd, env: workerEnv });
  const modules = moduleCatalog(cfg, pluginDirs, roots, modulePaths, discoverForNative);
  // each running action plugin (and each Python connection plugin) gets a worker of its own
  const actionWorkers = new ActionWorkers({ dirs: pluginDirs, cwd, env: workerEnv });
  const actions = new ActionPlugins(pluginDirs, actionWorkers, modules);
  return { pluginDirs, plugins, modules, actions, actionWorkers, module: (action, task) => actions.module(action, task) ?? modules.module(action, task) };
}

/** What the command has read before its run options: the parsed flags and the loaded pieces. */
export interface RunInputs {
  opts: Record<string, unknown>;
  cfg: Map<string, ResolvedSetting>;
  cwd: string;
  forks: number;
  yaml: YamlOptions;
  vault: Vault;
  extraVars: Record<string, unknown>;
  hashBehaviour: 'replace' | 'merge';
  factCache: FactCache;
  inventorySources: string[];
}

/**
 * The run options both commands share, from the flags over the settings. Each command adds its own
 * (tags, --start-at-task, --force-handlers...) over the result.
 */
export function runOptionsFrom(i: RunInputs): RunOptions {
  const { opts, cfg } = i;
  return {
    check: Boolean(opts.check), diff: Boolean(opts.diff), verbosity: Number(opts.verbose ?? 0), forks: i.forks,
    defaultTimeoutSec: setting<number>(cfg, 'task_timeout'),
    injectFacts: setting<boolean>(cfg, 'inject_facts_as_vars') !== false,
    noLog: setting<boolean>(cfg, 'no_log'),
    jinja2Native: setting<boolean>(cfg, 'jinja2_native') === true,
    hashBehaviour: i.hashBehaviour,
    privateRoleVars: setting<boolean>(cfg, 'private_role_vars') === true,
    connectionTimeoutSec: Number(opts.timeout ?? setting<number>(cfg, 'timeout')),
    yaml: i.yaml,
    factCache: i.factCache,
    become: Boolean(opts.become) || setting<boolean>(cfg, 'become'),
    becomeUser: (opts.becomeUser as string | undefined) ?? setting<string>(cfg, 'become_user'),
    becomeMethod: (opts.becomeMethod as string | undefined) ?? setting<string>(cfg, 'become_method'),
    remoteUser: (opts.user as string | undefined) ?? setting<string | undefined>(cfg, 'remote_user'),
    privateKey: (opts.privateKey as string | undefined) ?? setting<string | undefined>(cfg, 'private_key_file'),
    connection: opts.connection as string | undefined,
    prompt: process.stdin.isTTY ? ask : undefined,
    vault: i.vault,
    extraVars: i.extraVars, limit: opts.limit as string | undefined, cwd: i.cwd, inventorySources: i.inventorySources,
    tags: { only: ['all'], skip: [] },
    continueOnBatchFailure: false,
    defaultStrategy: setting<string>(cfg, 'strategy'),
    errorOnMissingHandler: setting<boolean>(cfg, 'error_on_missing_handler'),
  };
}

/** The connection pool's defaults: the run's options, -k's password and the ssh arguments of the command line. */
export function connectionDefaultsFrom(options: RunOptions, opts: Record<string, unknown>, cfg: Map<string, ResolvedSetting>, password?: string): ConnectionDefaults {
  return {
    connection: options.connection, user: options.remoteUser, privateKey: options.privateKey,
    hostKeyChecking: setting<boolean>(cfg, 'host_key_checking'), timeoutSec: options.connectionTimeoutSec ?? 10,
    password,
    sshCommonArgs: opts.sshCommonArgs as string | undefined,
    sshExtraArgs: opts.sshExtraArgs as string | undefined,
  };
}

/** What a run's context is built from, once the options, content and output exist. */
export interface RunParts {
  inventory: Inventory;
  engine: TemplateEngine;
  options: RunOptions;
  opts: Record<string, unknown>;
  cfg: Map<string, ResolvedSetting>;
  loadOptions: LoadOptions;
  emit: (e: EngineEvent) => void;
  content: ContentPlugins;
  /** -k / --connection-password-file. */
  connectionPassword?: string;
  /** Where module_defaults' action-group metadata warnings go (validate_action_group_metadata). */
  warnMetadata?: (message: string) => void;
}

/**
 * The connection pool (each host's settings from its inventory and extra vars unless a task says
 * otherwise), the Ctrl-C state, the task executor and the run context, wired the same for both commands.
 */
export function runContext(p: RunParts): { ctx: RunContext; pool: ConnectionPool; interrupt: RunInterrupt } {
  const { engine, options } = p;
  const hostScope = (h: string) => new VarScope({ inventory: p.inventory.hostVars(h), extra_vars: options.extraVars }, (v, l, o) => engine.render(v, l, o));
  const connectionDefaults = connectionDefaultsFrom(options, p.opts, p.cfg, p.connectionPassword);
  const { pluginDirs, actionWorkers, modules, actions } = p.content;
  // a Python connection plugin (a collection's, a connection_plugins/ folder's) drives its hosts from a worker
  const pool = new ConnectionPool(
    (h, source) => connectionSpec(h, source?.vars ?? hostScope(h), connectionDefaults, source),
    (spec) => PythonConnection.open(spec, { workers: actionWorkers, dirs: pluginDirs }),
  );
  const interrupt = new RunInterrupt();
  options.interrupt = interrupt;
  const executor = new TaskExecutor({
    templar: engine, settings: options, connect: (h, s) => pool.get(h, s), reconnect: (h, o, s) => pool.reconnect(h, o, s), emit: p.emit, killSignal: interrupt.killSignal,
    module: p.content.module,
    withModuleDefaults: moduleDefaultsFor(modules, actions, setting<boolean>(p.cfg, 'validate_action_group_metadata') ? p.warnMetadata : undefined),
  });
  const ctx = new RunContext(p.inventory, engine, options, executor, p.loadOptions, p.emit, (h) => pool.get(h));
  return { ctx, pool, interrupt };
}
