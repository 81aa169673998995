// installOpenShiftSim into two host roots sharing one cluster state: the installed oc (run from
// the host tree, yaml package included) sees one state, and concurrent writers from both hosts
// never lose an update (the hard-link lock).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_CLUSTER_DIR, installOpenShiftSim } from '../../engine/lab/openshift/install.js';
import { writeClusterState } from '../../engine/lab/openshift/seed.js';
import { simEnv, type SimEnv } from './helpers.js';

let sim: SimEnv;
afterEach(() => sim?.cleanup());

function runIn(root: string, host: string, args: string[], events: string): Promise<{ rc: number; stdout: string; stderr: string }> {
  const oc = path.join(root, 'usr/local/lib/drover-sim/openshift/oc.mjs');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [oc, ...args], {
      env: { PATH: process.env.PATH ?? '', DROVER_SIM_ROOT: root, DROVER_CLUSTER_STATE: path.join(root, HOST_CLUSTER_DIR), DROVER_SIM_HOST: host, DROVER_SIM_EVENTS: events },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (rc) => resolve({ rc: rc ?? -1, stdout, stderr }));
  });
}

describe('installOpenShiftSim', () => {
  it('installs tools and links one shared state into several hosts; concurrent writers lose nothing', async () => {
    sim = simEnv();
    const shared = path.join(sim.dir, 'lab-cluster');
    const nodes = Array.from({ length: 6 }, (_, i) => `node${i}`);
    writeClusterState(shared, { openshiftVersion: '3.7.23', nodes: nodes.map((name) => ({ name, roles: ['compute'] })) });
    const roots = ['master1', 'master2'].map((h) => path.join(sim.dir, h));
    for (const [i, r] of roots.entries()) {
      mkdirSync(r, { recursive: true });
      installOpenShiftSim(r, shared, { host: `master${i + 1}`, hosts: ['master1', 'master2'], nodes });
    }
    expect(readFileSync(path.join(shared, 'cluster.json.lock'), 'utf8')).toBe('3');
    expect(statSync(path.join(roots[1], HOST_CLUSTER_DIR, 'cluster.json')).ino).toBe(statSync(path.join(shared, 'cluster.json')).ino);
    expect(readFileSync(path.join(roots[0], 'etc/drover-sim/openshift.env'), 'utf8')).toContain('DROVER_SIM_HOST=master1');
    expect(existsSync(path.join(roots[0], 'usr/local/lib/drover-sim/node_modules/yaml/package.json'))).toBe(true);

    // 12 label writes at once, alternating hosts
    const jobs = nodes.flatMap((n, i) => [runIn(roots[i % 2], 'm', ['label', 'node', n, 'a=1'], sim.events), runIn(roots[(i + 1) % 2], 'm', ['label', 'node', n, 'b=2'], sim.events)]);
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.rc)).toEqual(results.map(() => 0));
    const state = JSON.parse(readFileSync(path.join(shared, 'cluster.json'), 'utf8'));
    for (const n of state.objects.filter((o: any) => o.kind === 'Node')) expect(n.metadata.labels).toMatchObject({ a: '1', b: '2' });
    expect(readFileSync(path.join(shared, 'cluster.json.lock'), 'utf8')).toBe('3');
    expect(statSync(path.join(shared, 'cluster.json.lock')).nlink).toBe(3);

    // YAML input through the installed copy of the yaml package
    const f = path.join(sim.dir, 'cm.yaml');
    writeFileSync(f, 'kind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  k: v\n');
    expect((await runIn(roots[1], 'm', ['apply', '-f', f], sim.events)).stdout).toBe('configmap "c1" created\n');
    expect((await runIn(roots[0], 'm', ['get', 'cm', 'c1', '-o', 'jsonpath={.data.k}'], sim.events)).stdout).toBe('v');
  });
});
