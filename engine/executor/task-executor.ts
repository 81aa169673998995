// One task on one host: loop, when, until/retries, the action itself (module or built-in),
// changed_when/failed_when, no_log and timeout. Returns the result `register` stores; the
// scheduler folds it into stats, host state and events.
import { lookupStack } from '../search/needle.js';
import { DroverError, TemplateError } from '../errors/index.js';
import { getModule } from '../modules-sdk/registry.js';
import { validateArgs } from '../modules-sdk/validate.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../modules-sdk/types.js';
import { UnreachableError, type BecomeSpec, type Connection } from '../transport/types.js';
import type { VarScope } from '../vars/scope.js';
import { asyncSpec, runAsync } from './async-task.js';
import { builtinAction, isBuiltinAction } from './builtin-actions.js';
import { conditionalWarning } from './conditional.js';
import { connectionSource } from './connection-source.js';
import { renderEnvironment } from './environment.js';
import { censor, errorResult, postValidateException } from './result-shapes.js';
import { moduleInvocation } from './invocation.js';
import { loopOverlay, loopSettings } from './loop-control.js';
import { registeredValue, resultVars } from './result-vars.js';
import { loopItems } from './loops.js';
import { spliceVariableParams } from './post-validate.js';
import { Unsafe, pyStr } from '../template/python.js';
import { isTemplateString } from '../template/index.js';
import { shortName } from '../playbook/keywords.js';
import { toBool } from './truthy.js';
import type { ExecutorServices, TaskInvocation, TaskOutcome, TemplateWhere } from './types.js';
import { unvaultContent } from '../vault/secrets.js';

export const OMIT = '__omit_place_holder__drover';


/** Remove args whose rendered value is the omit placeholder (Ansible's `default(omit)`). */
export function dropOmitted(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (v !== OMIT) out[k] = v;
  return out;
}

function lines(s: unknown): string[] {
  return typeof s === 'string' && s.length ? s.replace(/\n$/, '').split('\n') : [];
}

/** drover's default task timeout (--task-timeout) says which host, task and command hung, and for how long. */
export function describeHang(host: string, taskName: string, args: Record<string, unknown>, seconds: number): string {
  const cmd = args._raw_params ?? args.cmd ?? args.argv;
  const what = cmd !== undefined ? (Array.isArray(cmd) ? cmd.map(String).join(' ') : String(cmd)) : JSON.stringify(args);
  return `task '${taskName}' on host ${host} did not finish within ${seconds}s (the default task timeout, --task-timeout) and was stopped; it was running: ${what}`;
}

/**
 * Actions that are action plugins in ansible-core 2.14 and return no module's `invocation`
 * (those that run a module, like command or shell, return that module's).
 */
const NO_INVOCATION = new Set(['debug', 'assert', 'fail', 'pause', 'raw', 'script', 'reboot', 'fetch', 'wait_for_connection']);

export class TaskExecutor {
  /** One warning scope per task run on a host (Ansible shows a worker's repeated warning once). */
  private readonly warnScopes = new WeakMap<TaskInvocation, string>();
  private runs = 0;

  constructor(private readonly svc: ExecutorServices) {}

  private warn(inv: TaskInvocation, message: string): void {
    let scope = this.warnScopes.get(inv);
    if (!scope) this.warnScopes.set(inv, (scope = `run-${++this.runs}`));
    this.svc.emit({ kind: 'warning', message, scope });
  }

  private where(inv: TaskInvocation): TemplateWhere {
    return {
      file: inv.task.origin.pos.file, line: inv.task.origin.pos.line, what: `task '${inv.task.name ?? inv.task.action}'`,
      searchPaths: lookupStack(inv.searchPaths), warn: (message) => this.warn(inv, message),
    };
  }

  /** The task's no_log, rendered (it may be a template); unset: the no_log setting. */
  private noLog(inv: TaskInvocation, scope: VarScope): boolean {
    const v = inv.keyword('no_log');
    if (v === undefined || v === null) return Boolean(this.svc.settings.noLog);
    return toBool(this.svc.templar.render(v, scope, this.where(inv)));
  }

  /** `located`: errors name the task and its file (else only the conditional, as *_when_result holds it). */
  private cond(inv: TaskInvocation, scope: VarScope, conditions: unknown[], located = true): boolean {
    for (const c of conditions) {
      const warning = conditionalWarning(c);
      if (warning) this.warn(inv, warning);
      const where = located ? this.where(inv) : { ...this.where(inv), file: undefined, line: undefined, what: undefined };
      if (!this.svc.templar.evaluateCondition(c, scope, where)) return false;
    }
    return true;
  }

  async run(inv: TaskInvocation): Promise<TaskOutcome> {
    try {
      if (inv.task.loop !== undefined) return await this.runLoop(inv);
      if (!this.cond(inv, inv.scope, inv.conditions)) {
        return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' } };
      }
      // the module's invocation stays for display (-vvv); registering drops it (scheduler/fold.ts)
      return await this.runWithRetries(inv, inv.scope);
    } catch (e) {
      if (e instanceof UnreachableError) return { status: 'unreachable', result: { changed: false, unreachable: true, msg: e.message } };
      if (e instanceof Error) return { status: 'failed', result: errorResult(e) };
      throw e;
    }
  }

  private async runLoop(inv: TaskInvocation): Promise<TaskOutcome> {
    const { task } = inv;
    let items: unknown[];
    try {
      items = loopItems(this.svc.templar, task, inv.scope, this.where(inv));
    } catch (e) {
      // ansible-core keeps an undefined-variable error of the loop until it has evaluated `when`
      // without the loop variable: a false condition skips the task (a loop over the result of a
      // skipped task), a true one or one that needs the item raises the loop's error
      if (!(e instanceof TemplateError && e.undefinedVariable)) throw e;
      let skip = false;
      try {
        skip = !this.cond(inv, inv.scope, inv.conditions);
      } catch {
        throw e;
      }
      if (skip) return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' } };
      throw e;
    }
    const lc = task.loop_control ?? {};
    const loop = loopSettings(task.loop_control, (v) => this.svc.templar.render(v, inv.scope));
    if (inv.scope.has(loop.loopVar)) {
      this.warn(inv, `TASK: ${task.name ?? task.action}: The loop variable '${loop.loopVar}' is already in use. You should set the \`loop_var\` value in the \`loop_control\` option for the task to something else to avoid variable collisions and unexpected behavior.`);
    }
    const results: Record<string, unknown>[] = [];
    let changed = false;
    let failed = false;
    let allSkipped = items.length > 0;
    // the loop's own result is censored by the last item's no_log (Ansible's play context keeps it)
    let lastNoLog: boolean | undefined;
    const deferred: NonNullable<TaskOutcome['deferredItems']> = [];
    const pause = lc.pause ? Number(this.svc.templar.render(lc.pause, inv.scope)) : 0;
    // what earlier items' results added (facts, the registered result), as ansible-core's
    // executor updates the task's variables after each item
    let carried: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i++) {
      const overlay = loopOverlay(items, i, loop);
      const scope = inv.scope.with(carried).with(overlay);
      const label = lc.label !== undefined ? this.svc.templar.render(lc.label, scope) : items[i];
      const ran = this.cond(inv, scope, inv.conditions);
      const out: TaskOutcome = ran
        ? await this.runWithRetries(inv, scope)
        : { status: 'skipped', result: { changed: false, skip_reason: 'Conditional result was False', skipped: true } };
      const r = { ...out.result, ...overlay };
      if (ran) {
        const known = (name: string) => scope.get(name);
        carried = { ...carried, ...resultVars(task.action, r, { register: task.register, injectFacts: this.svc.settings.injectFacts !== false, known }) };
      }
      if (out.status === 'unreachable') return { status: 'unreachable', result: r, delegatedTo: out.delegatedTo, noLog: this.noLog(inv, scope) };
      if (out.status !== 'skipped') allSkipped = false;
      // ansible-core: the loop is changed when any item is, a failed one included
      if (r.changed === true) changed = true;
      if (out.status === 'failed') failed = true;
      results.push(r);
      const noLog = this.noLog(inv, scope);
      lastNoLog = noLog;
      const shown = noLog ? censor(r) : r;
      if (INVENTORY_ACTIONS.has(task.action) && (out.status === 'ok' || out.status === 'changed')) {
        deferred.push({ index: results.length - 1, label: noLog ? null : label, noLog });
      } else this.svc.emit({
        // a censored item has no label: ansible-core prints (item=None)
        kind: 'host.result', taskId: task.id, host: inv.host, status: out.status, result: shown,
        ignored: false, item: { label: noLog ? null : label }, delegatedTo: out.delegatedTo, delegatedAddress: out.delegatedAddress,
        verboseAlways: (out.action ?? task.action) === 'debug' || undefined,
      });
      if (pause > 0 && i < items.length - 1) await new Promise((res) => setTimeout(res, pause * 1000));
    }
    const result: Record<string, unknown> = { results, changed };
    if (!items.length) {
      result.skipped = true;
      result.skipped_reason = 'No items in the list';
      return { status: 'skipped', result, noLog: lastNoLog };
    }
    if (allSkipped) {
      result.skipped = true;
      result.msg = 'All items skipped';
      return { status: 'skipped', result, noLog: lastNoLog };
    }
    // some item ran: ansible-core's loop result says skipped=false
    result.skipped = false;
    if (failed) {
      result.failed = true;
      result.msg = 'One or more items failed';
      return { status: 'failed', result, noLog: lastNoLog };
    }
    result.msg = 'All items completed';
    return { status: changed ? 'changed' : 'ok', result, noLog: lastNoLog, deferredItems: deferred.length ? deferred : undefined };
  }

  /** until/retries/delay around one execution; changed_when/failed_when are applied per attempt. */
  private async runWithRetries(inv: TaskInvocation, scope: VarScope): Promise<TaskOutcome> {
    const { task } = inv;
    const until = task.until && task.until.length ? task.until : undefined;
    let attempts = 1;
    let delay = 0;
    if (until) {
      const r = task.retries === undefined ? 3 : Number(this.svc.templar.render(task.retries, scope));
      attempts = r <= 0 ? 1 : r + 1;
      delay = task.delay === undefined ? 5 : Number(this.svc.templar.render(task.delay, scope));
    }
    let out: TaskOutcome = { status: 'ok', result: {} };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      out = await this.runOnce(inv, scope, until ? attempt : undefined);
      if (!until || out.status === 'unreachable') return out;
      out.result.attempts = attempt;
      if (attempts === 1) return out;
      const withResult = task.register ? scope.with({ [task.register]: registeredValue(task.action, out.result) }) : scope.with(out.result);
      if (this.cond(inv, withResult, until)) return out;
      if (attempt < attempts) {
        // every reporter gets the retry's result censored, as Ansible's callbacks get clean_copy()
        const result = { ...out.result, retries: attempts };
        this.svc.emit({
          kind: 'task.retry', taskId: task.id, host: inv.host, name: task.name ?? task.action,
          retriesLeft: attempts - attempt, result: this.noLog(inv, scope) ? censor(result) : result, delegatedTo: out.delegatedTo,
        });
        if (delay > 0) await new Promise((res) => setTimeout(res, delay * 1000));
      }
    }
    out.result.attempts = attempts - 1;
    out.result.failed = true;
    // TaskResult.is_failed: a failed_when_result, when there is one, decides over `failed`
    if ('failed_when_result' in out.result && !out.result.failed_when_result) return { ...out, status: out.result.changed ? 'changed' : 'ok' };
    return { ...out, status: 'failed' };
  }

  /** `attempt`: the until-loop's attempt, shown to changed_when/failed_when as `attempts`. */
  private async runOnce(inv: TaskInvocation, scope: VarScope, attempt?: number): Promise<TaskOutcome> {
    const { task } = inv;
    const where = this.where(inv);
    // `action: "{{ module_to_run }}"`: the name is a template rendered per host (Task.post_validate)
    const action = isTemplateString(task.action) ? shortName(pyStr(this.svc.templar.render(task.action, scope, where))) : task.action;
    let rendered: Record<string, unknown>;
    try {
      // set_fact stores what it renders: data read from unsafe sources stays unsafe (wrap_var)
      rendered = this.svc.templar.render(task.args, scope, task.action === 'set_fact' ? { ...where, keepUnsafe: true } : where) as Record<string, unknown>;
    } catch (e) {
      const raw = postValidateException(e);
      if (raw) return { status: 'failed', result: raw };
      throw e;
    }
    const layers = inv.keyword('module_defaults') as unknown[] | undefined;
    // defaults first, then omitted arguments dropped: `msg: "{{ omit }}"` also drops a default msg
    const withDefaults = layers && this.svc.withModuleDefaults ? this.svc.withModuleDefaults(action, task, layers, rendered, (v) => this.svc.templar.render(v, scope, where)) : rendered;
    const spliced = spliceVariableParams(dropOmitted(withDefaults), (message) => this.warn(inv, message), this.svc.settings.injectFacts !== false);
    if ('error' in spliced) return { status: 'failed', result: { failed: true, msg: spliced.error } };
    const { args } = spliced;
    const delegate = inv.keyword('delegate_to');
    const delegatedTo = delegate !== undefined && delegate !== null ? String(this.svc.templar.render(delegate, scope, where)) : undefined;
    const timeoutRaw = inv.keyword('timeout');
    const timeoutSec = timeoutRaw !== undefined ? Number(this.svc.templar.render(timeoutRaw, scope)) : this.svc.settings.defaultTimeoutSec;

    // the signal cancels the work on a timeout (withTimeout) and on an interrupt's kill (second Ctrl-C)
    const abort = new AbortController();
    const kill = this.svc.killSignal;
    const onKill = () => abort.abort();
    if (kill?.aborted) abort.abort();
    else kill?.addEventListener('abort', onKill, { once: true });
    const work = this.dispatch(inv, scope, action, args, delegatedTo, abort.signal).finally(() => kill?.removeEventListener('abort', onKill));
    let result: ModuleResult;
    try {
      result = await this.withTimeout(work, abort, timeoutSec, () =>
        timeoutRaw !== undefined
          ? `The ${task.action} action failed to execute in the expected time frame (${timeoutSec}) and was terminated`
          : describeHang(inv.host, task.name ?? task.action, args, timeoutSec),
      );
    } catch (e) {
      // an unreachable delegate is reported under its name ("h01 -> d2"), as Ansible labels it
      if (e instanceof UnreachableError && delegatedTo !== undefined) {
        return { status: 'unreachable', result: { changed: false, unreachable: true, msg: e.message }, delegatedTo };
      }
      throw e;
    }
    if (kill?.aborted && result.failed) result = { ...result, msg: 'the command was killed: the run was interrupted twice (Ctrl-C)' };
    const out: Record<string, unknown> = { ...result };
    // ansible-core's TaskExecutor: a result without `failed` gets it from its rc (a custom action
    // plugin that drops `failed` from a command's result), false with rc 0 or none
    if (out.failed === undefined) out.failed = !(out.rc === undefined || out.rc === null || out.rc === 0 || out.rc === '0');
    if (out.changed === undefined) out.changed = false;
    if (typeof out.stdout === 'string' && out.stdout_lines === undefined) out.stdout_lines = lines(out.stdout);
    if (typeof out.stderr === 'string' && out.stderr_lines === undefined) out.stderr_lines = lines(out.stderr);

    // until's attempts are there early, for changed_when/failed_when (TaskExecutor._execute)
    if (attempt !== undefined) out.attempts = attempt;
    // changed_when / failed_when see the task's own result under its register name
    const own = task.register ? scope.with({ [task.register]: registeredValue(task.action, out) }) : scope.with(out);
    // a conditional that cannot be evaluated fails the task but keeps its result, the error in
    // <changed|failed>_when_result (TaskExecutor._execute); failed_when is not evaluated then
    let condName = 'changed';
    // not for a skipped result
    if (!('skipped' in out)) {
      try {
        if (task.changed_when && task.changed_when.length) out.changed = this.cond(inv, own, task.changed_when, false);
        condName = 'failed';
        if (task.failed_when && task.failed_when.length) {
          const f = this.cond(inv, own, task.failed_when, false);
          out.failed_when_result = f;
          out.failed = f;
          if (!f && out.msg === 'non-zero return code') delete out.msg;
        }
      } catch (e) {
        if (!(e instanceof DroverError)) throw e;
        out.failed = true;
        out[`${condName}_when_result`] = e.message;
      }
    }
    const status = out.failed ? 'failed' : out.skipped ? 'skipped' : out.changed ? 'changed' : 'ok';
    return {
      status, result: out, delegatedTo, delegatedAddress: delegatedTo !== undefined ? delegateAddress(scope, delegatedTo) : undefined,
      action: action !== task.action ? action : undefined,
    };
  }

  /**
   * A task past its timeout is cancelled: the signal kills the running command's process group
   * on the host (transport), and the task fails once the work has stopped (or after a grace).
   */
  private async withTimeout(work: Promise<ModuleResult>, abort: AbortController, timeoutSec: number, message: () => string): Promise<ModuleResult> {
    if (!(timeoutSec > 0)) return work;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((res) => {
      timer = setTimeout(() => res('expired'), timeoutSec * 1000);
    });
    const first = await Promise.race([work, expired]);
    clearTimeout(timer);
    if (first !== 'expired') return first;
    abort.abort();
    await settle(work, KILL_GRACE_MS);
    return { failed: true, changed: false, msg: message() };
  }

  private async dispatch(inv: TaskInvocation, scope: VarScope, action: string, args: Record<string, unknown>, delegatedTo: string | undefined, signal: AbortSignal): Promise<ModuleResult> {
    const env = inv.keyword('environment');
    const environment = env ? renderEnvironment(env, (v) => this.svc.templar.render(v, scope), inv.task.origin.pos) : undefined;
    if (isBuiltinAction(action)) {
      return builtinAction(action, args, { svc: this.svc, inv, scope, delegatedTo, environment });
    }
    const mod = this.svc.module ? this.svc.module(action, inv.task) : getModule(action);
    // what Ansible says when a task's `action:` names no module (found only when it runs)
    if (!mod) return { failed: true, msg: `The module ${action} was not found in configured module paths` };
    const invalid = validateArgs(mod, args);
    if (invalid) return { failed: true, msg: invalid };
    const checkKw = inv.keyword('check_mode');
    const check = checkKw === undefined || checkKw === null ? this.svc.settings.check : toBool(this.svc.templar.render(checkKw, scope));
    const diffKw = inv.keyword('diff');
    const diff = diffKw === undefined || diffKw === null ? this.svc.settings.diff : toBool(this.svc.templar.render(diffKw, scope));
    if (check && !mod.supportsCheckMode) return { changed: false, skipped: true, msg: `remote module (${mod.name}) does not support check mode` };
    const target = delegatedTo ?? inv.host;
    const become = this.becomeSpec(inv, scope);
    const source = connectionSource(inv, scope, this.svc.templar, delegatedTo);
    const raw = mod.controllerOnly ? undefined : await this.svc.connect(target, source);
    let conn = raw ? withSignal(become ? withBecome(raw, become) : raw, signal) : raw;
    const ctx: ModuleContext = {
      host: inv.host,
      conn: conn as ModuleContext['conn'],
      check,
      diff,
      noLog: this.noLog(inv, scope),
      vars: new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? scope.get(k) : undefined), has: (_t, k) => typeof k === 'string' && scope.has(k) }) as Record<string, unknown>,
      render: (text) => this.svc.templar.render(text, scope),
      renderTemplate: (text, o) => this.svc.templar.renderTemplateFile(text, scope, { env: o.env, file: o.file }, { searchPaths: o.searchPaths }),
      evaluate: (expr) => this.svc.templar.evaluate(expr, scope),
      argIsUnsafe: (name) => this.svc.templar.render(inv.task.args[name], scope, { keepUnsafe: true }) instanceof Unsafe,
      condition: (expr) => this.cond(inv, scope, [expr], false),
      rawArgs: inv.task.args,
      warn: (message) => this.warn(inv, message),
      searchPaths: inv.searchPaths,
      unvault: (content, file) => unvaultContent(this.svc.settings.vault, content, file),
      prompt: this.svc.settings.prompt,
      verbosity: this.svc.settings.verbosity,
      signal,
      environment,
      run: async (command, opts) => {
        const c = conn ?? (await ctx.connect?.());
        if (!c) throw new Error(`module ${mod.name} runs on the controller only`);
        return c.exec(command, { ...opts, env: { ...(environment ?? {}), ...(opts?.env ?? {}) } });
      },
    };
    if (mod.controllerOnly) {
      // opened only when asked for: most controller-side actions never reach the host
      ctx.connect = async (o) => {
        const c = await this.svc.connect(target, source);
        return withSignal(become && o?.become !== false ? withBecome(c, become) : c, signal);
      };
    }
    const reconnect = this.svc.reconnect;
    if (reconnect && conn) {
      // wait_for_connection/reboot: the new connection replaces the old one for the rest of the task
      ctx.reconnect = async (o) => {
        const fresh = await reconnect(target, o, source);
        conn = withSignal(become ? withBecome(fresh, become) : fresh, signal);
        ctx.conn = conn;
        return conn;
      };
    }
    const result = await this.runModule(inv, scope, mod, args, ctx);
    // loop items keep it in the registered result; a task's own result shows it from -vvv only
    // (registering drops it): not built otherwise, as it validates the arguments a second time
    const wanted = inv.task.loop !== undefined || this.svc.settings.verbosity >= 3;
    // a module file reports its own invocation, censored by its argument_spec's no_log: one
    // that crashed reports none (MODULE FAILURE), and drover cannot know which values are secret
    if (!wanted || NO_INVOCATION.has(mod.name) || mod.opaqueArgs || result.invocation !== undefined) return result;
    return { ...result, invocation: moduleInvocation(mod, args) };
  }

  /**
   * The one place a module meets its host: run directly, or as a background job when the task
   * has `async:` (engine/executor/async-task.ts; the job's polling shows as task.async events).
   */
  private runModule(inv: TaskInvocation, scope: VarScope, mod: ModuleDefinition, args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
    const spec = asyncSpec(this.svc.templar.render(inv.task.async, scope), this.svc.templar.render(inv.task.poll, scope));
    if (!spec) return mod.run(args, ctx);
    return runAsync(mod, args, ctx, spec, (phase, r) => {
      const nested = r.async_result as Record<string, unknown> | undefined;
      this.svc.emit({ kind: 'task.async', taskId: inv.task.id, host: inv.host, phase, jid: r.ansible_job_id ?? nested?.ansible_job_id ?? null, started: r.started, finished: r.finished });
    });
  }

  /** become/become_user/become_method from keywords, host vars and the command line. */
  private becomeSpec(inv: TaskInvocation, scope: VarScope): BecomeSpec | undefined {
    const kw = (name: string, varName: string) => {
      const v = inv.keyword(name) ?? scope.get(varName);
      return v === undefined || v === null ? undefined : this.svc.templar.render(v, scope);
    };
    const on = kw('become', 'ansible_become');
    if (!(on === undefined ? this.svc.settings.become : toBool(on))) return undefined;
    const user = String(kw('become_user', 'ansible_become_user') ?? this.svc.settings.becomeUser ?? 'root');
    const method = String(kw('become_method', 'ansible_become_method') ?? this.svc.settings.becomeMethod ?? 'sudo');
    if (method !== 'sudo' && method !== 'su') throw new DroverError(`become method '${method}' is not supported (sudo, su)`);
    const pw = scope.get('ansible_become_password') ?? scope.get('ansible_become_pass') ?? this.svc.settings.becomePassword;
    return { method, user, password: pw === undefined ? undefined : String(pw) };
  }
}

/** How long a timed-out task's work may take to stop after its commands were killed. */
const KILL_GRACE_MS = 10_000;

/** C._ACTION_INVENTORY_TASKS: their loop items are printed once the inventory change is folded. */
const INVENTORY_ACTIONS = new Set(['add_host', 'group_by']);

/** Wait for `p` to settle (fulfilled or rejected), at most `ms`. */
async function settle(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((res) => (timer = setTimeout(res, ms)))]);
  clearTimeout(timer);
}

/** A connection whose commands are killed when the task's signal aborts (task timeout). */
function withSignal(conn: Connection, signal: AbortSignal): Connection {
  return {
    host: conn.host,
    transport: conn.transport,
    exec: (command, opts) => conn.exec(command, { signal, ...opts }),
    putFile: (dest, content, opts) => conn.putFile(dest, content, opts),
    getFile: (path, opts) => conn.getFile(path, opts),
    close: () => conn.close(),
    ...(conn.resident ? { resident: conn.resident.bind(conn) } : {}),
  };
}

/** A connection whose commands and file transfers run as the become user. */
function withBecome(conn: Connection, become: BecomeSpec): Connection {
  return {
    host: conn.host,
    transport: conn.transport,
    exec: (command, opts) => conn.exec(command, { become, ...opts }),
    putFile: (dest, content, opts) => conn.putFile(dest, content, { become, ...opts }),
    getFile: (path, opts) => conn.getFile(path, { become, ...opts }),
    close: () => conn.close(),
    ...(conn.resident ? { resident: (key: string, command: string) => conn.resident!(key, command, { become }) } : {}),
  };
}

/**
 * The delegate's `ansible_host` when it is set and differs from the delegate's name: Ansible's
 * default callback labels delegated results `h01 -> h10(10.0.0.10)` then (host_label, from the
 * result's _ansible_delegated_vars). Retry lines never show it (that result has no delegated vars).
 */
function delegateAddress(scope: VarScope, delegate: string): string | undefined {
  try {
    const hostvars = scope.get('hostvars') as Record<string, Record<string, unknown> | undefined> | undefined;
    const address = hostvars?.[delegate]?.ansible_host;
    return address === undefined || address === null || String(address) === delegate ? undefined : String(address);
  } catch {
    return undefined; // an address that does not render is the connection's problem, not the label's
  }
}
