import { describe, expect, it } from 'vitest';
import { computeBatches, exceedsMaxFail, orderHosts, parsePercent, rollingWindows } from '../../engine/plan/batches.js';

const hosts = Array.from({ length: 10 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
const sizes = (serial: unknown, list = hosts) => computeBatches(list, serial).map((b) => b.length);

describe('serial batches (ansible-semantics §1)', () => {
  it.each([
    ['30%', [3, 3, 3, 1]],
    [[1, '20%', 3], [1, 2, 3, 3, 1]],
    [50, [10]],
    [0, [10]],
    [-1, [10]],
    ['5%', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['0%', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['150%', [10]],
    [[2, 0], [2, 8]],
    [undefined, [10]],
    ['3', [3, 3, 3, 1]],
  ])('serial %j → %j', (serial, expected) => {
    expect(sizes(serial)).toEqual(expected);
  });
  it('uses the post-limit host count as the percentage base', () => {
    expect(sizes('50%', hosts.slice(0, 6))).toEqual([3, 3]);
  });
  it('keeps host order within batches', () => {
    expect(computeBatches(hosts.slice(0, 5), 2)).toEqual([['h01', 'h02'], ['h03', 'h04'], ['h05']]);
  });
  it('fails like Ansible (rc 250) on a non-integer percentage', () => {
    expect(() => computeBatches(hosts, '33.3%')).toThrow(/invalid literal for int/);
  });
  it('20 hosts at 30% give 6,6,6,2 (docs example)', () => {
    expect(sizes('30%', Array.from({ length: 20 }, (_, i) => `n${i}`))).toEqual([6, 6, 6, 2]);
  });
});

describe('order and max_fail_percentage', () => {
  it('orders hosts before slicing', () => {
    expect(orderHosts(['b', 'c', 'a'], 'sorted')).toEqual(['a', 'b', 'c']);
    expect(orderHosts(['b', 'c', 'a'], 'reverse_inventory')).toEqual(['a', 'c', 'b']);
    expect(orderHosts(['b', 'c', 'a'], 'reverse_sorted')).toEqual(['c', 'b', 'a']);
    expect(orderHosts(['b', 'c', 'a'], 'shuffle', () => 0).sort()).toEqual(['a', 'b', 'c']);
    expect(() => orderHosts(['a'], 'random')).toThrow(/Invalid play order/);
  });
  it('aborts only when failures strictly exceed the percentage', () => {
    expect(exceedsMaxFail(1, 4, 25)).toBe(false);
    expect(exceedsMaxFail(2, 4, 25)).toBe(true);
    expect(exceedsMaxFail(1, 10, 0)).toBe(true);
    expect(exceedsMaxFail(5, 10, undefined)).toBe(false);
  });
  it('parses 25, "25", "25%", 12.5', () => {
    expect([25, '25', '25%', 12.5].map(parsePercent)).toEqual([25, 25, 25, 12.5]);
    expect(() => parsePercent('lots')).toThrow(/max_fail_percentage/);
  });
});

describe('rolling windows (strategy: rolling)', () => {
  it.each([
    [3, [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]],
    ['30%', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]],
    [[1, 2, 5], [1, 2, 2, 5, 5, 5, 5, 5, 5, 5]],
    [[1, 0], [1, 10, 10, 10, 10, 10, 10, 10, 10, 10]],
    [undefined, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]],
    [50, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]],
  ])('serial %j → window per host %j', (serial, expected) => {
    expect(rollingWindows(10, serial)).toEqual(expected);
  });
});
