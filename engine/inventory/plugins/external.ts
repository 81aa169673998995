// Inventory plugins drover does not implement (cloud inventories such as amazon.aws.aws_ec2, a
// project's inventory_plugins/*.py) run in the real ansible-inventory when it is installed: the
// inventory built so far is handed over as a YAML-format JSON file before the source, so
// constructed-like plugins see earlier hosts, and the `--list --export` answer is imported.
// Without ansible-inventory it is a clear error naming what is needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Inventory } from '../inventory.js';
import { applyListJson } from './list-json.js';
import { PluginParseError, type PluginContext } from './types.js';

/** An ansible-inventory on PATH that is ansible-core's Python entry point (not a shim to drover). */
export function findAnsibleInventory(env: NodeJS.ProcessEnv): { path: string; python: string } | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const p = join(dir || '.', 'ansible-inventory');
    if (!existsSync(p)) continue;
    try {
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(p, 'utf8').slice(0, 200).split('\n')[0]);
      const python = m && (m[1].endsWith('/env') && m[2] ? m[2] : m[1]);
      if (python && /python/.test(python)) return { path: p, python };
    } catch {
      /* unreadable: keep looking */
    }
  }
  return null;
}

type Dict = Record<string, unknown>;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The inventory so far as a YAML inventory (JSON syntax): groups nested under all, host vars on first listing. */
function snapshot(inv: Inventory): Dict {
  const placed = new Set<string>();
  const groupEntry = (name: string): Dict => {
    const g = inv.groups.get(name)!;
    const hosts: Dict = {};
    for (const h of g.hosts) {
      hosts[h] = placed.has(h) ? null : inv.hosts.get(h)!.vars;
      placed.add(h);
    }
    return { hosts, vars: g.vars, children: Object.fromEntries(g.children.map((c) => [c, {}])) };
  };
  const children: Dict = {};
  for (const name of inv.groups.keys()) if (name !== 'all') children[name] = groupEntry(name);
  const all = groupEntry('all');
  all.children = children;
  for (const h of inv.hosts.values()) if (!placed.has(h.name)) (all.hosts as Dict)[h.name] = h.vars;
  return { all };
}

export async function parseExternal(inv: Inventory, source: string, plugin: string, ctx: PluginContext): Promise<void> {
  const bin = findAnsibleInventory(ctx.env);
  if (!bin) {
    throw new PluginParseError(
      `inventory plugin '${plugin}' is not built into drover; install ansible-core (and the collection that provides '${plugin}') so that 'ansible-inventory' is on PATH, and drover will run the plugin through it`,
    );
  }
  const path = resolve(ctx.cwd, source);
  const dir = mkdtempSync(join(tmpdir(), 'drover-inv-'));
  try {
    if (inv.hosts.size) writeFileSync(join(dir, 'prior.json'), JSON.stringify(snapshot(inv)));
    const argv = inv.hosts.size ? ['-i', join(dir, 'prior.json'), '-i', path, '--list', '--export'] : ['-i', path, '--list', '--export'];
    // run ansible-inventory's Python with Display's wrapping off, so its warnings read back whole
    const code = 'import sys\nfrom ansible.utils.display import Display\nDisplay().columns = 10 ** 6\nfrom ansible.cli.inventory import main\nsys.argv[0] = "ansible-inventory"\nmain()';
    const r = spawnSync(bin.python, ['-c', code, ...argv], { cwd: ctx.cwd, env: { ...ctx.env, ANSIBLE_NOCOLOR: '1' }, timeout: ctx.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 30 });
    if (r.error) throw new PluginParseError(`could not run ${bin.path}: ${r.error.message}`);
    const err = r.stderr.toString('utf8');
    if (r.status !== 0) throw new PluginParseError(`ansible-inventory failed on ${path} (exit ${r.status}): ${err.trim()}`);
    const failed = new RegExp(`^\\[WARNING\\]:\\s+\\* Failed to parse ${escapeRe(path)} with \\S+ plugin: (.*)$`, 'm').exec(err);
    if (failed) throw new PluginParseError(failed[1]);
    if (err.includes(`Unable to parse ${path} as an inventory source`)) throw new PluginParseError(`ansible-inventory could not parse ${path}: ${err.trim()}`);
    if (err.trim()) inv.stderrText.push(err);
    let data: unknown;
    try {
      data = JSON.parse(r.stdout.toString('utf8'));
    } catch (e) {
      throw new PluginParseError(`ansible-inventory gave no JSON for ${path}: ${(e as Error).message}`);
    }
    const d = data as Dict;
    // 'all' lists every top group as a child: keep drover's own order, reconciled later
    if (d.all && typeof d.all === 'object') d.all = { vars: (d.all as Dict).vars ?? {} };
    applyListJson(inv, d, path, () => ({}));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
