// Differential tests: every inventory in test/inventory/corpus (and the samples in inventories/)
// is read by ansible-core live and by drover; --list, --list --export, --graph [--vars], --host
// and `ansible PATTERN --list-hosts` must agree as data (list order included) or as exact text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../engine/errors/index.js';
import { inventoryGraph, inventoryHostJson, inventoryListJson, loadInventory, resolvePattern, type Inventory } from '../../engine/inventory/index.js';
import { ansiblePython, asAnsibleJson, listHostsAgain, parseListHosts, parsePyJson, parseWarnings, runAnsibleBatch, type AnsibleJob, type AnsibleResult } from './ansible.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const PY = ansiblePython();

interface Case {
  name: string;
  dir: string;
  sources: string[];
  playbookDir?: string;
  patterns: string[];
  hosts: string[];
  graphGroups: string[];
  /** Environment for both sides (e.g. ANSIBLE_INVENTORY_ENABLED); ansible-core reads it at import, so such cases get a runner of their own. */
  env: Record<string, string>;
}

function defaultSource(dir: string): string[] {
  for (const f of ['hosts', 'hosts.yml', 'hosts.yaml', 'hosts.json', 'inventory']) if (existsSync(join(dir, f))) return [f];
  throw new Error(`no inventory source in ${dir}`);
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  const corpus = join(HERE, 'corpus');
  for (const name of readdirSync(corpus).sort()) {
    const dir = join(corpus, name);
    const cfgPath = join(dir, 'case.json');
    const cfg = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, 'utf8')) : {};
    cases.push({
      name,
      dir,
      sources: cfg.sources ?? defaultSource(dir),
      playbookDir: cfg.playbookDir,
      patterns: cfg.patterns ?? ['all'],
      hosts: cfg.hosts ?? [],
      graphGroups: cfg.graphGroups ?? [],
      // $CASE_DIR: ansible-core resolves relative config paths once, from the batch runner's cwd
      env: Object.fromEntries(Object.entries((cfg.env ?? {}) as Record<string, string>).map(([k, v]) => [k, v.replaceAll('$CASE_DIR', dir)])),
    });
  }
  const samples = join(ROOT, 'inventories');
  for (const name of existsSync(samples) ? readdirSync(samples).sort() : []) {
    const dir = join(samples, name);
    if (!existsSync(join(dir, 'hosts'))) continue;
    cases.push({ name: `inventories/${name}`, dir, sources: ['hosts'], patterns: ['all', 'nodes:!masters', 'masters[0]', 'OSEv3'], hosts: [], graphGroups: [], env: {} });
  }
  return cases;
}

const CASES = loadCases();

type Kind = 'list' | 'export' | 'graphVars' | 'graph' | `graph:${string}` | `host:${string}` | `pattern:${string}`;

function jobsFor(c: Case): [Kind, AnsibleJob][] {
  const inv = c.sources.flatMap((s) => ['-i', s]);
  const base = ['ansible-inventory', ...inv, ...(c.playbookDir ? ['--playbook-dir', c.playbookDir] : [])];
  const out: [Kind, AnsibleJob][] = [
    ['list', { argv: [...base, '--list'], cwd: c.dir }],
    ['export', { argv: [...base, '--list', '--export'], cwd: c.dir }],
    ['graphVars', { argv: [...base, '--graph', '--vars'], cwd: c.dir }],
    ['graph', { argv: [...base, '--graph'], cwd: c.dir }],
  ];
  for (const g of c.graphGroups) out.push([`graph:${g}`, { argv: [...base, '--graph', g], cwd: c.dir }]);
  for (const h of c.hosts) out.push([`host:${h}`, { argv: [...base, '--host', h], cwd: c.dir }]);
  for (const p of c.patterns) out.push([`pattern:${p}`, { argv: ['ansible', p, ...inv, '--list-hosts'], cwd: c.dir }]);
  return out;
}

describe.skipIf(!PY)('drover inventory = ansible-core 2.14 (live differential)', () => {
  const results = new Map<string, Map<Kind, AnsibleResult>>();
  const inventories = new Map<string, Inventory>();

  beforeAll(async () => {
    const started = Date.now();
    const byEnv = new Map<string, Case[]>();
    for (const c of CASES) byEnv.set(JSON.stringify(c.env), [...(byEnv.get(JSON.stringify(c.env)) ?? []), c]);
    let lines = 0;
    for (const [env, cases] of byEnv) {
      const all: [string, Kind, AnsibleJob][] = cases.flatMap((c) => jobsFor(c).map(([k, j]) => [c.name, k, j] as [string, Kind, AnsibleJob]));
      const answers = await runAnsibleBatch(PY!, all.map(([, , j]) => j), 2, JSON.parse(env));
      lines += all.length;
      all.forEach(([name, kind], i) => {
        if (!results.has(name)) results.set(name, new Map());
        results.get(name)!.set(kind, answers[i]);
      });
    }
    console.log(`ansible-core: ${lines} command lines for ${CASES.length} inventories in ${Date.now() - started} ms`);
    for (const c of CASES) {
      inventories.set(c.name, await loadInventory(c.sources, { cwd: c.dir, playbookDir: c.playbookDir, env: { ...process.env, ...c.env } }));
    }
  }, 300_000);

  const answer = (c: Case, k: Kind): AnsibleResult => {
    const r = results.get(c.name)!.get(k)!;
    if (r.rc !== 0) throw new Error(`ansible failed for ${c.name} ${k}: rc=${r.rc}\n${r.stderr}`);
    return r;
  };

  it('covers at least 35 corpus inventories', () => {
    expect(CASES.filter((c) => !c.name.startsWith('inventories/')).length).toBeGreaterThanOrEqual(35);
  });

  for (const c of CASES) {
    describe(c.name, () => {
      it('--list', () => {
        expect(asAnsibleJson(inventoryListJson(inventories.get(c.name)!))).toEqual(parsePyJson(answer(c, 'list').stdout));
      });
      it('--list --export', () => {
        expect(asAnsibleJson(inventoryListJson(inventories.get(c.name)!, { export: true }))).toEqual(parsePyJson(answer(c, 'export').stdout));
      });
      it('--graph --vars', () => {
        expect(inventoryGraph(inventories.get(c.name)!, 'all', { vars: true })).toBe(answer(c, 'graphVars').stdout.trimEnd());
      });
      it('--graph', () => {
        expect(inventoryGraph(inventories.get(c.name)!)).toBe(answer(c, 'graph').stdout.trimEnd());
      });
      for (const g of c.graphGroups) {
        it(`--graph ${g}`, () => {
          expect(inventoryGraph(inventories.get(c.name)!, g)).toBe(answer(c, `graph:${g}`).stdout.trimEnd());
        });
      }
      for (const h of c.hosts) {
        it(`--host ${h}`, () => {
          expect(asAnsibleJson(inventoryHostJson(inventories.get(c.name)!, h))).toEqual(parsePyJson(answer(c, `host:${h}`).stdout));
        });
      }
      for (const p of c.patterns) {
        it(`pattern ${JSON.stringify(p)}`, async () => {
          const r = answer(c, `pattern:${p}`);
          // a fresh inventory per pattern, as each `ansible` run has: the implicit localhost is
          // named after the first localhost-like pattern that creates it
          const inv = await loadInventory(c.sources, { cwd: c.dir, playbookDir: c.playbookDir, env: { ...process.env, ...c.env } });
          let ours: { hosts: string[]; warnings: string[] };
          try {
            ours = resolvePattern(inv, p);
          } catch (e) {
            // ad-hoc turns pattern errors (subscript out of range) into "no hosts matched"
            if (!(e instanceof InventoryError)) throw e;
            ours = { hosts: [], warnings: [] };
          }
          let theirHosts = parseListHosts(r.stdout);
          if (JSON.stringify(ours.hosts) !== JSON.stringify(theirHosts)) {
            // Group._walk_relationship walks each level of child groups as a set of Group objects
            // hashed by id(), so with several parents at one level Ansible's order (and what a
            // subscript picks) varies from run to run. Accept drover's order only if ansible
            // itself produces it in one of a few more runs.
            const argv = jobsFor(c).find(([k]) => k === `pattern:${p}`)![1].argv;
            for (let i = 0; i < 12 && JSON.stringify(theirHosts) !== JSON.stringify(ours.hosts); i++) theirHosts = listHostsAgain(argv, c.dir, c.env);
          }
          expect(ours.hosts).toEqual(theirHosts);
          const theirs = parseWarnings(r.stderr).filter((w) => /^(Could not match supplied host pattern|Use \[x:y\])/.test(w));
          expect([...ours.warnings].sort()).toEqual([...new Set(theirs)].sort());
        });
      }
    });
  }
});
