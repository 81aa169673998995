// Differential test against ansible-core: the same sequence of module invocations runs under
// `ansible-playbook` (connection local) in one temp dir and through drover's modules in a twin
// dir; per-step changed/failed and the resulting file trees must match. Skipped without ansible.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillArgs, hasAnsible, mismatches, normalise, runAnsibleSteps, snapshot, type Row, type Step } from './helpers/differential.js';
import { runModule, tempDir } from './helpers.js';

/** Steps use {{D}} for the work dir and {{T}} for the fixtures dir. */
const STEPS: Step[] = [
  { mod: 'file', args: { path: '{{D}}/a/b', state: 'directory', mode: '0750' } },
  { mod: 'file', args: { path: '{{D}}/a/b', state: 'directory', mode: '0750' } },
  { mod: 'copy', args: { content: 'hello\n', dest: '{{D}}/a/b/f.txt', mode: '0640' } },
  { mod: 'copy', args: { content: 'hello\n', dest: '{{D}}/a/b/f.txt', mode: '0640' } },
  { mod: 'copy', args: { content: 'hello2\n', dest: '{{D}}/a/b/f.txt' } },
  { mod: 'copy', args: { content: 'nope\n', dest: '{{D}}/a/b/f.txt' }, check: true },
  { mod: 'copy', args: { content: 'keep\n', dest: '{{D}}/a/b/f.txt', force: 'no' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', line: 'x=1' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', regexp: '^x=', line: 'x=2' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', regexp: '^x=', line: 'x=2' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', insertbefore: 'BOF', line: '# head' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', insertafter: '^# head', line: 'after-head' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', state: 'absent', regexp: '^hello' } },
  { mod: 'lineinfile', args: { path: '{{D}}/a/b/f.txt', regexp: '^(x)=(\\d)', line: '\\1 is \\2', backrefs: 'yes' } },
  { mod: 'lineinfile', args: { path: '{{D}}/new.conf', line: 'k=v', create: 'yes', mode: '0600' } },
  { mod: 'lineinfile', args: { path: '{{D}}/new.conf', line: 'k=v', create: 'yes', mode: '0600' } },
  { mod: 'file', args: { path: '{{D}}/lnk', state: 'link', src: '{{D}}/a/b/f.txt' } },
  { mod: 'file', args: { path: '{{D}}/lnk', state: 'link', src: '{{D}}/a/b/f.txt' } },
  { mod: 'file', args: { path: '{{D}}/rel', state: 'link', src: 'a/b' } },
  { mod: 'file', args: { path: '{{D}}/t', state: 'touch' } },
  { mod: 'file', args: { path: '{{D}}/t', mode: 'u+x,g-r' } },
  { mod: 'file', args: { path: '{{D}}/t', mode: 'u+x,g-r' } },
  { mod: 'file', args: { path: '{{D}}/t', state: 'absent' } },
  { mod: 'file', args: { path: '{{D}}/t', state: 'absent' } },
  { mod: 'file', args: { path: '{{D}}/t2', state: 'touch', modification_time: 'preserve', access_time: 'preserve' } },
  { mod: 'file', args: { path: '{{D}}/t2', state: 'touch', modification_time: 'preserve', access_time: 'preserve' } },
  { mod: 'file', args: { path: '{{D}}/nodir', state: 'directory' }, check: true },
  { mod: 'command', args: { _raw_params: 'touch {{D}}/made', creates: '{{D}}/made' } },
  { mod: 'command', args: { _raw_params: 'touch {{D}}/made', creates: '{{D}}/made' } },
  { mod: 'shell', args: { _raw_params: 'echo hi > {{D}}/shell.out', removes: '{{D}}/made' } },
  { mod: 'command', args: { _raw_params: 'false' } },
  { mod: 'copy', args: { src: '{{D}}/a/b/f.txt', dest: '{{D}}/copy2', remote_src: 'yes', mode: '0604' } },
  { mod: 'copy', args: { src: '{{D}}/a/b/f.txt', dest: '{{D}}/copy2', remote_src: 'yes', mode: '0604' } },
  { mod: 'file', args: { path: '{{D}}/hard', state: 'hard', src: '{{D}}/copy2' } },
  { mod: 'copy', args: { src: '{{T}}/plain.txt', dest: '{{D}}/a/' } },
  { mod: 'copy', args: { src: '{{T}}/tree', dest: '{{D}}/trees' } },
  { mod: 'copy', args: { src: '{{T}}/tree', dest: '{{D}}/trees' } },
  { mod: 'template', args: { src: '{{T}}/greet.j2', dest: '{{D}}/greet.txt', mode: '0640' } },
  { mod: 'template', args: { src: '{{T}}/greet.j2', dest: '{{D}}/greet.txt', mode: '0640' } },
  { mod: 'file', args: { path: '{{D}}/a', state: 'directory', recurse: 'yes', mode: 'u=rwX,g=rX,o=' } },
  { mod: 'file', args: { path: '{{D}}/a', state: 'directory', recurse: 'yes', mode: 'u=rwX,g=rX,o=' } },
  { mod: 'stat', args: { path: '{{D}}/a/b/f.txt' } },
  { mod: 'file', args: { path: '{{D}}/missing', state: 'file' } },
];

describe.skipIf(!hasAnsible)('differential: ansible-core vs drover modules', () => {
  const ans = tempDir('drover-diff-ansible-');
  const drv = tempDir('drover-diff-drover-');
  const fx = tempDir('drover-diff-fixtures-');
  let ansibleResults: Record<string, unknown>[] = [];

  beforeAll(() => {
    writeFileSync(fx.p('plain.txt'), 'plain\n');
    writeFileSync(fx.p('greet.j2'), 'hello {{ who }}\n');
    execFileSync('mkdir', ['-p', fx.p('tree/sub')]);
    writeFileSync(fx.p('tree/one'), '1\n');
    writeFileSync(fx.p('tree/sub/two'), '2\n');
    ansibleResults = runAnsibleSteps(STEPS, { d: ans.dir, t: fx.dir, out: fx.dir, vars: { who: 'world' } });
  }, 400_000); // ansible-playbook needs ~1-2 s per step, far more on a loaded machine

  afterAll(() => {
    ans.cleanup();
    drv.cleanup();
    fx.cleanup();
  });

  it('gives the same changed/failed for every step and the same final tree', async () => {
    const mine: Row[] = [];
    for (const s of STEPS) {
      const r = await runModule(s.mod, fillArgs(s.args, drv.dir, fx.dir), { check: !!s.check, vars: { who: 'world' } });
      mine.push({ changed: !!r.changed, failed: !!r.failed });
    }
    const theirs = ansibleResults.map((r) => ({ changed: !!r.changed, failed: !!r.failed }));
    expect(mismatches(STEPS, theirs, mine)).toEqual([]);
    const dirs = [ans.dir, drv.dir];
    expect(normalise(snapshot(drv.dir, { nlink: true }), dirs)).toEqual(normalise(snapshot(ans.dir, { nlink: true }), dirs));
  }, 120_000);
});
