// The module library on `drover lab` (real sshd, real rpm): one playbook (fixtures/site.yml)
// exercises the modules over SSH on one lab host. The first run changes, the second reports ok
// everywhere and leaves the host's tree as it was; a check-mode run with a new value changes
// nothing on the host but predicts the changes with --diff; the real run then makes them and
// shows the same diffs. One lab for the whole file. Skipped without root/sshd.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labEvents, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { timedPlaybook } from './timing.js';
import { tempDir } from '../support/tmp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const HOST = 'n1.example.com';
const skip = labSkipReason();
if (skip) console.warn(`module lab integration skipped: ${skip}`);

/** path → type, mode, owner, content digest (or link target) under `root`. */
export function treeDigest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, r));
      const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(join(root, r))}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${meta}`;
        walk(r);
      } else out[r] = `file ${meta} ${createHash('sha1').update(readFileSync(join(root, r))).digest('hex')}`;
    }
  };
  walk('');
  return out;
}

function recap(out: string): Record<string, number> {
  const m = new RegExp(`${HOST.replace(/\./g, '\\.')}\\s+: (.*)`).exec(out);
  if (!m) throw new Error(`no recap for ${HOST} in:\n${out}`);
  return Object.fromEntries([...m[1].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
}

/** Names of the tasks reported changed, in order. */
function changedTasks(out: string): string[] {
  const names: string[] = [];
  let task = '';
  for (const line of out.split('\n')) {
    const t = /^TASK \[(.*)\] \*+$/.exec(line);
    if (t) task = t[1];
    else if (line.startsWith(`changed: [${HOST}]`)) names.push(task);
  }
  return names;
}

describe.skipIf(!!skip)('modules on drover lab: changed, then ok; check mode; --diff', () => {
  const name = uniqueLabName('t-modlab');
  let inventory = '';
  let root = '';
  let fetchDir = '';
  const state = () => ({ srv: treeDigest(join(root, 'srv/mods')), etc: readFileSync(join(root, 'etc/hostname'), 'utf8') });
  const run = (...extra: string[]) => timedPlaybook(`site.yml ${extra.join(' ')}`, ['-i', inventory, join(FIXTURES, 'site.yml'), '-e', `fetch_dir=${fetchDir}`, ...extra]);

  beforeAll(async () => {
    if (skip) return;
    fetchDir = tempDir('drover-modlab-fetch-');
    const dir = writeTemp({ hosts: `[nodes]\n${HOST}\n` });
    const t0 = Date.now();
    const lab = await labUp({ inventory: [join(dir, 'hosts')], name });
    if (process.env.MODLAB_TIMING) process.stderr.write(`[timing] lab up: ${Date.now() - t0} ms\n`);
    inventory = labPaths(lab.dir).inventory;
    root = hostPaths(lab.dir, HOST).root;
  }, 300_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
    if (fetchDir) rmSync(fetchDir, { recursive: true, force: true });
  }, 120_000);

  // changed on a first run: everything that writes (raw and add_host are changed_when: false)
  const FIRST = [
    'file directory', 'copy content', 'copy without force', 'copy a tree from the controller', 'template with facts', 'lineinfile', 'blockinfile', 'replace',
    'file link', 'file touch preserving times', 'assemble', 'command with creates', 'shell with creates', 'script with creates',
    'sysctl into a file, no reload', 'hostname', 'unit file', 'systemd', 'fetch', 'group_by',
  ];

  it('first run changes every writing module, and the host holds the result', async () => {
    const r = await run();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(changedTasks(r.stdout)).toEqual(FIRST);
    expect(recap(r.stdout)).toMatchObject({ changed: FIRST.length, failed: 0, unreachable: 0, skipped: 1 });
    const conf = readFileSync(join(root, 'srv/mods/conf'), 'utf8');
    expect(conf).toBe('a=1\nb=1\n');
    expect(readFileSync(join(root, 'srv/mods/edit.conf'), 'utf8')).toBe('a=10\nc=1\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n');
    expect(readFileSync(join(root, 'srv/mods/motd'), 'utf8')).toBe(`host ${HOST} runs CentOS 7 (RedHat)\nversion 1\n`);
    expect(readFileSync(join(root, 'srv/mods/assembled'), 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(join(root, 'srv/mods/script.out'), 'utf8')).toBe('script ran on n1.example.com\n');
    expect(readFileSync(join(root, 'srv/mods/shell.out'), 'utf8')).toBe('shell 2\n');
    expect(readFileSync(join(root, 'srv/mods/sysctl.conf'), 'utf8')).toBe('vm.swappiness=10\n');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8').trim()).toBe('node-one.example.com');
    expect(readFileSync(join(fetchDir, HOST, 'srv/mods/conf'), 'utf8')).toBe(conf);
    const s = state().srv;
    expect(s).toMatchObject({ 'sub/deep': 'dir 750 0:0', 'conf.link': 'link /srv/mods/conf' });
    expect(s['cmd.done']).toMatch(/^file 644 0:0 /);
    expect(s.conf).toMatch(/^file 644 0:0 /);
    expect(s.motd).toMatch(/^file 640 0:0 /);
    expect(s.assembled).toMatch(/^file 600 0:0 /);
    // the lab logs under the host's /etc/hostname, which the hostname task changed
    const ev = labEvents(name).filter((e) => e.service === 'demo').map((e) => `${e.kind}:${String(e.service)}`);
    expect(ev).toEqual(expect.arrayContaining(['service.started:demo', 'service.enabled:demo']));
  }, 240_000);

  it('second run reports ok for every task and leaves the tree as it was', async () => {
    const before = state();
    const events = labEvents(name).length;
    const r = await run();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(changedTasks(r.stdout)).toEqual(['group_by']); // group_by is always changed, as in 2.14
    expect(recap(r.stdout)).toMatchObject({ changed: 1, failed: 0 });
    expect(state()).toEqual(before);
    expect(labEvents(name).length).toBe(events);
  }, 240_000);

  const SECOND = ['copy content', 'template with facts', 'lineinfile', 'blockinfile', 'fetch', 'group_by'];

  it('check mode with a new value predicts the changes with --diff and changes nothing', async () => {
    const before = state();
    const r = await run('-e', 'v=2', '--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // fetch (like raw) is skipped in check mode, as in 2.14
    expect(changedTasks(r.stdout)).toEqual(SECOND.filter((t) => t !== 'fetch'));
    expect(state()).toEqual(before);
    expect(r.stdout).toMatch(/--- before: \/srv\/mods\/conf\n\+\+\+ after: .*\n@@ -1,2 \+1,2 @@\n a=1\n-b=1\n\+b=2\n/);
    expect(r.stdout).toMatch(/--- before: \/srv\/mods\/motd\n\+\+\+ after: .*motd.j2\n@@ -1,2 \+1,2 @@\n host .*\n-version 1\n\+version 2\n/);
    expect(r.stdout).toContain('-c=1\n+c=2\n');
    expect(r.stdout).toContain('-x=1\n+x=2\n');
  }, 240_000);

  it('the real run makes the predicted changes and shows the same diffs', async () => {
    const r = await run('-e', 'v=2', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(changedTasks(r.stdout)).toEqual(SECOND);
    expect(readFileSync(join(root, 'srv/mods/conf'), 'utf8')).toBe('a=1\nb=2\n');
    expect(readFileSync(join(root, 'srv/mods/edit.conf'), 'utf8')).toBe('a=10\nc=2\n# BEGIN ANSIBLE MANAGED BLOCK\nx=2\ny=2\n# END ANSIBLE MANAGED BLOCK\n');
    expect(r.stdout).toContain('-version 1\n+version 2\n');
    const again = await run('-e', 'v=2');
    expect(changedTasks(again.stdout)).toEqual(['group_by']);
  }, 240_000);
});
