// What the scheduler hands the executor for one task on one host, and what comes back.
import type { Task } from '../playbook/types.js';
import type { Connection } from '../transport/types.js';
import type { VarLookup, VarScope } from '../vars/scope.js';
import type { EngineEvent } from '../output/events.js';

/** The template engine as the executor uses it (implemented by engine/template's Templar). */
export interface TemplateEngine {
  render(value: unknown, vars: VarLookup, ctx?: { file?: string; line?: number; what?: string }): unknown;
  evaluate(expr: string, vars: VarLookup, ctx?: { file?: string; line?: number; what?: string }): unknown;
  evaluateCondition(expr: unknown, vars: VarLookup, ctx?: { file?: string; line?: number; what?: string }): boolean;
}

export interface RunSettings {
  check: boolean;
  diff: boolean;
  verbosity: number;
  forks: number;
  /** drover extension: default per-task timeout in seconds (0 = none). */
  defaultTimeoutSec: number;
  /** INJECT_FACTS_AS_VARS: facts also as top-level ansible_* variables (default true). */
  injectFacts?: boolean;
  become: boolean;
  /** DEFAULT_NO_LOG (ANSIBLE_NO_LOG): the no_log keyword's default. */
  noLog?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  becomePassword?: string;
  remoteUser?: string;
  privateKey?: string;
  connection?: string;
  prompt?: (message: string, opts?: { echo?: boolean }) => Promise<string>;
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
  /** A loop's verdict on censoring its own result: the last item's no_log (unset: the task's). */
  noLog?: boolean;
}
