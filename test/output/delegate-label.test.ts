// Delegated results are labelled as Ansible 2.14's default callback does (host_label): "h1 -> h2",
// plus "(ADDRESS)" when the delegate's ansible_host differs from its name, which is the case for
// every host of a drover lab (and of most real inventories). Retry lines never show the address.
// Expected lines recorded from ansible-playbook 2.14 on the same inventory and playbook.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { playbookCommand } from '../../engine/cli/playbook-cmd.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('drover-delegate-label-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('delegated result labels', () => {
  it('show the delegate address when it differs from the name', async () => {
    writeFileSync(join(dir, 'inv.ini'), '[web]\nh1\nh2 ansible_host=127.0.0.2\nh3 ansible_host=h3\n\n[all:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n');
    const flag = join(dir, 'flag');
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: h1',
        '  gather_facts: false',
        '  tasks:',
        '    - { raw: "true", delegate_to: h2 }',
        '    - { raw: "true", delegate_to: h3 }',
        '    - { raw: "true", delegate_to: localhost }',
        '    - { raw: "true", delegate_to: h1 }',
        '    - { raw: "echo {{ item }}", delegate_to: h2, loop: [a] }',
        `    - { raw: "test -e ${flag} || { touch ${flag}; exit 1; }", delegate_to: h2, register: r, until: r is succeeded, retries: 2, delay: 0 }`,
        '    - { fail: { msg: x }, delegate_to: h2, ignore_errors: true }',
        '',
      ].join('\n'),
    );
    let out = '';
    const saved = process.env.ANSIBLE_NOCOLOR;
    process.env.ANSIBLE_NOCOLOR = '1';
    try {
      expect(await playbookCommand(['-i', join(dir, 'inv.ini'), join(dir, 'play.yml'), '--no-live'], (s) => (out += s))).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.ANSIBLE_NOCOLOR;
      else process.env.ANSIBLE_NOCOLOR = saved;
    }
    const lines = out.split('\n').filter((l) => /^(ok|changed|fatal|failed|FAILED|skipping)/.test(l)).map((l) => l.replace(/ => \{.*$/, ''));
    expect(lines).toEqual([
      'changed: [h1 -> h2(127.0.0.2)]',
      'changed: [h1 -> h3]',
      'changed: [h1 -> localhost]',
      'changed: [h1]',
      'changed: [h1 -> h2(127.0.0.2)] => (item=a)',
      'FAILED - RETRYING: [h1 -> h2]: raw (2 retries left).',
      'changed: [h1 -> h2(127.0.0.2)]',
      'fatal: [h1 -> h2(127.0.0.2)]: FAILED!',
    ]);
  });
});
