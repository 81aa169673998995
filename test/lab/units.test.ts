// The lab's pure parts: address blocks, mount ordering, the event log format, the generated
// inventory, the front's request parsing, enabled units and package requirements.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../engine/inventory/index.js';
import { hostAddress, pickBlocks } from '../../engine/lab/alloc.js';
import { missingPackages } from '../../engine/lab/deps.js';
import { etcdConf } from '../../engine/lab/etcd.js';
import { formatEvent, parseEvents } from '../../engine/lab/events.js';
import { enabledUnits, frontRequest } from '../../engine/lab/front-protocol.js';
import { labInventoryYaml } from '../../engine/lab/inventory-out.js';
import { chrootUnsafeComponent, hostDirName, type LabHost } from '../../engine/lab/layout.js';
import { mountsBelow } from '../../engine/lab/procs.js';
import { writeTemp } from './helpers.js';
import { tempDir } from '../support/tmp.js';

describe('lab addresses', () => {
  it('picks free contiguous blocks and numbers hosts 1..254 per block', () => {
    expect(pickBlocks(new Set([5, 6]), 2, 4)).toEqual([7, 8]);
    expect(pickBlocks(new Set([2]), 1, 1)).toEqual([1]);
    expect(() => pickBlocks(new Set(Array.from({ length: 254 }, (_, i) => i + 1)), 1)).toThrow(/not enough/);
    expect(hostAddress([9, 10], 0)).toBe('127.0.9.1');
    expect(hostAddress([9, 10], 253)).toBe('127.0.9.254');
    expect(hostAddress([9, 10], 254)).toBe('127.0.10.1');
    expect(() => hostAddress([9], 254)).toThrow();
  });
  it('names host directories safely', () => {
    expect(hostDirName('m1.example.com', 0)).toBe('m1.example.com');
    expect(hostDirName('../etc', 3)).toBe('host-3');
  });
  it('spots path components sshd refuses to chroot below', () => {
    expect(chrootUnsafeComponent('/tmp/x/y')).toBe('/tmp');
    expect(chrootUnsafeComponent('/var/lib')).toBeUndefined();
  });
});

describe('lab mounts and events', () => {
  it('orders mounts below a directory deepest first and ignores others', () => {
    const info = [
      '1 0 8:1 / / rw - ext4 /dev/vda rw',
      '2 1 0:1 / /l/a/hosts/h/root/usr rw - overlay overlay rw',
      '3 1 0:2 / /l/a/hosts/h/root/proc rw - proc proc rw',
      '4 3 0:2 / /l/a/hosts/h/root/proc/sys/kernel/random/boot_id rw - ext4 /dev/vda rw',
      '5 1 0:3 / /l/ab/x rw - proc proc rw',
      '6 1 0:4 / /l/a/with\\040space rw - tmpfs t rw',
    ].join('\n');
    const m = mountsBelow(info, '/l/a');
    expect(m[0]).toBe('/l/a/hosts/h/root/proc/sys/kernel/random/boot_id');
    expect(m).toContain('/l/a/with space');
    expect(m).not.toContain('/l/ab/x');
    expect(m).toHaveLength(4);
  });
  it('parses JSON lines, skipping torn or foreign lines, and formats them', () => {
    const evs = parseEvents('{"time":"t1","host":"a","kind":"service.started","service":"etcd"}\n{"time":"t2","host":"b"\nnot json\n[1]\n');
    expect(evs).toEqual([{ time: 't1', host: 'a', kind: 'service.started', service: 'etcd' }]);
    expect(formatEvent({ time: 't', host: 'a', kind: 'package.changed', name: 'x', to: '1 2' })).toBe('t a package.changed name=x to="1 2"');
  });
  it('validates front requests', () => {
    expect(frontRequest('{"cmd":"fault","host":"h","mode":"slow","ms":50}')).toEqual({ cmd: 'fault', host: 'h', mode: 'slow', ms: 50 });
    expect(() => frontRequest('{"cmd":"fault","host":"h","mode":"explode"}')).toThrow();
    expect(() => frontRequest('{"cmd":"fault","host":"h","mode":"slow","ms":-1}')).toThrow();
  });
  it('finds enabled units in *.wants directories', () => {
    const d = tempDir('units-');
    mkdirSync(join(d, 'multi-user.target.wants'));
    symlinkSync('/x/etcd.service', join(d, 'multi-user.target.wants', 'etcd.service'));
    symlinkSync('/x/a.socket', join(d, 'multi-user.target.wants', 'a.socket'));
    expect(enabledUnits(d)).toEqual(['etcd.service']);
  });
  it('lists missing Debian packages, etcd ones only when needed', () => {
    const none = () => false;
    expect(missingPackages(false, none)).not.toContain('etcd-server');
    expect(missingPackages(true, none)).toEqual(expect.arrayContaining(['openssh-server', 'etcd-server', 'etcd-client']));
    expect(missingPackages(true, () => true)).toEqual([]);
  });
});

describe('lab inventory and etcd config', () => {
  it('keeps groups, vars and host order and adds connection vars at host level', async () => {
    const dir = writeTemp({ hosts: '[b]\nh2 x=1\nh1 ansible_ssh_user=cloud\n[a]\nh1\n[a:vars]\nv=2\n[top:children]\na\nb\n' });
    const inv = await loadInventory([join(dir, 'hosts')]);
    const hosts: LabHost[] = [
      { name: 'h2', dirName: 'h2', address: '127.0.3.1', groups: ['b'] },
      { name: 'h1', dirName: 'h1', address: '127.0.3.2', groups: ['b', 'a'] },
    ];
    const text = labInventoryYaml(inv, hosts, { port: 2222, user: 'root', privateKey: '/k', knownHosts: '/kh' }, 'hdr');
    expect(text.startsWith('# hdr\n')).toBe(true);
    const y = parse(text);
    const b = y.all.children.top.children.b.hosts;
    expect(y.all.children.top.children.a.hosts.h1).toMatchObject({ ansible_host: '127.0.3.2', ansible_port: 2222, ansible_ssh_user: 'root', ansible_user: 'root', ansible_ssh_private_key_file: '/k' });
    expect(y.all.children.top.children.a.hosts.h1.ansible_ssh_common_args).toContain('UserKnownHostsFile=/kh');
    expect(b.h2.x).toBe(1);
    expect(b.h1).toBeNull();
    expect(y.all.children.top.children.a.vars).toEqual({ v: 2 });
    const out = writeTemp({ 'lab.yml': text });
    const again = await loadInventory([join(out, 'lab.yml')]);
    expect(again.hostsOfGroup('all')).toEqual(inv.hostsOfGroup('all'));
    expect([...again.hostsOfGroup('top')].sort()).toEqual([...inv.hostsOfGroup('top')].sort());
    expect(again.hostVars('h1').v).toBe(2);
  });
  it('writes one member config per etcd host naming the whole cluster', () => {
    const m = (n: string, a: string): LabHost => ({ name: n, dirName: n, address: a, groups: ['etcd'], etcd: { clientUrl: `http://${a}:2379`, peerUrl: `http://${a}:2380` } });
    const members = [m('e1', '127.0.4.1'), m('e2', '127.0.4.2')];
    const conf = etcdConf('lab1', members[1], members);
    expect(conf).toContain('ETCD_NAME=e2\n');
    expect(conf).toContain('ETCD_LISTEN_CLIENT_URLS=http://127.0.4.2:2379');
    expect(conf).toContain('ETCD_INITIAL_CLUSTER=e1=http://127.0.4.1:2380,e2=http://127.0.4.2:2380');
  });
});
