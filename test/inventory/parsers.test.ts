// Unit tests of the inventory parsers and their pieces: host ranges, INI value typing
// (ast.literal_eval), INI and YAML files, group_vars merging, host patterns and --limit, and the
// errors for malformed input. The live comparison with ansible-inventory is differential.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../engine/errors/index.js';
import {
  expandHostPattern,
  expandHostRange,
  iniValue,
  inventoryGraph,
  inventoryListJson,
  literalEval,
  loadInventory,
  pyRepr,
  resolvePattern,
  splitHostPattern,
} from '../../engine/inventory/index.js';
import { jsonDumps } from '../../engine/template/pydump.js';
import { tempDir } from '../support/tmp.js';

function tree(files: Record<string, string>): string {
  const dir = tempDir('drover-inv-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const load = (files: Record<string, string>, src = 'hosts') => loadInventory([src], { cwd: tree(files) });

describe('host ranges', () => {
  it('numeric with padding, alphabetic, strides and several ranges in one name', () => {
    expect(expandHostRange('node[01:03]')).toEqual(['node01', 'node02', 'node03']);
    expect(expandHostRange('h[a:c]')).toEqual(['ha', 'hb', 'hc']);
    expect(expandHostRange('n[0:10:5]')).toEqual(['n0', 'n5', 'n10']);
    expect(expandHostRange('r[1:2]-n[1:2]')).toEqual(['r1-n1', 'r1-n2', 'r2-n1', 'r2-n2']);
  });
  it('host:port and bracketed IPv6', () => {
    expect(expandHostPattern('web[1:2].example.com:2222')).toEqual({ hostnames: ['web1.example.com', 'web2.example.com'], port: 2222 });
    expect(expandHostPattern('[::1]:22').hostnames).toEqual(['::1']);
  });
});

describe('INI value typing (ast.literal_eval)', () => {
  it.each([
    ['42', 42],
    ['0x1F', 31],
    ['1.5', 1.5],
    ['True', true],
    ['None', null],
    ["{'region': 'infra'}", { region: 'infra' }],
    ['[1, "a"]', [1, 'a']],
    ['-3', -3],
    ['"42"', '42'],
  ])('%s is typed', (text, value) => expect(iniValue(text)).toEqual(value));
  it.each(['true', 'yes', '30s', '0777', '01', '1+2', 'int(3)', 'a.b', '3.9.1', "f'x'"])('%s stays a string', (text) => {
    expect(iniValue(text)).toBe(text);
  });
  it('tuples stay tuples and floats stay floats in repr', async () => {
    expect(literalEval('(1, 2)')).toEqual({ ok: true, value: [1, 2] });
    const inv = await load({ hosts: '[g]\nh1 t=(1,2) f=1e3 d="{\'a\': 2.0}"\n' });
    expect(inventoryGraph(inv, 'g', { vars: true })).toBe("@g:\n  |--h1\n  |  |--{d = {'a': 2.0}}\n  |  |--{f = 1000.0}\n  |  |--{t = (1, 2)}");
    expect(jsonDumps(inv.hostVars('h1'), { sortKeys: true })).toBe('{"d": {"a": 2.0}, "f": 1000.0, "t": [1, 2]}');
  });
});

describe('INI files', () => {
  it('sections, children, vars, comments and quoting', async () => {
    const inv = await load({
      hosts: [
        '# comment', '; also a comment', 'lonely', '[web]', 'w[1:2] http_port=8080 # trailing', "w3 motto='a # b' name=\"x y\"",
        '[db]', 'd1 ansible_port=2222', '[app:children]', 'web', 'db', '[app:vars]', 'env=prod', 'replicas=3',
      ].join('\n'),
    });
    expect(inventoryListJson(inv)).toMatchObject({
      all: { children: ['ungrouped', 'app'] },
      ungrouped: { hosts: ['lonely'] },
      app: { children: ['web', 'db'] },
      web: { hosts: ['w1', 'w2', 'w3'] },
    });
    expect(inv.hostVars('w3')).toMatchObject({ motto: 'a # b', name: 'x y', env: 'prod', replicas: 3 });
    expect(inv.hostVars('w1')).toMatchObject({ http_port: 8080 });
  });
  it('a malformed line stops with the file, the line and what was expected', async () => {
    await expect(load({ hosts: '[web]\nw1\n[web:vars]\nnot a pair\n' })).rejects.toThrow(InventoryError);
    try {
      await load({ hosts: '[web]\nw1\n[web:vars]\nnot a pair\n' });
    } catch (e) {
      expect((e as InventoryError).pos).toMatchObject({ line: 4 });
      expect((e as Error).message).toMatch(/Expected key=value/);
    }
  });
});

describe('YAML files and group_vars', () => {
  it('all/children/hosts/vars, ranges in names, null hosts, YAML 1.1 values', async () => {
    const inv = await load(
      {
        'hosts.yml': 'all:\n  children:\n    nodes:\n      hosts:\n        n[1:2]:\n        m1: {ansible_host: 10.0.0.1}\n      vars:\n        flag: yes\n        mode: 0644\n        ratio: 1e3\n',
        'group_vars/nodes/a.yml': 'from_dir: a\nshared: a\n',
        'group_vars/nodes/b.yml': 'shared: b\n',
        'host_vars/m1.yml': 'flag: off\n',
      },
      'hosts.yml',
    );
    expect(inv.groups.get('nodes')!.hosts).toEqual(['n1', 'n2', 'm1']);
    expect(inv.hostVars('n1')).toMatchObject({ flag: true, mode: 420, ratio: '1e3', from_dir: 'a', shared: 'b' });
    expect(inv.hostVars('m1')).toMatchObject({ flag: false, ansible_host: '10.0.0.1' });
  });
  it('group depth decides before group name; host vars win', async () => {
    const inv = await load({
      hosts: '[parent:children]\nchild\n[child]\nh1 v=host\n[aaa]\nh1\n[parent:vars]\nv=parent\nw=parent\n[child:vars]\nw=child\n[aaa:vars]\nw=aaa\n',
    });
    expect(inv.hostVars('h1')).toMatchObject({ v: 'host', w: 'child' });
  });
});

describe('host patterns', async () => {
  const inv = await load({ hosts: '[web]\nw1\nw2\nw3\n[db]\nd1\nw1\n[east:children]\nweb\n' });
  const hosts = (p: string) => resolvePattern(inv, p).hosts;
  it('union, intersection, exclusion in Ansible order whatever the order written', () => {
    expect(hosts('web:db')).toEqual(['w1', 'w2', 'w3', 'd1']);
    expect(hosts('web:&db')).toEqual(['w1']);
    expect(hosts('!db:web')).toEqual(['w2', 'w3']);
    expect(splitHostPattern('a,b:c')).toEqual(['a', 'b:c']);
  });
  it('wildcards, regexes and subscripts (inclusive slices)', () => {
    expect(hosts('w*')).toEqual(['w1', 'w2', 'w3']);
    expect(hosts('~[wd]1')).toEqual(['w1', 'd1']);
    expect(hosts('web[0]')).toEqual(['w1']);
    expect(hosts('web[1:2]')).toEqual(['w2', 'w3']);
    expect(hosts('web[-1]')).toEqual(['w3']);
  });
  it('unknown names warn and match nothing; localhost is implicit', () => {
    const r = resolvePattern(inv, 'nosuch');
    expect(r.hosts).toEqual([]);
    expect(r.warnings[0]).toMatch(/Could not match supplied host pattern, ignoring: nosuch/);
    expect(hosts('localhost')).toEqual(['localhost']);
  });
  it('--limit with @file', () => {
    const dir = tree({ limit: 'w2\nd1\n' });
    // the order of 'all' across sibling groups is set-iteration order in Ansible: compare as a set
    expect(resolvePattern(inv, 'all', { limit: `@${join(dir, 'limit')}` }).hosts.sort()).toEqual(['d1', 'w2']);
  });
  it('repr of typed values', () => {
    expect(pyRepr({ a: [true, null, 'x'] })).toBe("{'a': [True, None, 'x']}");
  });
});
