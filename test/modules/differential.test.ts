// Differential test against ansible-core: the same sequence of module invocations runs under
// `ansible-playbook` (connection local) in one temp dir and through drover's modules in a twin
// dir; per-step changed/failed and the resulting file trees must match. Skipped without ansible.
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModule, tempDir } from './helpers.js';

const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).status === 0;

interface Step {
  mod: string;
  args: Record<string, unknown>;
  check?: boolean;
}

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

function fill(v: unknown, d: string, t: string): unknown {
  if (typeof v === 'string') return v.replace(/\{\{D\}\}/g, d).replace(/\{\{T\}\}/g, t);
  return v;
}

function fillArgs(args: Record<string, unknown>, d: string, t: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, fill(v, d, t)]));
}

/** A comparable picture of a tree: path → type/mode/content/link target. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = path.join(rel, name);
      const full = path.join(root, r);
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(full).split(root).join('<D>')}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(r);
      } else out[r] = `file ${mode} nlink=${st.nlink} ${readFileSync(full, 'utf8')}`;
    }
  };
  walk('');
  return out;
}

describe.skipIf(!hasAnsible)('differential: ansible-core vs drover modules', () => {
  const ans = tempDir('drover-diff-ansible-');
  const drv = tempDir('drover-diff-drover-');
  const fx = tempDir('drover-diff-fixtures-');
  let ansibleResults: { changed?: boolean; failed?: boolean }[] = [];

  beforeAll(() => {
    writeFileSync(fx.p('plain.txt'), 'plain\n');
    writeFileSync(fx.p('greet.j2'), 'hello {{ who }}\n');
    execFileSync('mkdir', ['-p', fx.p('tree/sub')]);
    writeFileSync(fx.p('tree/one'), '1\n');
    writeFileSync(fx.p('tree/sub/two'), '2\n');
    const tasks: Record<string, unknown>[] = STEPS.map((s, i) => ({
      name: `step ${i}`,
      [s.mod]: fillArgs(s.args, ans.dir, fx.dir),
      register: `r${i}`,
      ignore_errors: true,
      ...(s.check ? { check_mode: true } : {}),
    }));
    const all = `{{ [${STEPS.map((_s, i) => `r${i}`).join(', ')}] | to_json }}`;
    tasks.push({ name: 'save', copy: { content: all, dest: fx.p('results.json') } });
    const play = [{ hosts: 'localhost', connection: 'local', gather_facts: false, vars: { who: 'world' }, tasks }];
    writeFileSync(fx.p('play.yml'), JSON.stringify(play));
    execFileSync('ansible-playbook', ['-i', 'localhost,', fx.p('play.yml')], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False' },
      maxBuffer: 64 * 1024 * 1024,
    });
    ansibleResults = JSON.parse(readFileSync(fx.p('results.json'), 'utf8'));
  }, 180_000);

  afterAll(() => {
    ans.cleanup();
    drv.cleanup();
    fx.cleanup();
  });

  it('gives the same changed/failed for every step and the same final tree', async () => {
    const mine: { changed: boolean; failed: boolean }[] = [];
    for (const s of STEPS) {
      const r = await runModule(s.mod, fillArgs(s.args, drv.dir, fx.dir), { check: !!s.check, vars: { who: 'world' } });
      mine.push({ changed: !!r.changed, failed: !!r.failed });
    }
    const theirs = ansibleResults.map((r) => ({ changed: !!r.changed, failed: !!r.failed }));
    const rows = STEPS.map((s, i) => ({ step: i, mod: s.mod, ansible: theirs[i], drover: mine[i] }));
    const mismatches = rows.filter((r) => JSON.stringify(r.ansible) !== JSON.stringify(r.drover));
    expect(mismatches).toEqual([]);
    const a = snapshot(ans.dir);
    const b = snapshot(drv.dir);
    const norm = (o: Record<string, string>) => JSON.parse(JSON.stringify(o).split(ans.dir).join('<D>').split(drv.dir).join('<D>'));
    expect(norm(b)).toEqual(norm(a));
  }, 120_000);
});
