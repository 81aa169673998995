// meta tasks (flush_handlers, end_host, end_batch, end_play, clear_facts, clear_host_errors,
// noop, ...) as the linear strategy runs them, with 2.14's messages: the -vv "META: ..." line,
// and a skipped meta's result (msg, skip_reason) as StrategyBase._execute_meta builds it.
import { PlaybookError } from '../errors/index.js';
import type { Task } from '../playbook/types.js';
import { flushHandlers } from './handlers.js';
import type { PlayRunner } from './play-runner.js';
import { conditionsOf, PlayAbort, type Walk } from './walk.js';

const PER_HOST = ['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete'];
const PLAY_WIDE = ['end_batch', 'end_play', 'clear_facts', 'clear_host_errors', 'refresh_inventory'];
/** These ignore `when`; all but role_complete warn about it. */
const UNCONDITIONAL = ['noop', 'refresh_inventory', 'reset_connection', 'role_complete'];
const WARN_WHEN = ['noop', 'refresh_inventory', 'reset_connection'];

/** What one meta action did on one host: Ansible's message, or why it was skipped. */
interface MetaOutcome {
  msg: string;
  skipReason?: string;
}

/**
 * Meta tasks as the linear strategy runs them: each host that reaches the task prints the banner
 * and is handled in turn, except for the play-wide actions (end_batch, end_play, clear_facts,
 * clear_host_errors, refresh_inventory) which run for the first host only. A false `when`
 * prints "skipping". Meta results are not counted in the recap.
 */
export async function runMeta(r: PlayRunner, task: Task, hosts: string[], w: Walk): Promise<void> {
  const { ctx } = r;
  const what = String(task.args._raw_params ?? task.args.name ?? '').trim();
  const conds = conditionsOf(task, w.frames);
  const holds = (h: string) => conds.every((c) => ctx.templar.evaluateCondition(c, r.vars.taskScope(h, w.frames, task), { file: task.origin.pos.file, line: task.origin.pos.line }));
  const perHost = PER_HOST.includes(what);
  if (!perHost && !PLAY_WIDE.includes(what)) {
    throw new PlaybookError(`invalid meta action requested: ${what}`, task.origin.pos);
  }
  if (what === 'flush_handlers' && w.handler) throw new PlaybookError('flush_handlers cannot be used as a handler', task.origin.pos);
  const flushFor: string[] = [];
  let abort: PlayAbort | undefined;
  for (const h of perHost ? hosts : hosts.slice(0, 1)) {
    ctx.emit({ kind: 'task.start', taskId: task.id, name: ctx.taskTitle(task), action: task.action, handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line });
    if (WARN_WHEN.includes(what) && task.when?.length) ctx.emit({ kind: 'warning', message: `${what} task does not support when conditional` });
    const run = UNCONDITIONAL.includes(what) || holds(h);
    const out = metaOutcome(what, h, run);
    if (run) {
      switch (what) {
        case 'flush_handlers':
          flushFor.push(h);
          break;
        case 'end_host':
          r.ended.add(h);
          break;
        case 'end_play':
          abort = new PlayAbort('end_play');
          break;
        case 'end_batch':
          abort = new PlayAbort('end_batch');
          break;
        case 'clear_facts':
          for (const x of r.vars.playHostsAll) ctx.state.clearFacts(x);
          break;
        case 'clear_host_errors':
          r.errorsCleared++;
          for (const x of r.vars.playHostsAll) {
            ctx.state.failed.delete(x);
            ctx.state.unreachable.delete(x);
          }
          break;
        default:
          break;
      }
    }
    ctx.emit({ kind: 'message', text: `META: ${out.skipReason ?? out.msg}`, stream: 'stdout', verbosity: 2 });
    if (out.skipReason !== undefined) {
      ctx.emit({ kind: 'host.result', taskId: task.id, host: h, status: 'skipped', result: { msg: out.msg, skipped: true, skip_reason: out.skipReason }, ignored: false });
    }
    if (abort) throw abort;
  }
  if (flushFor.length) await flushHandlers(r, flushFor, w);
}

/** StrategyBase._execute_meta's msg and skip_reason for one host (`run`: its `when` held). */
function metaOutcome(what: string, host: string, run: boolean): MetaOutcome {
  const skipped = (suffix: string, msg = what): MetaOutcome => ({ msg, skipReason: `${what} conditional evaluated to False, ${suffix}` });
  switch (what) {
    case 'noop':
      return { msg: 'noop' };
    case 'flush_handlers':
      return run ? { msg: `triggered running handlers for ${host}` } : skipped(`not running handlers for ${host}`);
    case 'refresh_inventory':
      return { msg: 'inventory successfully refreshed' };
    case 'clear_facts':
      return run ? { msg: 'facts cleared' } : skipped(`not clearing facts and fact cache for ${host}`);
    case 'clear_host_errors':
      return run ? { msg: 'cleared host errors' } : skipped(`not clearing host error state for ${host}`);
    case 'end_batch':
      return run ? { msg: 'ending batch' } : skipped('continuing current batch');
    case 'end_play':
      return run ? { msg: 'ending play' } : skipped('continuing play');
    case 'end_host':
      return run
        ? { msg: `ending play for ${host}` }
        : skipped(`continuing execution for ${host}`, `end_host conditional evaluated to false, continuing execution for ${host}`);
    case 'reset_connection':
      return { msg: 'reset connection' };
    default:
      return { msg: what };
  }
}
