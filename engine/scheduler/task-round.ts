// One task over the hosts of a batch (one "round" of the linear strategy): tag and
// --start-at-task filtering, dispatch of meta and include tasks, run_once and throttle, the
// executor call per host, and the end-of-round failure rules.
import pLimit from 'p-limit';
import type { Task } from '../playbook/types.js';
import { toBool } from '../executor/truthy.js';
import { afterRound } from './failure-rules.js';
import { runInclude } from './includes.js';
import { runMeta } from './meta-tasks.js';
import type { PlayRunner } from './play-runner.js';
import { tagsSelected } from './tags.js';
import { conditionsOf, inheritedKeyword, tagsOf, type Walk } from './walk.js';

const INCLUDES = ['include_tasks', 'include', 'import_tasks', 'include_role', 'import_role'];

export async function runTaskRound(r: PlayRunner, task: Task, hosts: string[], w: Walk): Promise<void> {
  const { ctx } = r;
  if (!w.handler && !tagsSelected(tagsOf(task, w.frames), ctx.options.tags)) return;
  if (task.action !== 'gather_facts' && r.startAtSkips(task)) return;
  ctx.checkInterrupt();
  let runHosts = hosts.filter((h) => r.active(h));
  if (!runHosts.length) return;
  const keyword = inheritedKeyword(task, w.frames);
  if (r.pendingLast) {
    const merged = await r.runPendingHandler(task, runHosts, w, keyword);
    runHosts = runHosts.filter((h) => !merged.includes(h) && r.active(h));
    if (!runHosts.length) return;
  }
  if (task.action === 'meta') return runMeta(r, task, runHosts, w);
  if (INCLUDES.includes(task.action)) return runInclude(r, task, runHosts, w, keyword);
  const scopeOf = (h: string) => r.vars.taskScope(h, w.frames, task);
  // add_host bypasses the host loop (Ansible's BYPASS_HOST_LOOP): it runs once, like run_once
  const runOnce = task.action === 'add_host' || toBool(r.renderKw(keyword('run_once'), scopeOf(runHosts[0])));
  const batchActive = r.batch.filter((h) => r.active(h));
  // Ansible's hosts_left: the batch minus unreachable hosts, taken before the round runs
  const hostsLeft = r.batch.filter((h) => !ctx.state.unreachable.has(h));
  if (runOnce && r.rolling) return r.rolling.runOnce(task, runHosts[0], w, keyword);
  if (runOnce) runHosts = [runHosts[0]];
  ctx.emit({
    kind: 'task.start', taskId: task.id, name: ctx.taskTitle(task, scopeOf(runHosts[0])), action: task.action,
    handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line,
    hosts: runHosts, // live view rows
  });
  const throttle = Number(r.renderKw(keyword('throttle'), scopeOf(runHosts[0])) ?? 0);
  const limit = throttle > 0 ? r.throttleFor(task, Math.min(throttle, ctx.options.forks)) : pLimit(Math.max(1, ctx.options.forks));
  // each host's result is folded (and printed) as soon as it arrives, as Ansible's callbacks do
  const roundFailed: string[] = [];
  await Promise.all(
    runHosts.map((h) =>
      limit(async () => {
        if (ctx.stopping) return; // interrupted: a queued host does not start
        const out = await ctx.executor.run({
          task, host: h, scope: scopeOf(h), keyword, conditions: conditionsOf(task, w.frames), searchPaths: r.searchPaths(task),
          scopeOn: scopeOf,
        });
        if (r.fold(task, h, out, w, keyword, runOnce ? batchActive : [h])) roundFailed.push(h);
      }),
    ),
  );
  ctx.checkInterrupt();
  await afterRound(r, keyword, roundFailed, runOnce, hostsLeft, w, task);
}
