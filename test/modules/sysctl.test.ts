// sysctl: schema, the pure file rewrite (ansible's rules), and runs on a local connection with a
// temp sysctl_file: first run changes, second ok, check mode, diff, absent; reload and sysctl_set
// only re-apply the kernel's current value so the machine running the tests is not altered.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { editSysctl, fileValue, kernelScript, normValue } from '../../modules/sysctl.js';
import { runModule, tempDir } from './helpers.js';

describe('sysctl schema and file rules', () => {
  const mod = getModule('sysctl')!;
  it('good and bad arguments', () => {
    expect(validateArgs(mod, { name: 'vm.swappiness', value: 10, sysctl_set: 'yes', reload: 'no' })).toBeNull();
    expect(validateArgs(mod, { key: 'a.b', state: 'absent' })).toBeNull();
    expect(validateArgs(mod, { name: 'a.b', state: 'present' })).toMatch(/state is present but all of the following are missing: value/);
    // state defaults to present, and Ansible checks required_if after defaults
    expect(validateArgs(mod, { name: 'a.b' })).toMatch(/state is present but all of the following are missing: value/);
    expect(validateArgs(mod, { value: 1 })).toMatch(/missing required arguments: name/);
    expect(validateArgs(mod, { name: 'a', value: 1, state: 'on' })).toMatch(/must be one of/);
  });
  it('rewrites every assignment, appends when missing, removes for absent', () => {
    const t = '# c\nvm.swappiness = 60\nnet.ipv4.ip_forward=0\nvm.swappiness=30\n';
    expect(editSysctl(t, 'vm.swappiness', '10', true)).toBe('# c\nvm.swappiness=10\nnet.ipv4.ip_forward=0\nvm.swappiness=10\n');
    expect(editSysctl(t, 'kernel.x', '1', true)).toBe(t + 'kernel.x=1\n');
    expect(editSysctl(t, 'vm.swappiness', undefined, false)).toBe('# c\nnet.ipv4.ip_forward=0\n');
    expect(fileValue(t, 'vm.swappiness')).toBe('30');
    expect(normValue('yes')).toBe('1');
    expect(normValue('4096 \t 87380  6291456')).toBe('4096 87380 6291456');
  });
  it('quotes values in the kernel script', () => {
    expect(kernelScript('a.b', { set: "1'; rm -rf /", ignoreErrors: false })).toContain(`v='1'"'"'; rm -rf /'`);
  });
});

describe('sysctl on a local connection', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('manages the file idempotently, with check mode and diff', async () => {
    const f = t.p('sysctl.d', '99-test.conf');
    const args = { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: f, reload: false };
    const c = await runModule('sysctl', args, { check: true, diff: true });
    expect(c).toMatchObject({ changed: true, diff: { before: '', after: 'net.ipv4.ip_forward=1\n' } });
    expect(await runModule('sysctl', { ...args, value: 1 })).toMatchObject({ changed: true });
    expect(readFileSync(f, 'utf8')).toBe('net.ipv4.ip_forward=1\n');
    expect((await runModule('sysctl', args)).changed).toBe(false);
    expect((await runModule('sysctl', { ...args, state: 'absent' })).changed).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('');
  });

  it('reloads and sets only the current kernel value (harmless), reporting read-only /proc/sys', async () => {
    const current = readFileSync('/proc/sys/vm/swappiness', 'utf8').trim();
    const f = t.p('s.conf');
    writeFileSync(f, '# managed\n');
    const r = await runModule('sysctl', { name: 'vm.swappiness', value: current, sysctl_file: f, sysctl_set: true });
    expect(r.changed).toBe(true); // the file changed; the kernel already had the value
    expect(r.failed).toBeUndefined();
    expect(readFileSync('/proc/sys/vm/swappiness', 'utf8').trim()).toBe(current);
    expect((await runModule('sysctl', { name: 'vm.swappiness', value: current, sysctl_file: f, sysctl_set: true })).changed).toBe(false);
    const bad = await runModule('sysctl', { name: 'no.such.key', value: '1', sysctl_file: t.p('bad.conf') });
    expect(bad.failed || bad.reload_skipped).toBeTruthy();
  });
});
