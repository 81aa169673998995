// The per-host simulated tools: docker (containers/images state, the swap's rm/rmi sequence) and
// subscription-manager (repos switched in redhat.repo, identity/register).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simEnv, type SimEnv } from './helpers.js';

let sim: SimEnv;
afterEach(() => sim?.cleanup());

describe('docker', () => {
  it('removes every container and image as the guide’s swap does, refusing unforced removals', () => {
    sim = simEnv();
    expect(sim.run('docker', ['version'], { DROVER_SIM_DOCKER_VERSION: '1.13.1' }).stdout).toContain('Version:         1.13.1');
    const all = sim.run('docker', ['ps', '-a', '-q']).stdout.trim().split('\n');
    expect(all).toHaveLength(3);
    expect(sim.run('docker', ['ps', '-q']).stdout.trim().split('\n')).toHaveLength(2);
    const imgs = sim.run('docker', ['images', '-q']).stdout.trim().split('\n');
    const early = sim.run('docker', ['rmi', ...imgs]);
    expect(early.rc).toBe(1);
    expect(early.stderr).toContain('must be forced');
    expect(sim.run('docker', ['rm', ...all]).stderr).toContain('cannot remove a running container');
    // the stopped one went; the guide's `docker rm $(docker ps -a -q) -f` takes the rest
    const left = sim.run('docker', ['ps', '-a', '-q']).stdout.trim().split('\n');
    expect(left).toHaveLength(2);
    expect(sim.run('docker', ['rm', ...left, '-f']).rc).toBe(0);
    expect(sim.run('docker', ['rmi', ...sim.run('docker', ['images', '-q']).stdout.trim().split('\n')]).rc).toBe(0);
    expect(sim.run('docker', ['ps', '-a', '-q']).stdout).toBe('');
    expect(sim.run('docker', ['images', '-q']).stdout).toBe('');
    const kinds = sim.readEvents().map((e) => e.kind);
    expect(kinds.filter((k) => k === 'docker.container.removed')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'docker.image.removed')).toHaveLength(3);
  });
});

describe('subscription-manager', () => {
  it('switches repositories in redhat.repo and reports the enabled ones', () => {
    sim = simEnv();
    const file = path.join(sim.root, 'etc/yum.repos.d/redhat.repo');
    mkdirSync(path.dirname(file), { recursive: true });
    const sec = (id: string, on: number) => `[${id}]\nname = ${id}\nbaseurl = file:///var/lib/drover-repos/${id}\nenabled = ${on}\n`;
    writeFileSync(file, [sec('rhel-7-server-rpms', 1), sec('rhel-7-server-ose-3.7-rpms', 1), sec('rhel-7-server-ose-3.8-rpms', 0), sec('rhel-7-server-ose-3.9-rpms', 0)].join('\n'));
    const r = sim.run('subscription-manager', ['repos', '--disable=rhel-7-server-ose-3.7-rpms', '--enable=rhel-7-server-ose-3.8-rpms', '--enable', 'rhel-7-server-ose-3.9-rpms']);
    expect(r.rc).toBe(0);
    const enabled = sim.run('subscription-manager', ['repos', '--list-enabled']).stdout.match(/Repo ID:\s+(\S+)/g)!.map((l) => l.split(/\s+/)[2]);
    expect(enabled).toEqual(['rhel-7-server-rpms', 'rhel-7-server-ose-3.8-rpms', 'rhel-7-server-ose-3.9-rpms']);
    expect(readFileSync(file, 'utf8')).toContain('[rhel-7-server-ose-3.7-rpms]\nname = rhel-7-server-ose-3.7-rpms\nbaseurl = file:///var/lib/drover-repos/rhel-7-server-ose-3.7-rpms\nenabled = 0');
    expect(sim.readEvents().map((e) => `${e.kind} ${e.repo}`)).toEqual([
      'repo.disabled rhel-7-server-ose-3.7-rpms', 'repo.enabled rhel-7-server-ose-3.8-rpms', 'repo.enabled rhel-7-server-ose-3.9-rpms',
    ]);
    const bad = sim.run('subscription-manager', ['repos', '--enable=rhel-7-server-ose-4.0-rpms']);
    expect(bad.rc).toBe(1);
    expect(bad.stderr).toContain('does not match a valid repository ID');
  });

  it('identity needs a registration; register keeps the consumer id', () => {
    sim = simEnv();
    expect(sim.run('subscription-manager', ['identity']).rc).toBe(1);
    expect(sim.run('subscription-manager', ['register', '--consumerid=6699375b-06db-48c4-941e-689efd6ce3aa']).rc).toBe(0);
    expect(sim.run('subscription-manager', ['identity']).stdout).toContain('system identity: 6699375b-06db-48c4-941e-689efd6ce3aa');
    expect(sim.run('subscription-manager', ['refresh']).stdout).toBe('All local data refreshed\n');
  });
});
