// ansible.builtin.package_facts: ansible_facts.packages from the host's rpm database, keyed by
// name, each a list of {name, version, release, epoch, arch, source: rpm} as Ansible returns.
// rpm finds its database by its own configuration (%_dbpath), as Ansible's package_facts does.
import { buildScript } from '../engine/modules-sdk/script.js';
import { quote } from '../engine/modules-sdk/quote.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const QF = '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{(none)}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

export const PACKAGE_FACTS_SCRIPT = buildScript(`command -v rpm >/dev/null 2>&1 || _d_fail 'Could not detect a supported package manager from the following list: rpm'
printf '@@drover:rpm@@\\n'
rpm -qa --qf ${quote(QF)}`);

export interface PackageFact {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  arch: string;
  source: 'rpm';
}

export function parsePackageFacts(stdout: string): { failed?: string; packages: Record<string, PackageFact[]> } {
  const at = stdout.indexOf('@@drover:rpm@@\n');
  if (at < 0) return { failed: /^failed=(.*)$/m.exec(stdout)?.[1] ?? 'rpm query failed', packages: {} };
  const packages: Record<string, PackageFact[]> = {};
  for (const line of stdout.slice(at + 15).split('\n')) {
    const f = line.split('\t');
    if (f.length !== 5 || f[0] === 'gpg-pubkey') continue;
    (packages[f[0]] ??= []).push({ name: f[0], version: f[2], release: f[3], epoch: f[1] === '(none)' ? null : Number(f[1]), arch: f[4], source: 'rpm' });
  }
  return { packages };
}

const packageFacts: ModuleDefinition = {
  name: 'package_facts',
  description: 'Package information as facts (rpm)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      manager: { type: ['array', 'string'], items: { type: 'string', enum: ['auto', 'rpm'] }, default: ['auto'] },
      strategy: { type: 'string', enum: ['first', 'all'], default: 'first' },
    },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const managers = ([] as string[]).concat(args.manager as string[] | string);
    const bad = managers.find((m) => m !== 'auto' && m !== 'rpm');
    if (bad) return { changed: false, failed: true, msg: `Unsupported package manager: ${bad}` };
    const r = await ctx.run(PACKAGE_FACTS_SCRIPT);
    const { failed, packages } = parsePackageFacts(r.stdout);
    if (failed !== undefined) return { changed: false, failed: true, msg: failed };
    return { changed: false, ansible_facts: { packages } };
  },
};

export default packageFacts;
