import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIni, resolveSettings } from '../../engine/config/settings.js';
import { tempDir } from '../support/tmp.js';

describe('settings catalogue', () => {
  it('reads ansible.cfg from the working directory, env wins', () => {
    const dir = tempDir('cfg-');
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nforks = 20 ; comment\nhost_key_checking = False\n[privilege_escalation]\nbecome_user: admin\n');
    const s = resolveSettings({ ANSIBLE_FORKS: '7' }, dir);
    expect(s.get('forks')).toEqual({ name: 'forks', value: 7, origin: 'env: ANSIBLE_FORKS' });
    expect(s.get('host_key_checking')?.value).toBe(false);
    expect(s.get('host_key_checking')?.origin).toContain('[defaults] host_key_checking');
    expect(s.get('become_user')?.value).toBe('admin');
    expect(s.get('timeout')).toEqual({ name: 'timeout', value: 10, origin: 'default' });
  });
  it('ANSIBLE_CONFIG points at the file to use', () => {
    const dir = tempDir('cfg-');
    writeFileSync(join(dir, 'custom.cfg'), '[defaults]\nforks=3\n');
    expect(resolveSettings({ ANSIBLE_CONFIG: join(dir, 'custom.cfg') }, tmpdir()).get('forks')?.value).toBe(3);
  });
  it('parses sections and comments', () => {
    expect(parseIni('# x\n[a]\nk = v # c\n[b]\nz=1')).toEqual({ a: { k: 'v' }, b: { z: '1' } });
  });
});
