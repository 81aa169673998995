// `drover adhoc` on the local connection, against `ansible` 2.14 on the same command lines: the
// option errors and their exit codes, host selection without SSH (empty inventory, implicit
// localhost), run-time module failures, --task-timeout; plus where the command is advertised.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSIBLE_ADHOC, DROVER_ADHOC, ansibleMissing, runTool } from '../examples/harness.js';
import { hostBlocks } from '../support/adhoc.js';
import { LAB_USAGE } from '../../engine/cli/lab-cmd.js';
import { ADHOC_USAGE } from '../../engine/cli/adhoc-cmd.js';
import { tempDir } from '../support/tmp.js';

const skip = ansibleMissing();

interface LocalCase {
  id: string;
  args: string[];
  /** Compare only what follows "error: " on the last stderr line (argparse names the program). */
  usageError?: boolean;
  /** A known difference outside the ad-hoc command, removed from drover's output before comparing. */
  known?: { text: string; why: string };
}

const CASES: LocalCase[] = [
  { id: 'no-pattern', args: ['-m', 'ping'], usageError: true },
  { id: 'forks-zero', args: ['all', '-f', '0'], usageError: true },
  { id: 'background-not-int', args: ['all', '-B', 'abc', '-a', 'true'], usageError: true },
  { id: 'import-playbook', args: ['all', '-m', 'import_playbook', '-a', 'x.yml'] },
  {
    id: 'unknown-module', args: ['all', '-m', 'no_such_module'],
    known: { text: '\n    "changed": false,', why: "drover's executor gives every result a changed key; Ansible's error result for a missing module has none" },
  },
  { id: 'bad-module-args', args: ['all', '-m', 'ping', '-a', 'data=x y=1'] },
  { id: 'empty-inventory-all', args: ['all', '-m', 'ping', '-i', '{empty}'] },
  { id: 'empty-inventory-localhost', args: ['localhost', '-m', 'ping', '-i', '{empty}'] },
  { id: 'task-timeout', args: ['all', '-a', 'sleep 20', '--task-timeout', '2'] },
  { id: 'shell-stderr-oneline', args: ['all', '-m', 'shell', '-a', 'printf "o\\n"; printf "e1\\ne2" >&2', '-o'] },
];

describe.skipIf(skip !== undefined)('drover adhoc locally against ansible 2.14', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('drover-adhoc-local-');
    writeFileSync(join(dir, 'hosts'), '[local]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'empty'), '');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(c.id, async () => {
      const args = c.args.map((a) => a.replace('{empty}', join(dir, 'empty')));
      const full = args.includes('-i') ? args : [...args, '-i', join(dir, 'hosts')];
      const [a, d] = await Promise.all([runTool(ANSIBLE_ADHOC, full, { ANSIBLE_LOCALHOST_WARNING: 'True' }), runTool(DROVER_ADHOC, full, { ANSIBLE_LOCALHOST_WARNING: 'True' })]);
      const show = `${full.join(' ')}\n--- ansible (rc ${a.rc}) ---\n${a.stdout}${a.stderr}\n--- drover (rc ${d.rc}) ---\n${d.stdout}${d.stderr}`;
      expect(d.rc, show).toBe(a.rc);
      if (c.usageError) {
        // argparse prints "PROG: error: MESSAGE" (Ansible's usage around it)
        const err = (s: string) => s.split('\n').find((l) => / error: /.test(l))?.replace(/^.*? error: /, '');
        expect(err(a.stderr), show).toBeTruthy();
        expect(err(d.stderr), show).toBe(err(a.stderr));
        return;
      }
      // an options error prints the usage first (different words in each tool)
      if (a.stdout.startsWith('usage:')) expect(d.stdout.startsWith('usage:'), show).toBe(true);
      else expect(hostBlocks(c.known ? d.stdout.replace(c.known.text, '') : d.stdout), show).toEqual(hostBlocks(a.stdout));
      expect(d.stderr, show).toBe(a.stderr);
    }, 60_000);
  }
});

describe('where drover adhoc is advertised', () => {
  it('drover lab --help shows an ad-hoc example, and adhoc --help names the ansible flags', () => {
    expect(LAB_USAGE).toMatch(/drover adhoc all -i "\$\(drover lab inventory NAME\)" -m ping/);
    for (const flag of ['-m, --module-name', '-a, --args', '-o, --one-line', '-t, --tree', '-B, --background', '-P, --poll', '--list-hosts', '-b, --become', '-K, --ask-become-pass', '--vault-id', '--playbook-dir', '--task-timeout']) {
      expect(ADHOC_USAGE).toContain(flag);
    }
  });
});
