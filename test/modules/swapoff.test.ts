// swapoff: schema, /proc/swaps and fstab parsing, and runs on a local connection against a temp
// fstab (this machine has no active swap, so swapoff -a itself is exercised only in the lab).
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { commentSwapLines, parseSwaps } from '../../modules/swapoff.js';
import { runModule, tempDir } from './helpers.js';

const FSTAB = 'UUID=1 / xfs defaults 0 0\n/dev/mapper/rhel-swap swap                    swap    defaults        0 0\n# /swapfile none swap sw 0 0\n/swapfile none swap sw 0 0\n';

describe('swapoff parsing', () => {
  it('schema', () => {
    expect(validateArgs(getModule('swapoff')!, { fstab: '/x', backup: 'yes' })).toBeNull();
    expect(validateArgs(getModule('swapoff')!, { fstab: '/x', state: 'off' })).toMatch(/Unsupported parameters/);
  });
  it('reads /proc/swaps and comments only live swap lines', () => {
    expect(parseSwaps('Filename\tType\tSize\tUsed\tPriority\n/dev/dm-1  partition\t2097148\t0\t-2\n')).toEqual(['/dev/dm-1']);
    expect(parseSwaps('Filename\tType\tSize\tUsed\tPriority\n')).toEqual([]);
    const r = commentSwapLines(FSTAB);
    expect(r.commented).toHaveLength(2);
    expect(r.text).toBe('UUID=1 / xfs defaults 0 0\n#/dev/mapper/rhel-swap swap                    swap    defaults        0 0\n# /swapfile none swap sw 0 0\n#/swapfile none swap sw 0 0\n');
    expect(commentSwapLines(r.text).commented).toEqual([]);
  });
});

describe('swapoff on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('comments fstab once, then ok; check mode changes nothing', async () => {
    const f = t.p('fstab');
    writeFileSync(f, FSTAB);
    const c = await runModule('swapoff', { fstab: f }, { check: true, diff: true });
    expect(c).toMatchObject({ changed: true });
    expect(readFileSync(f, 'utf8')).toBe(FSTAB);
    expect(await runModule('swapoff', { fstab: f })).toMatchObject({ changed: true, fstab_lines_commented: expect.arrayContaining(['/swapfile none swap sw 0 0']) });
    expect(readFileSync(f, 'utf8')).toContain('#/dev/mapper/rhel-swap');
    expect((await runModule('swapoff', { fstab: f })).changed).toBe(false);
  });
});
