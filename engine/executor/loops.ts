// Loop sources: `loop:` (a templated list) and the with_<lookup> family, whose items come from
// the lookup plugin of that name (the one registry, engine/template/lookups/) as ansible-core's
// TaskExecutor._get_loop_items asks for them.
import type { TemplateEngine, TemplateWhere } from './types.js';
import type { VarLookup } from '../vars/scope.js';

export class LoopError extends Error {}

/** The subdir first_found searches for a task: by its action, as the task executor sets _subdir. */
export function lookupSubdir(action: string): string {
  for (const subdir of ['template', 'var', 'file']) if (action.includes(subdir)) return `${subdir}s`;
  return 'files';
}

/** The items a task loops over: `loop` (withName undefined) or with_<withName>. */
export function loopItems(templar: TemplateEngine, task: { loop?: unknown; loopWith?: string; action: string }, vars: VarLookup, where: TemplateWhere): unknown[] {
  if (task.loopWith !== undefined) return templar.loopLookup(task.loopWith, task.loop, vars, where, lookupSubdir(task.action));
  const value = templar.render(task.loop, vars, where);
  if (!Array.isArray(value)) {
    throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
  }
  return value;
}
