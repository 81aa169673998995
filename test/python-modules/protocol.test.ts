// Ansible's module protocol on `drover lab` hosts over SSH: fixtures/protocol.yml runs a corpus
// of small custom modules (new-style with module_utils from a role, old-style key=value,
// WANT_JSON shell script, junk around the JSON, a crash, output that is not JSON, check mode,
// no_log, become, async, interpreter discovery) under ansible-playbook 2.14 on one fresh lab
// host and under drover on another, at the same time; the registered results must be the same.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import { labPaths } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { ANSIBLE, DROVER, runTool } from '../examples/harness.js';
import { hasAnsible, normalise } from '../modules/helpers/differential.js';
import { tempDir } from '../support/tmp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const A = 'pa.example.com';
const D = 'pd.example.com';
const skip = labSkipReason() ?? (hasAnsible ? undefined : 'ansible-playbook is not installed (Debian package ansible-core)');
if (skip) console.warn(`module protocol differential skipped: ${skip}`);

type Result = Record<string, unknown>;

/** What differs by nature between two runs: job ids, temp paths inside tracebacks. */
function comparable(all: Record<string, Result>): Record<string, Result> {
  const out: Record<string, Result> = {};
  for (const [k, r] of Object.entries(all)) {
    const c = { ...r };
    for (const key of ['ansible_job_id', 'results_file']) if (key in c) c[key] = typeof c[key];
    // ansible's ssh runs modules on a tty: CRLF line ends, and ssh's closing notice on stderr
    for (const key of ['module_stdout', 'module_stderr']) {
      if (typeof c[key] === 'string') c[key] = (c[key] as string).replace(/\r\n/g, '\n').replace(/^Shared connection to \S+ closed\.\n/m, '');
    }
    // a traceback names the wrapper's temp paths: its last line is what the module said
    for (const key of ['exception', 'module_stdout', 'module_stderr']) if (typeof c[key] === 'string' && (c[key] as string).startsWith('Traceback')) c[key] = (c[key] as string).trim().split('\n').pop();
    // the tty also merges the module's stderr into its stdout (ansible without pipelining; drover
    // keeps them apart as ansible with pipelining does): compared as one set of lines
    if ('module_stdout' in c || 'module_stderr' in c) {
      c.module_output = `${String(c.module_stdout ?? '')}\n${String(c.module_stderr ?? '')}`.split('\n').filter(Boolean).sort();
      delete c.module_stdout;
      delete c.module_stderr;
    }
    out[k] = c;
  }
  return out;
}

describe.skipIf(!!skip)('Python modules over the module protocol: ansible-playbook vs drover on lab hosts', () => {
  const name = uniqueLabName('t-pyproto');
  let inventory = '';
  let work = '';
  let inventoryDir = '';
  const outs = { a: '', d: '' };
  const logs = { a: '', d: '' };

  beforeAll(async () => {
    if (skip) return;
    work = tempDir('drover-pyproto-');
    inventoryDir = writeTemp({ hosts: `[nodes]\n${A}\n${D}\n` });
    const lab = await labUp({ inventory: [join(inventoryDir, 'hosts')], name });
    inventory = labPaths(lab.dir).inventory;
    outs.a = join(work, 'ansible.json');
    outs.d = join(work, 'drover.json');
    const pb = join(FIXTURES, 'protocol.yml');
    const [ans, drv] = await Promise.all([
      runTool(ANSIBLE, ['-i', inventory, '-l', A, pb, '-e', `out=${outs.a}`], { ANSIBLE_DEPRECATION_WARNINGS: 'True' }, 600_000),
      runTool(DROVER, ['-i', inventory, '-l', D, pb, '-e', `out=${outs.d}`], {}, 600_000),
    ]);
    logs.a = ans.stdout + ans.stderr;
    logs.d = drv.stdout + drv.stderr;
    if (ans.rc !== 0) throw new Error(`ansible-playbook failed:\n${logs.a}`);
    if (drv.rc !== 0) throw new Error(`drover failed:\n${logs.d}`);
  }, 900_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
    for (const d of [work, inventoryDir]) if (d) rmSync(d, { recursive: true, force: true });
  }, 120_000);

  const results = (f: string) => normalise(JSON.parse(readFileSync(f, 'utf8')) as Record<string, Result>, [A, D], '<HOST>');

  it('registers the same result for every module of the corpus', () => {
    const a = comparable(results(outs.a));
    const d = comparable(results(outs.d));
    expect(Object.keys(a).length).toBe(13);
    for (const k of Object.keys(a)) expect({ [k]: d[k] }).toEqual({ [k]: a[k] });
    // guards: the corpus did what it is for
    expect(a.utils.loud).toBe('QUIET');
    expect(a.nolog.greeting).toBe('hi hidden');
    expect(JSON.stringify(a)).not.toContain('s3cr3t');
    expect(a.discovered.ansible_facts).toHaveProperty('discovered_interpreter_python');
    expect(a.crash.msg).toMatch(/^MODULE FAILURE/);
    expect(a.notjson).toMatchObject({ failed: true, rc: 3, module_output: ['and this went to stderr', 'this is not json'] });
    expect(a.junk.value).toBe(42);
  });

  it('censors a no_log task on screen as ansible does', () => {
    const shown = (log: string) => log.split('\n').filter((l) => l.includes('hi hidden') || l.includes('s3cr3t'));
    expect(shown(logs.d)).toEqual(shown(logs.a));
    expect(shown(logs.a)).toEqual([]);
  });

  it('prints the warnings and deprecations the modules and their output give', () => {
    for (const log of [logs.a, logs.d]) {
      expect(log).toContain('[WARNING]: careful with bob');
      expect(log).toContain('[WARNING]: Module invocation had junk after the JSON data: trailing junk');
      expect(log.replace(/\s+/g, ' ')).toContain('[DEPRECATION WARNING]: the flag option. This feature will be removed from test.proto in version 9.9.');
    }
  });
});
