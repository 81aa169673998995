// Runs playbook files: for each play, resolve its hosts (pattern, --limit, order), cut serial
// batches, run them, apply the whole-batch rule, and compute ansible-playbook's exit code.
import { Interrupted } from './interrupt.js';
import { DroverError, ExitCode } from '../errors/index.js';
import { applyLimit, resolvePattern } from '../inventory/index.js';
import { RESERVED_VAR_NAMES } from '../playbook/keywords.js';
import type { Play, Playbook } from '../playbook/types.js';
import { computeBatches, orderHosts, parsePercent } from '../plan/batches.js';
import { toBool } from '../executor/truthy.js';
import { VarScope } from '../vars/scope.js';
import type { RunContext } from './context.js';
import { PlayRunner } from './play-runner.js';

/** Ansible's TaskQueueManager results. */
const RUN_OK = 0;
const RUN_FAILED_HOSTS = 2;
const RUN_UNREACHABLE = 4;

/** Strategies drover runs: Ansible's own (host_pinned and debug run as linear) and its rolling. */
const STRATEGIES = new Set(['linear', 'free', 'host_pinned', 'debug', 'rolling']);

/**
 * TaskQueueManager.run loads the play's strategy once the PLAY banner is out, before any task:
 * an unknown one stops the run there (a plain AnsibleError, exit 1), even for a play with no task.
 */
function checkStrategy(strategy: string, play: Play): void {
  if (!STRATEGIES.has(strategy)) {
    throw new DroverError(`Invalid play strategy specified: ${strategy}`, { pos: play.origin.pos, exitCode: ExitCode.ERROR });
  }
}

export class PlaybookRunner {
  /** Result of the last batch run, which becomes the exit code (as ansible-playbook). */
  private result = RUN_OK;

  constructor(private readonly ctx: RunContext) {}

  /** Scope for play-level keywords (hosts, serial, max_fail_percentage): play vars + extra vars. */
  private playScope(play: Play): VarScope {
    return new VarScope({ play_vars: play.vars ?? {}, extra_vars: this.ctx.options.extraVars }, (v, l, o) => this.ctx.templar.render(v, l, o));
  }

  /** Play hosts after pattern, --limit and order. */
  playHosts(play: Play): string[] {
    const { hosts, warnings } = this.listHosts(play);
    for (const w of warnings) this.ctx.emit({ kind: 'warning', message: w });
    return hosts;
  }

  /** The play's hosts (pattern, --limit, order) and the warnings resolving them gave. */
  listHosts(play: Play): { hosts: string[]; warnings: string[] } {
    const scope = this.playScope(play);
    const pattern = this.ctx.templar.render(play.hosts, scope, { file: play.origin.pos.file, line: play.origin.pos.line, what: 'hosts' }) as string | string[];
    const { hosts, warnings } = resolvePattern(this.ctx.inventory, pattern);
    const limited = this.ctx.options.limit ? applyLimit(this.ctx.inventory, hosts, this.ctx.options.limit, { cwd: this.ctx.options.cwd }) : hosts;
    return { hosts: orderHosts(limited, this.ctx.templar.render(play.order, scope, { file: play.origin.pos.file, line: play.origin.pos.line, what: 'order' })), warnings };
  }

  /**
   * `given`: the path as written on the command line (Ansible's -vv "N plays in PATH");
   * `imports`: the task files it imported statically; `warnings`: what loading it (or the
   * inventory) warned about, reported once the playbook has started.
   */
  async runPlaybook(pb: Playbook, o: { given?: string; imports?: string[]; warnings?: string[] } = {}): Promise<number> {
    const { extraVars, limit, tags, check, forks, inventorySources } = this.ctx.options;
    const run = { extraVars, limit, tags: tags.only, skipTags: tags.skip, check, forks, inventory: inventorySources };
    this.ctx.emit({ kind: 'playbook.start', file: pb.file, given: o.given, plays: pb.plays.length, imports: o.imports?.length ? o.imports : undefined, run });
    for (const message of o.warnings ?? []) this.ctx.emit({ kind: 'warning', message });
    for (const play of pb.plays) {
      // a `when` on import_playbook does not skip the play: it lands on every task (play-runner)
      let stop: boolean;
      try {
        stop = await this.runPlay(play, play.origin.baseDir); // an imported playbook's plays run from its folder
      } catch (e) {
        if (e instanceof Interrupted) e.pending = this.pendingHosts;
        throw e;
      }
      if (stop) break;
    }
    return this.result;
  }

  /** Hosts of the running play's current and later batches (Interrupted.pending). */
  private pendingHosts: string[] = [];

  /** Returns true when the rest of the playbook must be skipped (break_play). */
  private async runPlay(play: Play, playbookDir: string): Promise<boolean> {
    const scope = this.playScope(play);
    const hosts = this.playHosts(play);
    // ansible.builtin.free is free (the plugin loader resolves the FQCN)
    const strategy = String(this.ctx.templar.render(play.strategy ?? this.ctx.options.defaultStrategy ?? 'linear', scope)).replace(/^ansible\.(builtin|legacy)\./, '');
    const serial = this.ctx.templar.render(play.serial, scope);
    const name = play.name ? String(this.ctx.templar.render(play.name, scope)) : String(play.hosts);
    if (!hosts.length) {
      this.ctx.emit({ kind: 'play.start', name, pattern: String(play.hosts), hosts, strategy, serial });
      this.ctx.emit({ kind: 'play.nohosts', name });
      return false;
    }
    const maxFail = parsePercent(this.ctx.templar.render(play.max_fail_percentage, scope));
    if (maxFail !== undefined && strategy === 'free') {
      this.ctx.emit({ kind: 'warning', message: 'Using max_fail_percentage with the free strategy is not supported, as tasks are executed independently on each host' });
    }
    const continueOnBatchFailure = this.ctx.options.continueOnBatchFailure || toBool(this.ctx.templar.render(play.continue_on_batch_failure, scope));
    this.warnReserved(play);
    const runner = new PlayRunner(this.ctx, play, hosts, playbookDir, strategy);
    await this.askPrompts(play, runner);
    if (strategy === 'rolling') return this.runRolling(play, runner, hosts, { name, serial, maxFail, continueOnBatchFailure });
    const batches = computeBatches(hosts, serial);
    const { failed, unreachable } = this.ctx.state;
    // Ansible's whole-batch rule compares the growth of failed + unreachable with the batch size;
    // a host both force-failed and unreachable counts twice (2.14 quirk, kept on purpose).
    let previously = failed.size + unreachable.size;
    let breakPlay = false;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i];
      this.pendingHosts = batches.slice(i).flat();
      const before = new Set(batch.filter((h) => failed.has(h) || unreachable.has(h)));
      this.ctx.emit({ kind: 'play.start', name, pattern: String(play.hosts), hosts: batch, strategy, serial });
      checkStrategy(strategy, play);
      this.ctx.emit({ kind: 'batch.start', index: i, count: batches.length, hosts: batch, maxFailPercentage: maxFail, playHosts: hosts.length }); // playHosts: live view progress
      await runner.runBatch(batch, maxFail);
      const newlyFailed = batch.filter((h) => !before.has(h) && failed.has(h));
      const newlyUnreachable = batch.filter((h) => !before.has(h) && unreachable.has(h));
      this.ctx.emit({ kind: 'batch.done', index: i, failed: newlyFailed, unreachable: newlyUnreachable });
      this.result = runner.breakPlay ? RUN_FAILED_HOSTS : unreachable.size > 0 ? RUN_UNREACHABLE : failed.size > 0 ? RUN_FAILED_HOSTS : RUN_OK;
      if (runner.endPlay) break;
      if (runner.breakPlay) breakPlay = true;
      const failedCount = failed.size + unreachable.size - previously;
      if (failedCount === batch.length && !continueOnBatchFailure) return true;
      previously = failed.size + unreachable.size;
    }
    if (breakPlay) return true;
    this.ctx.emit({ kind: 'play.done', name });
    return false;
  }

  /**
   * drover's strategy: rolling — one window over all the play's hosts instead of batches (one
   * PLAY banner, one batch event). The window's failure rules (rolling.ts) set what a batch's
   * would: break_play skips later plays, a fully failed window ends the run.
   */
  private async runRolling(play: Play, runner: PlayRunner, hosts: string[], o: { name: string; serial: unknown; maxFail: number | undefined; continueOnBatchFailure: boolean }): Promise<boolean> {
    const { failed, unreachable } = this.ctx.state;
    const before = new Set(hosts.filter((h) => failed.has(h) || unreachable.has(h)));
    this.ctx.emit({ kind: 'play.start', name: o.name, pattern: String(play.hosts), hosts, strategy: 'rolling', serial: o.serial });
    this.ctx.emit({ kind: 'batch.start', index: 0, count: 1, hosts, maxFailPercentage: o.maxFail, playHosts: hosts.length });
    this.pendingHosts = hosts;
    const window = await runner.runRolling(hosts, o.serial, o.maxFail, o.continueOnBatchFailure);
    this.ctx.emit({
      kind: 'batch.done', index: 0,
      failed: hosts.filter((h) => !before.has(h) && failed.has(h)), unreachable: hosts.filter((h) => !before.has(h) && unreachable.has(h)),
    });
    this.result = runner.breakPlay ? RUN_FAILED_HOSTS : unreachable.size > 0 ? RUN_UNREACHABLE : failed.size > 0 ? RUN_FAILED_HOSTS : RUN_OK;
    if (runner.breakPlay || window.windowFailed) return true;
    this.ctx.emit({ kind: 'play.done', name: o.name });
    return false;
  }

  /** TaskQueueManager.run's warn_if_reserved over the play-level variables (no host's). */
  private warnReserved(play: Play): void {
    const layers: Record<string, unknown>[] = [play.vars ?? {}, this.ctx.options.extraVars];
    for (const item of play.roles) {
      const role = item.origin.role;
      if (role) layers.push(role.defaults, role.roleVars, role.entryVars ?? {});
    }
    const names = new Set(layers.flatMap((l) => Object.keys(l)));
    for (const name of [...names].sort()) {
      if (RESERVED_VAR_NAMES.has(name)) this.ctx.emit({ kind: 'warning', message: `Found variable using reserved name: ${name}` });
    }
  }

  private async askPrompts(play: Play, runner: PlayRunner): Promise<void> {
    for (const p of play.vars_prompt) {
      if (p.name in this.ctx.options.extraVars) continue;
      const prompt = this.ctx.options.prompt;
      if (prompt && process.stdin.isTTY) {
        this.ctx.emit({ kind: 'prompt', message: p.prompt ?? p.name });
        const answer = await prompt(`${p.prompt ?? p.name}${p.default !== undefined ? ` [${String(p.default)}]` : ''}: `, { echo: !p.private });
        runner.vars.promptAnswers[p.name] = answer === '' && p.default !== undefined ? p.default : answer;
      } else if (p.default !== undefined) {
        runner.vars.promptAnswers[p.name] = p.default;
      } else {
        throw new DroverError(`vars_prompt '${p.name}' needs an answer but there is no terminal; pass it with -e ${p.name}=...`, {
          pos: play.origin.pos,
          exitCode: ExitCode.ERROR,
        });
      }
    }
  }
}
