// Where a task's module is found, compared with ansible-playbook 2.14 on localhost
// (fixtures/names/): a role's library/ module shadows drover's native module of the same name
// (oc_obj, with arguments the native one refuses at load time), a playbook's library/ shadows
// ansible-core's ping for short and ansible.legacy names but not for ansible.builtin.ping, FQCNs,
// the `collections:` keyword, a collection's runtime.yml redirect and its module_utils by a
// relative import. Then drover's own promises: a module found nowhere names every place searched,
// and without ansible-core a Python module fails naming the package to install.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleMissing, ANSIBLE, DROVER, runTool } from '../examples/harness.js';
import { tempDir } from '../support/tmp.js';

const DIR = join(import.meta.dirname, 'fixtures', 'names');
const skip = ansibleMissing();
if (skip) console.warn(`module names differential skipped: ${skip}`);
const work = tempDir('drover-pynames-');
// the run's cwd is the repo: ansible.cfg-free, so the fixture's own folder supplies library/;
// remote_tmp in the test's folder, so no payload is left in the controller's home
const args = (pb: string, out: string) => ['-i', join(DIR, 'hosts'), join(DIR, pb), '-e', `out=${out}`, '-e', `ansible_remote_tmp=${join(work, 'rt')}`];

describe.skipIf(!!skip)('module names: ansible-playbook vs drover', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const pb of ['names.yml', 'builtin.yml']) {
    it(`${pb}: the same module answers every task`, async () => {
      const [a, d] = [join(work, `${pb}.a.json`), join(work, `${pb}.d.json`)];
      const [ra, rd] = await Promise.all([runTool(ANSIBLE, args(pb, a)), runTool(DROVER, args(pb, d))]);
      expect(ra.rc, ra.stdout + ra.stderr).toBe(0);
      expect(rd.rc, rd.stdout + rd.stderr).toBe(0);
      const ansible = JSON.parse(readFileSync(a, 'utf8')) as Record<string, Record<string, unknown>>;
      expect(JSON.parse(readFileSync(d, 'utf8'))).toEqual(ansible);
      // guards: each task reached the module the fixture meant
      const who = Object.fromEntries(Object.entries(ansible).map(([k, v]) => [k, v.which ?? v.msg ?? v.ping]));
      expect(who).toEqual(
        pb === 'builtin.yml'
          ? { builtin: 'pong' }
          : {
              keyword: 'hello from testcoll, keyword', role_oc_obj: 'role library', short: 'playbook library', legacy: 'playbook library',
              fqcn: 'hello from testcoll, fq', redirect: 'hello from testcoll, redirected',
            },
      );
    }, 120_000);
  }

  it('a module found nowhere: the same error as ansible-playbook, then every place searched', async () => {
    const [ra, rd] = await Promise.all([runTool(ANSIBLE, args('missing.yml', '/dev/null')), runTool(DROVER, args('missing.yml', '/dev/null'))]);
    expect(rd.rc).toBe(ra.rc);
    const first = (s: string) => s.split('\n').find((l) => l.startsWith('ERROR!'));
    expect(first(rd.stderr)).toBe(first(ra.stderr));
    expect(rd.stderr).toContain(`Searched in:\n\t${join(DIR, 'library')}\n`);
    expect(rd.stderr).toMatch(/\t\/usr\/lib\/python3\/dist-packages\/ansible\/modules\n/);
  }, 120_000);

  it("drover's payload cache: unpacked once per host, sent again when the host's copy is gone", async () => {
    const tmp = join(work, 'remote-tmp');
    const rd = await runTool(DROVER, ['-i', join(DIR, 'hosts'), join(DIR, 'cache.yml'), '-e', `tmp=${tmp}`]);
    expect(rd.rc, rd.stdout + rd.stderr).toBe(0);
    expect(rd.stdout).toMatch(/localhost +: ok=5 +changed=1 /);
    expect(readdirSync(join(tmp, 'drover-payloads')).filter((f) => /^[0-9a-f]{32}$/.test(f))).toHaveLength(1);
  }, 120_000);

  it('without ansible-core on the controller a Python module fails naming the package', async () => {
    const rd = await runTool(DROVER, args('names.yml', join(work, 'none.json')), { DROVER_ANSIBLE_CORE: join(work, 'no-ansible-here') });
    expect(rd.rc).toBe(2);
    expect(rd.stdout).toContain("ansible-core is not installed on the controller");
    expect(rd.stdout).toContain("install the Debian package 'ansible-core'");
  }, 120_000);
});
