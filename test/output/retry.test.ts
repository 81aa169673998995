// Retry files: which hosts, where the file goes, and the real binary resuming a failed run
// with --limit @file.retry (retry_files_enabled from the environment or ansible.cfg).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retryFilePath, retryHosts, writeRetryFile } from '../../engine/output/retry.js';
import { emptyStats } from '../../engine/output/stats.js';
import { tempDir } from '../support/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('retry files', () => {
  it('lists failed and unreachable hosts, sorted', () => {
    const st = { web2: { ...emptyStats(), failed: 1 }, db1: { ...emptyStats(), unreachable: 1 }, web1: { ...emptyStats(), ok: 3, rescued: 1 } };
    expect(retryHosts(st)).toEqual(['db1', 'web2']);
  });

  it('goes next to the playbook or into retry_files_save_path', () => {
    expect(retryFilePath('/srv/pb/upgrade.yml')).toBe('/srv/pb/upgrade.retry');
    expect(retryFilePath('/srv/pb/upgrade.yml', '/var/retry')).toBe('/var/retry/upgrade.retry');
  });

  it('writes nothing when everything went fine', () => {
    const dir = tempDir('drover-retry-');
    expect(writeRetryFile(join(dir, 'pb.yml'), { a: { ...emptyStats(), ok: 1 } })).toBeUndefined();
    expect(existsSync(join(dir, 'pb.retry'))).toBe(false);
  });
});

function drover(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/drover'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

function recapHosts(out: string): string[] {
  const at = out.lastIndexOf('PLAY RECAP');
  return out.slice(at).split('\n').slice(1).filter((l) => / : ok=/.test(l)).map((l) => l.split(' ')[0]);
}

describe('drover playbook: retry file and --limit @file', () => {
  it('writes PLAYBOOK.retry on failure and resumes only those hosts', () => {
    const dir = tempDir('drover-retry-');
    writeFileSync(join(dir, 'hosts'), '[web]\nh1\nh2\nh3\n[all:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      '- hosts: web\n  gather_facts: false\n  tasks:\n    - fail: msg=broken\n      when: inventory_hostname == "h2" and fixed is not defined\n    - debug: msg=done\n',
    );
    const first = drover(['playbook', '-i', 'hosts', 'pb.yml'], dir, { ANSIBLE_RETRY_FILES_ENABLED: '1' });
    expect(first.rc).toBe(2);
    const retry = join(dir, 'pb.retry');
    expect(readFileSync(retry, 'utf8')).toBe('h2\n');
    expect(first.out).toContain(`\tto retry, use: --limit @${retry}\n`);
    expect(recapHosts(first.out)).toEqual(['h1', 'h2', 'h3']);

    const again = drover(['playbook', '-i', 'hosts', 'pb.yml', '--limit', `@${retry}`, '-e', 'fixed=1'], dir, { ANSIBLE_RETRY_FILES_ENABLED: '1' });
    expect(again.err).toBe('');
    expect(again.rc).toBe(0);
    expect(recapHosts(again.out)).toEqual(['h2']);
  });

  it('reads retry_files_enabled and log_path from ansible.cfg; off by default', () => {
    const dir = tempDir('drover-retry-');
    writeFileSync(join(dir, 'hosts'), 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: msg=broken\n');
    const off = drover(['playbook', '-i', 'hosts', 'pb.yml'], dir, { ANSIBLE_CONFIG: '/nonexistent.cfg' });
    expect(off.rc).toBe(2);
    expect(existsSync(join(dir, 'pb.retry'))).toBe(false);
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nretry_files_enabled = True\nretry_files_save_path = ${dir}/retries\nlog_path = ${dir}/run.log\n`);
    const on = drover(['playbook', '-i', 'hosts', 'pb.yml'], dir);
    expect(on.rc).toBe(2);
    expect(readFileSync(join(dir, 'retries', 'pb.retry'), 'utf8')).toBe('h1\n');
    const log = readFileSync(join(dir, 'run.log'), 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} p=\d+ u=\S+ n=drover \| PLAY \[all\]/);
    expect(log).toMatch(/n=drover \| fatal: \[h1\]: FAILED! => .*broken/);
    expect(log).toMatch(/n=drover \| h1 +: ok=0 +changed=0 +unreachable=0 +failed=1/);
  });
});
