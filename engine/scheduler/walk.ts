// The state of walking a play's task tree: the enclosing frames (play, blocks, includes, roles),
// the blocks being walked (for rescue), and what a task inherits from them (keywords, `when`,
// tags). Shared by every part of the play runner.
import type { Block, CommonKeywords, Task } from '../playbook/types.js';
import type { Frame } from './variables.js';

/** Thrown to stop the rest of the play (end_play, max_fail_percentage, any_errors_fatal). */
export class PlayAbort extends Error {
  constructor(readonly reason: 'end_play' | 'break' | 'end_batch') {
    super(reason);
  }
}

/** A block being walked: who entered it, who awaits its rescue. */
export interface BlockState {
  block: Block;
  part: 'block' | 'rescue' | 'always';
  toRescue: Set<string>;
}

export interface Walk {
  frames: Frame[];
  blocks: BlockState[];
  handler?: boolean;
}

/** A task's effective keyword value (task → blocks → play). */
export type KeywordFn = (name: string) => unknown;

/** Keyword value inherited from task → blocks → play. */
export function inheritedKeyword(task: Task, frames: Frame[]): KeywordFn {
  return (name: string): unknown => {
    // environment is merged from the play down to the task (inner keys win): every level's
    // value in order, rendered and merged by the executor
    // module_defaults too (a list attribute with extend and prepend: the play's first)
    if (name === 'environment' || name === 'module_defaults') {
      const layers = [...frames.map((f) => (f.node as Record<string, unknown>)[name]), (task as unknown as Record<string, unknown>)[name]];
      const set = layers.filter((l) => l !== undefined && l !== null);
      return set.length ? set : undefined;
    }
    const own = (task as unknown as Record<string, unknown>)[name];
    if (own !== undefined) return own;
    for (let i = frames.length - 1; i >= 0; i--) {
      const v = (frames[i].node as Record<string, unknown>)[name];
      if (v !== undefined && name !== 'vars') return v;
    }
    return undefined;
  };
}

/** All `when` conditions from the play, blocks, imports and the task itself (ANDed). */
export function conditionsOf(task: Task, frames: Frame[]): unknown[] {
  const out: unknown[] = [];
  for (const f of frames) out.push(...((f.node as CommonKeywords).when ?? []));
  out.push(...(task.when ?? []));
  return out;
}

/** Tags of a task including those inherited from its frames. */
export function tagsOf(task: Task, frames: Frame[]): string[] {
  const out = new Set<string>();
  for (const f of frames) for (const t of (f.node as CommonKeywords).tags ?? []) out.add(t);
  for (const t of task.tags ?? []) out.add(t);
  return [...out];
}
