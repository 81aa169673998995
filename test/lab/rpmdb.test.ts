// The lab's rpm database witness, pure parts: the package list, the diff it turns into
// package.changed events (upgrades, installs, removals, install-only packages), and telling a
// running rpm transaction from its lock in /proc/locks.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffPackages, parsePackageList, transactionRunning } from '../../engine/lab/witness/rpmdb.js';
import { tempDir } from '../support/tmp.js';

describe('rpm database witness', () => {
  it('diffs package lists into changes, by name', () => {
    const before = parsePackageList('etcd\t3.2.11-1.el7\ndocker\t1.12.6-71.el7\nkernel\t3.10.0-1.el7\ngpg-pubkey\tf4a80eb5-53a7ff4b\ntzdata\t2018c-1.el7\n');
    const after = parsePackageList('etcd\t3.2.22-1.el7\nkernel\t3.10.0-1.el7\nkernel\t3.10.0-2.el7\ntzdata\t2018c-1.el7\nopenvswitch\t2.9.0-19.el7fdp\n');
    expect(diffPackages(before, after)).toEqual([
      { name: 'docker', from: '1.12.6-71.el7', to: '' },
      { name: 'etcd', from: '3.2.11-1.el7', to: '3.2.22-1.el7' },
      { name: 'kernel', from: '', to: '3.10.0-2.el7' },
      { name: 'openvswitch', from: '', to: '2.9.0-19.el7fdp' },
    ]);
    expect(diffPackages(after, after)).toEqual([]);
  });

  it("sees a transaction by the POSIX write lock on the database's .rpm.lock", () => {
    const dir = tempDir('drover-rpmlock-');
    try {
      writeFileSync(join(dir, '.rpm.lock'), '');
      const ino = statSync(join(dir, '.rpm.lock')).ino;
      expect(transactionRunning(dir, `1: POSIX  ADVISORY  WRITE 4242 fd:01:${ino} 0 EOF\n`)).toBe(true);
      expect(transactionRunning(dir, `1: POSIX  ADVISORY  READ 4242 fd:01:${ino} 0 EOF\n2: FLOCK  ADVISORY  WRITE 7 fd:01:${ino} 0 EOF\n`)).toBe(false);
      expect(transactionRunning(dir, `1: POSIX  ADVISORY  WRITE 4242 fd:01:${ino + 1} 0 EOF\n`)).toBe(false);
      expect(transactionRunning(join(dir, 'none'), '')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
