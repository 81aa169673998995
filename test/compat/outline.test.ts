// comparableOutline: which parts of the output outline are compared for timing-dependent cases.
import { describe, expect, it } from 'vitest';
import { comparableOutline } from './harness.js';
import type { CompatCase } from './cases.js';

const base: CompatCase = { id: 'x', playbook: 'x.yml', inventory: 'i.ini', extraArgs: [], compareLogOrder: true, expectRc: 0, note: '' };

describe('comparableOutline', () => {
  const lines = ['PLAY [p] ***', 'TASK [t] ***', 'ok: [h02]', 'ok: [h01]', 'TASK [u] ***', 'changed: [h03]', 'PLAY RECAP ***'];
  it('keeps everything in order by default', () => {
    expect(comparableOutline(lines, base)).toEqual(lines);
  });
  it('sorts result lines within a task when results are unordered', () => {
    expect(comparableOutline(lines, { ...base, unorderedResults: true })).toEqual(['PLAY [p] ***', 'TASK [t] ***', 'ok: [h01]', 'ok: [h02]', 'TASK [u] ***', 'changed: [h03]', 'PLAY RECAP ***']);
  });
  it('drops task banners for strategy free cases', () => {
    expect(comparableOutline(lines, { ...base, compareLogOrder: false })).toEqual(['PLAY [p] ***', 'ok: [h02]', 'ok: [h01]', 'changed: [h03]', 'PLAY RECAP ***']);
  });
});
