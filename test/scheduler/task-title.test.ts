// Task banners render their templated names with the first host's vars, as Ansible's linear
// strategy does (play vars, host vars, magic vars); a name whose rendering fails (an undefined
// variable) is printed raw, also as Ansible does. Needs the compiled CLI (npm run build).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('task banners', () => {
  it('template the name with play and host vars, raw when a variable is undefined', { timeout: 60_000 }, () => {
    const dir = tempDir('drover-title-');
    writeFileSync(join(dir, 'hosts'), 'a ansible_connection=local hv=HA\nb ansible_connection=local hv=HB\n');
    writeFileSync(join(dir, 'pb.yml'), `
- hosts: a,b
  gather_facts: false
  vars:
    pv: playvar
  tasks:
    - name: "t1 {{ pv }}"
      debug: msg=hi
    - name: "t2 {{ pv }} {{ inventory_hostname }} {{ hv }} {{ missing | default('dflt') }}"
      debug: msg=hi
    - name: "t3 {{ pv }} {{ undefined_x }}"
      debug: msg=hi
`);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'drover'), 'playbook', '-i', join(dir, 'hosts'), join(dir, 'pb.yml'), '--no-live'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' }, timeout: 60_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const banners = r.stdout.split('\n').filter((l) => l.startsWith('TASK [')).map((l) => l.replace(/\] \**$/, ']'));
    expect(banners).toEqual(['TASK [t1 playvar]', 'TASK [t2 playvar a HA dflt]', 'TASK [t3 {{ pv }} {{ undefined_x }}]']);
  });
});
