// Benchmark (prints figures, asserts nothing): parse and list an INI inventory of 100,000 hosts
// written as ranges, with group_vars files, as issue 2 asks (Ansible takes minutes at this size,
// ansible/ansible#7227). Runs on the compiled engine, so build first:
//
//   npm run bench:inventory          (= npm run build && node test/bench/inventory-100k.mjs)
//   node test/bench/inventory-100k.mjs [HOSTS]   (after npm run build; default 100000)
/* global process, console, URL */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = new URL('../../dist/engine/', import.meta.url);
const { loadInventory, inventoryListJson, inventoryGraph } = await import(new URL('inventory/index.js', dist).href);
const { jsonDumps } = await import(new URL('template/pydump.js', dist).href);

const total = Number(process.argv[2] ?? 100_000);
const PER_RANGE = 1000;

/** 100 racks of 1000 nodes ([0001:1000] ranges) in 10 zones, plus masters/etcd, group_vars per group. */
function writeInventory(dir) {
  const lines = [];
  const racks = Math.ceil(total / PER_RANGE);
  for (let r = 0; r < racks; r++) {
    const n = Math.min(PER_RANGE, total - r * PER_RANGE);
    lines.push(`[rack${r}]`, `node-r${r}-[0001:${String(n).padStart(4, '0')}].example.com openshift_node_group_name=node-config-compute rack=${r}`, '');
  }
  for (let z = 0; z < 10; z++) {
    lines.push(`[zone${z}:children]`);
    for (let r = z; r < racks; r += 10) lines.push(`rack${r}`);
    lines.push('', `[zone${z}:vars]`, `zone=z${z}`, `openshift_node_labels="{'region': 'primary', 'zone': 'z${z}'}"`, '');
  }
  lines.push('[nodes:children]', ...Array.from({ length: 10 }, (_, z) => `zone${z}`), '');
  lines.push('[OSEv3:children]', 'nodes', '', '[OSEv3:vars]', 'ansible_user=root', 'openshift_deployment_type=openshift-enterprise', '');
  writeFileSync(join(dir, 'hosts'), lines.join('\n'));
  mkdirSync(join(dir, 'group_vars'));
  writeFileSync(join(dir, 'group_vars', 'all.yml'), 'ntp_servers: [a.pool, b.pool]\nupgrade_serial: 10%\n');
  writeFileSync(join(dir, 'group_vars', 'nodes.yml'), 'openshift_node_open_ports:\n  - {service: kubelet, port: 10250/tcp}\n');
  for (let z = 0; z < 10; z++) writeFileSync(join(dir, 'group_vars', `zone${z}.yml`), `zone_index: ${z}\nzone_ratio: ${z}.0\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'drover-bench-'));
try {
  writeInventory(dir);
  const t0 = performance.now();
  const inv = await loadInventory(['hosts'], { cwd: dir });
  const t1 = performance.now();
  const list = inventoryListJson(inv);
  const t2 = performance.now();
  const text = jsonDumps(list, { indent: 4, sortKeys: true, ensureAscii: false });
  const t3 = performance.now();
  const graph = inventoryGraph(inv);
  const t4 = performance.now();
  const ms = (a, b) => `${(b - a).toFixed(0)} ms`;
  console.log(`inventory: ${inv.hosts.size} hosts, ${inv.groups.size} groups`);
  console.log(`  parse + group_vars      ${ms(t0, t1)}`);
  console.log(`  --list data (hostvars)  ${ms(t1, t2)}`);
  console.log(`  --list JSON text        ${ms(t2, t3)} (${(text.length / 1e6).toFixed(1)} MB)`);
  console.log(`  --graph text            ${ms(t3, t4)} (${graph.split('\n').length} lines)`);
  console.log(`  total parse + --list    ${ms(t0, t3)}`);
  console.log(`  heap used               ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
