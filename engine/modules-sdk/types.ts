// The module contract: what a file under modules/ exports, and the small SDK a module sees.
// Modules never import the scheduler, ssh2 or the playbook tree: only this file and transport types.
import type { Connection, ExecOptions, ExecResult } from '../transport/types.js';

/** Ansible's result keys; modules add their own (stat, results, content, elapsed, ...). */
export interface ModuleResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  /** null when the command never ran (command module: chdir failed). */
  rc?: number | null;
  stdout?: string;
  stderr?: string;
  stdout_lines?: string[];
  stderr_lines?: string[];
  /** Text diff (before/after strings), file-module state diff (before/after dicts), or a list of them. */
  diff?: { before?: string | Record<string, unknown>; after?: string | Record<string, unknown>; before_header?: string; after_header?: string } | unknown[];
  ansible_facts?: Record<string, unknown>;
  [key: string]: unknown;
}

/** How the template module renders a file (ModuleContext.renderTemplate). */
export interface TemplateFileOptions {
  /** Jinja settings: delimiters, trim_blocks, lstrip_blocks, newline_sequence. */
  env?: Record<string, unknown>;
  /** For the template_* variables and ansible_managed: `src` as written, its path, `dest`. */
  file?: { path: string; fullpath: string; dest?: string };
  /** Where `{% include %}` looks. */
  searchPaths?: string[];
}

export interface ModuleContext {
  /** inventory_hostname of the host the task is for. */
  host: string;
  /** The connection of the host the task runs on (the delegate's when delegate_to is set). */
  conn: Connection;
  check: boolean;
  diff: boolean;
  /** The task's no_log (modules run over Ansible's protocol get it as _ansible_no_log). */
  noLog?: boolean;
  /** Running as an async job: output is read as async_wrapper reads it (junk warnings go in the result). */
  asyncJob?: boolean;
  /** The task's variables, already merged (for template, debug var=...). */
  vars: Record<string, unknown>;
  /** Render a template string with the task's variables (Jinja2 semantics). */
  render(text: string): unknown;
  /**
   * Render a template file's text as the template module does: always text (no conversion to
   * data), no backslash escaping, the given Jinja settings and extra variables; `{% include %}`
   * searches `searchPaths`.
   */
  renderTemplate(text: string, opts: TemplateFileOptions): unknown;
  /** Evaluate a bare Jinja2 expression (as `when:` does) with the task's variables. */
  evaluate(expr: string): unknown;
  /**
   * The argument rendered to text built from unsafe data (Ansible's wrap_var): an action that
   * templates an argument again (debug's `var`) must leave such text as it is.
   */
  argIsUnsafe?(name: string): boolean;
  /**
   * Evaluate a conditional exactly as `when:` (template delimiters warned about and rendered
   * first); throws "The conditional check '...' failed. The error was: ..." when it cannot.
   */
  condition?(expr: unknown): boolean;
  /** The task's arguments before templating (Ansible's untemplated_args: assert's `that`). */
  rawArgs?: Record<string, unknown>;
  /** A [WARNING] for the operator (stderr), not part of the result. */
  warn?(message: string): void;
  /** Directory relative `src` paths resolve against (role files/, templates/, playbook dir). */
  searchPaths: string[];
  /** A controller file's content, decrypted when it is vault-encrypted (copy/template `decrypt`). */
  unvault?(content: Buffer, file: string): Buffer;
  /** Ask the operator (pause prompt); rejects when no terminal and no default is possible. */
  prompt?(message: string, opts?: { echo?: boolean }): Promise<string>;
  verbosity: number;
  /** Run a command on the host; shorthand for conn.exec. */
  run(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Cancelled when the task times out or the run is interrupted. */
  signal?: AbortSignal;
  /** The task's `environment` (run() applies it already; for work that bypasses run()). */
  environment?: Record<string, string>;
  /**
   * Drop the host's connection and open a new one (wait_for_connection, reboot); afterwards
   * `conn` and `run` use the new one. Rejects (UnreachableError) while the host is unreachable.
   */
  reconnect?(opts?: { timeoutSec?: number }): Promise<Connection>;
  /**
   * For a controller-side module that may still reach the host (a custom action plugin's module
   * runs and transfers): the host's connection, opened on first use; `become: false` gives it
   * without the task's become (Ansible's sudoable=False commands).
   */
  connect?(opts?: { become?: boolean }): Promise<Connection>;
}

export interface ModuleDefinition<A = Record<string, any>> {
  /** Short name (Ansible's), e.g. "command". FQCNs ansible.builtin.X resolve to it. */
  name: string;
  aliases?: string[];
  /** One-line description for `drover doc`. */
  description: string;
  /** JSON Schema for the arguments, validated with ajv when the playbook loads. */
  schema: Record<string, unknown>;
  /**
   * The module checks its own arguments (a module file run over Ansible's module protocol, whose
   * argument_spec lives in the module): drover neither validates nor normalises them.
   */
  opaqueArgs?: boolean;
  /** Free-form text (`command: ls -l`) lands in `_raw_params` and is allowed by the schema. */
  freeForm?: boolean;
  supportsCheckMode: boolean;
  supportsDiff: boolean;
  /**
   * `async:` on the task runs it as a background job on the host (engine/executor/async-job.ts).
   * Default true, as for every module 2.14 runs through its normal action; false for those it
   * runs through an action plugin without async support ("async is not supported for this task.").
   */
  supportsAsync?: boolean;
  /** Runs on the controller only (debug, fail, assert...): no connection is needed. */
  controllerOnly?: boolean;
  run(args: A, ctx: ModuleContext): Promise<ModuleResult>;
}
