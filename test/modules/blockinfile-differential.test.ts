// Differential test for blockinfile, replace, find, assemble and fetch against ansible-core: the
// same steps run under `ansible-playbook` (connection local) in one temp dir and through drover's
// modules in a twin dir; per-step changed/failed (and find's matched paths) and the resulting
// file trees must match. Same pattern as differential.test.ts; skipped without ansible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillArgs, hasAnsible, mismatches, normalise, runAnsibleSteps, snapshot, type Row, type Step } from './helpers/differential.js';
import { runModule, tempDir } from './helpers.js';

/** Steps use {{D}} for the work dir and {{T}} for the fixtures dir. */
const STEPS: Step[] = [
  { mod: 'copy', args: { content: 'a=1\nb=2\n[sec]\nc=3\n', dest: '{{D}}/conf' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', block: 'x=1' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', block: 'x=1' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', insertbefore: '^b=', marker: '# {mark} B2', block: 'y=1\ny=2' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', insertbefore: '^b=', marker: '# {mark} B2', block: 'y=1\ny=2' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', block: 'x=2' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', insertafter: '^\\[sec\\]', marker: '; {mark} S', block: 's=1' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', marker: '# {mark} B2', state: 'absent' } },
  { mod: 'blockinfile', args: { path: '{{D}}/conf', marker: '# {mark} B2', state: 'absent' } },
  { mod: 'blockinfile', args: { path: '{{D}}/new.conf', block: 'k', create: 'yes' }, check: true },
  { mod: 'blockinfile', args: { path: '{{D}}/new.conf', block: 'k', create: 'yes', mode: '0600' } },
  { mod: 'blockinfile', args: { path: '{{D}}/new.conf', block: 'k', create: 'yes', mode: '0600' } },
  { mod: 'blockinfile', args: { path: '{{D}}/new.conf', block: 'k', mode: '0640' } },
  { mod: 'blockinfile', args: { path: '{{D}}/missing', block: 'k' } },
  { mod: 'blockinfile', args: { path: '{{D}}/new.conf', block: '' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: '^a=(\\d)$', replace: 'a=\\1\\1' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: '^a=(\\d)$', replace: 'a=\\1\\1' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: '=', replace: ' = ', after: '\\[sec\\]' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: '^b', replace: 'B', before: '\\[sec\\]' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: 'x', replace: 'X' }, check: true },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: 'x', replace: 'X', after: 'no-such-thing' } },
  { mod: 'replace', args: { path: '{{D}}/missing', regexp: 'x' } },
  { mod: 'replace', args: { path: '{{D}}/conf', regexp: '(?P<k>\\w+)=(?P<v>\\d)', replace: '\\g<v>=\\g<k>', mode: '0604' } },
  { mod: 'assemble', args: { src: '{{T}}/frags', dest: '{{D}}/assembled' } },
  { mod: 'assemble', args: { src: '{{T}}/frags', dest: '{{D}}/assembled' } },
  { mod: 'assemble', args: { src: '{{T}}/frags', dest: '{{D}}/assembled', delimiter: '### part', regexp: '^[0-9]' } },
  { mod: 'assemble', args: { src: '{{T}}/frags', dest: '{{D}}/assembled2', ignore_hidden: 'yes', mode: '0640' } },
  { mod: 'assemble', args: { src: '{{T}}/nope', dest: '{{D}}/assembled3' } },
  { mod: 'find', args: { paths: '{{D}}', patterns: '*.conf,assembled*', recurse: 'yes' } },
  { mod: 'find', args: { paths: '{{T}}', recurse: 'yes', file_type: 'any', hidden: 'yes' } },
  { mod: 'find', args: { paths: '{{T}}', patterns: '^[0-9]+-', use_regex: 'yes', recurse: 'yes', contains: 'two' } },
  { mod: 'find', args: { paths: '{{T}}', recurse: 'yes', size: '-2', excludes: '*b*' } },
  { mod: 'find', args: { paths: '{{T}}', recurse: 'yes', depth: 1, file_type: 'directory' } },
  { mod: 'fetch', args: { src: '{{D}}/conf', dest: '{{D}}/fetched' } },
  { mod: 'fetch', args: { src: '{{D}}/conf', dest: '{{D}}/fetched' } },
  { mod: 'fetch', args: { src: '{{D}}/assembled', dest: '{{D}}/flat/', flat: 'yes' } },
  { mod: 'fetch', args: { src: '{{D}}/nope', dest: '{{D}}/fetched', fail_on_missing: 'no' } },
  { mod: 'fetch', args: { src: '{{D}}/nope', dest: '{{D}}/fetched' } },
];

function summary(r: Record<string, unknown>, dir: string, fx: string): Row {
  const row: Row = { changed: !!r.changed, failed: !!r.failed };
  if (Array.isArray(r.files)) {
    row.found = (r.files as { path: string }[]).map((f) => f.path.split(dir).join('<D>').split(fx).join('<T>')).sort();
  }
  return row;
}

describe.skipIf(!hasAnsible)('differential: blockinfile, replace, find, assemble, fetch vs ansible-core', () => {
  const ans = tempDir('drover-diff2-ansible-');
  const drv = tempDir('drover-diff2-drover-');
  const fx = tempDir('drover-diff2-fixtures-');
  const out = tempDir('drover-diff2-out-');
  let ansibleRows: Row[] = [];

  beforeAll(() => {
    mkdirSync(fx.p('frags/sub'), { recursive: true });
    writeFileSync(fx.p('frags/10-one'), 'one\n');
    writeFileSync(fx.p('frags/20-two'), 'two');
    writeFileSync(fx.p('frags/b-three'), 'three\n');
    writeFileSync(fx.p('frags/.hidden'), 'h\n');
    writeFileSync(fx.p('frags/sub/x'), 'x\n');
    const raw = runAnsibleSteps(STEPS, { d: ans.dir, t: fx.dir, out: out.dir });
    ansibleRows = raw.map((r) => summary(r, ans.dir, fx.dir));
  }, 400_000); // ansible-playbook needs ~1-2 s per step, far more on a loaded machine

  afterAll(() => {
    ans.cleanup();
    drv.cleanup();
    fx.cleanup();
    out.cleanup();
  });

  it('gives the same changed/failed/found for every step and the same final tree', async () => {
    const mine: Row[] = [];
    for (const s of STEPS) {
      const r = await runModule(s.mod, fillArgs(s.args, drv.dir, fx.dir), { check: !!s.check });
      mine.push(summary(r, drv.dir, fx.dir));
    }
    expect(mismatches(STEPS, ansibleRows, mine)).toEqual([]);
    const dirs = [ans.dir, drv.dir];
    expect(normalise(snapshot(drv.dir), dirs)).toEqual(normalise(snapshot(ans.dir), dirs));
  }, 120_000);
});
