#!/usr/bin/env node
// Simulated osm-edge CLI (seed 003): `osm version` (CLI version and each mesh's version),
// `osm mesh list`, `osm mesh upgrade` = a `helm upgrade` of the mesh's release to the chart of
// the CLI's own version with fresh default values plus --set (previous values are not carried
// over, as the guide says), waiting for the control plane like the real CLI: when its pods do
// not come up (a namespace annotated drover.sim/insufficient-cpu=true) it times out.
// The CLI version: $DROVER_SIM_OSM_CLI_VERSION, else the highest chart version.
// @ts-check
import process from 'node:process';
import * as C from './cluster.mjs';
import { applySetValues, clusterStateFile, emitEvent, loadHostEnv, main, parseArgs, readJson, SimError, updateJson, withLock } from './lib.mjs';
import * as W from './workloads.mjs';

const VALUED = ['mesh-name', 'osm-namespace', 'set', 'container-registry', 'osm-image-tag', 'timeout', 'n', 'namespace'];
const out = (s) => process.stdout.write(s);

const stateFile = () => clusterStateFile('Error: Kubernetes cluster unreachable: connection refused');

const cliVersion = () => (process.env.DROVER_SIM_OSM_CLI_VERSION || W.OSM_CHART_VERSIONS.at(-1) || '').replace(/^v/, '');
const meshes = (st) => [...new Map(W.releases(st).filter((r) => r.chart.metadata.name === 'osm').map((r) => [`${r.namespace}/${r.name}`, W.currentRelease(st, r.namespace, r.name)])).values()];

main(async () => {
  const argv = process.argv.slice(2);
  const a = parseArgs(argv, VALUED);
  const [cmd, sub] = a.pos;
  // the host's env file sets the CLI version (DROVER_SIM_OSM_CLI_VERSION): read it first
  loadHostEnv();
  const cli = cliVersion();
  if (cmd === 'version') {
    out(`CLI Version: version.Info{Version:"v${cli}", GitCommit:"4a1f6e2", BuildDate:"2023-03-01-00:00"}\n`);
    if (a.opts['client-only'] === true) return 0;
    const file = stateFile();
    const st = withLock(file, () => readJson(file, C.emptyState()));
    const rows = meshes(st).map((r) => [r.name, r.namespace, r.chart.metadata.appVersion, '4a1f6e2', r.info.last_deployed]);
    out('\n');
    out(formatRows([['MESH NAME', 'MESH NAMESPACE', 'VERSION', 'GIT COMMIT', 'BUILD DATE'], ...rows]));
    return 0;
  }
  if (cmd === 'mesh' && sub === 'list') {
    const file = stateFile();
    const st = withLock(file, () => readJson(file, C.emptyState()));
    out(formatRows([['MESH NAME', 'MESH NAMESPACE', 'VERSION'], ...meshes(st).map((r) => [r.name, r.namespace, r.chart.metadata.appVersion])]));
    return 0;
  }
  if (cmd === 'mesh' && sub === 'upgrade') {
    const file = stateFile();
    const name = String(a.opts['mesh-name'] ?? 'osm');
    const ns = String(a.opts['osm-namespace'] ?? 'osm-system');
    const values = { osm: { meshName: name, osmNamespace: ns } };
    if (typeof a.opts['container-registry'] === 'string') values.osm.image = { registry: a.opts['container-registry'] };
    if (typeof a.opts['osm-image-tag'] === 'string') values.osm.image = { ...(values.osm.image ?? {}), tag: a.opts['osm-image-tag'] };
    for (const s of a.all.set ?? []) setValue(values, String(s));
    /** @type {[string, Record<string, unknown>][]} */
    const events = [];
    const stuck = updateJson(file, C.emptyState(), (st) => {
      const prev = W.currentRelease(st, ns, name);
      if (!prev) throw new SimError(`Error: Mesh ${name} does not exist in namespace ${ns}`);
      W.upgradeOsm(st, { name, namespace: ns, chartVersion: cli, values }, events);
      if (prev.chart.metadata.version !== cli) events.push(['osm.upgraded', { mesh: name, namespace: ns, from: prev.chart.metadata.version, to: cli }]);
      return W.notRunning(st, ns).map((p) => p.metadata.name);
    });
    for (const [k, f] of events) emitEvent(k, f);
    if (stuck.length) throw new SimError(`Error: timed out waiting for the condition (pods not ready: ${stuck.join(', ')})`);
    out(`osm-edge successfully upgraded mesh ${name}\n`);
    return 0;
  }
  throw new SimError(`Error: unknown command "${argv.join(' ')}" for "osm" (simulated: version, mesh list, mesh upgrade)`);
});

const setValue = (values, expr) => applySetValues(values, expr, (key) => `Error: invalid --set ${key}`);

function formatRows(rows) {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(w[i] + 3))).join('')).join('\n') + '\n';
}
