// `drover lab` end to end, as root with the real sshd and etcd: hosts are isolated trees, a
// drover playbook and ansible-playbook both run over SSH against the generated inventory (one
// connection per host), host keys are checked, faults and reboots behave like a fleet, the
// simulated systemctl keeps state, and `lab down` leaves no process and no mount behind.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh } from '../../engine/transport/ssh.js';
import type { Connection, ConnectionSpec } from '../../engine/transport/types.js';
import { inventoryHostJson, inventoryGraph, loadInventory } from '../../engine/inventory/index.js';
import { labDown, labEvents, labFault, labStatus, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths, type LabHost } from '../../engine/lab/layout.js';
import { labProcesses } from '../../engine/lab/procs.js';
import { connectionsByHost, labSkipReason, playbook, uniqueLabName, writeTemp } from './helpers.js';

const skip = labSkipReason();
if (skip) console.warn(`skipping lab tests: ${skip}`);

const INVENTORY = `[masters]
m1.example.com
[etcd]
m1.example.com
e2.example.com
e3.example.com
[nodes]
n1.example.com role=compute
[OSEv3:children]
masters
etcd
nodes
[OSEv3:vars]
ansible_user=centos
cluster_name=lab
`;

const hasEtcd = existsSync('/usr/bin/etcd') && existsSync('/usr/bin/etcdctl');
const hasAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(skip !== undefined || !hasEtcd)('drover lab (real sshd, real etcd)', () => {
  const name = uniqueLabName('t-lab');
  let inventory: string;
  let hosts: LabHost[];
  let port: number;
  let labDir: string;
  const specOf = (host: string, over: Partial<ConnectionSpec> = {}): ConnectionSpec => {
    const h = hosts.find((x) => x.name === host)!;
    return { host, connection: 'ssh', address: h.address, port, user: 'root', privateKeyFile: join(labDir, 'ssh', 'client_key'), commonArgs: `-o UserKnownHostsFile=${join(labDir, 'ssh', 'known_hosts')}`, hostKeyChecking: true, timeoutSec: 10, ...over };
  };
  const sh = async (host: string, cmd: string) => {
    const c = await connectSsh(specOf(host));
    try {
      return await c.exec(cmd);
    } finally {
      await c.close();
    }
  };
  const connections = () => connectionsByHost(name);
  const kindsOf = (host: string) => labEvents(name).filter((e) => e.host === host).map((e) => (e.service ? `${e.kind}:${String(e.service)}` : e.kind));

  beforeAll(async () => {
    const lab = await labUp({ inventory: [join(writeTemp({ hosts: INVENTORY }), 'hosts')], name, rebootSeconds: 1 });
    hosts = lab.hosts;
    port = lab.port;
    labDir = lab.dir;
    inventory = labPaths(lab.dir).inventory;
  }, 180_000);

  afterAll(async () => {
    const dir = labDir;
    if (!dir) return;
    await labDown(name);
    // nothing left: no process chrooted into or naming the lab, no mount, no directory
    expect(labProcesses(dir, { cmdline: true })).toEqual([]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);

  it('prints the inventory path, and the inventory keeps groups and vars', async () => {
    expect((await labStatus(name)).front?.hosts).toHaveLength(4);
    const inv = await loadInventory([inventory]);
    const vars = inventoryHostJson(inv, 'n1.example.com') as Record<string, unknown>;
    expect(vars.role).toBe('compute');
    expect(vars.cluster_name).toBe('lab');
    expect(vars.ansible_user).toBe('root'); // the host-level lab value beats the group's centos
    expect(vars.ansible_host).toBe(hosts.find((h) => h.name === 'n1.example.com')!.address);
    const graph = inventoryGraph(inv);
    expect(graph).toContain('@etcd:');
    expect(graph).toContain('|  |  |--e3.example.com');
  });

  it('gives every host its own system: /etc, hostname, boot id', async () => {
    await sh('m1.example.com', 'echo only-on-m1 > /etc/marker');
    const a = await sh('m1.example.com', 'hostname; cat /etc/marker; cat /proc/sys/kernel/random/boot_id');
    const b = await sh('n1.example.com', 'hostname; cat /etc/marker 2>&1; cat /proc/sys/kernel/random/boot_id');
    const [aName, aMarker, aBoot] = a.stdout.trim().split('\n');
    const [bName, bMarker, bBoot] = b.stdout.trim().split('\n');
    expect([aName, aMarker]).toEqual(['m1.example.com', 'only-on-m1']);
    expect(bName).toBe('n1.example.com');
    expect(bMarker).toMatch(/No such file/);
    expect(aBoot).not.toBe(bBoot);
    // /usr is per host too (an overlay): a file installed on one host is not on another
    await sh('m1.example.com', 'echo x > /usr/local/bin/only-m1');
    expect((await sh('n1.example.com', 'test -e /usr/local/bin/only-m1; echo $?')).stdout.trim()).toBe('1');
    expect(existsSync('/usr/local/bin/only-m1')).toBe(false);
  });

  it('forms a 3-member etcd cluster started through systemctl; put/get works with etcdctl', async () => {
    const e2 = hosts.find((h) => h.name === 'e2.example.com')!.address;
    const r = await sh('m1.example.com', `systemctl is-active etcd && etcdctl --endpoints=http://${e2}:2379 member list && etcdctl --endpoints=http://${e2}:2379 put /lab/key hello`);
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').filter((l) => l.includes('started'))).toHaveLength(3);
    const g = await sh('e3.example.com', `etcdctl --endpoints=http://$(hostname -I):2379 get /lab/key --print-value-only`);
    expect(g.stdout.trim()).toBe('hello');
    expect((await sh('n1.example.com', 'systemctl is-active etcd')).stdout.trim()).toBe('inactive');
  });

  it('runs a drover playbook over SSH with one connection per host', async () => {
    const before = await connections();
    const dir = writeTemp({
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: hostname
      register: h
    - file: path=/srv/app state=directory mode=0755
    - copy: content="hello {{ inventory_hostname }}\\n" dest=/srv/app/hello.txt
    - command: cat /srv/app/hello.txt
      register: c
    - assert: { that: ["h.stdout == inventory_hostname", "c.stdout == 'hello ' ~ inventory_hostname"] }
`,
    });
    const r = await playbook(['-i', inventory, join(dir, 'site.yml')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/n1\.example\.com\s+: ok=5 .* unreachable=0 +failed=0/);
    const after = await connections();
    for (const h of hosts) expect(after[h.name] - before[h.name], h.name).toBe(1);
    expect((await sh('e2.example.com', 'cat /srv/app/hello.txt')).stdout).toBe('hello e2.example.com\n');
  }, 120_000);

  it('refuses an unknown host key with advice, and accepts it with host key checking off', async () => {
    const empty = join(writeTemp({ known_hosts: '' }), 'known_hosts');
    const dir = writeTemp({ 'p.yml': '- hosts: n1.example.com\n  gather_facts: false\n  tasks:\n    - command: "true"\n' });
    const args = ['-i', inventory, join(dir, 'p.yml'), '-e', `ansible_ssh_common_args="-o UserKnownHostsFile=${empty}"`];
    const refused = await playbook(args);
    expect(refused.code).toBe(4);
    expect(refused.stdout + refused.stderr).toMatch(/UNREACHABLE/);
    expect(refused.stdout + refused.stderr).toMatch(/host key|known_hosts/i);
    const ok = await playbook(args, { ANSIBLE_HOST_KEY_CHECKING: 'False' });
    expect(ok.code, ok.stdout).toBe(0);
  }, 60_000);

  it('makes a host that goes down mid-run unreachable while the run goes on', async () => {
    const dir = writeTemp({
      'p.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
    - shell: sleep 4
    - command: hostname
`,
    });
    const before = (await connections())['n1.example.com'];
    const n1Root = hostPaths(labDir, 'n1.example.com').root;
    const run = playbook(['-i', inventory, join(dir, 'p.yml')]);
    // strike while n1 runs its `sleep 4` task
    const cmdline = (p: number) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    };
    const sleeping = () => labProcesses(n1Root).some((p) => cmdline(p).startsWith('sleep\0'));
    for (let i = 0; i < 600 && !sleeping(); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await connections())['n1.example.com']).toBe(before + 1);
    await labFault(name, 'n1.example.com', 'down');
    const r = await run;
    await labFault(name, 'n1.example.com', 'up');
    expect(r.code, r.stdout).toBe(4);
    expect(r.stdout).toMatch(/n1\.example\.com\s+: ok=\d+ +changed=\d+ +unreachable=1 /);
    expect(r.stdout).toMatch(/e3\.example\.com\s+: ok=3 .*unreachable=0 +failed=0/);
    expect(kindsOf('n1.example.com')).toEqual(expect.arrayContaining(['fault.down', 'fault.up']));
  }, 120_000);

  it('reboots: sessions drop, connections are refused, then the host is back with its enabled services', async () => {
    const c: Connection = await connectSsh(specOf('e3.example.com'));
    const boot1 = (await c.exec('cat /proc/sys/kernel/random/boot_id')).stdout;
    expect((await c.exec('shutdown -r now')).rc).toBe(0);
    let dropped = false;
    for (let i = 0; i < 100 && !dropped; i++) {
      await new Promise((r) => setTimeout(r, 100));
      dropped = await c.exec('true').then(() => false, () => true);
    }
    expect(dropped).toBe(true);
    await c.close();
    let back: Connection | undefined;
    let refusals = 0;
    for (let i = 0; i < 150 && !back; i++) {
      back = await connectSsh(specOf('e3.example.com')).catch(() => {
        refusals++;
        return undefined;
      });
      if (!back) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBeDefined();
    expect(refusals).toBeGreaterThan(0);
    const r = await back!.exec('cat /proc/sys/kernel/random/boot_id; systemctl is-active etcd');
    await back!.close();
    const [boot2, etcd] = r.stdout.trim().split('\n');
    expect(boot2).not.toBe(boot1.trim());
    expect(etcd).toBe('active');
    expect(kindsOf('e3.example.com')).toEqual(expect.arrayContaining(['host.reboot.requested', 'host.rebooted', 'service.started:etcd']));
  }, 120_000);

  it('simulates systemctl with state: enable, start, changed unit without daemon-reload, mask', async () => {
    const unit = '[Unit]\nDescription=Demo\n[Service]\nExecStart=/usr/bin/not-installed-here\n[Install]\nWantedBy=multi-user.target\n';
    const r = await sh('n1.example.com', [
      `printf '${unit.replace(/\n/g, '\\n')}' > /usr/lib/systemd/system/demo.service`,
      'systemctl is-enabled demo; systemctl enable demo >/dev/null; systemctl is-enabled demo',
      'systemctl is-active demo; systemctl start demo; systemctl is-active demo',
      "sed -i 's/Demo/Demo2/' /usr/lib/systemd/system/demo.service; systemctl restart demo 2>&1 | grep -c daemon-reload",
      'systemctl show -p Description --value demo; systemctl daemon-reload; systemctl show -p Description --value demo',
      'systemctl stop demo; systemctl mask demo >/dev/null; systemctl start demo 2>&1; echo rc=$?',
    ].join('\n'));
    expect(r.stdout.trim().split('\n')).toEqual(['disabled', 'enabled', 'inactive', 'active', '1', 'Demo', 'Demo2', 'Failed to start demo.service: Unit demo.service is masked.', 'rc=1']);
    expect(kindsOf('n1.example.com')).toEqual(expect.arrayContaining(['service.enabled:demo', 'service.started:demo', 'service.restarted:demo', 'service.stopped:demo', 'service.masked:demo']));
  }, 60_000);

  it.skipIf(!hasAnsible)('serves ansible-playbook from the same inventory', async () => {
    const dir = writeTemp({ 'a.yml': '- hosts: nodes\n  gather_facts: false\n  tasks:\n    - command: hostname\n      register: h\n    - assert: { that: ["h.stdout == inventory_hostname"] }\n' });
    const out = execFileSync('ansible-playbook', ['-i', inventory, join(dir, 'a.yml')], { env: { ...process.env, ANSIBLE_NOCOLOR: '1' } }).toString();
    expect(out).toMatch(/n1\.example\.com\s+: ok=2 .*unreachable=0 +failed=0/);
  }, 120_000);
});
