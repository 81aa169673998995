// The ad-hoc corpus (issue 16): each command line runs under `ansible` 2.14 and `drover adhoc`
// against the same `drover lab` over SSH, and the printed lines, the warnings, the exit code and
// the -t tree files must be the same. One lab: three hosts (one of them refusing connections for
// the unreachable cases) and the login user bob with NOPASSWD sudo for -b / --become-user.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labSkipReason, startLab, type TestLab } from '../support/lab.js';
import { ANSIBLE_ADHOC, DROVER_ADHOC, ansibleMissing, runTool, type Tool, type ToolResult } from '../examples/harness.js';
import { adhocPlay } from '../../engine/cli/adhoc-cmd.js';
import { isNoJsonAction } from '../../engine/output/adhoc.js';
import { hostBlocks, normalise, treeFiles } from '../support/adhoc.js';
import { tempDir } from '../support/tmp.js';

const skip = labSkipReason() ?? ansibleMissing();
const RUN_MS = 240_000;

interface AdhocCase {
  id: string;
  args: string[];
  /** Its pattern includes z9, the host that refuses connections. */
  unreachable?: boolean;
  /** Writes -t tree files, compared too. */
  tree?: boolean;
  /** stdout is the command's usage text (different words in each tool): compared by its first word only. */
  usage?: boolean;
  /** Why stderr is not compared (a known difference outside the ad-hoc command). */
  stderrDiffers?: string;
  /** Environment of both tools. */
  env?: Record<string, string>;
}

// {tree} is replaced by the case's own tree folder, {tool} by the tool's name (a path each run
// creates), {dir} by the test's folder (vault.yml encrypted by ansible-vault, pbdir/group_vars)
const CASES: AdhocCase[] = [
  { id: 'ping', args: ['nodes', '-m', 'ping'] },
  { id: 'command', args: ['nodes', '-a', 'echo hello from {{ inventory_hostname }}'] },
  { id: 'command-json-args', args: ['nodes', '-m', 'command', '-a', '{"cmd": "echo json args"}'] },
  { id: 'shell-fails', args: ['nodes', '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'] },
  { id: 'shell-fails-oneline', args: ['nodes', '-m', 'ansible.builtin.shell', '-a', 'echo out; echo err >&2; exit 3', '-o'] },
  { id: 'command-oneline', args: ['nodes', '-a', 'printf "a\\nb"', '-o'] },
  { id: 'ping-oneline', args: ['nodes', '-m', 'ping', '-o'] },
  { id: 'debug-extra-vars', args: ['nodes', '-m', 'debug', '-a', 'msg={{ greeting }} {{ inventory_hostname }}', '-e', 'greeting=hi'] },
  { id: 'debug-var-json-e', args: ['nodes', '-m', 'debug', '-a', 'var=stuff', '-e', '{"stuff": [1, "two", {"x": null}]}'] },
  { id: 'limit', args: ['all', '-m', 'ping', '-l', 'a2'] },
  { id: 'list-hosts', args: ['all', '--list-hosts'] },
  { id: 'list-hosts-limit', args: ['nodes', '--list-hosts', '-l', 'a1'] },
  { id: 'no-hosts-matched', args: ['nothere', '-m', 'ping'] },
  { id: 'limit-leaves-nothing', args: ['nodes', '-m', 'ping', '-l', 'nothere'] },
  { id: 'command-without-args', args: ['nodes', '-m', 'command'], usage: true },
  { id: 'become-sudo', args: ['nodes', '-u', 'bob', '-b', '-a', 'id -un'] },
  { id: 'no-become', args: ['nodes', '-u', 'bob', '-a', 'id -un'] },
  { id: 'become-user', args: ['a1', '-b', '--become-user', 'bob', '-m', 'shell', '-a', 'id -un'],
    stderrDiffers: "ansible warns that it created the become user's module remote_tmp; drover's modules need none" },
  { id: 'check-mode-command', args: ['nodes', '-a', 'touch /tmp/never', '-C'] },
  { id: 'file-changed-then-ok', args: ['a1', '-m', 'file', '-a', 'path=/tmp/adhoc-{tool} state=directory mode=0750'] },
  { id: 'diff-check', args: ['a1', '-m', 'lineinfile', '-a', 'path=/tmp/adhoc-{tool}-diff line=y create=yes', '-C', '-D'] },
  { id: 'diff', args: ['a2', '-m', 'lineinfile', '-a', 'path=/tmp/adhoc-{tool}-diff line=y create=yes', '-D'] },
  { id: 'module-fails', args: ['nodes', '-m', 'file', '-a', 'path=/nonexistent/x state=file'] },
  { id: 'async-poll', args: ['a1', '-B', '30', '-P', '1', '-a', 'echo background'] },
  { id: 'fail-module', args: ['nodes', '-m', 'fail', '-a', 'msg=boom'] },
  { id: 'command-creates', args: ['nodes', '-a', 'echo never creates=/'] },
  { id: 'verbose-forks', args: ['nodes', '-m', 'ping', '-v', '-f', '1', '-T', '20'] },
  { id: 'vault-extra-vars', args: ['nodes', '-m', 'debug', '-a', 'msg=secret is {{ secret }}', '-e', '@{dir}/vault.yml', '--vault-password-file', '{dir}/pw'] },
  { id: 'playbook-dir-group-vars', args: ['nodes', '-m', 'debug', '-a', 'var=gv', '--playbook-dir', '{dir}/pbdir'] },
  { id: 'tree', args: ['nodes', '-m', 'ping', '-t', '{tree}'], tree: true },
  { id: 'tree-failed-command', args: ['nodes', '-m', 'shell', '-a', 'echo x; exit 1', '-t', '{tree}'], tree: true },
  { id: 'unreachable', args: ['all', '-m', 'ping'], unreachable: true },
  { id: 'unreachable-oneline', args: ['all', '-a', 'true', '-o'], unreachable: true },
  { id: 'unreachable-tree', args: ['all', '-m', 'ping', '-t', '{tree}'], unreachable: true, tree: true },
  { id: 'unreachable-and-failed', args: ['all', '-m', 'shell', '-a', 'test {{ inventory_hostname }} = a1'], unreachable: true },
  // the ssh flags: the lab's ansible_ssh_common_args variable wins over --ssh-common-args (a
  // ProxyCommand that fails would leave the hosts unreachable); --ssh-extra-args applies (to a new
  // connection: ansible's ssh_args are emptied so that it does not reuse an earlier case's ControlMaster)
  { id: 'ssh-common-args-variable-wins', args: ['nodes', '-m', 'ping', '--ssh-common-args=-o ProxyCommand=false'] },
  { id: 'ssh-extra-args', args: ['a1', '-m', 'ping', '--ssh-extra-args=-o ProxyCommand=false'], env: { ANSIBLE_SSH_ARGS: '' } },
  // modules that are not native run as Python modules on the host; includes print their own result first
  { id: 'python-module', args: ['nodes', '-m', 'ansible.builtin.getent', '-a', 'database=passwd key=bob'] },
  { id: 'include-tasks', args: ['nodes', '-m', 'include_tasks', '-a', '{dir}/t.yml'] },
];

describe('ad-hoc play and output rules (no lab)', () => {
  it('builds the implicit play as adhoc.py does', () => {
    expect(adhocPlay('web', 'command', 'echo hi creates=/x', {})).toEqual({
      name: 'Ansible Ad-Hoc', hosts: 'web', gather_facts: 'no',
      tasks: [{ action: { module: 'command', args: { _raw_params: 'echo hi', creates: '/x' } } }],
    });
    expect(adhocPlay('all', 'copy', '{"content": "x", "dest": "/y"}', { seconds: 10, taskTimeout: 5 }).tasks).toEqual([
      { action: { module: 'copy', args: { content: 'x', dest: '/y' } }, timeout: 5, async: 10, poll: 15 },
    ]);
    // not JSON: key=value
    expect(adhocPlay('all', 'debug', '{bad', {}).tasks).toEqual([{ action: { module: 'debug', args: { _raw_params: '{bad' } } }]);
  });

  it('prints commands as "rc=N >>" only for command, shell, raw and their FQCNs', () => {
    for (const a of ['command', 'shell', 'raw', 'ansible.builtin.command', 'ansible.legacy.shell', 'ansible.windows.win_shell']) expect(isNoJsonAction(a), a).toBe(true);
    for (const a of ['script', 'ping', 'ansible.windows.shell', 'community.general.shell', 'debug']) expect(isNoJsonAction(a), a).toBe(false);
  });

  it('compares host blocks regardless of the order hosts finished in, and sees a changed line', () => {
    const a = 'a1 | SUCCESS => {\n    "ping": "pong"\n}\na2 | CHANGED | rc=0 >>\nhi\n';
    const b = 'a2 | CHANGED | rc=0 >>\nhi\na1 | SUCCESS => {\n    "ping": "pong"\n}\n';
    expect(hostBlocks(a)).toEqual(hostBlocks(b));
    expect(hostBlocks(a.replace('hi', 'ho'))).not.toEqual(hostBlocks(b));
    expect(normalise('"delta": "0:00:00.01", "msg": "Failed to connect to the host via ssh: ssh: connect to host 1.2.3.4 port 22: Connection refused"'))
      .toBe('"delta": "<time>", "msg": "Failed to connect to the host via ssh: <refused>"');
  });
});

describe.skipIf(skip !== undefined)('drover adhoc against ansible 2.14 on a lab over SSH', () => {
  let lab: TestLab;
  let dir = '';

  beforeAll(async () => {
    dir = tempDir('drover-adhoc-');
    writeFileSync(join(dir, 'hosts'), '[nodes]\na1\na2\n[spare]\nz9\n');
    writeFileSync(join(dir, 'pw'), 'adhoc-pw\n');
    writeFileSync(join(dir, 't.yml'), '- debug: msg=included\n- command: echo from {{ inventory_hostname }}\n');
    writeFileSync(join(dir, 'vault.yml'), 'secret: s3cr3t\n');
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'pw'), join(dir, 'vault.yml')], { stdio: 'ignore' });
    mkdirSync(join(dir, 'pbdir', 'group_vars'), { recursive: true });
    writeFileSync(join(dir, 'pbdir', 'group_vars', 'nodes.yml'), 'gv: from playbook-dir group_vars\n');
    lab = await startLab(join(dir, 'hosts'), { prefix: 'adhoc', users: ['bob'] });
    // z9 (only in `all` and `spare`) refuses connections
    await lab.fault('z9', 'down');
  }, 300_000);

  afterAll(async () => {
    await lab?.down().catch((e) => process.stderr.write(`[adhoc] lab down: ${String(e)}\n`));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  const run = async (tool: Tool, c: AdhocCase): Promise<ToolResult & { tree: Record<string, string> }> => {
    const tree = join(dir, `tree-${c.id}-${tool.name}`);
    const args = c.args.map((a) => a.replace('{tree}', tree).replace('{tool}', tool.name).replace('{dir}', dir));
    const r = await runTool(tool, [...args, '-i', lab.inventory], c.env ?? {}, RUN_MS);
    return { ...r, tree: c.tree ? treeFiles(tree) : {} };
  };

  describe.concurrent('case', () => {
    for (const c of CASES) {
      it(c.id, async () => {
        const a = await run(ANSIBLE_ADHOC, c);
        const d = await run(DROVER_ADHOC, c);
        const show = `${c.args.join(' ')}\n--- ansible (rc ${a.rc}) ---\n${a.stdout}${a.stderr}\n--- drover (rc ${d.rc}) ---\n${d.stdout}${d.stderr}`;
        expect(d.rc, show).toBe(a.rc);
        if (c.usage) expect([d.stdout.slice(0, 6), a.stdout.slice(0, 6)], show).toEqual(['usage:', 'usage:']);
        else expect(hostBlocks(d.stdout), show).toEqual(hostBlocks(a.stdout));
        // warnings and errors (stderr): the same lines, in any order
        const lines = (s: string) => normalise(s).split('\n').filter((l) => l.trim() !== '').sort();
        if (!c.stderrDiffers) expect(lines(d.stderr), show).toEqual(lines(a.stderr));
        expect(d.tree, show).toEqual(a.tree);
        if (c.tree) expect(Object.keys(a.tree).length, `${c.id}: ansible wrote no tree files`).toBeGreaterThan(0);
      }, RUN_MS * 2 + 10_000);
    }
  });
});
