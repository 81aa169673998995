// blockinfile: schema, the pure editBlock() against ansible 2.14's algorithm, and runs on a local
// connection in a temp dir (first run changes, second is ok, check mode and diff).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { editBlock, type BlockParams } from '../../modules/blockinfile.js';
import { runModule, tempDir } from './helpers.js';

const mod = getModule('blockinfile')!;
const P = (o: Partial<BlockParams>): BlockParams => ({ block: 'a\nb', marker: '# {mark} M', markerBegin: 'BEGIN', markerEnd: 'END', present: true, ...o });

describe('blockinfile schema', () => {
  it('accepts aliases and yes/no', () => {
    expect(validateArgs(mod, { dest: '/x', content: 'k', create: 'yes' })).toBeNull();
  });
  it('rejects unknown, missing and exclusive arguments', () => {
    expect(validateArgs(mod, { path: '/x', blok: 'k' })).toMatch(/Unsupported parameters.*blok/);
    expect(validateArgs(mod, { block: 'k' })).toMatch(/missing required arguments: path/);
    expect(validateArgs(mod, { path: '/x', insertafter: 'a', insertbefore: 'b' })).toMatch(/mutually exclusive/);
    expect(validateArgs(mod, { path: '/x', state: 'gone' })).toMatch(/must be one of: absent, present/);
  });
});

describe('editBlock', () => {
  it('appends at EOF, adding a missing newline first', () => {
    expect(editBlock('x', P({}))).toBe('x\n# BEGIN M\na\nb\n# END M\n');
    expect(editBlock(null, P({}))).toBe('# BEGIN M\na\nb\n# END M\n');
  });
  it('replaces an existing block in place and is stable', () => {
    const once = editBlock('top\n# BEGIN M\nold\n# END M\nbottom\n', P({}));
    expect(once).toBe('top\n# BEGIN M\na\nb\n# END M\nbottom\n');
    expect(editBlock(once, P({}))).toBe(once);
  });
  it('inserts after the last line matching insertafter, before the last matching insertbefore, at BOF', () => {
    const t = 'k=1\nx\nk=2\ny\n';
    expect(editBlock(t, P({ insertafter: '^k=' }))).toBe('k=1\nx\nk=2\n# BEGIN M\na\nb\n# END M\ny\n');
    expect(editBlock(t, P({ insertbefore: '^k=' }))).toBe('k=1\nx\n# BEGIN M\na\nb\n# END M\nk=2\ny\n');
    expect(editBlock(t, P({ insertbefore: 'BOF' }))).toBe('# BEGIN M\na\nb\n# END M\n' + t);
    expect(editBlock(t, P({ insertafter: 'nomatch' }))).toBe(t + '# BEGIN M\na\nb\n# END M\n');
  });
  it('removes the block for state=absent or an empty block', () => {
    const t = 'top\n# BEGIN M\nold\n# END M\nbottom\n';
    expect(editBlock(t, P({ present: false }))).toBe('top\nbottom\n');
    expect(editBlock(t, P({ block: '' }))).toBe('top\nbottom\n');
  });
  it('custom marker_begin/marker_end', () => {
    expect(editBlock('', P({ markerBegin: 'START', markerEnd: 'STOP' }))).toBe('# START M\na\nb\n# STOP M\n');
  });
});

describe('blockinfile on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('creates, is idempotent, updates with a diff, removes; check mode changes nothing', async () => {
    const f = t.p('conf', 'app.conf');
    const missing = await runModule('blockinfile', { path: f, block: 'k=v' });
    expect(missing).toMatchObject({ failed: true, rc: 257 });
    const check = await runModule('blockinfile', { path: f, block: 'k=v', create: true }, { check: true });
    expect(check).toMatchObject({ changed: true, msg: 'File created' });
    expect(existsSync(f)).toBe(false);
    const r1 = await runModule('blockinfile', { path: f, block: 'k=v', create: true, mode: '0600' });
    expect(r1).toMatchObject({ changed: true, msg: 'File created' });
    expect(readFileSync(f, 'utf8')).toBe('# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n');
    const r2 = await runModule('blockinfile', { path: f, block: 'k=v', create: true, mode: '0600' });
    expect(r2.changed).toBe(false);
    const r3 = await runModule('blockinfile', { path: f, block: 'k=w', backup: true }, { diff: true });
    expect(r3).toMatchObject({ changed: true, msg: 'Block inserted' });
    expect((r3.diff as { after: string }[])[0].after).toContain('k=w');
    expect((r3.diff as { before: string }[])[0].before).toContain('k=v');
    expect(readFileSync(r3.backup_file as string, 'utf8')).toContain('k=v');
    const chk = await runModule('blockinfile', { path: f, state: 'absent' }, { check: true });
    expect(chk).toMatchObject({ changed: true, msg: 'Block removed' });
    expect(readFileSync(f, 'utf8')).toContain('k=w');
    expect(await runModule('blockinfile', { path: f, state: 'absent' })).toMatchObject({ changed: true });
    expect(readFileSync(f, 'utf8')).toBe('');
    expect((await runModule('blockinfile', { path: f, state: 'absent' })).changed).toBe(false);
  });

  it('reports attribute-only changes and fails on a directory', async () => {
    const f = t.p('x');
    writeFileSync(f, '# BEGIN ANSIBLE MANAGED BLOCK\nk\n# END ANSIBLE MANAGED BLOCK\n', { mode: 0o644 });
    const r = await runModule('blockinfile', { path: f, block: 'k', mode: '0640' });
    expect(r).toMatchObject({ changed: true, msg: 'ownership, perms or SE linux context changed' });
    expect(await runModule('blockinfile', { path: t.dir, block: 'k' })).toMatchObject({ failed: true });
  });
});
