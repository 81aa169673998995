// The listing and batch parsers the example tests compare with: fed with ansible-playbook 2.14's
// own output shapes, so a parser that drops plays, hosts or tasks fails here first.
import { describe, expect, it } from 'vitest';
import { parseBatches, parseListing } from './harness.js';

const LIST_HOSTS = `
playbook: examples/openshift-3.9/etcd_backup.yml

  play #1 (localhost): Check the inventory groups\tTAGS: [always]
    pattern: ['localhost']
    hosts (1):
      localhost

  play #2 (etcd): Back up etcd\tTAGS: []
    pattern: ['etcd']
    hosts (3):
      master3.example.com
      master1.example.com
      master2.example.com

  play #3 (oo_nodes_to_upgrade:!masters): Drain and upgrade nodes\tTAGS: []
    pattern: ['oo_nodes_to_upgrade:!masters']
    hosts (0):
`;

const LIST_TASKS = `
playbook: x.yml

  play #1 (etcd): Back up etcd\tTAGS: []
    tasks:
      Pin the backup directory name\tTAGS: []
      Show where the backup is\tTAGS: [plan]

  play #2 (localhost): Gate\tTAGS: []
    tasks:
`;

describe('parseListing', () => {
  it('reads plays with their hosts, sorted', () => {
    expect(parseListing(LIST_HOSTS)).toEqual([
      { name: 'Check the inventory groups', hosts: ['localhost'], tasks: [] },
      { name: 'Back up etcd', hosts: ['master1.example.com', 'master2.example.com', 'master3.example.com'], tasks: [] },
      { name: 'Drain and upgrade nodes', hosts: [], tasks: [] },
    ]);
  });

  it('reads task names with their tags', () => {
    expect(parseListing(LIST_TASKS)).toEqual([
      { name: 'Back up etcd', hosts: [], tasks: ['Pin the backup directory name TAGS: []', 'Show where the backup is TAGS: [plan]'] },
      { name: 'Gate', hosts: [], tasks: [] },
    ]);
  });
});

describe('parseBatches', () => {
  it('returns one host list per batch report, in order', () => {
    const out = [
      'ok: [infra1.example.com] => {',
      '    "msg": "node upgrade batch: infra1.example.com infra2.example.com"',
      '}',
      'ok: [node1.example.com] => {',
      '    "msg": "other message"',
      '}',
      'ok: [node1.example.com] => {',
      '    "msg": "node upgrade batch: node1.example.com"',
      '}',
    ].join('\n');
    expect(parseBatches(out, 'node upgrade batch:')).toEqual([['infra1.example.com', 'infra2.example.com'], ['node1.example.com']]);
  });
});
