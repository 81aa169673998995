// find: schema, the pure filters (fnmatch, regex, age, size, depth, hidden, walk order), the
// walk output parser, and real runs over a temp tree on a local connection.
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { contentMatches, nameFilter, parseAge, parseSize } from '../../modules/find.js';
import { fnmatchRe, parseWalk, walkOrder } from '../../modules/lib/walk.js';
import { runModule, tempDir } from './helpers.js';

const mod = getModule('find')!;

describe('find schema', () => {
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { paths: '/a,/b', patterns: '*.log', recurse: 'yes', depth: '2' })).toBeNull();
    expect(validateArgs(mod, { path: ['/a'], file_type: 'any' })).toBeNull();
    expect(validateArgs(mod, { patterns: '*' })).toMatch(/missing required arguments: paths/);
    expect(validateArgs(mod, { paths: '/a', file_type: 'socket' })).toMatch(/must be one of: any, directory, file, link/);
    expect(validateArgs(mod, { paths: '/a', depth: 'deep' })).toMatch(/cannot be converted to an int/);
  });
});

describe('find filters', () => {
  it('fnmatch like Python', () => {
    expect(fnmatchRe('*.log').test('a.log')).toBe(true);
    expect(fnmatchRe('*.log').test('a.log.1')).toBe(false);
    expect(fnmatchRe('a?[0-9]').test('ab7')).toBe(true);
    expect(fnmatchRe('[!a]*').test('abc')).toBe(false);
    expect(fnmatchRe('x.(y)').test('x.(y)')).toBe(true);
  });
  it('patterns, excludes and regex (anchored at the start only)', () => {
    expect(nameFilter('app.log', ['*.log'], ['app*'], false)).toBe(false);
    expect(nameFilter('sys.log', ['*.log'], ['app*'], false)).toBe(true);
    expect(nameFilter('app.log.1', ['app\\.log'], undefined, true)).toBe(true);
    expect(nameFilter('my-app.log', ['app\\.log'], undefined, true)).toBe(false);
  });
  it('age and size units', () => {
    expect(parseAge('2d')).toBe(172800);
    expect(parseAge('-1h')).toBe(-3600);
    expect(parseAge('soon')).toBeUndefined();
    expect(parseSize('10k')).toBe(10240);
    expect(parseSize('-1m')).toBe(-1048576);
  });
  it('contains: per line with re.match, or re.search on the whole file', () => {
    expect(contentMatches('a\nfoo=1\n', 'foo', false)).toBe(true);
    expect(contentMatches('a\n xfoo=1\n', 'foo', false)).toBe(false);
    expect(contentMatches('a\n xfoo=1\n', 'foo', true)).toBe(true);
  });
  it('parses both walk formats and orders entries as os.walk', () => {
    const out = [
      'root\t/r',
      'd 755 0 0 4096 1.5 1.5 1.5 1 2 2 root root\t/r/sub',
      'f 644 0 0 3 1.5 1.5 1.5 3 2 1 root root\t/r/z',
      'S 81a4 0 0 5 10 10 10 4 2 1 root root\t/r/sub/a',
      'notdir\t/nope',
    ].join('\n');
    const w = parseWalk(out);
    expect(w.notDirs).toEqual(['/nope']);
    const order = walkOrder('/r', w.roots[0].entries).map((e) => `${e.path}:${e.type}:${e.mode.toString(8)}`);
    expect(order).toEqual(['/r/z:file:644', '/r/sub:directory:755', '/r/sub/a:file:644']);
  });
});

describe('find on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
    mkdirSync(t.p('logs/old'), { recursive: true });
    mkdirSync(t.p('.hid'));
    writeFileSync(t.p('logs/app.log'), 'ERROR boom\n');
    writeFileSync(t.p('logs/big.log'), 'x'.repeat(5000));
    writeFileSync(t.p('logs/old/ancient.log'), 'fine\n');
    writeFileSync(t.p('logs/.hidden.log'), 'h\n');
    writeFileSync(t.p('.hid/in.log'), 'h\n');
    symlinkSync(t.p('logs/app.log'), t.p('logs/link.log'));
    const old = Date.now() / 1000 - 10 * 86400;
    utimesSync(t.p('logs/old/ancient.log'), old, old);
  });
  afterEach(() => t.cleanup());
  const names = (r: Record<string, unknown>) => (r.files as { path: string }[]).map((f) => f.path.slice(t.dir.length + 1)).sort();

  it('selects by pattern, recursion, hidden, age, size, contains, file_type', async () => {
    expect(names(await runModule('find', { paths: t.p('logs'), patterns: '*.log' }))).toEqual(['logs/app.log', 'logs/big.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), patterns: '*.log', recurse: true }))).toEqual(['logs/app.log', 'logs/big.log', 'logs/old/ancient.log']);
    expect(names(await runModule('find', { paths: t.dir, patterns: '*.log', recurse: true, hidden: true }))).toEqual(['.hid/in.log', 'logs/.hidden.log', 'logs/app.log', 'logs/big.log', 'logs/old/ancient.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), recurse: true, age: '1w' }))).toEqual(['logs/old/ancient.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), size: '4k' }))).toEqual(['logs/big.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), recurse: true, contains: 'ERROR' }))).toEqual(['logs/app.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), file_type: 'link' }))).toEqual(['logs/link.log']);
    expect(names(await runModule('find', { paths: t.p('logs'), file_type: 'directory' }))).toEqual(['logs/old']);
    expect(names(await runModule('find', { paths: t.dir, recurse: true, depth: 1, file_type: 'any' }))).toEqual(['logs']);
  });

  it('returns stat-like dicts, checksums, matched/examined, and skips non-directories', async () => {
    const r = await runModule('find', { paths: [t.p('logs'), t.p('logs/app.log')], patterns: 'app.log', get_checksum: true });
    expect(r).toMatchObject({ changed: false, matched: 1, examined: 5, msg: 'Not all paths examined, check warnings for details' });
    const f = (r.files as Record<string, unknown>[])[0];
    expect(f).toMatchObject({ isreg: true, islnk: false, size: 11, mode: '0644', checksum: createHash('sha1').update('ERROR boom\n').digest('hex') });
    expect(Object.keys(r.skipped_paths as object)).toEqual([t.p('logs/app.log')]);
  });
});
