// stat's mime keys (get_mime, on by default) against ansible-core 2.14's stat on the same files:
// drover asks file(1) once (`--mime`) and splits type and charset, ansible asks it twice.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hasAnsible, runAnsibleSteps, type Step } from './helpers/differential.js';
import { runModule, tempDir } from './helpers.js';

describe.skipIf(!hasAnsible)('stat mimetype and charset as ansible-core reports them', () => {
  const t = tempDir('drover-stat-mime-');
  afterAll(() => t.cleanup());

  it('text, UTF-8, empty, binary, directory, symlink and a missing path', async () => {
    mkdirSync(t.p('d'));
    writeFileSync(t.p('d', 'ascii.txt'), 'hello\n');
    writeFileSync(t.p('d', 'utf8.txt'), 'héllo wörld\n');
    writeFileSync(t.p('d', 'empty'), '');
    writeFileSync(t.p('d', 'bin'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 0, 0xff]));
    writeFileSync(t.p('d', 'script.sh'), '#!/bin/sh\necho hi\n');
    symlinkSync('ascii.txt', t.p('d', 'lnk'));
    const names = ['ascii.txt', 'utf8.txt', 'empty', 'bin', 'script.sh', '.', 'lnk', 'missing'];
    const steps: Step[] = names.map((n) => ({ mod: 'stat', args: { path: t.p('d', n) } }));
    mkdirSync(t.p('out'));
    const ansible = runAnsibleSteps(steps, { d: t.dir, t: t.dir, out: t.p('out'), timeoutMs: 240_000 });
    const pick = (r: Record<string, unknown>) => {
      const s = (r.stat ?? {}) as Record<string, unknown>;
      return { exists: s.exists, mimetype: s.mimetype, charset: s.charset };
    };
    for (let i = 0; i < names.length; i++) {
      const drover = await runModule('stat', { path: t.p('d', names[i]) });
      expect(pick(drover as Record<string, unknown>), names[i]).toEqual(pick(ansible[i]));
    }
    // the comparison means something: ansible saw real types
    expect(pick(ansible[0]).mimetype).toBe('text/plain');
    expect(pick(ansible[3]).charset).toBe('binary');
  }, 300_000);
});
