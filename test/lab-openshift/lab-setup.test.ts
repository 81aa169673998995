// lab-setup: an OpenShift inventory seeds one cluster state for the lab and every host gets the
// tools; oc run from any host root lists the inventory's nodes with their roles.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_CLUSTER_DIR } from '../../engine/lab/openshift/install.js';
import { nodeLabels, setupHost, type OpenShiftSetupContext } from '../../engine/lab/openshift/lab-setup.js';
import { simEnv, type SimEnv } from './helpers.js';

let sim: SimEnv;
afterEach(() => sim?.cleanup());

describe('OpenShift lab-setup', () => {
  it('parses openshift_node_labels forms', () => {
    expect(nodeLabels("{'region': 'infra', 'zone': 'default'}")).toEqual({ region: 'infra', zone: 'default' });
    expect(nodeLabels({ region: 'primary' })).toEqual({ region: 'primary' });
    expect(nodeLabels('nonsense')).toEqual({});
  });

  it('seeds the cluster from the inventory and installs every host', () => {
    sim = simEnv();
    const hosts = [
      { name: 'master1', groups: ['masters', 'nodes', 'etcd'] },
      { name: 'infra1', groups: ['nodes'] },
      { name: 'node1', groups: ['nodes'] },
      { name: 'lb', groups: ['lb'] },
    ];
    const vars: Record<string, Record<string, unknown>> = { infra1: { openshift_node_labels: "{'region': 'infra'}" }, node1: { openshift_node_labels: { region: 'primary' } } };
    for (const h of hosts) {
      const root = path.join(sim.dir, 'hosts', h.name);
      mkdirSync(root, { recursive: true });
      const ctx: OpenShiftSetupContext = { lab: { dir: sim.dir, hosts }, inventory: { hostVars: (n) => vars[n] ?? {} }, host: h, root, usrUpper: path.join(root, 'usr') };
      setupHost(ctx);
    }
    const root = path.join(sim.dir, 'hosts', 'lb');
    expect(readlinkSync(path.join(root, 'usr/local/bin/oc'))).toBe('/usr/local/lib/drover-sim/openshift/oc.mjs');
    const oc = spawnSync(process.execPath, [path.join(root, 'usr/local/lib/drover-sim/openshift/oc.mjs'), 'get', 'nodes'], {
      env: { PATH: process.env.PATH ?? '', DROVER_SIM_ROOT: root, DROVER_CLUSTER_STATE: path.join(root, HOST_CLUSTER_DIR) },
      encoding: 'utf8',
    });
    expect(oc.stderr).toBe('');
    expect(oc.stdout).toMatch(/infra1\s+Ready\s+infra/);
    expect(oc.stdout).toMatch(/master1\s+Ready,SchedulingDisabled\s+master/);
    expect(oc.stdout).toMatch(/node1\s+Ready\s+compute\s+\S+\s+v1\.7\.6/);
    expect(oc.stdout).not.toMatch(/\blb\b/);
  });
});
