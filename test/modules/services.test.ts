// The service, systemd and service_facts modules against a stateful systemctl stub
// (fixtures/services/systemctl; state in files under a temp SIMROOT, every state-changing call
// logged): first run changes, second run is ok, check mode changes nothing, masks, enablement,
// daemon-reload, failures; plus schema tests and the pure parsers.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleResult } from '../../engine/modules-sdk/types.js';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import { parseServiceFacts } from '../../modules/lib/service-facts.js';
import { buildServiceResult, normaliseServiceArgs, parseServiceOutput, serviceScript } from '../../modules/lib/service-systemd.js';
import { makeCtx, tempDir } from './helpers.js';

const STUB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/services');

describe('service module schemas', () => {
  it('systemd: accepts Ansible arguments and aliases, rejects bad ones', () => {
    const m = getModule('systemd')!;
    expect(validateArgs(m, { name: 'docker', state: 'restarted', enabled: 'yes', daemon_reload: true })).toBeNull();
    expect(validateArgs(m, { unit: 'etcd', masked: 'no' })).toBeNull();
    expect(validateArgs(m, { 'daemon-reload': true })).toBeNull();
    expect(validateArgs(getModule('ansible.builtin.systemd_service')!, { name: 'x', state: 'started' })).toBeNull();
    expect(validateArgs(m, { name: 'x', state: 'running' })).toMatch(/value of state must be one of: reloaded, restarted, started, stopped/);
    expect(validateArgs(m, { name: 'x' })).toMatch(/one of the following is required/);
    expect(validateArgs(m, { name: 'x', state: 'started', when_ready: 1 })).toMatch(/Unsupported parameters/);
  });
  it('service: name is required; sleep, pattern and args are accepted', () => {
    const m = getModule('service')!;
    expect(validateArgs(m, { name: 'docker', state: 'started', sleep: '2', args: '-x', pattern: 'dockerd' })).toBeNull();
    expect(validateArgs(m, { state: 'started' })).toMatch(/missing required arguments: name/);
    expect(validateArgs(m, { name: 'x', enabled: 'perhaps' })).toMatch(/enabled/);
    expect(validateArgs(getModule('service_facts')!, { x: 1 })).toMatch(/Unsupported/);
  });
});

describe('service script and parsing (pure)', () => {
  it('quotes the unit name and passes booleans', () => {
    const s = serviceScript(normaliseServiceArgs({ name: "a'b", state: 'started', enabled: false }), true);
    expect(s).toContain(`unit='a'"'"'b'`);
    expect(s).toMatch(/^enabled=$/m);
    expect(s).toMatch(/^enabled_set=1$/m);
    expect(s).toMatch(/^check=1$/m);
  });
  it('turns actions and show output into the result', () => {
    const a = normaliseServiceArgs({ name: 'docker', state: 'started', enabled: true });
    const ok = parseServiceOutput('found=1\naction=enable\naction=start\n@@drover:show@@\nId=docker.service\nActiveState=active\n');
    expect(buildServiceResult(a, ok)).toEqual({ changed: true, name: 'docker', state: 'started', enabled: true, status: { Id: 'docker.service', ActiveState: 'active' } });
    const bad = parseServiceOutput('found=1\naction=start\nfailed_action=start\nrc=1\nerr=Unit docker.service is masked. \n@@drover:show@@\n');
    expect(buildServiceResult(a, bad)).toMatchObject({ failed: true, msg: 'Unable to start service docker: Unit docker.service is masked.' });
  });
  it('parses service facts as Ansible does (failed marker, unit files not loaded)', () => {
    const out = `@@drover:units@@
  sshd.service loaded active running OpenSSH
● etcd.service loaded failed failed etcd
  docker.service loaded inactive dead Docker
@@drover:files@@
UNIT FILE STATE
sshd.service enabled
etcd.service enabled
docker.service disabled
kdump.service masked
@@drover:state kdump.service@@
ActiveState=inactive
`;
    expect(parseServiceFacts(out).services).toEqual({
      'sshd.service': { name: 'sshd.service', state: 'running', status: 'enabled', source: 'systemd' },
      'etcd.service': { name: 'etcd.service', state: 'stopped', status: 'failed', source: 'systemd' },
      'docker.service': { name: 'docker.service', state: 'stopped', status: 'disabled', source: 'systemd' },
      'kdump.service': { name: 'kdump.service', state: 'inactive', status: 'masked', source: 'systemd' },
    });
  });
});

describe('service modules against the systemctl stub', () => {
  let t: ReturnType<typeof tempDir>;
  const unit = (name: string, install = true) => {
    mkdirSync(t.p('units'), { recursive: true });
    writeFileSync(t.p('units', `${name}.service`), `[Service]\nExecStart=/usr/bin/${name}\n${install ? '[Install]\nWantedBy=multi-user.target\n' : ''}`);
  };
  const calls = () => (existsSync(t.p('calls')) ? readFileSync(t.p('calls'), 'utf8').split('\n').filter(Boolean) : []);
  const run = (mod: string, args: Record<string, unknown>, check = false): Promise<ModuleResult> => {
    const ctx = makeCtx({ check });
    const base = ctx.run;
    ctx.run = (cmd, o) => base(cmd, { ...o, env: { ...(o?.env ?? {}), SIMROOT: t.dir, PATH: `${STUB_DIR}:${process.env.PATH}` } });
    return getModule(mod)!.run(args, ctx);
  };
  beforeEach(() => {
    t = tempDir('drover-svc-');
  });
  afterEach(() => t.cleanup());

  it('starts and enables once; the second run is ok; check mode changes nothing', async () => {
    unit('docker');
    const args = { name: 'docker', state: 'started', enabled: true };
    const check = await run('service', args, true);
    expect(check).toMatchObject({ changed: true, name: 'docker', state: 'started', enabled: true });
    expect(calls()).toEqual([]);
    const first = await run('service', args);
    expect(first.changed).toBe(true);
    expect(calls()).toEqual(['enable docker.service', 'start docker.service']);
    expect((first.status as Record<string, string>).ActiveState).toBe('active');
    const second = await run('systemd', args);
    expect(second.changed).toBe(false);
    expect(calls()).toHaveLength(2);
  });

  it('stops only running units; restarted and reloaded always act', async () => {
    unit('etcd');
    expect((await run('systemd', { name: 'etcd', state: 'stopped' })).changed).toBe(false);
    expect(calls()).toEqual([]);
    // restarted/reloaded on a stopped unit start it, as Ansible does
    expect((await run('systemd', { name: 'etcd', state: 'reloaded' })).changed).toBe(true);
    expect(calls()).toEqual(['start etcd.service']);
    expect((await run('systemd', { name: 'etcd', state: 'reloaded' })).changed).toBe(true);
    expect((await run('systemd', { name: 'etcd', state: 'restarted' })).changed).toBe(true);
    expect(calls().slice(1)).toEqual(['reload etcd.service', 'restart etcd.service']);
    expect((await run('systemd', { name: 'etcd', state: 'stopped' }, true)).changed).toBe(true);
    expect(existsSync(t.p('active', 'etcd.service'))).toBe(true);
    expect((await run('systemd', { name: 'etcd', state: 'stopped' })).changed).toBe(true);
    expect(existsSync(t.p('active', 'etcd.service'))).toBe(false);
  });

  it('masks and unmasks idempotently; a masked unit cannot start', async () => {
    unit('atomic-openshift-node');
    expect((await run('systemd', { name: 'atomic-openshift-node', masked: true })).changed).toBe(true);
    expect((await run('systemd', { name: 'atomic-openshift-node', masked: true })).changed).toBe(false);
    const start = await run('systemd', { name: 'atomic-openshift-node', state: 'started' });
    expect(start).toMatchObject({ failed: true, msg: expect.stringMatching(/^Unable to start service atomic-openshift-node: .*masked/) });
    const both = await run('systemd', { name: 'atomic-openshift-node', masked: false, state: 'started' });
    expect(both.changed).toBe(true);
    expect(calls()).toEqual(['mask atomic-openshift-node.service', 'unmask atomic-openshift-node.service', 'start atomic-openshift-node.service']);
  });

  it('disables, runs daemon-reload (not in check mode), and fails on unknown units', async () => {
    unit('openvswitch');
    writeFileSync(t.p('calls'), '');
    expect((await run('systemd', { name: 'openvswitch', enabled: true })).changed).toBe(true);
    expect((await run('systemd', { name: 'openvswitch', enabled: false })).changed).toBe(true);
    expect((await run('systemd', { name: 'openvswitch', enabled: false })).changed).toBe(false);
    expect((await run('systemd', { daemon_reload: true }, true)).changed).toBe(false);
    expect(calls()).not.toContain('daemon-reload');
    const r = await run('systemd', { daemon_reload: true, name: 'openvswitch', state: 'started' });
    expect(r.changed).toBe(true);
    expect(calls().slice(-2)).toEqual(['daemon-reload', 'start openvswitch.service']);
    const missing = await run('systemd', { name: 'nope', state: 'started' });
    expect(missing).toMatchObject({ failed: true, msg: 'Could not find the requested service nope: host' });
  });

  it('service_facts reports every unit with state and status', async () => {
    unit('docker');
    unit('tuned', false);
    await run('systemd', { name: 'docker', state: 'started', enabled: true });
    const r = await run('service_facts', {});
    expect(r.changed).toBe(false);
    expect((r.ansible_facts as { services: unknown }).services).toEqual({
      'docker.service': { name: 'docker.service', state: 'running', status: 'enabled', source: 'systemd' },
      'tuned.service': { name: 'tuned.service', state: 'stopped', status: 'static', source: 'systemd' },
    });
  });
});
