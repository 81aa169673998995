// replace: schema, the pure replaceIn() with Python regex semantics (MULTILINE, after/before
// sections in DOTALL, \1 and \g<name> templates), and runs on a local connection in a temp dir.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { replaceIn } from '../../modules/replace.js';
import { runModule, tempDir } from './helpers.js';

const mod = getModule('replace')!;

describe('replace schema', () => {
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { dest: '/x', regexp: 'a', replace: 'b', backup: 'yes' })).toBeNull();
    expect(validateArgs(mod, { path: '/x' })).toMatch(/missing required arguments: regexp/);
    expect(validateArgs(mod, { path: '/x', regexp: 'a', with: 'b' })).toMatch(/Unsupported parameters.*with/);
    expect(validateArgs(mod, { path: '/x', regexp: 'a', backup: 'maybe' })).toMatch(/not a valid boolean/);
  });
});

describe('replaceIn', () => {
  it('is MULTILINE and expands Python groups', () => {
    const r = replaceIn('a=1\nb=2\na=3\n', { regexp: '^a=(\\d)$', replace: 'a=\\1\\1' });
    expect(r).toMatchObject({ content: 'a=11\nb=2\na=33\n', count: 2, changed: true });
    expect(replaceIn('host: x\n', { regexp: '(?P<k>\\w+): (?P<v>\\w+)', replace: '\\g<v>=\\g<k>' }).content).toBe('x=host\n');
  });
  it('limits the replacement to the after/before section', () => {
    const t = 'k=1\n[s]\nk=2\n[t]\nk=3\n';
    expect(replaceIn(t, { regexp: '^k=', replace: 'K=', after: '\\[s\\]' }).content).toBe('k=1\n[s]\nK=2\n[t]\nK=3\n');
    expect(replaceIn(t, { regexp: '^k=', replace: 'K=', before: '\\[t\\]' }).content).toBe('K=1\n[s]\nK=2\n[t]\nk=3\n');
    expect(replaceIn(t, { regexp: '^k=', replace: 'K=', after: '\\[s\\]', before: '\\[t\\]' }).content).toBe('k=1\n[s]\nK=2\n[t]\nk=3\n');
    expect(replaceIn(t, { regexp: 'k', replace: 'K', after: 'nope' })).toMatchObject({ changed: false, sectionMissing: 'nope(?P<subsection>.*)' });
  });
  it('is unchanged when matches replace with themselves', () => {
    expect(replaceIn('abc', { regexp: 'b', replace: 'b' })).toMatchObject({ changed: false, count: 1 });
    expect(replaceIn('abc', { regexp: 'z', replace: 'y' })).toMatchObject({ changed: false, count: 0 });
  });
});

describe('replace on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('changes once, then ok; check mode and diff; backup; missing file fails', async () => {
    const f = t.p('hosts');
    writeFileSync(f, '10.0.0.1 old.example old\n10.0.0.2 other\n');
    const args = { path: f, regexp: '(\\s+)old(\\s+.*)?$', replace: '\\1new\\2' };
    const c = await runModule('replace', args, { check: true, diff: true });
    expect(c).toMatchObject({ changed: true, msg: '1 replacements made' });
    expect((c.diff as { after: string }).after).toBe('10.0.0.1 old.example new\n10.0.0.2 other\n');
    expect(readFileSync(f, 'utf8')).toContain(' old\n');
    const r1 = await runModule('replace', { ...args, backup: true });
    expect(r1.changed).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('10.0.0.1 old.example new\n10.0.0.2 other\n');
    expect(readFileSync(r1.backup_file as string, 'utf8')).toContain(' old\n');
    expect((await runModule('replace', args)).changed).toBe(false);
    expect(await runModule('replace', { path: t.p('none'), regexp: 'x' })).toMatchObject({ failed: true, rc: 257 });
    expect(await runModule('replace', { path: f, regexp: 'x', after: 'zzz' })).toMatchObject({ changed: false, msg: expect.stringMatching(/did not match/) });
  });
});
