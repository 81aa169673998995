// assemble: schema, the pure fragment joining (order, delimiter, regexp, hidden, missing
// newlines), and runs on a local connection: first run changes, second is ok, backup, check mode.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { assembleFragments, escapeDecode, parseFragments } from '../../modules/assemble.js';
import { runModule, tempDir } from './helpers.js';

const mod = getModule('assemble')!;

describe('assemble schema', () => {
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { src: '/a', dest: '/b', remote_src: 'no', delimiter: '###' })).toBeNull();
    expect(validateArgs(mod, { src: '/a' })).toMatch(/missing required arguments: dest/);
    expect(validateArgs(mod, { src: '/a', dest: '/b', sep: ',' })).toMatch(/Unsupported parameters/);
  });
});

describe('assembleFragments', () => {
  const frags = [
    { name: 'b.conf', content: 'two' },
    { name: 'a.conf', content: 'one\n' },
    { name: '.hidden', content: 'h\n' },
    { name: 'B.txt', content: 'upper\n' },
  ];
  it('sorts bytewise and adds missing newlines', () => {
    expect(assembleFragments(frags, {})).toBe('h\nupper\none\ntwo');
  });
  it('delimiter (escape-decoded, newline added), regexp (search), ignore_hidden', () => {
    expect(assembleFragments(frags, { delimiter: '#--', regexp: 'conf$', ignoreHidden: true })).toBe('one\n#--\ntwo');
    expect(escapeDecode('a\\tb\\x41\\n')).toBe('a\tbA\n');
  });
  it('parses the fragment stream', () => {
    expect(parseFragments('ok=1\n\nTK a\nx\n\nTK b\ny', 'TK')).toEqual([{ name: 'a', content: 'x\n' }, { name: 'b', content: 'y' }]);
  });
});

describe('assemble on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
    mkdirSync(t.p('frags'));
    writeFileSync(t.p('frags/10-a'), 'alpha\n');
    writeFileSync(t.p('frags/20-b'), 'beta');
  });
  afterEach(() => t.cleanup());

  it('assembles, is idempotent, re-assembles with a backup when a fragment changes', async () => {
    const dest = t.p('out.conf');
    const r1 = await runModule('assemble', { src: t.p('frags'), dest, mode: '0600' });
    expect(r1).toMatchObject({ changed: true, msg: 'OK' });
    expect(readFileSync(dest, 'utf8')).toBe('alpha\nbeta');
    expect((await runModule('assemble', { src: t.p('frags'), dest, mode: '0600' })).changed).toBe(false);
    writeFileSync(t.p('frags/30-c'), 'gamma\n');
    const r3 = await runModule('assemble', { src: t.p('frags'), dest, backup: true, delimiter: '# --' });
    expect(r3.changed).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('alpha\n# --\nbeta\n# --\ngamma\n');
    expect(readFileSync(r3.backup_file as string, 'utf8')).toBe('alpha\nbeta');
  });

  it('fails on a missing source, reads controller fragments with remote_src=no', async () => {
    expect(await runModule('assemble', { src: t.p('none'), dest: t.p('x') })).toMatchObject({ failed: true, msg: expect.stringMatching(/does not exist/) });
    const r = await runModule('assemble', { src: 'frags', dest: t.p('y'), remote_src: false }, { searchPaths: [t.dir] });
    expect(r.changed).toBe(true);
    expect(readFileSync(t.p('y'), 'utf8')).toBe('alpha\nbeta');
  });
});
