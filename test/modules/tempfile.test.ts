// tempfile as data: arguments → what the module returns and leaves behind, on a local
// connection in a temp dir (names are random, so they are checked by shape: prefix, 8
// characters of Python's alphabet, suffix).
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { randomName } from '../../modules/tempfile.js';
import { runModule, tempDir } from './helpers.js';

interface Case {
  name: string;
  /** {{D}} is the temp dir. */
  args: Record<string, unknown>;
  /** The created path, as a pattern over the path after {{D}}. */
  path?: RegExp;
  state?: 'file' | 'directory';
  mode?: string;
  /** The failure message, {{D}} for the temp dir, NAME for the random name. */
  msg?: RegExp;
}

const CASES: Case[] = [
  { name: 'a file in path', args: { path: '{{D}}' }, path: /^\/ansible\.[a-z0-9_]{8}$/, state: 'file', mode: '0600' },
  { name: 'a directory', args: { path: '{{D}}', state: 'directory' }, path: /^\/ansible\.[a-z0-9_]{8}$/, state: 'directory', mode: '0700' },
  { name: 'prefix and suffix kept literally', args: { path: '{{D}}', prefix: "it's $x ", suffix: '.d' }, path: /^\/it's \$x [a-z0-9_]{8}\.d$/, state: 'file' },
  { name: 'the path is normalised (abspath)', args: { path: '{{D}}//sub/../', state: 'directory' }, path: /^\/ansible\.[a-z0-9_]{8}$/, state: 'directory' },
  { name: 'a missing directory', args: { path: '{{D}}/nope' }, msg: /^\[Errno 2\] No such file or directory: '\{\{D\}\}\/nope\/ansible\.[a-z0-9_]{8}'$/ },
  { name: 'a file as directory', args: { path: '{{D}}/plain', state: 'directory' }, msg: /^\[Errno 20\] Not a directory: '\{\{D\}\}\/plain\/ansible\.[a-z0-9_]{8}'$/ },
];

describe('tempfile', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
    writeFileSync(t.p('plain'), '');
    mkdirSync(t.p('sub'));
  });
  afterEach(() => t.cleanup());

  for (const c of CASES) {
    it(c.name, async () => {
      const fill = (v: unknown) => (typeof v === 'string' ? v.replace('{{D}}', t.dir) : v);
      const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, fill(v)]));
      const r = await runModule('tempfile', args);
      if (c.msg) {
        expect(r).toMatchObject({ failed: true, changed: false });
        expect(String(r.msg).split(t.dir).join('{{D}}')).toMatch(c.msg);
        // fail_json(exception=...): its last line names the OSError
        expect(String(r.exception)).toMatch(/(FileNotFoundError|NotADirectoryError): \[Errno/);
        return;
      }
      expect(r).toMatchObject({ changed: true, state: c.state });
      const p = String(r.path);
      expect(p.startsWith(t.dir)).toBe(true);
      expect(p.slice(t.dir.length)).toMatch(c.path!);
      const st = lstatSync(p);
      expect(st.isDirectory()).toBe(c.state === 'directory');
      if (c.mode) expect(r.mode).toBe(c.mode);
      expect((st.mode & 0o777).toString(8).padStart(4, '0')).toBe(r.mode);
    });
  }

  it('never reuses a name: two calls, two paths', async () => {
    const a = await runModule('tempfile', { path: t.dir });
    const b = await runModule('tempfile', { path: t.dir });
    expect(a.path).not.toBe(b.path);
  });

  it('random names use tempfile._RandomNameSequence alphabet', () => {
    for (let i = 0; i < 50; i++) expect(randomName()).toMatch(/^[a-z0-9_]{8}$/);
  });

  it('schema: state choices, no unknown options, no check mode', () => {
    const mod = getModule('tempfile')!;
    expect(validateArgs(mod, { state: 'directory', prefix: 'x', suffix: 'y', path: '/tmp' })).toBeNull();
    expect(validateArgs(mod, { state: 'link' })).toMatch(/state/);
    expect(validateArgs(mod, { mode: '0600' })).toMatch(/Unsupported parameters/);
    expect(mod.supportsCheckMode).toBe(false);
  });
});
