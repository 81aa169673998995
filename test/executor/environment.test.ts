// environment merging: play → block → task layers (dicts or lists of dicts), inner keys win,
// values become strings the way Python's str() prints them.
import { describe, expect, it } from 'vitest';
import { mergeEnvironment } from '../../engine/executor/environment.js';
import { loopOverlay } from '../../engine/executor/task-executor.js';

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
  it('sets the loop var, index_var and ansible_loop', () => {
    const o = loopOverlay(['a', 'b', 'c'], 1, 'pkg', 'idx');
    expect(o.pkg).toBe('b');
    expect(o.idx).toBe(1);
    expect(o.ansible_loop_var).toBe('pkg');
    expect(o.ansible_loop).toMatchObject({ index: 2, index0: 1, first: false, last: false, previtem: 'a', nextitem: 'c', length: 3 });
  });
});
