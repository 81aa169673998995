// Connection settings resolved per task (issue 17, item 3), as ansible-core 2.14 resolves them:
// the connection / remote_user / port keywords (play, block, task) under the connection variables
// (ansible_connection, ansible_host, ansible_port, ansible_user) of the task's whole variable set
// (play vars, vars_files, include_vars, set_fact), the delegate's variables for a delegated task,
// and a connection type that does not exist fails the task ("the connection plugin 'x' was not
// found", from the Python worker that looks for it). Every inventory address is unreachable (port 1 or a loopback address nothing listens
// on), so a task only runs where the play's settings were applied. Differential against
// ansible-playbook: locally (connection: local), and over SSH against a real sshd whose port,
// user or address only the play gives. Status lines and recap must be the same.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionSpec, transportOf } from '../../engine/scheduler/connections.js';
import { hasAnsible, runPlaybookBoth } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';
import { canRunSshd, startSshd, type TestSshd } from '../support/sshd.js';

const LOCAL_INVENTORY = `
[far]
h[01:12] ansible_host=127.0.0.1 ansible_port=1
hssh ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh
`;

const LOCAL_PLAYS = `
- name: play keyword
  hosts: h01
  connection: local
  gather_facts: false
  tasks:
    - command: echo ran
- name: play vars
  hosts: h02
  gather_facts: false
  vars: {ansible_connection: local}
  tasks:
    - command: echo ran
- name: vars_files
  hosts: h03
  gather_facts: false
  vars_files: [conn.yml]
  tasks:
    - command: echo ran
- name: include_vars
  hosts: h04
  gather_facts: false
  tasks:
    - include_vars: conn.yml
    - command: echo ran
- name: set_fact
  hosts: h05
  gather_facts: false
  tasks:
    - set_fact: {ansible_connection: local}
    - command: echo ran
- name: task and block keyword
  hosts: h06
  gather_facts: false
  tasks:
    - command: echo ran
      connection: local
    - block:
        - command: echo ran
      connection: "{{ 'lo' + 'cal' }}"
- name: facts gathered over the play's connection
  hosts: h07
  connection: local
  tasks:
    - command: echo ran
- name: unknown keyword
  hosts: h08
  connection: nosuch
  gather_facts: false
  tasks:
    - command: echo ran
      ignore_errors: true
- name: unknown variable
  hosts: h09
  gather_facts: false
  vars: {ansible_connection: nosuch}
  tasks:
    - command: echo ran
      ignore_errors: true
- name: the inventory variable beats the keyword
  hosts: hssh
  connection: local
  gather_facts: false
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: a delegate without ansible_connection takes the keyword
  hosts: h10
  connection: local
  gather_facts: false
  tasks:
    - command: echo ran
      delegate_to: h11
- name: smart is ssh
  hosts: h12
  connection: smart
  gather_facts: false
  tasks:
    - command: echo ran
      ignore_unreachable: true
`;

const SSH_INVENTORY = (port: number) => `
s01 ansible_host=127.0.0.1 ansible_port=1
s02 ansible_host=127.0.0.1 ansible_port=${port}
s03 ansible_host=127.0.0.1
s04 ansible_host=127.0.0.2 ansible_port=${port}
s0[5:8] ansible_host=127.0.0.1 ansible_port=1
d1 ansible_host=127.0.0.1
d2 ansible_host=127.0.0.1 ansible_port=1
s09 ansible_ssh_host=127.0.0.1 ansible_ssh_port=${port} ansible_ssh_user=root
s10 ansible_host=127.0.0.2 ansible_ssh_host=127.0.0.1 ansible_port=1 ansible_ssh_port=${port} ansible_user=nobody ansible_ssh_user=root
`;

// -u nobody on the command line: only a user from the play reaches the sshd (root's key)
const SSH_PLAYS = (port: number) => `
- name: port and user from play vars
  hosts: s01
  gather_facts: false
  vars: {ansible_port: ${port}, ansible_user: root}
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: remote_user keyword
  hosts: s02
  gather_facts: false
  remote_user: root
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: port keyword
  hosts: s03
  gather_facts: false
  remote_user: root
  port: ${port}
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: ansible_host from play vars
  hosts: s04
  gather_facts: false
  vars: {ansible_host: 127.0.0.1, ansible_user: root}
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: port from vars_files
  hosts: s05
  gather_facts: false
  remote_user: root
  vars_files: [port.yml]
  tasks:
    - command: echo ran
      ignore_unreachable: true
- name: port from include_vars
  hosts: s06
  gather_facts: false
  remote_user: root
  tasks:
    - include_vars: port.yml
    - command: echo ran
      ignore_unreachable: true
- name: port from set_fact
  hosts: s07
  gather_facts: false
  remote_user: root
  tasks:
    - set_fact: {ansible_port: ${port}}
    - command: echo ran
      ignore_unreachable: true
- name: a delegate takes the keywords, its own variables win
  hosts: s08
  gather_facts: false
  remote_user: root
  port: ${port}
  tasks:
    - command: echo ran
      delegate_to: d1
      ignore_unreachable: true
    - command: echo ran
      delegate_to: d2
      ignore_unreachable: true
- name: the ansible_ssh_ names alone, and over the short ones
  hosts: s09:s10
  gather_facts: false
  tasks:
    - command: echo ran
      ignore_unreachable: true
`;

/** Status lines and the recap; unreachable messages are the transport's own words. */
function outcome(stdout: string): string {
  // hosts of a play finish in any order under several forks (both tools): each host's lines
  // (its result and a following "...ignoring") are compared as a set per play
  const sections: string[][][] = [];
  for (const l of stdout.split('\n')) {
    if (!/^(PLAY \[|fatal|changed|ok|failed|skipping|\.\.\.ignoring|\S+\s+: ok=)/.test(l)) continue;
    const line = l.replace(/UNREACHABLE! => .*/, 'UNREACHABLE!');
    if (line.startsWith('PLAY [') || !sections.length) sections.push([[line]]);
    else if (line === '...ignoring') sections[sections.length - 1].at(-1)!.push(line);
    else sections[sections.length - 1].push([line]);
  }
  return sections.map(([head, ...hosts]) => [head, ...hosts.map((h) => h.join('\n')).sort()].join('\n')).join('\n');
}

describe('connection settings: precedence and connection types', () => {
  const vars = (v: Record<string, unknown>) => ({ get: (n: string) => v[n] });
  const defaults = { connection: undefined, user: 'cli', hostKeyChecking: false, timeoutSec: 5 };

  it('variables over keywords over the command line', () => {
    const kw = { keywords: { connection: 'local', remoteUser: 'kwuser', port: 2200 } };
    expect(connectionSpec('h', vars({}), defaults, kw)).toMatchObject({ connection: 'local', user: 'kwuser', port: 2200 });
    expect(connectionSpec('h', vars({ ansible_connection: 'ssh', ansible_user: 'v', ansible_port: 22 }), defaults, kw)).toMatchObject({ connection: 'ssh', user: 'v', port: 22 });
    expect(connectionSpec('h', vars({}), defaults)).toMatchObject({ connection: 'ssh', user: 'cli', port: undefined });
    expect(connectionSpec('h', vars({}), { ...defaults, connection: 'local' }, { keywords: { connection: 'ssh' } }).connection).toBe('ssh');
  });

  it('knows local, ssh and their aliases; any other name is a Python connection plugin (looked for on connect)', () => {
    expect(['local', 'ansible.builtin.local', 'ssh', 'smart', 'paramiko', 'ansible.legacy.ssh'].map(transportOf)).toEqual(['local', 'local', 'ssh', 'ssh', 'ssh', 'ssh']);
    expect(transportOf('nosuch')).toBe('python');
    expect(() => transportOf('winrm')).toThrow(/not supported by drover/);
    expect(connectionSpec('h', vars({ ansible_connection: 'ns.coll.docker' }), defaults)).toMatchObject({ connection: 'python', plugin: 'ns.coll.docker' });
  });
});

describe.skipIf(!hasAnsible)('connection settings from the play, locally: drover vs ansible-playbook', () => {
  const t = tempDir('drover-conn-local-');
  beforeAll(() => {
    writeFileSync(t.p('hosts'), LOCAL_INVENTORY);
    writeFileSync(t.p('conn.yml'), 'ansible_connection: local\n');
    writeFileSync(t.p('pb.yml'), LOCAL_PLAYS);
  });
  afterAll(() => t.cleanup());

  it('runs the tasks the play makes local, fails an unknown connection type', () => {
    const run = runPlaybookBoth('pb.yml', { cwd: t.dir, inventory: 'hosts' });
    expect(run.drover.status).toBe(run.ansible.status);
    expect(outcome(run.drover.stdout)).toBe(outcome(run.ansible.stdout));
    // the comparison can fail: tasks ran, others did not
    expect(run.drover.stdout).toContain('changed: [h01]');
    expect(run.drover.stdout).toContain('fatal: [h08]: FAILED! => {"msg": "the connection plugin \'nosuch\' was not found"}');
    expect(run.drover.stdout).toMatch(/fatal: \[hssh\]: UNREACHABLE!/);
  }, 600_000);
});

describe.skipIf(!hasAnsible || !canRunSshd())('connection settings from the play, over SSH: drover vs ansible-playbook', () => {
  const t = tempDir('drover-conn-ssh-');
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd('127.0.0.1');
    writeFileSync(t.p('hosts'), SSH_INVENTORY(sshd.port));
    writeFileSync(t.p('port.yml'), `ansible_port: ${sshd.port}\n`);
    writeFileSync(t.p('pb.yml'), SSH_PLAYS(sshd.port));
  });
  afterAll(async () => {
    await sshd?.stop();
    t.cleanup();
  });

  it('reaches the sshd only through the port, user and address the play gives', () => {
    const run = runPlaybookBoth('pb.yml', { cwd: t.dir, inventory: 'hosts', args: ['-u', 'nobody', '--private-key', sshd.key] });
    expect(run.drover.status).toBe(run.ansible.status);
    expect(outcome(run.drover.stdout)).toBe(outcome(run.ansible.stdout));
    for (const h of ['s01', 's02', 's03', 's04', 's05', 's06', 's07', 's09', 's10']) expect(run.drover.stdout).toContain(`changed: [${h}]`);
    expect(run.drover.stdout).toContain('changed: [s08 -> d1(127.0.0.1)]');
    expect(run.drover.stdout).toMatch(/fatal: \[s08 -> d2\]: UNREACHABLE!/);
  }, 600_000);
});
