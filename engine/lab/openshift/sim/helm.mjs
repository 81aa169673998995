#!/usr/bin/env node
// Simulated Helm 3 CLI for lab hosts: releases live in the simulated cluster as Helm's own
// Secrets (sh.helm.release.v1.NAME.vREV); the only chart the simulated repository serves is
// osm-edge's `osm` (seed 003). `helm upgrade` renders the chart, rolls the control plane pods
// whose template changed and records `helm.upgraded`. Commands: version, list/ls, history,
// status, get values, upgrade [--install], rollback.
// @ts-check
import * as fs from 'node:fs';
import process from 'node:process';
import * as C from './cluster.mjs';
import { parseDocs } from './format.mjs';
import { applySetValues, clusterStateFile, emitEvent, main, parseArgs, readJson, SimError, updateJson, withLock } from './lib.mjs';
import * as W from './workloads.mjs';

const VALUED = ['n', 'namespace', 'version', 'repo', 'f', 'values', 'set', 'o', 'output', 'timeout', 'kube-context', 'kubeconfig', 'max'];

export const HELM_VERSION = 'v3.9.4';

/** `--set a.b=c,d=e` into a values object. */
export const applySet = (values, expr) => applySetValues(values, expr, (key) => `Error: failed parsing --set data: key "${key}" has no value`);

function deepMerge(a, b) {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
  const out = a && typeof a === 'object' && !Array.isArray(a) ? { ...a } : {};
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(out[k], v);
  return out;
}

const stateFile = () => clusterStateFile('Error: Kubernetes cluster unreachable: Get "https://localhost:6443/version": dial tcp: connect: connection refused');

const out = (s) => process.stdout.write(s);
const cols = (rows) => {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(w[i])).join('\t').trimEnd()).join('\n') + '\n';
};
const short = (r) => ({
  name: r.name,
  namespace: r.namespace,
  revision: String(r.version),
  updated: r.info.last_deployed,
  status: r.info.status,
  chart: `${r.chart.metadata.name}-${r.chart.metadata.version}`,
  app_version: r.chart.metadata.appVersion,
});

async function values(a) {
  let v = {};
  for (const f of a.all.f ?? a.all.values ?? []) for (const d of await parseDocs(fs.readFileSync(String(f), 'utf8'))) v = deepMerge(v, d);
  for (const s of a.all.set ?? []) applySet(v, String(s));
  return v;
}

main(async () => {
  const [cmd, ...rest] = process.argv.slice(2);
  const a = parseArgs(rest, VALUED);
  const ns = String(a.opts.n ?? a.opts.namespace ?? 'default');
  const json = a.opts.o === 'json' || a.opts.output === 'json';
  if (cmd === 'version') return (out(`version.BuildInfo{Version:"${HELM_VERSION}", GitCommit:"2a2fb3b98829f1e0be6fb18af2f6599e0f4e8243", GitTreeState:"clean", GoVersion:"go1.17.13"}\n`), 0);
  const file = stateFile();
  const read = () => withLock(file, () => readJson(file, C.emptyState()));
  switch (cmd) {
    case 'list':
    case 'ls': {
      const st = read();
      const all = W.releases(st, a.opts['all-namespaces'] || a.opts.A ? undefined : ns);
      const latest = [...new Map(all.map((r) => [`${r.namespace}/${r.name}`, r])).values()].map(short);
      if (json) return (out(JSON.stringify(latest) + '\n'), 0);
      out(cols([['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'], ...latest.map((r) => [r.name, r.namespace, r.revision, r.updated, r.status, r.chart, r.app_version])]));
      return 0;
    }
    case 'history':
    case 'status':
    case 'get': {
      const name = cmd === 'get' ? a.pos[1] : a.pos[0];
      const st = read();
      const revs = W.releases(st, ns).filter((r) => r.name === name);
      if (!revs.length) throw new SimError(cmd === 'history' ? 'Error: release: not found' : `Error: release: not found`);
      if (cmd === 'history') {
        const rows = revs.map((r) => ({ revision: r.version, updated: r.info.last_deployed, status: r.info.status, chart: `${r.chart.metadata.name}-${r.chart.metadata.version}`, app_version: r.chart.metadata.appVersion, description: r.info.description }));
        if (json) return (out(JSON.stringify(rows) + '\n'), 0);
        out(cols([['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'], ...rows.map((r) => [r.revision, r.updated, r.status, r.chart, r.app_version, r.description])]));
        return 0;
      }
      const cur = W.currentRelease(st, ns, name);
      if (cmd === 'get') return (out(JSON.stringify(cur.config, null, 2) + '\n'), 0);
      if (json) return (out(JSON.stringify(cur) + '\n'), 0);
      out(`NAME: ${cur.name}\nLAST DEPLOYED: ${cur.info.last_deployed}\nNAMESPACE: ${cur.namespace}\nSTATUS: ${cur.info.status}\nREVISION: ${cur.version}\nCHART: ${cur.chart.metadata.name}-${cur.chart.metadata.version}\n`);
      return 0;
    }
    case 'upgrade': {
      const [name, chart] = a.pos;
      if (!name || !chart) throw new SimError('Error: "helm upgrade" requires 2 arguments');
      if (!/(^|\/)osm$/.test(chart)) throw new SimError(`Error: chart "${chart}" not found in ${a.opts.repo ?? 'the local repositories'}`);
      const v = await values(a);
      const events = [];
      const rel = updateJson(file, C.emptyState(), (st) => {
        const prev = W.currentRelease(st, ns, name);
        if (!prev && a.opts.install !== true) throw new SimError(`Error: UPGRADE FAILED: "${name}" has no deployed releases`);
        const version = String(a.opts.version ?? W.OSM_CHART_VERSIONS.at(-1));
        const base = a.opts['reuse-values'] === true && prev ? prev.config : {};
        return W.upgradeOsm(st, { name, namespace: ns, chartVersion: version.replace(/^v/, ''), values: deepMerge(base, v) }, events);
      });
      for (const [k, f] of events) emitEvent(k, f);
      out(`Release "${name}" has been upgraded. Happy Helming!\nNAME: ${name}\nLAST DEPLOYED: ${rel.info.last_deployed}\nNAMESPACE: ${ns}\nSTATUS: deployed\nREVISION: ${rel.version}\nTEST SUITE: None\n`);
      return 0;
    }
    case 'rollback': {
      const [name, revArg] = a.pos;
      const events = [];
      const rel = updateJson(file, C.emptyState(), (st) => {
        const revs = W.releases(st, ns).filter((r) => r.name === name);
        if (!revs.length) throw new SimError(`Error: release: not found`);
        const target = revArg ? revs.find((r) => r.version === Number(revArg)) : revs.at(-2);
        if (!target) throw new SimError(`Error: release has no ${revArg ?? 'previous'} version`);
        return W.upgradeOsm(st, { name, namespace: ns, chartVersion: target.chart.metadata.version, values: target.config, description: `Rollback to ${target.version}` }, events);
      });
      for (const [k, f] of events) emitEvent(k, f);
      out(`Rollback was a success! Happy Helming!\n`);
      return rel ? 0 : 1;
    }
    default:
      throw new SimError(`Error: unknown command "${cmd ?? ''}" for "helm" (simulated)`);
  }
});
