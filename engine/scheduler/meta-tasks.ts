// meta tasks (flush_handlers, end_host, end_batch, end_play, clear_facts, clear_host_errors,
// noop, ...) as the linear strategy runs them.
import { PlaybookError } from '../errors/index.js';
import type { Task } from '../playbook/types.js';
import { flushHandlers } from './handlers.js';
import type { PlayRunner } from './play-runner.js';
import { conditionsOf, PlayAbort, type Walk } from './walk.js';

const PER_HOST = ['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete'];
const PLAY_WIDE = ['end_batch', 'end_play', 'clear_facts', 'clear_host_errors', 'refresh_inventory'];
const UNCONDITIONAL = ['noop', 'refresh_inventory', 'reset_connection', 'role_complete'];

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
  const flushFor: string[] = [];
  for (const h of perHost ? hosts : hosts.slice(0, 1)) {
    ctx.emit({ kind: 'task.start', taskId: task.id, name: ctx.taskTitle(task), action: task.action, handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line });
    if (!UNCONDITIONAL.includes(what) && !holds(h)) {
      ctx.emit({ kind: 'host.result', taskId: task.id, host: h, status: 'skipped', result: { changed: false, skipped: true, skip_reason: `${what} conditional evaluated to False` }, ignored: false });
      continue;
    }
    switch (what) {
      case 'flush_handlers':
        flushFor.push(h);
        break;
      case 'end_host':
        r.ended.add(h);
        break;
      case 'end_play':
        throw new PlayAbort('end_play');
      case 'end_batch':
        throw new PlayAbort('end_batch');
      case 'clear_facts':
        for (const x of r.vars.playHostsAll) ctx.state.clearFacts(x);
        break;
      case 'clear_host_errors':
        for (const x of r.vars.playHostsAll) {
          ctx.state.failed.delete(x);
          ctx.state.unreachable.delete(x);
        }
        break;
      default:
        break;
    }
  }
  if (flushFor.length) await flushHandlers(r, flushFor, w);
}
