// Summarises a lab's event log (JSON array on stdin) for the rehearsal in a few lines: counts and
// the worst cases (hosts left behind, the longest out-of-service windows, the most nodes out at
// once). The details (every host's timeline, hooks, restarts, versions per group) are in the
// rollout report the rehearsal writes (drover playbook --report). `--since ISO-TIME` marks where
// the rehearsal itself began: what happened before (lab up, provisioning) only sets "before".
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
const ver = (v) => (v ? String(v).replace(/-.*/, '') : '(none)');
const countBy = (list, key) => {
  const m = new Map();
  for (const x of list) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
};
const line = (pairs) => pairs.map(([k, n]) => `${k} ${n}`).join(', ');

console.log(`${events.length} lab events: ${line(countBy(events, (e) => e.kind))}`);

// versions of the packages that matter: what most hosts went from and to, and who was left behind
const WATCH = ['atomic-openshift', 'docker', 'etcd', 'openvswitch'];
const pkgs = new Map();
for (const e of all) {
  if (e.kind !== 'package.changed' || !WATCH.includes(e.name)) continue;
  const cur = pkgs.get(`${e.host} ${e.name}`) ?? { host: e.host, name: e.name, before: '', after: '' };
  if (!inRun(e)) cur.before = e.to || '';
  cur.after = e.to || '';
  pkgs.set(`${e.host} ${e.name}`, cur);
}
for (const name of WATCH) {
  const rows = [...pkgs.values()].filter((p) => p.name === name);
  if (!rows.length) continue;
  const moves = countBy(rows, (p) => (p.before === p.after ? `${ver(p.after)} (unchanged)` : `${ver(p.before)} -> ${ver(p.after)}`));
  const newest = countBy(rows, (p) => ver(p.after))[0][0];
  const behind = rows.filter((p) => ver(p.after) !== newest).map((p) => `${short(p.host)} ${ver(p.after)}`);
  console.log(`${name}: ${moves.map(([m, n]) => `${m} on ${n}`).join('; ')}${behind.length ? `; not at ${newest}: ${behind.join(', ')}` : ''}`);
}

// masters: the order their master package changed in (one after the other)
const masterSteps = events.filter((e) => e.kind === 'package.changed' && e.name === 'atomic-openshift-master' && e.from);
if (masterSteps.length) console.log(`masters upgraded in order: ${masterSteps.map((e) => `${short(e.host)} ${ver(e.to)}`).join(' -> ')}`);

// nodes: out-of-service windows, the most at once and the longest ones
const open = new Map();
const periods = [];
let most = 0;
for (const e of events) {
  if (e.kind !== 'node.schedulable') continue;
  const node = String(e.node);
  const sched = e.schedulable === true || e.schedulable === 'true';
  if (!sched && !open.has(node)) open.set(node, e);
  if (sched && open.has(node)) {
    periods.push({ node, ms: Date.parse(e.time) - Date.parse(open.get(node).time) });
    open.delete(node);
  }
  most = Math.max(most, open.size);
}
if (periods.length || open.size) {
  const longest = [...periods].sort((a, b) => b.ms - a.ms).slice(0, 3).map((p) => `${short(p.node)} ${(p.ms / 1000).toFixed(1)} s`);
  console.log(`nodes out of service: ${periods.length} windows, most at once ${most}, longest ${longest.join(', ')}`);
  if (open.size) console.log(`STILL UNSCHEDULABLE: ${[...open.keys()].map(short).join(', ')}`);
}

const hooks = events.filter((e) => e.kind === 'hook.run');
if (hooks.length) console.log(`hook runs: ${hooks.length} (${line(countBy(hooks, (e) => e.hook ?? e.file ?? '?'))})`);
const restarts = events.filter((e) => e.kind === 'service.restarted');
if (restarts.length) console.log(`service restarts: ${restarts.length} (${line(countBy(restarts, (e) => e.service))})`);
const failedUnits = events.filter((e) => e.kind === 'service.failed');
if (failedUnits.length) console.log(`FAILED SERVICES: ${failedUnits.map((e) => `${short(e.host)} ${e.service}`).join(', ')}`);
