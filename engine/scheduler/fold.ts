// Folding one host's task outcome into the run: registered variables, facts, add_host/group_by
// (whose changed_when is evaluated again, as 2.14 does) and set_stats data. No I/O.
import type { Task } from '../playbook/types.js';
import { factLayer, isCacheable, registeredValue, stripInternalKeys } from '../executor/result-vars.js';
import type { TaskOutcome } from '../executor/types.js';
import type { VarScope } from '../vars/scope.js';
import type { RunContext } from './context.js';
import { foldCustomStats } from './custom-stats.js';

/** Apply facts and registered results of a host's outcome to `targets` (all batch hosts for run_once). */
export function applyResultVars(ctx: RunContext, task: Task, outcome: TaskOutcome, targets: string[], factsTarget?: string, scope?: VarScope): void {
  const r = outcome.result;
  if (outcome.status !== 'failed' && outcome.status !== 'skipped' && outcome.status !== 'unreachable') {
    // 2.14 (StrategyBase._process_pending_results): every item of a loop, in order, else the
    // result; include_vars sets host vars; set_fact sets non-persistent facts (and, cacheable,
    // the fact cache too); any other module's ansible_facts (setup, package_facts...) go to the
    // fact cache, which is ansible_facts.X and, injected, the top-level names; a debug task's
    // ansible_facts is only what it printed (`debug: var=ansible_facts`)
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
  if (outcome.status !== 'failed' && outcome.status !== 'unreachable') applyInventoryChanges(ctx, task, outcome, targets, scope);
  if (task.register) {
    // 2.14 registers a task's result without the module's invocation (loop items keep theirs);
    // registered results are unsafe (wrap_var): text like "{{ x }}" in a command's output or an
    // error message is never templated again
    const { invocation: _shown, ...registered } = r;
    for (const host of targets) ctx.state.setHostFacts(host, { [task.register]: registeredValue(task.action, stripInternalKeys(registered) as Record<string, unknown>) });
  }
}

/**
 * add_host / group_by results change the inventory (and set_stats data is folded). add_host is
 * changed only when the host, its variables or its groups changed (add_dynamic_host), unless
 * changed_when decides; a looped one is changed when any item is.
 */
function applyInventoryChanges(ctx: RunContext, task: Task, outcome: TaskOutcome, targets: string[], scope?: VarScope): void {
  const r = outcome.result;
  const items = Array.isArray(r.results) ? (r.results as Record<string, unknown>[]) : [r];
  for (const item of items) {
    if (item.failed || item.skipped) continue;
    foldCustomStats(ctx.stats, item, targets);
    const add = item.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
    if (add) {
      item.changed = ctx.inventory.addHost(add.host_name, add.groups, add.host_vars);
      // post_process_whens: changed_when is evaluated again, seeing the new `changed`
      if (task.changed_when?.length && scope) {
        // a loop item's own variables (_get_item_vars) come with it
        const lv = typeof item.ansible_loop_var === 'string' ? item.ansible_loop_var : undefined;
        const iv = task.loop_control?.index_var as string | undefined;
        const itemVars = { ...(lv ? { [lv]: item[lv] } : {}), ...(iv ? { [iv]: item[iv] } : {}) };
        const own = scope.with({ ...itemVars, ...(task.register ? { [task.register]: item } : item) });
        item.changed = task.changed_when.every((c) => ctx.templar.evaluateCondition(c, own));
      }
      if (item.changed) r.changed = true;
    }
    if (typeof item.add_group === 'string') {
      const parents = (item.parent_groups as string[] | undefined) ?? ['all'];
      for (const p of parents) ctx.inventory.addGroup(item.add_group, p === 'all' ? undefined : p);
      for (const host of targets) ctx.inventory.addHost(host, [item.add_group]);
    }
  }
  if (outcome.status === 'ok' || outcome.status === 'changed') outcome.status = r.changed === true ? 'changed' : 'ok';
}
