// The real binary in a real terminal (tmux, 120×40) against a lab (four hosts behind the real
// sshd, reached over SSH): the live view shows the batch and the progress while the run goes on,
// a `pause: prompt=` is answered by typing into the terminal, and the PLAY RECAP is on the
// screen at the end. The hosts record what ran on them, which the test reads back.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths, type LabHost } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TMUX = spawnSync('tmux', ['-V']).status === 0;
const SKIP = labSkipReason() ?? (TMUX ? undefined : 'needs tmux (Debian package tmux)');
const SOCKET = `drover-test-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The pane with its scroll-back. */
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', 'run');

async function waitFor(what: RegExp, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (what.test(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} in:\n${last}`);
}

const PLAYBOOK = `- name: Upgrade nodes
  hosts: nodes
  gather_facts: false
  serial: 2
  max_fail_percentage: 50
  tasks:
    - name: Drain node
      shell: sleep 1; echo drained > /root/drained
    - name: Change ticket
      pause:
        prompt: Type the change ticket
      register: ticket
      run_once: true
      when: inventory_hostname == 'h1'
    - name: Show ticket
      debug:
        msg: "ticket={{ ticket.user_input }}"
      run_once: true
      when: inventory_hostname == 'h1'
    - name: Upgrade packages
      shell: sleep 2; hostname > /root/upgraded
`;

describe.skipIf(SKIP !== undefined)('live view in a real terminal (tmux) against the lab', () => {
  const lab = uniqueLabName('t-tmux');
  let dir = '';
  let inventory = '';
  let hosts: LabHost[] = [];

  beforeAll(async () => {
    const up = await labUp({ inventory: [join(writeTemp({ hosts: '[nodes]\nh[1:4]\n' }), 'hosts')], name: lab });
    dir = up.dir;
    hosts = up.hosts;
    inventory = labPaths(up.dir).inventory;
  }, 120_000);

  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    if (dir) await labDown(lab);
  }, 60_000);

  it('shows batch and progress, takes a prompt answer, ends with the recap', async () => {
    const work = writeTemp({ 'pb.yml': PLAYBOOK });
    const cmd = `cd ${work} && env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 node ${join(ROOT, 'bin/drover')} playbook -i ${inventory} pb.yml; echo EXIT=$?; sleep 120`;
    tmux('new-session', '-d', '-s', 'run', '-x', '120', '-y', '40', cmd);

    const asking = await waitFor(/\? Type the change ticket/);
    expect(asking).toContain('pb.yml · PLAY [Upgrade nodes] · linear');
    expect(asking).toContain('batch 1/2: h1, h2');
    expect(asking).toMatch(/░+ 0\/4 hosts/);
    expect(asking).toContain('failures: 0 so far · this batch 0 of 1 allowed (max_fail_percentage 50%)');
    expect(asking).toContain('TASK [Change ticket]');

    tmux('send-keys', '-t', 'run', 'CHG-42');
    await waitFor(/› CHG-42/);
    tmux('send-keys', '-t', 'run', 'Enter');

    const second = await waitFor(/batch 2\/2: h3, h4/);
    expect(second).toContain('[h1] ticket=CHG-42');
    expect(second).toContain('batch 1/2 done: 2 ok');
    expect(second).toMatch(/█+░+ 2\/4 hosts/);
    expect(second).not.toContain('? Type the change ticket');

    const end = await waitFor(/EXIT=\d+/);
    expect(end).toContain('EXIT=0');
    expect(end).toContain('batch 2/2 done: 2 ok');
    expect(end).toMatch(/█{10,} 4\/4 hosts/);
    const recap = end.slice(end.lastIndexOf('PLAY RECAP'));
    for (const h of ['h1', 'h2', 'h3', 'h4']) expect(recap).toMatch(new RegExp(`^${h} +: ok=\\d+ +changed=2 +unreachable=0 +failed=0`, 'm'));
    expect(recap).toMatch(/^h1 +: ok=4 /m);
    // NO_COLOR: the pane holds no foreground colour at all (-e keeps the attributes)
    expect(tmux('capture-pane', '-p', '-e', '-S', '-300', '-t', 'run')).not.toMatch(/\u001b\[[0-9;]*3[0-7]m/);
    // the tasks ran on the lab hosts, each in its own tree
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      const root = hostPaths(dir, hosts.find((x) => x.name === h)!.dirName).root;
      expect(readFileSync(join(root, 'root/drained'), 'utf8')).toBe('drained\n');
      expect(readFileSync(join(root, 'root/upgraded'), 'utf8')).toBe(`${h}\n`);
    }
  }, 90_000);
});

// only when it cannot run: a skipped test that says why (none is registered otherwise)
if (SKIP !== undefined) {
  describe('live view in a real terminal (tmux) against the lab', () => {
    it.skip(`skipped: ${SKIP}`, () => undefined);
  });
}
