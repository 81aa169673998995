// `oc adm ...` of the simulated oc: node scheduling, drain/evacuate with kubectl 1.9's rules and
// timing, storage migration (fails on duplicate Service ports, the guide's known issue 7.2),
// policy reconciliation and diagnostics.
// @ts-check
import process from 'node:process';
import * as C from './cluster.mjs';
import { formatTable } from './format.mjs';
import { boolOpt, clone, SimError } from './lib.mjs';

/** Nodes named on the command line or matched by --selector (raw state objects). */
function pickNodes(ctx, st, names) {
  const sel = ctx.opt('selector', 'l');
  if (!names.length && typeof sel !== 'string') throw new SimError('you must provide one or more resources by argument or filename');
  const match = typeof sel === 'string' ? C.parseSelector(sel) : () => true;
  const nodes = st.objects.filter((o) => o.kind === 'Node');
  if (names.length) {
    return names.map((n) => {
      const node = nodes.find((o) => o.metadata.name === n);
      if (!node) throw new SimError(`Error from server (NotFound): nodes "${n}" not found`);
      return node;
    });
  }
  return nodes.filter((n) => match(n.metadata.labels)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Set spec.unschedulable; queues node.schedulable only on a change. Returns true when changed. */
function setSchedulable(ctx, st, node, schedulable) {
  const cur = !node.spec?.unschedulable;
  if (cur === schedulable) return false;
  node.spec = { ...(node.spec ?? {}) };
  if (schedulable) delete node.spec.unschedulable;
  else node.spec.unschedulable = true;
  C.putObject(st, node);
  ctx.events.push(['node.schedulable', { node: node.metadata.name, schedulable }]);
  return true;
}

/** Event details of an eviction's replacement: `replacement` (pod name) and `to` (its node, "" while Pending). */
function replacedBy(st, pod, repl) {
  if (!repl) return {};
  return { replacement: repl, to: C.findObject(st, 'Pod', pod.metadata.namespace, repl)?.spec?.nodeName ?? '' };
}

function manageNode(ctx, names) {
  if (ctx.opts.schedulable !== undefined) {
    const want = boolOpt(ctx.opts.schedulable, true);
    const shown = ctx.update((st) => pickNodes(ctx, st, names).map((n) => (setSchedulable(ctx, st, n, want), C.materializeNode(ctx.dir, n))));
    if (shown.length) ctx.out(formatTable('Node', shown));
    return 0;
  }
  if (ctx.opts.evacuate === true || ctx.opts['list-pods'] === true) {
    const list = ctx.opts['list-pods'] === true;
    const dry = ctx.opts['dry-run'] === true || list;
    const force = ctx.opts.force === true;
    const report = ctx.update((st) => {
      const out = [];
      for (const n of pickNodes(ctx, st, names)) {
        if (!dry && !n.spec?.unschedulable) throw new SimError(`Unable to evacuate some pods because node "${n.metadata.name}" is schedulable`);
        const pods = C.podsOn(st, n.metadata.name).filter((p) => !C.isDaemonSetPod(p));
        const unmanaged = pods.filter((p) => !C.isManaged(p));
        if (!dry && unmanaged.length && !force) throw new SimError(`Unable to evacuate some pods because they are not backed by a replication controller (use --force): ${unmanaged.map((p) => p.metadata.name).join(', ')}`);
        out.push({ node: n.metadata.name, pods: pods.map((p) => clone(p)) });
        if (!dry) {
          for (const p of pods) {
            const repl = C.evictPod(ctx.dir, st, p);
            ctx.events.push(['pod.evicted', { pod: p.metadata.name, namespace: p.metadata.namespace, node: n.metadata.name, ...replacedBy(st, p, repl) }]);
          }
        }
      }
      return out;
    });
    if (list && ctx.opt('o', 'output') === 'json') {
      ctx.out(JSON.stringify({ kind: 'List', apiVersion: 'v1', items: report.flatMap((r) => r.pods) }, null, 4) + '\n');
      return 0;
    }
    for (const r of report) {
      ctx.out(`\n${list ? 'Listing matched pods on node' : 'Migrating these pods on node'}: ${r.node}\n\n`);
      if (r.pods.length) ctx.out(formatTable('Pod', r.pods));
    }
    return 0;
  }
  throw new SimError('must provide one of --schedulable, --evacuate or --list-pods');
}

function cordon(ctx, names, schedulable) {
  const msgs = ctx.update((st) =>
    pickNodes(ctx, st, names).map((n) => {
      const changed = setSchedulable(ctx, st, n, schedulable);
      const verb = schedulable ? 'uncordoned' : 'cordoned';
      return `node "${n.metadata.name}" ${changed ? '' : 'already '}${verb}`;
    }),
  );
  ctx.out(msgs.map((m) => m + '\n').join(''));
  return 0;
}

/**
 * `oc adm drain NODE`: cordon, refuse on pods the flags do not cover, then evict. Pods take the
 * seconds their `drover.sim/evict-seconds` annotation says; `drover.sim/evictable: "false"` pods
 * are refused by their disruption budget until --timeout (0 = wait forever, capped by
 * DROVER_SIM_DRAIN_CAP seconds, default 300). The lock is released while waiting so other
 * masters can drain other nodes at the same time.
 */
function drain(ctx, names, h) {
  const flags = {
    force: ctx.opts.force === true,
    deleteLocalData: ctx.opts['delete-local-data'] === true || ctx.opts['delete-emptydir-data'] === true,
    ignoreDaemonsets: ctx.opts['ignore-daemonsets'] === true,
    podSelector: /** @type {string|undefined} */ (ctx.opt('pod-selector')),
  };
  const timeout = h.parseDuration(String(ctx.opt('timeout') ?? '0s'));
  const dry = ctx.opts['dry-run'] === true;
  let rc = 0;
  const nodeNames = pickNodes(ctx, ctx.read(), names).map((n) => n.metadata.name);
  for (const name of nodeNames) {
    const plan = ctx.update((st) => {
      const node = C.findObject(st, 'Node', '', name);
      const cordoned = dry ? false : setSchedulable(ctx, st, node, false);
      const p = C.planDrain(st, name, flags);
      return { cordoned, errors: p.errors, evict: p.evict.map((x) => ({ name: x.metadata.name, ns: x.metadata.namespace, secs: C.evictSeconds(x) })) };
    });
    ctx.out(`node "${name}" ${plan.cordoned ? '' : 'already '}cordoned${dry ? ' (dry run)' : ''}\n`);
    if (plan.errors.length) {
      ctx.err(`error: unable to drain node "${name}", aborting command...\n\nThere are pending nodes to be drained:\n ${name}\n`);
      for (const e of plan.errors) ctx.err(`error: ${e}\n`);
      rc = 1;
      continue;
    }
    if (dry) {
      for (const p of plan.evict) ctx.out(`pod "${p.name}" evicted (dry run)\n`);
      ctx.out(`node "${name}" drained (dry run)\n`);
      continue;
    }
    const cap = Number(process.env.DROVER_SIM_DRAIN_CAP ?? 300);
    const limit = timeout > 0 ? timeout : cap;
    const pending = [...plan.evict].sort((a, b) => a.secs - b.secs);
    let elapsed = 0;
    const blocked = pending.filter((p) => p.secs === Infinity);
    for (const b of blocked) ctx.err(`error when evicting pod "${b.name}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`);
    while (pending.length) {
      const next = pending[0];
      if (next.secs > limit) {
        h.simSleep(limit - elapsed);
        elapsed = limit;
        break;
      }
      h.simSleep(next.secs - elapsed);
      elapsed = next.secs;
      pending.shift();
      ctx.update((st) => {
        const pod = C.findObject(st, 'Pod', next.ns, next.name);
        if (!pod || pod.spec?.nodeName !== name) return;
        const repl = C.evictPod(ctx.dir, st, pod);
        ctx.events.push(['pod.evicted', { pod: next.name, namespace: next.ns, node: name, ...replacedBy(st, pod, repl) }]);
      });
      ctx.out(`pod "${next.name}" evicted\n`);
    }
    if (pending.length) {
      ctx.err(`error: Drain did not complete within ${timeout > 0 ? `${timeout}s` : `${cap}s (simulation cap DROVER_SIM_DRAIN_CAP)`}\n`);
      rc = 1;
      continue;
    }
    ctx.update(() => ctx.events.push(['node.drained', { node: name }]));
    ctx.out(`node "${name}" drained\n`);
  }
  return rc;
}

function migrateStorage(ctx) {
  const confirm = ctx.opts.confirm === true;
  const st = ctx.read();
  const bad = C.duplicatePortServices(st);
  const total = st.objects.length;
  for (const s of bad) {
    const ports = (s.spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);
    const dup = ports.findIndex((p, i) => ports.indexOf(p) !== i);
    ctx.err(`error:     -n ${s.metadata.namespace} services/${s.metadata.name}: Service "${s.metadata.name}" is invalid: spec.ports[${dup}]: Duplicate value: api.ServicePort{Name:"", Protocol:"${s.spec.ports[dup].protocol ?? 'TCP'}", Port:${s.spec.ports[dup].port}}\n`);
  }
  const ok = total - bad.length;
  ctx.out(`summary${confirm ? '' : ' (dry run)'}: total=${total} errors=${bad.length} ignored=0 unchanged=${ok} migrated=0\n`);
  if (bad.length) {
    ctx.err('info: to rerun only failing resources, add --include=services\nerror: 1 resource failed to migrate\n');
    return 1;
  }
  if (confirm) ctx.update((s) => ctx.events.push(['storage.migrated', { total: s.objects.length }]));
  return 0;
}

function reconcile(ctx, what) {
  const confirm = ctx.opts.confirm === true;
  const key = { 'reconcile-cluster-roles': 'clusterRoles', 'reconcile-cluster-role-bindings': 'clusterRoleBindings', 'reconcile-sccs': 'sccs' }[what];
  if (!key) throw new SimError(`unknown command "${what}" for "oc adm policy"`);
  const st = ctx.read();
  const target = C.serverVersion(ctx.dir, st).split('.').slice(0, 2).join('.');
  const current = st.policy?.[key] ?? '';
  if (current === target) return 0;
  if (!confirm) {
    const names = { clusterRoles: ['admin', 'edit', 'view', 'system:node'], clusterRoleBindings: ['system:node-admins', 'system:sdn-readers'], sccs: ['restricted', 'privileged'] }[key];
    const kind = { clusterRoles: 'clusterrole', clusterRoleBindings: 'clusterrolebinding', sccs: 'securitycontextconstraints' }[key];
    ctx.out(names.map((n) => `${kind}/${n}\n`).join(''));
    return 0;
  }
  ctx.update((s) => {
    s.policy = { ...(s.policy ?? {}), [key]: target };
    ctx.events.push(['policy.reconciled', { what: key, version: target }]);
  });
  return 0;
}

function diagnostics(ctx) {
  const st = ctx.read();
  const server = C.serverVersion(ctx.dir, st);
  const errors = [];
  const warnings = [];
  for (const n of st.objects.filter((o) => o.kind === 'Node').map((o) => C.materializeNode(ctx.dir, o))) {
    const rt = C.nodeRuntime(ctx.dir, n);
    if (!rt.ready) errors.push(`[Error] node ${n.metadata.name} is NotReady`);
    if (rt.version.split('.').slice(0, 2).join('.') !== server.split('.').slice(0, 2).join('.')) warnings.push(`[Warning] node ${n.metadata.name} runs v${rt.version}, the master runs v${server}`);
  }
  for (const s of C.duplicatePortServices(st)) warnings.push(`[Warning] service ${s.metadata.namespace}/${s.metadata.name} has duplicate ports`);
  ctx.out(`[Note] Running diagnostic: ClusterNodes\n${[...errors, ...warnings].map((l) => l + '\n').join('')}\n`);
  ctx.out(`[Note] Summary of diagnostics execution (version v${server}):\n`);
  ctx.out(errors.length || warnings.length ? `[Note] Warnings seen: ${warnings.length}\n[Note] Errors seen: ${errors.length}\n` : '[Note] Completed with no errors or warnings seen.\n');
  return errors.length ? 1 : 0;
}

/** Dispatch `oc adm SUB ...`; ctx.pos[0] is SUB. */
export function admCommand(ctx, h) {
  const [sub, ...args] = ctx.pos;
  switch (sub) {
    case 'manage-node':
      return manageNode(ctx, args);
    case 'drain':
      return drain(ctx, args, h);
    case 'cordon':
      return cordon(ctx, args, false);
    case 'uncordon':
      return cordon(ctx, args, true);
    case 'migrate':
      if (args[0] !== 'storage') throw new SimError(`unknown command "${args[0] ?? ''}" for "oc adm migrate"`);
      return migrateStorage(ctx);
    case 'policy':
      return reconcile(ctx, args[0]);
    case 'diagnostics':
      return diagnostics(ctx);
    default:
      throw new SimError(`unknown command "${sub ?? ''}" for "oc adm" (simulated)`);
  }
}
