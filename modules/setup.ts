// ansible.builtin.setup: gather facts about the host in one round trip (lib/facts-script.ts),
// parsed by lib/facts-parse.ts, selected by gather_subset (Ansible's rules: `min` always unless
// `!min`, `!all` keeps only `min`) and filter (fnmatch on ansible_* names). `gather_facts: true`
// and `setup:` tasks both come here (engine/executor/builtin-actions.ts calls gatherFacts()).
import { verboseOverride } from '../engine/modules-sdk/display.js';
import type { ExecOptions, ExecResult } from '../engine/transport/types.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { parseFactsOutput } from './lib/facts-parse.js';
import { factsScript, type Section } from './lib/facts-script.js';
import { fnmatchRe } from './lib/walk.js';

/** The `min` subset: Ansible's minimal collectors that drover implements. */
export const MIN: Section[] = ['platform', 'distribution', 'user', 'env', 'date_time', 'dns', 'pkg_mgr', 'service_mgr', 'selinux', 'fips', 'cmdline', 'python', 'local'];
const GROUPS: Record<string, Section[]> = { hardware: ['hardware'], network: ['network'], virtual: ['virtual'], loadavg: ['loadavg'] };
const ALIASES: Record<string, Section[]> = { ...GROUPS, devices: ['hardware'], interfaces: ['network'], ohai: [], facter: [], apparmor: [], caps: [], lsb: [], ssh_pub_keys: [] };

/** Which sections a gather_subset list asks for; a string is an error for an unknown subset. */
export function resolveSubsets(subsets: string[]): Set<Section> | string {
  const all = new Set<Section>([...MIN, 'hardware', 'network', 'virtual', 'loadavg']);
  const expand = (name: string): Section[] | undefined => {
    if (name === 'min') return MIN;
    if ((MIN as string[]).includes(name)) return [name as Section];
    return ALIASES[name];
  };
  const add = new Set<Section>();
  const explicit = new Set<Section>();
  const exclude = new Set<Section>();
  for (const raw of subsets) {
    const s = raw.trim();
    if (s === 'all') {
      all.forEach((x) => add.add(x));
      continue;
    }
    const neg = s.startsWith('!');
    const name = neg ? s.slice(1) : s;
    if (neg && name === 'all') {
      all.forEach((x) => !MIN.includes(x) && exclude.add(x));
      continue;
    }
    const secs = expand(name);
    if (!secs) return `Bad subset '${name}' given to Ansible. gather_subset options allowed: all, ${[...new Set(['min', ...Object.keys(ALIASES), ...MIN])].sort().join(', ')}`;
    for (const x of secs) {
      if (neg) exclude.add(x);
      else {
        add.add(x);
        explicit.add(x);
      }
    }
  }
  // get_collector_names puts 'min' first: exclusions alone ('!hardware') leave just the minimal set
  MIN.forEach((x) => add.add(x));
  for (const x of exclude) if (!explicit.has(x)) add.delete(x);
  return add;
}

type Run = (command: string, opts?: ExecOptions) => Promise<ExecResult>;

/** Gather, select and name the facts; the result setup returns (ansible_facts with ansible_* keys). */
export async function gatherFacts(run: Run, args: Record<string, unknown>, warn: (m: string) => void = () => undefined): Promise<ModuleResult> {
  const list = (v: unknown, dflt: string[]) => (v === undefined || v === null ? dflt : Array.isArray(v) ? v.map(String) : String(v).split(','));
  const subsets = list(args.gather_subset, ['all']);
  const sections = resolveSubsets(subsets);
  if (typeof sections === 'string') return { changed: false, failed: true, msg: sections };
  const timeout = Number(args.gather_timeout ?? 10);
  const factPath = args.fact_path === undefined || args.fact_path === null ? undefined : String(args.fact_path);
  const r = await run(factsScript(sections, factPath), { timeoutMs: Math.max(timeout, 1) * 1000 + 20_000 });
  if (r.rc !== 0 && !r.stdout) return { changed: false, failed: true, rc: r.rc, msg: `fact gathering failed: ${r.stderr.trim()}` };
  const facts = parseFactsOutput(r.stdout, sections, warn);
  // AnsibleFactCollector._filter: a pattern not naming a namespace also matches with ansible_ added
  const filters = list(args.filter, [])
    .filter(Boolean)
    .flatMap((f) => (f.startsWith('ansible_') || f.startsWith('facter') || f.startsWith('ohai') ? [f] : [f, `ansible_${f}`]))
    .map(fnmatchRe);
  const out: Record<string, unknown> = {};
  // the metadata facts are collected like the others, so `filter` applies to them too
  const named: [string, unknown][] = [...Object.entries(facts).map(([k, v]): [string, unknown] => [`ansible_${k}`, v]), ['gather_subset', subsets], ['module_setup', true]];
  for (const [name, v] of named) if (!filters.length || filters.some((re) => re.test(name))) out[name] = v;
  // ansible-core's normal action: -v does not dump a setup result
  return verboseOverride({ changed: false, ansible_facts: out });
}

const setup: ModuleDefinition = {
  name: 'setup',
  aliases: ['gather_facts'],
  description: 'Gathers facts about remote hosts',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      gather_subset: { type: 'array', items: { type: 'string' }, default: ['all'] },
      gather_timeout: { type: 'integer', default: 10 },
      filter: { type: 'array', items: { type: 'string' }, default: [] },
      fact_path: { type: 'string', default: '/etc/ansible/facts.d' },
      parallel: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  run: (args, ctx) => gatherFacts((cmd, o) => ctx.run(cmd, o), args),
};

export default setup;
