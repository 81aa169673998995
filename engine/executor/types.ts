// What the scheduler hands the executor for one task on one host, and what comes back.
import type { Task } from '../playbook/types.js';
import type { Connection } from '../transport/types.js';
import type { ModuleDefinition } from '../modules-sdk/types.js';
import type { VarLookup, VarScope } from '../vars/scope.js';
import type { EngineEvent } from '../output/events.js';
import type { TextRenderOptions } from '../template/index.js';
import type { YamlOptions } from '../inventory/yaml-load.js';
import type { Vault } from '../vault/secrets.js';

/** Where a template runs: position for messages, the task's search stack, a warning sink. */
export interface TemplateWhere {
  file?: string;
  line?: number;
  what?: string;
  searchPaths?: string[];
  warn?: (msg: string) => void;
  /** set_fact: text rendered from unsafe data comes back unsafe (the template layer's Unsafe). */
  keepUnsafe?: boolean;
}

/** The template engine as the executor uses it (implemented by engine/template's Templar). */
export interface TemplateEngine {
  render(value: unknown, vars: VarLookup, ctx?: TemplateWhere): unknown;
  evaluate(expr: string, vars: VarLookup, ctx?: TemplateWhere): unknown;
  evaluateCondition(expr: unknown, vars: VarLookup, ctx?: TemplateWhere): boolean;
  /** A template file's text as the template module renders it (Templar.renderTemplateFile). */
  renderTemplateFile(src: string, vars: VarLookup, opts?: TextRenderOptions, ctx?: TemplateWhere): unknown;
  /** with_<name>: the lookup plugin's items for the (untemplated) loop value. */
  loopLookup(name: string, loop: unknown, vars: VarLookup, ctx: TemplateWhere | undefined, subdir: string): unknown[];
}

export interface RunSettings {
  check: boolean;
  diff: boolean;
  verbosity: number;
  forks: number;
  /** drover extension: default per-task timeout in seconds (0 = none). */
  defaultTimeoutSec: number;
  /** DEFAULT_NO_LOG (ANSIBLE_NO_LOG): results are censored unless a task's no_log says otherwise. */
  noLog?: boolean;
  /** INJECT_FACTS_AS_VARS: facts also as top-level ansible_* variables (default true). */
  injectFacts?: boolean;
  /** DEFAULT_JINJA2_NATIVE (set_fact keeps 'yes'/'no' strings when on). */
  jinja2Native?: boolean;
  /** DEFAULT_HASH_BEHAVIOUR: replace (default) or merge (include_vars' hash_behaviour compares with it). */
  hashBehaviour?: string;
  /** The YAML loader's duplicate-key handling and warning sink (include_vars, vars_files). */
  yaml?: YamlOptions;
  become: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  becomePassword?: string;
  remoteUser?: string;
  privateKey?: string;
  connection?: string;
  prompt?: (message: string, opts?: { echo?: boolean }) => Promise<string>;
  /** The run's vault secrets: copy/template sources on the controller are decrypted with them. */
  vault?: Vault;
}

/**
 * What decides a task's connection besides the run's options, as ansible-core resolves it per
 * task: the variables (the task's whole variable set, or the delegate's) and the connection
 * keywords of the task, its blocks and play (rendered).
 */
export interface ConnectionSource {
  /** Unset: the host's own variables (inventory, facts, extra vars). */
  vars?: { get(name: string): unknown };
  keywords: { connection?: string; remoteUser?: string; port?: number };
}

export interface ExecutorServices {
  templar: TemplateEngine;
  settings: RunSettings;
  /**
   * The connection for a host name (inventory or delegate) as the task's variables and keywords
   * say (without a source: the host's own variables); may throw UnreachableError, or a
   * DroverError for a connection type that does not exist.
   */
  connect(host: string, source?: ConnectionSource): Promise<Connection>;
  /** Close the host's connection and open a fresh one (for wait_for_connection and reboot). */
  reconnect?(host: string, opts?: { timeoutSec?: number }, source?: ConnectionSource): Promise<Connection>;
  emit(event: EngineEvent): void;
  /** The module a task's action runs (native, or a module file found where Ansible finds it);
   *  unset: drover's native modules only. */
  module?(action: string, task: Task): ModuleDefinition | undefined;
  /**
   * module_defaults: the task's (rendered) arguments over the defaults its action gets from the
   * keyword's layers (play, blocks, task; outermost first); `render` templates a default's value.
   */
  withModuleDefaults?(action: string, task: Task, layers: unknown[], args: Record<string, unknown>, render: (v: unknown) => unknown): Record<string, unknown>;
  /** Aborts when in-flight commands must be killed (a second Ctrl-C): each is cancelled as a
   *  task timeout cancels it. */
  killSignal?: AbortSignal;
}

/** Effective (inherited) keyword values for the task: task, then blocks outward, then play. */
export type KeywordLookup = (name: string) => unknown;

export interface TaskInvocation {
  task: Task;
  host: string;
  scope: VarScope;
  keyword: KeywordLookup;
  /** All `when` conditions from the play, blocks, imports and the task itself (ANDed). */
  conditions: unknown[];
  /** Directories for relative src/template/file lookups. */
  searchPaths: string[];
  /** The same task's variables on another host: a delegate's connection variables come from there. */
  scopeOn?: (host: string) => VarScope;
}

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskOutcome {
  status: TaskStatus;
  /** The result as `register` stores it. */
  result: Record<string, unknown>;
  /** The host the work ran on when delegated. */
  delegatedTo?: string;
  /** The delegate's ansible_host when it differs from its name (shown as "h01 -> h10(ADDRESS)"). */
  delegatedAddress?: string;
  /** The action that ran, when the task's is a template (`action: "{{ m }}"`). */
  action?: string;
  /** A loop's verdict on censoring its own result: the last item's no_log (unset: the task's). */
  noLog?: boolean;
  /**
   * add_host/group_by loops: the items whose ok/changed lines wait until the inventory change is
   * applied (ansible-core's strategy prints them after post_process_whens decides `changed`).
   */
  deferredItems?: { index: number; label: unknown; noLog: boolean }[];
}
