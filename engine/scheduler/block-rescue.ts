// block / rescue / always: which hosts enter each part, how a rescue clears the failure, and how
// `always` runs for failed hosts without un-failing them.
import type { Block } from '../playbook/types.js';
import type { PlayRunner } from './play-runner.js';
import type { BlockState, Walk } from './walk.js';

export async function runBlock(r: PlayRunner, block: Block, hosts: string[], w: Walk): Promise<void> {
  const { state } = r.ctx;
  const entered = hosts.filter((h) => r.active(h));
  if (!entered.length) return;
  const bs: BlockState = { block, part: 'block', toRescue: new Set() };
  const inner: Walk = { ...w, frames: [...w.frames, { node: block }], blocks: [...w.blocks, bs] };
  await r.walk(block.block, entered, inner);
  if (block.rescue.length && bs.toRescue.size) {
    bs.part = 'rescue';
    const rescued = entered.filter((h) => bs.toRescue.has(h) && !state.unreachable.has(h));
    for (const h of rescued) state.failed.delete(h);
    await r.walk(block.rescue, rescued, inner);
  }
  if (block.always.length) {
    bs.part = 'always';
    const wasFailed = entered.filter((h) => state.failed.has(h));
    for (const h of wasFailed) state.failed.delete(h);
    const cleared = r.errorsCleared;
    await r.walk(block.always, entered.filter((h) => !state.unreachable.has(h) && !r.ended.has(h)), inner);
    // a meta: clear_host_errors in the always leaves them cleared
    if (r.errorsCleared === cleared) for (const h of wasFailed) state.failed.add(h);
  }
}
