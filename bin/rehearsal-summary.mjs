// Summarises a lab's event log (JSON array on stdin) for the rehearsal: package versions before and
// after per host, hook runs in order, node drains/schedulability and service restarts.
const input = await new Promise((res) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => res(s));
});
const events = JSON.parse(input || '[]');
const pkgs = new Map();
const counts = new Map();
const hooks = [];
for (const e of events) {
  counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  if (e.kind === 'package.changed' && /^atomic-openshift$|^docker$|^etcd$/.test(e.name ?? '')) {
    const key = `${e.host} ${e.name}`;
    const cur = pkgs.get(key) ?? { from: e.from || '(none)', to: e.to };
    cur.to = e.to || '(removed)';
    pkgs.set(key, cur);
  }
  if (e.kind === 'hook.run') hooks.push(`${e.time?.slice(11, 19) ?? ''} ${e.host} ${e.hook ?? e.file ?? ''}`);
}
console.log('events by kind:');
for (const [k, n] of [...counts].sort()) console.log(`  ${k.padEnd(22)} ${n}`);
if (pkgs.size) {
  console.log('versions (before -> after):');
  for (const [k, v] of [...pkgs].sort()) console.log(`  ${k.padEnd(40)} ${v.from} -> ${v.to}`);
}
if (hooks.length) {
  console.log('hook runs:');
  for (const h of hooks) console.log(`  ${h}`);
}
