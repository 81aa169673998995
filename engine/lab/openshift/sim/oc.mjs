#!/usr/bin/env node
// Simulated `oc` (OpenShift 3.x client) for the lab: reads and changes the cluster state in
// $DROVER_CLUSTER_STATE/cluster.json (shared by every master of a lab cluster) and records each
// change as an event. Covers the commands the upgrade guides use; see ../README.md.
// @ts-check
import * as fs from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';
import * as C from './cluster.mjs';
import { formatTable, jsonpath, parseDocs, toYaml } from './format.mjs';
import { boolOpt, clone, emitEvent, loadHostEnv, main, parseArgs, parseDuration, readJson, rpmVersion, SimError, sleepSync, updateJson, withLock } from './lib.mjs';
import { admCommand } from './oc-adm.mjs';
import { settle } from './workloads.mjs';

const VALUED = ['n', 'namespace', 'o', 'output', 'l', 'selector', 'p', 'patch', 'type', 'f', 'filename', 'config', 'kubeconfig',
  'field-selector', 'timeout', 'grace-period', 'pod-selector', 'include', 'loglevel', 'server', 'token', 'template'];

/** Everything a subcommand needs: parsed argv, state location, output. */
export function context(argv) {
  loadHostEnv();
  const a = parseArgs(argv, VALUED);
  const dir = process.env.DROVER_CLUSTER_STATE;
  if (!dir || !fs.existsSync(path.join(dir, 'cluster.json'))) {
    throw new SimError('The connection to the server localhost:8443 was refused - did you specify the right host or port?');
  }
  const file = path.join(dir, 'cluster.json');
  const opt = (...names) => names.map((n) => a.opts[n]).find((v) => v !== undefined);
  const ns = /** @type {string|undefined} */ (opt('n', 'namespace'));
  /** @type {[string, Record<string, unknown>][]} */
  const events = [];
  return {
    ...a,
    dir,
    file,
    opt,
    ns: ns ?? 'default',
    nsGiven: ns !== undefined,
    allNs: a.opts['all-namespaces'] === true,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    events,
    /** Read-only view of the state (checks the API is up). */
    read() {
      return withLock(file, () => {
        const st = readJson(file, C.emptyState());
        C.serverVersion(dir, st);
        return st;
      });
    },
    /** Change the state under the lock; events queued in fn are emitted after the save. */
    update(fn) {
      const r = updateJson(file, C.emptyState(), (st) => {
        C.serverVersion(dir, st);
        const out = fn(st);
        events.push(...settle(st));
        return out;
      });
      for (const [k, f] of events.splice(0)) emitEvent(k, f);
      return r;
    },
  };
}

/** `KIND NAME...`, `KIND/NAME...` or `KIND1,KIND2` → [{kind info, names}]. */
function targets(st, pos) {
  if (pos.length === 0) throw new SimError('You must specify the type of resource to get.');
  if (pos[0].includes('/')) {
    return pos.map((p) => {
      const [k, n] = p.split('/');
      return { info: C.resolveKind(st, k), names: [n] };
    });
  }
  return [{ info: C.resolveKind(st, pos[0]), names: pos.slice(1) }];
}

/** Objects of a kind visible with the given namespace/selector flags, materialized for output. */
function select(ctx, st, info, names, { fieldSelector } = {}) {
  const sel = ctx.opt('l', 'selector');
  const match = typeof sel === 'string' ? C.parseSelector(sel) : () => true;
  let objs = st.objects.filter((o) => o.kind === info.kind && (!info.namespaced || ctx.allNs || o.metadata.namespace === ctx.ns));
  objs = objs.filter((o) => match(o.metadata.labels));
  const fs_ = fieldSelector ?? ctx.opt('field-selector');
  if (typeof fs_ === 'string') {
    for (const part of fs_.split(',')) {
      const [k, v] = part.split('=');
      if (k === 'spec.nodeName') objs = objs.filter((o) => o.spec?.nodeName === v);
      else if (k === 'metadata.name') objs = objs.filter((o) => o.metadata.name === v);
      else if (k === 'metadata.namespace') objs = objs.filter((o) => o.metadata.namespace === v);
      else if (k === 'status.phase') objs = objs.filter((o) => o.status?.phase === v);
    }
  }
  if (names.length) {
    const missing = names.filter((n) => !objs.some((o) => o.metadata.name === n));
    if (missing.length) throw new SimError(`Error from server (NotFound): ${info.names[0]} "${missing[0]}" not found`);
    objs = names.map((n) => objs.find((o) => o.metadata.name === n));
  } else {
    objs.sort((x, y) => (x.metadata.namespace ?? '').localeCompare(y.metadata.namespace ?? '') || x.metadata.name.localeCompare(y.metadata.name));
  }
  return objs.map((o) => (o.kind === 'Node' ? C.materializeNode(ctx.dir, o) : clone(o)));
}

const withApi = (o) => o;

async function cmdGet(ctx) {
  const st = ctx.read();
  const out = String(ctx.opt('o', 'output') ?? '');
  const found = [];
  for (const t of targets(st, ctx.pos)) found.push({ t, objs: select(ctx, st, t.info, t.names) });
  const all = found.flatMap((f) => f.objs);
  const single = found.length === 1 && found[0].t.names.length === 1;
  const doc = single ? all[0] : { apiVersion: 'v1', kind: 'List', items: all, metadata: { resourceVersion: '', selfLink: '' } };
  if (out === 'json') ctx.out(JSON.stringify(withApi(doc), null, 4) + '\n');
  else if (out === 'yaml') ctx.out(await toYaml(doc));
  else if (out === 'name') ctx.out(all.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}\n`).join(''));
  else if (out.startsWith('jsonpath=')) ctx.out(jsonpath(doc, out.slice(9)));
  else if (out.startsWith('go-template=')) throw new SimError('go-template output is not simulated; use -o json or -o jsonpath');
  else if (all.length === 0) ctx.err(ctx.nsGiven || ctx.allNs ? 'No resources found.\n' : 'No resources found.\n');
  else {
    for (const f of found) {
      if (f.objs.length) ctx.out(formatTable(f.t.info.kind, f.objs, { wide: out === 'wide', showLabels: ctx.opts['show-labels'] === true, allNamespaces: ctx.allNs && f.t.info.namespaced }));
    }
  }
  return 0;
}

/** Objects from -f FILE|DIR|- (JSON or YAML, multi-document, List items expanded). */
async function readInput(ctx) {
  const f = ctx.opt('f', 'filename');
  if (typeof f !== 'string') throw new SimError('must specify one of -f and -k');
  let texts = [];
  if (f === '-') texts = [fs.readFileSync(0, 'utf8')];
  else if (fs.statSync(f).isDirectory()) texts = fs.readdirSync(f).filter((n) => /\.(json|ya?ml)$/.test(n)).sort().map((n) => fs.readFileSync(path.join(f, n), 'utf8'));
  else texts = [fs.readFileSync(f, 'utf8')];
  const docs = [];
  for (const t of texts) for (const d of await parseDocs(t)) docs.push(...(d.kind === 'List' ? d.items ?? [] : [d]));
  return docs;
}

/** Normalise an input object: kind from the registry, namespace default. */
function prepare(ctx, st, doc) {
  if (!doc?.kind || !doc?.metadata?.name) throw new SimError('error validating data: kind and metadata.name are required');
  const info = C.resolveKind(st, doc.kind);
  const obj = clone(doc);
  obj.kind = info.kind;
  obj.apiVersion ??= info.apiVersion;
  if (info.namespaced) obj.metadata.namespace = doc.metadata.namespace ?? ctx.ns;
  else delete obj.metadata.namespace;
  return { info, obj };
}

async function cmdCreateApply(ctx, verb) {
  const docs = await readInput(ctx);
  const lines = ctx.update((st) => {
    const res = [];
    for (const d of docs) {
      const { info, obj } = prepare(ctx, st, d);
      const cur = C.findObject(st, obj.kind, obj.metadata.namespace, obj.metadata.name);
      const label = `${info.names[1] ?? info.kind.toLowerCase()} "${obj.metadata.name}"`;
      if (verb === 'create' && cur) throw new SimError(`Error from server (AlreadyExists): ${label} already exists`);
      if (verb === 'replace' && !cur) throw new SimError(`Error from server (NotFound): ${label} not found`);
      let next = obj;
      if (cur && verb === 'apply') next = C.mergePatch(cur, obj);
      if (cur && JSON.stringify(C.mergePatch(cur, obj)) === JSON.stringify(cur) && verb === 'apply') {
        res.push(`${label} unchanged`);
        continue;
      }
      if (cur) next.metadata = { ...cur.metadata, ...next.metadata, generation: Number(cur.metadata.generation ?? 1) + 1 };
      ctx.events.push(...C.reconcile(cur, next));
      C.putObject(st, next);
      ctx.events.push([`object.${cur ? (verb === 'replace' ? 'replaced' : 'configured') : 'created'}`, { resource: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? '' }]);
      res.push(`${label} ${cur ? (verb === 'replace' ? 'replaced' : 'configured') : 'created'}`);
    }
    return res;
  });
  ctx.out(lines.map((l) => l + '\n').join(''));
  return 0;
}

async function cmdPatch(ctx) {
  const st0 = ctx.read();
  const [t] = targets(st0, ctx.pos);
  const p = ctx.opt('p', 'patch');
  if (typeof p !== 'string') throw new SimError('must specify -p to patch');
  const docs = await parseDocs(p);
  const type = String(ctx.opt('type') ?? 'strategic');
  const msg = ctx.update((st) => {
    const [obj] = select(ctx, st, t.info, t.names);
    const cur = C.findObject(st, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const next = type === 'json' ? C.jsonPatch(cur, docs[0]) : C.mergePatch(cur, docs[0]);
    const label = `${t.info.names[1] ?? t.info.kind.toLowerCase()} "${obj.metadata.name}"`;
    if (JSON.stringify(next) === JSON.stringify(cur)) return `${label} not patched`;
    next.metadata.generation = Number(cur.metadata.generation ?? 1) + 1;
    ctx.events.push(...C.reconcile(cur, next));
    C.putObject(st, next);
    ctx.events.push(["object.patched", { resource: cur.kind, name: cur.metadata.name, namespace: cur.metadata.namespace ?? '', patch: docs[0] }]);
    return `${label} patched`;
  });
  ctx.out(msg + '\n');
  return 0;
}

function cmdDelete(ctx) {
  const lines = ctx.update((st) => {
    const res = [];
    for (const t of targets(st, ctx.pos)) {
      let objs;
      try {
        objs = select(ctx, st, t.info, t.names);
      } catch (e) {
        if (ctx.opts['ignore-not-found'] === true) continue;
        throw e;
      }
      if (!t.names.length && ctx.opt('l', 'selector') === undefined && ctx.opts.all !== true) throw new SimError('resource(s) were provided, but no name, label selector, or --all flag specified');
      for (const o of objs) {
        const cur = C.findObject(st, o.kind, o.metadata.namespace, o.metadata.name);
        if (o.kind === 'Node') {
          for (const pod of C.podsOn(st, o.metadata.name)) C.evictPod(ctx.dir, st, pod);
        }
        C.removeObject(st, cur);
        ctx.events.push([o.kind === 'Node' ? 'node.deleted' : 'object.deleted', o.kind === 'Node' ? { node: o.metadata.name } : { resource: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? '' }]);
        res.push(`${t.info.names[1] ?? t.info.kind.toLowerCase()} "${o.metadata.name}" deleted`);
      }
    }
    return res;
  });
  ctx.out(lines.map((l) => l + '\n').join(''));
  return 0;
}

/** `oc label|annotate KIND NAME k=v k- [--overwrite] [--all|-l]`. */
function cmdLabel(ctx, field) {
  const st0 = ctx.read();
  const info = C.resolveKind(st0, ctx.pos[0].split('/')[0]);
  const words = ctx.pos[0].includes('/') ? [ctx.pos[0].split('/')[1], ...ctx.pos.slice(1)] : ctx.pos.slice(1);
  const names = words.filter((w) => !/=|-$/.test(w));
  const changes = words.filter((w) => /=|-$/.test(w));
  if (!changes.length) throw new SimError('at least one label update is required');
  const overwrite = boolOpt(ctx.opts.overwrite, false);
  const lines = ctx.update((st) => {
    const res = [];
    const objs = select(ctx, st, info, names);
    if (!names.length && ctx.opts.all !== true && ctx.opt('l', 'selector') === undefined) throw new SimError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    for (const o of objs) {
      const cur = C.findObject(st, o.kind, o.metadata.namespace, o.metadata.name);
      const before = JSON.stringify(cur.metadata[field] ?? {});
      const map = { ...(cur.metadata[field] ?? {}) };
      for (const c of changes) {
        if (c.endsWith('-') && !c.includes('=')) delete map[c.slice(0, -1)];
        else {
          const i = c.indexOf('=');
          const k = c.slice(0, i);
          const v = c.slice(i + 1);
          if (k in map && map[k] !== v && !overwrite) throw new SimError(`'${k}' already has a value (${map[k]}), and --overwrite is false`);
          map[k] = v;
        }
      }
      const label = `${info.names[1] ?? info.kind.toLowerCase()} "${o.metadata.name}"`;
      const verb = field === 'labels' ? 'labeled' : 'annotated';
      if (JSON.stringify(map) === before) {
        res.push(`${label} not ${verb}`);
        continue;
      }
      cur.metadata[field] = map;
      C.putObject(st, cur);
      if (field === 'labels' && cur.kind === 'Node') ctx.events.push(['node.labeled', { node: cur.metadata.name, labels: map }]);
      else ctx.events.push([`object.${verb}`, { resource: cur.kind, name: cur.metadata.name, namespace: cur.metadata.namespace ?? '', [field]: map }]);
      res.push(`${label} ${verb}`);
    }
    return res;
  });
  ctx.out(lines.map((l) => l + '\n').join(''));
  return 0;
}

function cmdVersion(ctx) {
  const st = withLock(ctx.file, () => readJson(ctx.file, C.emptyState()));
  const client = rpmVersion('atomic-openshift-clients') ?? process.env.DROVER_OC_CLIENT_VERSION ?? st.openshiftVersion;
  let server = '';
  try {
    server = withLock(ctx.file, () => C.serverVersion(ctx.dir, st));
  } catch {
    /* client-only output when the API is down */
  }
  ctx.out(`oc v${client}\nkubernetes ${C.kubeVersionOf(client)}\nfeatures: Basic-Auth GSSAPI Kerberos SPNEGO\n`);
  if (server) ctx.out(`\nServer https://${process.env.DROVER_OC_SERVER ?? 'localhost:8443'}\nopenshift v${server}\nkubernetes ${C.kubeVersionOf(server)}\n`);
  return 0;
}

function cmdRollout(ctx) {
  const st = ctx.read();
  const [t] = targets(st, ctx.pos.slice(1));
  const [o] = select(ctx, st, t.info, t.names);
  ctx.out(`replication controller "${o.metadata.name}-${o.status?.latestVersion ?? 1}" successfully rolled out\n`);
  return 0;
}

/** Used by drain: sleep in real time (scaled by DROVER_SIM_TIME_SCALE for tests). */
export function simSleep(seconds) {
  sleepSync(seconds * 1000 * Number(process.env.DROVER_SIM_TIME_SCALE ?? 1));
}

main(async () => {
  const argv = process.argv.slice(2);
  // Global flags may come before the command (`oc -n NS get pods`, as the STF guide's playbook writes it).
  let at = 0;
  while (at < argv.length && argv[at].startsWith('-')) at += !argv[at].includes('=') && VALUED.includes(argv[at].replace(/^--?/, '')) ? 2 : 1;
  const cmd = argv[at];
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (cmd === 'version') return cmdVersion(context(rest));
  if (cmd === 'whoami') return (process.stdout.write('system:admin\n'), 0);
  const ctx = context(rest);
  switch (cmd) {
    case 'get':
      return cmdGet(ctx);
    case 'create':
    case 'apply':
    case 'replace':
      return cmdCreateApply(ctx, cmd);
    case 'patch':
      return cmdPatch(ctx);
    case 'delete':
      return cmdDelete(ctx);
    case 'label':
      return cmdLabel(ctx, 'labels');
    case 'annotate':
      return cmdLabel(ctx, 'annotations');
    case 'rollout':
      return cmdRollout(ctx);
    case 'adm':
      return admCommand(ctx, { simSleep, parseDuration, select });
    default:
      throw new SimError(`unknown command "${cmd ?? ''}" for "oc" (simulated)`);
  }
});
