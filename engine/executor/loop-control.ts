// loop_control as ansible-core 2.14's TaskExecutor._run_loop applies it: the loop variable,
// index_var (and ansible_index_var), and ansible_loop only with `extended` (allitems unless
// extended_allitems is false); what each item's result carries back.
import type { LoopControl } from '../playbook/types.js';
import { toBool } from './truthy.js';

/** loop_control, rendered (post_validate) for one task run. */
export interface LoopSettings {
  loopVar: string;
  indexVar?: string;
  extended: boolean;
  allItems: boolean;
}

export function loopSettings(lc: LoopControl | undefined, render: (v: unknown) => unknown): LoopSettings {
  const c = lc ?? {};
  const flag = (v: unknown, dflt: boolean) => (v === undefined || v === null ? dflt : toBool(render(v)));
  return {
    loopVar: (c.loop_var ? String(render(c.loop_var)) : '') || 'item',
    indexVar: c.index_var ? String(render(c.index_var)) : undefined,
    extended: flag(c.extended, false),
    allItems: flag((c as Record<string, unknown>).extended_allitems, true),
  };
}

/** The variables iteration `i` adds (and its item result carries): loop var, index, ansible_loop. */
export function loopOverlay(items: unknown[], i: number, s: LoopSettings): Record<string, unknown> {
  const overlay: Record<string, unknown> = { [s.loopVar]: items[i], ansible_loop_var: s.loopVar };
  if (s.indexVar) {
    overlay[s.indexVar] = i;
    overlay.ansible_index_var = s.indexVar;
  }
  if (s.extended) {
    const loop: Record<string, unknown> = {
      index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length,
      revindex: items.length - i, revindex0: items.length - i - 1,
    };
    if (s.allItems) loop.allitems = items;
    if (i + 1 < items.length) loop.nextitem = items[i + 1];
    if (i > 0) loop.previtem = items[i - 1];
    overlay.ansible_loop = loop;
  }
  return overlay;
}
