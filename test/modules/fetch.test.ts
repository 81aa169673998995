// fetch: schema, where files land (dest/host/path, flat), and runs on a local connection:
// first fetch changes, second is ok (checksum), missing files with and without fail_on_missing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { localDest } from '../../modules/fetch.js';
import { runModule, tempDir } from './helpers.js';

const mod = getModule('fetch')!;

describe('fetch schema and layout', () => {
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { src: '/a', dest: 'b', flat: 'yes' })).toBeNull();
    expect(validateArgs(mod, { src: '/a' })).toMatch(/missing required arguments: dest/);
    expect(validateArgs(mod, { src: '/a', dest: 'b', recursive: true })).toMatch(/Unsupported parameters/);
  });
  it('dest/inventory_hostname/path, or flat', () => {
    const base = { src: '/etc/x.conf', host: 'n1', baseDir: '/pb', destIsDir: false };
    expect(localDest({ ...base, dest: 'out', flat: false })).toBe('/pb/out/n1/etc/x.conf');
    expect(localDest({ ...base, dest: '/o/', flat: true })).toBe('/o/x.conf');
    expect(localDest({ ...base, dest: 'o/y', flat: true })).toBe('/pb/o/y');
    expect(localDest({ ...base, dest: '/o', flat: true, destIsDir: true })).toMatchObject({ error: expect.stringMatching(/trailing slash/) });
  });
});

describe('fetch on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('fetches once, then ok; refetches when the local copy differs', async () => {
    writeFileSync(t.p('remote.txt'), 'data\n');
    const r1 = await runModule('fetch', { src: t.p('remote.txt'), dest: t.p('got') });
    const local = t.p('got', 'localhost', t.dir, 'remote.txt');
    expect(r1).toMatchObject({ changed: true, dest: local, checksum: r1.remote_checksum });
    expect(readFileSync(local, 'utf8')).toBe('data\n');
    expect((await runModule('fetch', { src: t.p('remote.txt'), dest: t.p('got') })).changed).toBe(false);
    writeFileSync(local, 'tampered');
    expect((await runModule('fetch', { src: t.p('remote.txt'), dest: t.p('got') })).changed).toBe(true);
    expect(readFileSync(local, 'utf8')).toBe('data\n');
    const flat = await runModule('fetch', { src: t.p('remote.txt'), dest: t.p('flat') + '/', flat: true });
    expect(flat).toMatchObject({ changed: true, dest: t.p('flat', 'remote.txt') });
  });

  it('missing file and directories', async () => {
    expect(await runModule('fetch', { src: t.p('nope'), dest: t.p('got') })).toMatchObject({ failed: true, msg: 'the remote file does not exist, not transferring, ignored' });
    const soft = await runModule('fetch', { src: t.p('nope'), dest: t.p('got'), fail_on_missing: false });
    expect(soft.failed).toBeUndefined();
    expect(await runModule('fetch', { src: t.dir, dest: t.p('got') })).toMatchObject({ failed: true, msg: expect.stringMatching(/is a directory/) });
    expect(existsSync(t.p('got'))).toBe(false);
  });
});
