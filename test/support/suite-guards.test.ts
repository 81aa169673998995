// The suite's own guards, run as nested vitest runs on fixture files: a test leaving a temporary
// file behind fails the run, tempDir() directories are removed, an undocumented skip fails the run
// in CI as root (and only prints elsewhere), and a build that does not compile fails loudly.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce } from './global-setup.js';
import { unexpectedSkips } from './skip-guard.js';
import { DOCUMENTED_SKIPS } from './documented-skips.js';
import { tempDir } from './tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'guards');

function nested(fixture: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(FIXTURES, 'vitest.config.ts')], {
    cwd: FIXTURES,
    encoding: 'utf8',
    env: { ...process.env, GUARD_FIXTURE: fixture, CI: '0', NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { rc: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('suite guards (nested vitest runs)', () => {
  it('fails a run whose test leaves a file in the temporary directory', () => {
    const r = nested('leaks.fixture.ts');
    expect(r.out).toMatch(/did not clean up after themselves[\s\S]*drover-guard-leak/);
    expect(r.rc, r.out).toBe(1);
  }, 300_000);

  it('passes a run whose temporary directories come from tempDir()', () => {
    const r = nested('cleans.fixture.ts');
    expect(r.out).not.toMatch(/did not clean up/);
    expect(r.rc, r.out).toBe(0);
  }, 300_000);

  it.runIf(process.getuid?.() === 0)('fails an undocumented skip in CI as root, only lists it elsewhere', () => {
    const ci = nested('skips.fixture.ts', { CI: 'true' });
    expect(ci.out).toMatch(/skipped in CI as root without a documented reason[\s\S]*is skipped for no documented reason/);
    expect(ci.rc, ci.out).toBe(1);
    const local = nested('skips.fixture.ts');
    expect(local.out).toMatch(/1 test\(s\) skipped/);
    expect(local.rc, local.out).toBe(0);
  }, 300_000);
});

describe('skip allow-list', () => {
  it('accepts a documented skip and rejects any other', () => {
    const doc = DOCUMENTED_SKIPS[0];
    expect(doc, 'at least one documented skip').toBeDefined();
    const name = doc.example;
    expect(unexpectedSkips([{ file: doc.file, name }])).toEqual([]);
    expect(unexpectedSkips([{ file: doc.file, name: 'an unrelated test' }])).toHaveLength(1);
    expect(unexpectedSkips([{ file: 'test/elsewhere.test.ts', name }])).toHaveLength(1);
  });
});

describe('build once', () => {
  it('throws with the compiler errors when the sources do not compile', () => {
    const dir = tempDir('drover-build-');
    mkdirSync(join(dir, 'engine'));
    writeFileSync(join(dir, 'engine', 'bad.ts'), 'export const x: number = "not a number";\n');
    cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    cpSync(join(ROOT, 'tsconfig.build.json'), join(dir, 'tsconfig.build.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    expect(() => buildOnce(dir)).toThrow(/the build failed[\s\S]*engine\/bad\.ts.*TS2322/);
  }, 120_000);
});
