// script: schema, planning (remote name, argument text kept), and real runs on a local
// connection: arguments, chdir, executable, creates/removes, check mode, failures, cleanup.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { planScript } from '../../modules/script.js';
import { runModule, tempDir } from './helpers.js';

describe('script schema and planning', () => {
  const mod = getModule('script')!;
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { _raw_params: 'x.sh a b', creates: '/x' })).toBeNull();
    expect(validateArgs(mod, { cmd: 'x.sh', chdir: '/tmp', executable: 'bash' })).toBeNull();
    expect(validateArgs(mod, { _raw_params: 'x.sh', cmd: 'y.sh' })).toMatch(/mutually exclusive/);
    expect(validateArgs(mod, { cmd: 'x.sh', args: 'y' })).toMatch(/Unsupported parameters/);
  });
  it('replaces the script name and keeps the argument text', () => {
    const { local, plan } = planScript("files/run.sh --name 'a b' $HOME", 'tok');
    expect(local).toBe('files/run.sh');
    expect(plan.command).toBe("/tmp/.drover-script-tok/run.sh --name 'a b' $HOME");
  });
});

describe('script on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
    writeFileSync(t.p('s.sh'), '#!/bin/sh\necho "args:$#:$1:$2"\npwd\necho err >&2\n[ -n "$FAIL" ] && exit 3\ntouch "$MARK" 2>/dev/null\nexit 0\n');
  });
  afterEach(() => t.cleanup());

  it('runs with arguments and chdir, and cleans up its temp copy', async () => {
    const before = readdirSync('/tmp').filter((n) => n.startsWith('.drover-script-')).length;
    const r = await runModule('script', { _raw_params: "s.sh one 'two words'", chdir: t.dir }, { searchPaths: [t.dir] });
    expect(r).toMatchObject({ changed: true, rc: 0, stdout_lines: ['args:2:one:two words', t.dir], stderr: 'err\n' });
    expect(readdirSync('/tmp').filter((n) => n.startsWith('.drover-script-')).length).toBe(before);
  });

  it('creates/removes, check mode, executable, failure', async () => {
    const mark = t.p('made');
    const base = { cmd: `s.sh`, creates: mark };
    const check = await runModule('script', base, { searchPaths: [t.dir], check: true });
    expect(check).toMatchObject({ changed: true });
    expect(existsSync(mark)).toBe(false);
    expect(await runModule('script', { cmd: 's.sh' }, { searchPaths: [t.dir], check: true })).toMatchObject({ skipped: true });
    writeFileSync(mark, '');
    expect(await runModule('script', base, { searchPaths: [t.dir] })).toMatchObject({ changed: false, skipped: true, msg: `${mark} exists, matching creates option` });
    expect(await runModule('script', { cmd: 's.sh', removes: t.p('nope') }, { searchPaths: [t.dir] })).toMatchObject({ skipped: true });
    writeFileSync(t.p('p.py'), 'print("from python")\n');
    expect(await runModule('script', { cmd: 'p.py', executable: 'python3' }, { searchPaths: [t.dir] })).toMatchObject({ stdout: 'from python\n' });
    writeFileSync(t.p('f.sh'), 'exit 3\n');
    expect(await runModule('script', { cmd: 'f.sh' }, { searchPaths: [t.dir] })).toMatchObject({ failed: true, rc: 3, msg: 'non-zero return code' });
    expect(await runModule('script', { cmd: 'missing.sh' }, { searchPaths: [t.dir] })).toMatchObject({ failed: true, msg: expect.stringMatching(/Could not find/) });
  });
});
