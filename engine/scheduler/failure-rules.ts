// Ansible's end-of-round failure rules for a batch (linear strategy): any_errors_fatal and
// run_once failures force-fail every host left, max_fail_percentage compares the batch's
// failures with the batch size, and "NO MORE HOSTS LEFT" ends the batch.
import { toBool } from '../executor/truthy.js';
import { exceedsMaxFail } from '../plan/batches.js';
import type { Item } from '../playbook/types.js';
import type { PlayRunner } from './play-runner.js';
import { PlayAbort, type KeywordFn, type Walk } from './walk.js';

/**
 * Ansible's end-of-round checks (linear strategy): any_errors_fatal/run_once force-fails every
 * host left, max_fail_percentage compares this batch's failures with the batch size, and the
 * batch stops only when every host left is counted failed ("NO MORE HOSTS LEFT"); otherwise the
 * remaining hosts go on and only the later plays are skipped.
 */
export async function afterRound(r: PlayRunner, keyword: KeywordFn, roundFailed: string[], runOnce: boolean, hostsLeft: string[], w: Walk, task?: Item): Promise<void> {
  if (r.strategy === 'free') return;
  if (r.rolling) return r.rolling.afterRound(keyword, roundFailed, runOnce, roundFailed[0] ?? r.batch[0]);
  const { state } = r.ctx;
  const scope = r.vars.hostScope(r.batch[0]);
  const fatal = runOnce || toBool(r.renderKw(keyword('any_errors_fatal'), scope));
  if (fatal && roundFailed.length && !toBool(r.renderKw(keyword('ignore_errors'), scope))) {
    for (const h of hostsLeft) {
      if (spared(h, roundFailed.includes(h), w, task)) continue;
      r.batchFailed.add(h);
      state.failed.add(h);
      r.breakPlay = true;
    }
  }
  if (r.countUnreachable) for (const h of roundFailed) if (state.unreachable.has(h)) r.batchFailed.add(h);
  if (exceedsMaxFail(r.batchFailed.size, r.batch.length, r.maxFail)) {
    for (const h of hostsLeft) {
      if (roundFailed.includes(h) && !state.unreachable.has(h)) continue;
      r.batchFailed.add(h);
      state.failed.add(h);
    }
    r.ctx.emit({ kind: 'no_more_hosts' });
    r.breakPlay = true;
  }
  if (r.breakPlay && r.batchFailed.size >= hostsLeft.length) {
    r.ctx.emit({ kind: 'no_more_hosts' });
    throw new PlayAbort('break');
  }
}

/**
 * any_errors_fatal spares the hosts whose next step is a rescue or an always (linear.py's
 * dont_fail_states, after PlayIterator._set_failed_state): a host that just failed is caught by
 * the nearest enclosing block with a rescue or always (from its rescue: with an always); a host
 * that did not fail is spared while it runs a rescue or an always, or when `task` was the last
 * of its blocks and an always comes next.
 */
function spared(h: string, failedNow: boolean, w: Walk, task: Item | undefined): boolean {
  const blocks = [...w.blocks].reverse();
  if (failedNow) {
    return blocks.some((b) => (b.part === 'block' && (b.block.rescue.length > 0 || b.block.always.length > 0)) || (b.part === 'rescue' && b.block.always.length > 0));
  }
  let item = task;
  for (const b of blocks) {
    if (b.part === 'always') return true;
    if (b.part === 'rescue') return b.toRescue.has(h);
    const list = b.block.block;
    if (item === undefined || list[list.length - 1] !== item) return false;
    if (b.block.always.length) return true;
    item = b.block;
  }
  return false;
}
