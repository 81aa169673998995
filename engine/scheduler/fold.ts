// Folding one host's task outcome into the run: recap counters, registered variables, facts,
// add_host/group_by, set_stats data, and handler notifications. Pure bookkeeping, no I/O.
import type { Task } from '../playbook/types.js';
import { factLayer, isCacheable } from '../executor/result-vars.js';
import type { TaskOutcome } from '../executor/types.js';
import { OPAQUE } from '../vars/scope.js';
import type { RunContext } from './context.js';
import { foldCustomStats } from './custom-stats.js';

/** Apply facts and registered results of a host's outcome to `targets` (all batch hosts for run_once). */
export function applyResultVars(ctx: RunContext, task: Task, outcome: TaskOutcome, targets: string[], factsTarget?: string): void {
  const r = outcome.result;
  if (outcome.status !== 'failed' && outcome.status !== 'skipped' && outcome.status !== 'unreachable') {
    // 2.14 (StrategyBase._process_pending_results): every item of a loop, in order, else the
    // result; include_vars sets host vars; set_fact sets non-persistent facts (and, cacheable,
    // the fact cache too); any other module's ansible_facts (setup, package_facts...) go to the
    // fact cache, which is ansible_facts.X and, injected, the top-level names
    const items = task.loop !== undefined ? ((r.results as Record<string, unknown>[] | undefined) ?? []) : [r];
    const layer = factLayer(task.action);
    for (const item of items) {
      const facts = item.ansible_facts as Record<string, unknown> | undefined;
      if (!facts || typeof facts !== 'object' || task.action === 'debug') continue;
      for (const host of factsTarget ? [factsTarget] : targets) {
        if (layer === 'include_vars') ctx.state.setIncludeVars(host, facts);
        else if (layer === 'set_fact') {
          if (isCacheable(item)) ctx.state.setFacts(host, facts);
          ctx.state.setHostFacts(host, facts);
        } else ctx.state.setFacts(host, facts);
      }
    }
  }
  if (task.register) {
    // registered results are unsafe in Ansible (wrap_var): text like "{{ x }}" in a command's
    // output or an error message is never templated again
    if (!Object.prototype.hasOwnProperty.call(r, OPAQUE)) Object.defineProperty(r, OPAQUE, { value: true });
    for (const host of targets) ctx.state.setHostFacts(host, { [task.register]: r });
  }
  if (outcome.status === 'failed' || outcome.status === 'unreachable') return;
  // a looped add_host/group_by adds one host/group per item
  const items = Array.isArray(r.results) ? (r.results as Record<string, unknown>[]) : [r];
  for (const item of items) {
    if (item.failed || item.skipped) continue;
    foldCustomStats(ctx.stats, item, targets);
    const add = item.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
    if (add) ctx.inventory.addHost(add.host_name, add.groups, add.host_vars);
    if (typeof item.add_group === 'string') {
      const parents = (item.parent_groups as string[] | undefined) ?? ['all'];
      for (const p of parents) ctx.inventory.addGroup(item.add_group, p === 'all' ? undefined : p);
      for (const host of targets) ctx.inventory.addHost(host, [item.add_group]);
    }
  }
}

/**
 * Handler tasks a notify name refers to: the first handler with that name (Ansible's
 * search_handler_blocks_by_name, so a role loaded twice does not run its handler twice), plus
 * every handler that listens to it.
 */
export function handlersFor(handlers: Task[], name: string): Task[] {
  const ownNames = (h: Task) => (h.origin.role ? [h.name, `${h.origin.role.name} : ${h.name}`] : [h.name]);
  const named = handlers.find((h) => ownNames(h).includes(name));
  // the loader lists a handler's own names among its `listen` topics; only real topics fan out
  return handlers.filter((h) => h === named || ((h.listen ?? []).includes(name) && !ownNames(h).includes(name)));
}
