// Folding one host's task outcome into the run: recap counters, registered variables, facts,
// add_host/group_by. Pure bookkeeping, no I/O.
import type { Task } from '../playbook/types.js';
import { FACT_KIND } from '../executor/builtin-actions.js';
import type { TaskOutcome } from '../executor/types.js';
import type { RunContext } from './context.js';

/** Apply facts and registered results of a host's outcome to `targets` (all batch hosts for run_once). */
export function applyResultVars(ctx: RunContext, task: Task, outcome: TaskOutcome, targets: string[], factsTarget?: string): void {
  const r = outcome.result;
  // a debug task's ansible_facts is only what it printed (`debug: var=ansible_facts`), never facts
  const facts = task.action === 'debug' ? undefined : (r.ansible_facts as Record<string, unknown> | undefined);
  const kind = r[FACT_KIND];
  delete r[FACT_KIND];
  for (const host of factsTarget ? [factsTarget] : targets) {
    if (facts && outcome.status !== 'failed' && outcome.status !== 'skipped') {
      // 2.14 (StrategyBase._process_pending_results): include_vars sets host vars; set_fact sets
      // non-persistent facts (and, cacheable, the fact cache too); any other module's
      // ansible_facts (setup, package_facts, service_facts...) go to the fact cache, which is
      // ansible_facts.X and, injected, the top-level names
      if (kind === 'include_vars') ctx.state.setIncludeVars(host, facts);
      else if (kind === 'set_fact') ctx.state.setHostFacts(host, facts);
      else if (kind === 'cacheable') {
        ctx.state.setHostFacts(host, facts);
        ctx.state.setFacts(host, facts);
      } else ctx.state.setFacts(host, facts);
    }
  }
  if (task.register) {
    // 2.14 registers a task's result without the module's invocation (loop items keep theirs)
    const { invocation: _shown, ...registered } = r;
    for (const host of targets) ctx.state.setHostFacts(host, { [task.register]: registered });
  }
  if (outcome.status === 'failed' || outcome.status === 'unreachable') return;
  // a looped add_host/group_by adds one host/group per item
  const items = Array.isArray(r.results) ? (r.results as Record<string, unknown>[]) : [r];
  for (const item of items) {
    if (item.failed || item.skipped) continue;
    const add = item.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
    if (add) ctx.inventory.addHost(add.host_name, add.groups, add.host_vars);
    if (typeof item.add_group === 'string') {
      const parents = (item.parent_groups as string[] | undefined) ?? ['all'];
      for (const p of parents) ctx.inventory.addGroup(item.add_group, p === 'all' ? undefined : p);
      for (const host of targets) ctx.inventory.addHost(host, [item.add_group]);
    }
  }
}
