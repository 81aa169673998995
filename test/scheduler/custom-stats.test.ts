// set_stats folding as data: how update_custom_stats combines values (Python's += and
// merge_hash, mismatching types ignored), per host vs '_run', aggregate vs replace, and what
// the set_stats module itself accepts.
import { describe, expect, it } from 'vitest';
import { RunStats } from '../../engine/output/stats.js';
import { aggregateStat, foldCustomStats } from '../../engine/scheduler/custom-stats.js';
import { isIdentifier } from '../../modules/set_stats.js';
import { runModule } from '../modules/helpers.js';

/** [existing, added, result] as Python's AggregateStats.update_custom_stats gives it. */
const AGGREGATE: [unknown, unknown, unknown][] = [
  [1, 2, 3],
  ['a', 'b', 'ab'],
  [[1], [2, 3], [1, 2, 3]],
  [{ a: 1, n: { x: 1 } }, { b: 2, n: { y: 2 } }, { a: 1, b: 2, n: { x: 1, y: 2 } }],
  [{ l: [1] }, { l: [2] }, { l: [2] }], // merge_hash replaces lists
  [1, true, 2], // bool is an int
  [true, 1, true], // but an int is no bool: ignored
  [true, true, 2],
  [1, 'x', 1], // other types: ignored
  ['x', 1, 'x'],
  [[1], { a: 1 }, [1]],
];

describe('update_custom_stats', () => {
  for (const [old, add, want] of AGGREGATE) {
    it(`${JSON.stringify(old)} += ${JSON.stringify(add)} → ${JSON.stringify(want)}`, () => {
      expect(aggregateStat(old, add)).toEqual(want);
    });
  }
});

describe('foldCustomStats', () => {
  const stats = () => new RunStats();
  it('per_host false goes to _run, aggregating by default', () => {
    const s = stats();
    foldCustomStats(s, { ansible_stats: { data: { n: 1 }, per_host: false, aggregate: true } }, ['h1', 'h2']);
    foldCustomStats(s, { ansible_stats: { data: { n: 2 }, per_host: false, aggregate: true } }, ['h1', 'h2']);
    expect(s.customSnapshot()).toEqual({ _run: { n: 3 } });
  });
  it('per_host goes to every host the task ran for; aggregate false replaces', () => {
    const s = stats();
    foldCustomStats(s, { ansible_stats: { data: { n: 1 }, per_host: true, aggregate: true } }, ['h1', 'h2']);
    foldCustomStats(s, { ansible_stats: { data: { n: 5 }, per_host: true, aggregate: false } }, ['h2']);
    expect(s.customSnapshot()).toEqual({ h1: { n: 1 }, h2: { n: 5 } });
  });
  it('no data, no stats (the recap has no CUSTOM STATS then)', () => {
    const s = stats();
    foldCustomStats(s, { ansible_stats: { data: {}, per_host: false, aggregate: true } }, ['h1']);
    foldCustomStats(s, { changed: false }, ['h1']);
    expect(s.customSnapshot()).toBeUndefined();
  });
});

describe('set_stats module', () => {
  it('returns ansible_stats with the defaults (per_host false, aggregate true)', async () => {
    expect(await runModule('set_stats', { data: { a: 1 } })).toEqual({ changed: false, ansible_stats: { data: { a: 1 }, per_host: false, aggregate: true } });
    expect(await runModule('set_stats', { data: { a: 1 }, per_host: 'yes', aggregate: 'no' })).toMatchObject({ ansible_stats: { per_host: true, aggregate: false } });
  });
  it("refuses data that is no dict and keys that are no identifiers, with the action's messages", async () => {
    expect(await runModule('set_stats', { data: [1] })).toMatchObject({ failed: true, msg: "The 'data' option needs to be a dictionary/hash" });
    expect(await runModule('set_stats', { data: { 'a b': 1 } })).toMatchObject({ failed: true, msg: expect.stringContaining("The variable name 'a b' is not valid.") });
  });
  it('isidentifier: Python identifiers that are no keywords', () => {
    for (const ok of ['a', '_x', 'a1', 'été']) expect(isIdentifier(ok)).toBe(true);
    for (const bad of ['1a', 'a-b', '', 'class', 'None', 'a b']) expect(isIdentifier(bad)).toBe(false);
  });
});
