// `drover adhoc` on the local connection, against `ansible` 2.14 on the same command lines: the
// option errors and their exit codes, host selection without SSH (empty inventory, implicit
// localhost), run-time module failures, --task-timeout; plus where the command is advertised.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSIBLE_ADHOC, DROVER_ADHOC, ansibleMissing, runTool } from '../examples/harness.js';
import { hostBlocks } from '../support/adhoc.js';
import { LAB_USAGE } from '../../engine/cli/lab-cmd.js';
import { ADHOC_USAGE } from '../../engine/cli/adhoc-cmd.js';
import { PLAYBOOK_USAGE } from '../../engine/cli/playbook-cmd.js';
import { askPasswords, modulePaths, passwordFromFile } from '../../engine/cli/connect-options.js';
import { tempDir } from '../support/tmp.js';

const skip = ansibleMissing();

interface LocalCase {
  id: string;
  args: string[];
  /** Compare only what follows "error: " on the last stderr line (argparse names the program). */
  usageError?: boolean;
  /** A known difference outside the ad-hoc command, removed from drover's output before comparing. */
  known?: { text: string; why: string };
  /** Environment of both tools ({dir} replaced). */
  env?: Record<string, string>;
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
  // first contact: a module reports the discovered interpreter (the implicit localhost has it set: none)
  { id: 'ping-discovers-python', args: ['all', '-m', 'ping'] },
  { id: 'ping-implicit-localhost', args: ['localhost', '-m', 'ping', '-i', '{empty}'] },
  { id: 'debug-oneline', args: ['all', '-m', 'debug', '-a', 'msg=x', '-o'] },
  // include_role / include_tasks print their own result (include_args) before the included tasks'
  { id: 'include-role', args: ['all', '-m', 'include_role', '-a', 'name=role1'], env: { ANSIBLE_ROLES_PATH: '{dir}/roles' } },
  { id: 'include-tasks-oneline', args: ['all', '-m', 'ansible.builtin.include_tasks', '-a', '{dir}/t.yml', '-o'] },
  // modules that are not native run through the playbook path's Python modules, -M's folders first
  { id: 'python-module', args: ['all', '-m', 'ansible.builtin.getent', '-a', 'database=passwd key=root'] },
  { id: 'module-path', args: ['all', '-M', '{dir}/nowhere:{dir}/library', '-m', 'mymod', '-a', 'word=hello'] },
  { id: 'module-path-missing', args: ['all', '-m', 'mymod', '-a', 'word=hello'], known: { text: '\n    "changed": false,', why: "drover's executor gives every result a changed key; Ansible's error result for a missing module has none" } },
  // the password groups are exclusive; a password file that is missing is an error before any host
  { id: 'ask-pass-and-file', args: ['all', '-k', '--connection-password-file', '{dir}/pw', '-m', 'ping'], usageError: true },
  { id: 'ask-become-pass-and-file', args: ['all', '-K', '--become-password-file', '{dir}/pw', '-m', 'ping'], usageError: true },
  { id: 'become-password-file-missing', args: ['all', '--become-password-file', '{dir}/nope', '-m', 'ping'] },
  { id: 'connection-password-file-missing', args: ['all', '--conn-pass-file', '{dir}/nope', '-m', 'ping'] },
  { id: 'become-password-file', args: ['all', '-b', '--become-pass-file', '{dir}/pw', '-a', 'id -un'] },
  // the ssh flags are accepted (the local connection does not use them)
  { id: 'ssh-args-local', args: ['all', '--ssh-common-args=-o ConnectTimeout=3', '--ssh-extra-args=-o ServerAliveInterval=5', '--sftp-extra-args=-l 100', '--scp-extra-args=-l 100', '-m', 'ping'] },
];

describe.skipIf(skip !== undefined)('drover adhoc locally against ansible 2.14', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('drover-adhoc-local-');
    writeFileSync(join(dir, 'hosts'), '[local]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'pw'), 'local-pw\n');
    mkdirSync(join(dir, 'roles', 'role1', 'tasks'), { recursive: true });
    writeFileSync(join(dir, 'roles', 'role1', 'tasks', 'main.yml'), '- debug: msg=in-role1\n- command: echo from role1\n');
    writeFileSync(join(dir, 't.yml'), '- debug: msg=included\n');
    mkdirSync(join(dir, 'library'));
    writeFileSync(join(dir, 'library', 'mymod.py'), [
      '#!/usr/bin/python',
      'from ansible.module_utils.basic import AnsibleModule',
      "m = AnsibleModule(argument_spec=dict(word=dict(type='str', required=True)))",
      "m.exit_json(changed=False, said=m.params['word'].upper())",
      '',
    ].join('\n'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(c.id, async () => {
      const args = c.args.map((a) => a.replace('{empty}', join(dir, 'empty')).replaceAll('{dir}', dir));
      const full = args.includes('-i') ? args : [...args, '-i', join(dir, 'hosts')];
      // TMPDIR in the test's dir: ansible leaves the AnsiballZ payload folder of a module its task timeout killed
      const env = { ANSIBLE_LOCALHOST_WARNING: 'True', TMPDIR: dir, ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll('{dir}', dir)])) };
      const [a, d] = await Promise.all([runTool(ANSIBLE_ADHOC, full, env), runTool(DROVER_ADHOC, full, env)]);
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

  it('drover adhoc and drover playbook share the connection, become and module path flags', () => {
    const shared = ['-k, --ask-pass', '--connection-password-file', '--conn-pass-file', '--become-password-file', '--become-pass-file', '--ssh-common-args', '--ssh-extra-args', '--sftp-extra-args', '--scp-extra-args', '-M, --module-path', '--private-key', '--key-file', '-u, --user', '-c, --connection', '-T, --timeout'];
    for (const flag of shared) {
      expect(ADHOC_USAGE, flag).toContain(flag);
      expect(PLAYBOOK_USAGE, flag).toContain(flag);
    }
  });
});

describe('connection and become secrets (CLI.ask_passwords)', () => {
  const asked: string[] = [];
  const prompt = (answers: string[]) => (m: string) => {
    asked.push(m);
    return Promise.resolve(answers.shift() ?? '');
  };

  it('-k asks for the SSH password, and an empty become password with -K defaults to it', async () => {
    asked.length = 0;
    expect(await askPasswords({ askPass: true, askBecomePass: true }, prompt(['ssh-secret', '']), '/')).toEqual({ connection: 'ssh-secret', become: 'ssh-secret' });
    expect(asked).toEqual(['SSH password: ', 'BECOME password[defaults to SSH password]: ']);
    asked.length = 0;
    expect(await askPasswords({ askBecomePass: true }, prompt(['b']), '/')).toEqual({ become: 'b' });
    expect(asked).toEqual(['BECOME password: ']);
  });

  it('reads password files (stripped) and runs executable ones; an empty password is an error', async () => {
    asked.length = 0;
    const dir = tempDir('drover-passwords-');
    writeFileSync(join(dir, 'plain'), '  conn-pw \n');
    writeFileSync(join(dir, 'script'), '#!/bin/sh\necho become-pw\n', { mode: 0o755 });
    writeFileSync(join(dir, 'empty'), '\n');
    writeFileSync(join(dir, 'fails'), '#!/bin/sh\necho no >&2; exit 3\n', { mode: 0o755 });
    const none = prompt([]);
    expect(await askPasswords({ connectionPasswordFile: 'plain', becomePasswordFile: join(dir, 'script') }, none, dir)).toEqual({ connection: 'conn-pw', become: 'become-pw' });
    expect(() => passwordFromFile('empty', dir)).toThrow(`Empty password was provided from file (${join(dir, 'empty')})`);
    expect(() => passwordFromFile('fails', dir)).toThrow(`The password script ${join(dir, 'fails')} returned an error (rc=3): no`);
    expect(asked).toEqual([]);
  });

  it('-M paths: colon-separated, the last -M first', () => {
    expect(modulePaths({ modulePath: ['a:b', 'c'] }, '/w')).toEqual(['/w/c', '/w/a', '/w/b']);
  });
});
