#!/usr/bin/env node
// Simulated kubectl for lab hosts: the workload verbs the osm-edge guide (seed 003) uses —
// `rollout restart deploy[/NAME]` (new pods, the sidecar re-injected from the MeshConfig),
// `set image deployment/NAME CONTAINER=IMAGE`, `describe pod NAME` (with its Events),
// `logs POD` — and everything else handed to the simulated `oc` (get, patch, apply, delete...).
// @ts-check
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as C from './cluster.mjs';
import { clusterStateFile, emitEvent, main, parseArgs, readJson, SimError, updateJson, withLock } from './lib.mjs';
import * as W from './workloads.mjs';

const VALUED = ['n', 'namespace', 'o', 'output', 'l', 'selector', 'c', 'container', 'tail'];
const out = (s) => process.stdout.write(s);

const stateFile = () => clusterStateFile('The connection to the server localhost:6443 was refused - did you specify the right host or port?');

/** `deploy`, `deploy/NAME`, `deployment NAME` → names (undefined: all). */
function deployNames(pos) {
  const [w, ...rest] = pos;
  if (!w) throw new SimError('error: required resource not specified');
  const [kind, name] = w.split('/');
  if (!/^(deploy|deployment|deployments)$/.test(kind)) throw new SimError(`error: ${kind} is not supported by the simulated kubectl here`);
  if (name) return [name];
  return rest.length ? rest : undefined;
}

main(async () => {
  const argv = process.argv.slice(2);
  const [cmd, sub] = argv;
  const a = parseArgs(argv.slice(1), VALUED);
  const ns = String(a.opts.n ?? a.opts.namespace ?? 'default');
  const simulatedHere = (cmd === 'rollout' && sub === 'restart') || (cmd === 'set' && sub === 'image') || cmd === 'describe' || cmd === 'logs';
  if (!simulatedHere) {
    const oc = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oc.mjs');
    // kubectl's -A is oc 3.x's --all-namespaces
    const r = spawnSync(process.execPath, [oc, ...argv.map((x) => (x === '-A' ? '--all-namespaces' : x))], { stdio: 'inherit' });
    return r.status ?? 1;
  }
  const file = stateFile();
  /** @type {[string, Record<string, unknown>][]} */
  const events = [];
  if (cmd === 'rollout') {
    const names = deployNames(a.pos.slice(1));
    const done = updateJson(file, C.emptyState(), (st) => {
      const deps = st.objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === ns && (!names || names.includes(o.metadata.name))).sort((x, y) => x.metadata.name.localeCompare(y.metadata.name));
      if (names && deps.length < names.length) throw new SimError(`Error from server (NotFound): deployments.apps "${names.find((n) => !deps.some((d) => d.metadata.name === n))}" not found`);
      for (const d of deps) {
        d.spec.template.metadata = { ...(d.spec.template.metadata ?? {}), annotations: { ...(d.spec.template.metadata?.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } };
        d.metadata.generation = Number(d.metadata.generation ?? 1) + 1;
        C.putObject(st, d);
        W.rollout(st, d, events);
      }
      return deps.map((d) => d.metadata.name);
    });
    for (const [k, f] of events) emitEvent(k, f);
    out(done.map((n) => `deployment.apps/${n} restarted\n`).join(''));
    return 0;
  }
  if (cmd === 'set') {
    const names = deployNames(a.pos.slice(1).filter((p) => !p.includes('=')));
    const sets = a.pos.slice(1).filter((p) => p.includes('='));
    if (!sets.length) throw new SimError('error: at least one image update is required');
    const msgs = updateJson(file, C.emptyState(), (st) => {
      const res = [];
      for (const n of names ?? []) {
        const d = C.findObject(st, 'Deployment', ns, n);
        if (!d) throw new SimError(`Error from server (NotFound): deployments.apps "${n}" not found`);
        let changed = false;
        for (const s of sets) {
          const [cname, image] = s.split('=');
          const c = (d.spec.template.spec.containers ?? []).find((x) => x.name === cname || cname === '*');
          if (!c) throw new SimError(`error: unable to find container named "${cname}"`);
          if (c.image !== image) changed = true;
          c.image = image;
        }
        if (!changed) continue;
        d.metadata.generation = Number(d.metadata.generation ?? 1) + 1;
        C.putObject(st, d);
        events.push(['deployment.image', { deployment: n, namespace: ns, images: d.spec.template.spec.containers.map((c) => c.image) }]);
        W.rollout(st, d, events);
        res.push(`deployment.apps/${n} image updated`);
      }
      return res;
    });
    for (const [k, f] of events) emitEvent(k, f);
    out(msgs.map((m) => m + '\n').join(''));
    return 0;
  }
  const st = withLock(file, () => readJson(file, C.emptyState()));
  const podName = (a.pos[0] === 'pod' || a.pos[0] === 'pods' ? a.pos[1] : a.pos[0])?.replace(/^pods?\//, '');
  const pod = C.findObject(st, 'Pod', ns, podName);
  if (!pod) throw new SimError(`Error from server (NotFound): pods "${podName}" not found`);
  if (cmd === 'logs') {
    out(pod.status?.phase === 'Running' ? `{"level":"info","component":"${pod.metadata.labels?.app}","message":"started"}\n` : '');
    return 0;
  }
  const evs = st.objects.filter((o) => o.kind === 'Event' && o.involvedObject?.name === podName && o.metadata.namespace === ns);
  out(`Name:         ${podName}\nNamespace:    ${ns}\nNode:         ${pod.spec?.nodeName ?? '<none>'}\nLabels:       ${Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join('\n              ')}\nStatus:       ${pod.status?.phase}\nContainers:\n${(pod.spec?.containers ?? []).map((c) => `  ${c.name}:\n    Image:      ${c.image}\n`).join('')}Events:\n`);
  if (!evs.length) out('  <none>\n');
  else {
    out('  Type     Reason            Age   From               Message\n  ----     ------            ----  ----               -------\n');
    for (const e of evs) out(`  ${e.type.padEnd(9)}${e.reason.padEnd(18)}4s    ${(e.source?.component ?? '').padEnd(19)}${e.message}\n`);
  }
  return 0;
});
