// Summarises a lab's event log (JSON array on stdin) for the rehearsal: package versions before and
// after per host, the order masters were upgraded in, node batches (drains and schedulability), hook
// runs and service restarts. `--since ISO-TIME` marks where the rehearsal itself began: what
// happened before (lab up, provisioning) only sets the "before" versions.
// Usage: drover lab events NAME --json | node bin/rehearsal-summary.mjs [--since 2024-01-01T00:00:00Z]
const sinceAt = process.argv.indexOf('--since');
const since = sinceAt > 0 ? process.argv[sinceAt + 1] ?? '' : '';
const input = await new Promise((res) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => res(s));
});
const all = JSON.parse(input || '[]');
const inRun = (e) => !since || (e.time ?? '') >= since;
const events = all.filter(inRun);
const short = (h) => String(h ?? '').replace(/\..*/, '');
const hhmmss = (e) => e.time?.slice(11, 19) ?? '';

const counts = new Map();
for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
console.log('events by kind:');
for (const [k, n] of [...counts].sort()) console.log(`  ${k.padEnd(22)} ${n}`);

// versions: before = installed when the rehearsal began, after = installed at the end
const WATCH = /^(atomic-openshift|docker|etcd|openvswitch)$/;
const pkgs = new Map();
for (const e of all) {
  if (e.kind !== 'package.changed' || !WATCH.test(e.name ?? '')) continue;
  const key = `${e.host} ${e.name}`;
  const cur = pkgs.get(key) ?? { before: '', after: '', changed: false };
  if (inRun(e)) {
    cur.after = e.to || '';
    cur.changed = true;
  } else {
    cur.before = e.to || '';
    cur.after = cur.before;
  }
  pkgs.set(key, cur);
}
const ver = (v) => (v ? v.replace(/-.*/, '') : '(none)');
if (pkgs.size) {
  console.log('versions (before -> after):');
  const hosts = [...new Set([...pkgs.keys()].map((k) => k.split(' ')[0]))].sort();
  for (const h of hosts) {
    const cols = [];
    for (const n of ['atomic-openshift', 'docker', 'etcd', 'openvswitch']) {
      const v = pkgs.get(`${h} ${n}`);
      if (!v) continue;
      cols.push(`${n} ${ver(v.before)}${v.changed && v.after !== v.before ? ` -> ${ver(v.after)}` : ' (unchanged)'}`);
    }
    console.log(`  ${h.padEnd(22)} ${cols.join(', ')}`);
  }
}

// masters: when each one's master package changed (strictly one after the other)
const masterSteps = events.filter((e) => e.kind === 'package.changed' && e.name === 'atomic-openshift-master' && e.from);
if (masterSteps.length) {
  console.log('master package upgrades, in order:');
  for (const e of masterSteps) console.log(`  ${hhmmss(e)} ${short(e.host).padEnd(10)} ${ver(e.from)} -> ${ver(e.to)}`);
}

// nodes: unschedulable periods, and the most unschedulable at once
const unsched = new Set();
let most = 0;
const periods = [];
const open = new Map();
for (const e of events) {
  if (e.kind !== 'node.schedulable') continue;
  const node = String(e.node);
  const sched = e.schedulable === true || e.schedulable === 'true';
  if (!sched) {
    unsched.add(node);
    if (!open.has(node)) open.set(node, e);
  } else {
    unsched.delete(node);
    if (open.has(node)) periods.push({ node, from: open.get(node), to: e });
    open.delete(node);
  }
  most = Math.max(most, unsched.size);
}
if (periods.length || open.size) {
  console.log(`nodes out of service (most at once: ${most}):`);
  for (const p of periods) console.log(`  ${hhmmss(p.from)} - ${hhmmss(p.to)} ${short(p.node)}`);
  for (const [node, e] of open) console.log(`  ${hhmmss(e)} - (still unschedulable) ${short(node)}`);
}

const hooks = events.filter((e) => e.kind === 'hook.run');
if (hooks.length) {
  console.log('hook runs:');
  for (const e of hooks) console.log(`  ${hhmmss(e)} ${short(e.host).padEnd(10)} ${e.hook ?? e.file ?? ''}`);
}

const restarts = new Map();
for (const e of events) {
  if (e.kind !== 'service.restarted') continue;
  restarts.set(e.service, (restarts.get(e.service) ?? 0) + 1);
}
if (restarts.size) {
  console.log('service restarts:');
  for (const [s, n] of [...restarts].sort()) console.log(`  ${String(s).padEnd(38)} ${n}`);
}
