// environment merging: play → block → task layers (dicts or lists of dicts), inner keys win,
// values become strings the way Python's str() prints them; loop_control's per-iteration variables.
import { describe, expect, it } from 'vitest';
import { mergeEnvironment } from '../../engine/executor/environment.js';
import { loopOverlay } from '../../engine/executor/loop-control.js';

describe('mergeEnvironment', () => {
  it('lets the task override the play and keeps other keys', () => {
    expect(mergeEnvironment([{ A: 'play', B: 'play' }, { B: 'task', C: 'task' }])).toEqual({ A: 'play', B: 'task', C: 'task' });
  });
  it('accepts a single dict, nested lists and non-string values', () => {
    expect(mergeEnvironment({ N: 1, T: true })).toEqual({ N: '1', T: 'True' });
    expect(mergeEnvironment([[{ A: 'x' }], { A: 'y' }])).toEqual({ A: 'y' });
  });
});

describe('loopOverlay', () => {
  it('sets the loop var, index_var and, with extended, ansible_loop', () => {
    const o = loopOverlay(['a', 'b', 'c'], 1, { loopVar: 'pkg', indexVar: 'idx', extended: true, allItems: true });
    expect(o.pkg).toBe('b');
    expect(o.idx).toBe(1);
    expect(o.ansible_loop_var).toBe('pkg');
    expect(o.ansible_index_var).toBe('idx');
    expect(o.ansible_loop).toMatchObject({ index: 2, index0: 1, first: false, last: false, previtem: 'a', nextitem: 'c', length: 3, allitems: ['a', 'b', 'c'] });
  });
  it('leaves ansible_loop out without extended, and allitems out with extended_allitems false', () => {
    expect(loopOverlay(['a'], 0, { loopVar: 'item', extended: false, allItems: true })).not.toHaveProperty('ansible_loop');
    const o = loopOverlay(['a', 'b'], 0, { loopVar: 'item', extended: true, allItems: false });
    expect(o.ansible_loop).not.toHaveProperty('allitems');
    expect(o.ansible_loop).not.toHaveProperty('previtem');
  });
});
