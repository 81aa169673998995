// ansible.builtin.hostname: set the running and the permanent host name in one trip. Strategies
// (`use`): systemd (hostnamectl when it works, else as `file`), file/debian/generic/alpine
// (/etc/hostname + `hostname NAME`), redhat (HOSTNAME= in /etc/sysconfig/network). Without
// `use`, systemd when hostnamectl exists, else file. Returns the hostname facts, like Ansible.
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';

const STRATEGIES = ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd', 'file'] as const;

export function hostnameScript(name: string, use: string | undefined, check: boolean): string {
  return buildScript(
    `n=${quote(name)}; use=${quote(use ?? '')}; check=${check ? 1 : "''"}`,
    String.raw`if [ -z "$use" ]; then if command -v hostnamectl >/dev/null 2>&1; then use=systemd; else use=file; fi; fi
_d_emit use "$use"
cur=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)
if [ "$use" = redhat ]; then perm=$(sed -n 's/^HOSTNAME=//p' /etc/sysconfig/network 2>/dev/null | tail -n 1 | tr -d '"')
else perm=$(head -n 1 /etc/hostname 2>/dev/null); fi
_d_emit before_current "$cur"; _d_emit before_permanent "$perm"
[ "$cur" = "$n" ] && [ "$perm" = "$n" ] && exit 0
_d_emit changed 1
[ -n "$check" ] && exit 0
if [ "$use" = systemd ] && hostnamectl set-hostname "$n" >/dev/null 2>&1; then exit 0; fi
if [ "$perm" != "$n" ]; then
  if [ "$use" = redhat ]; then
    f=/etc/sysconfig/network
    if grep -q '^HOSTNAME=' "$f" 2>/dev/null; then sed "s/^HOSTNAME=.*/HOSTNAME=$n/" "$f" > "$f.drover" && cat "$f.drover" > "$f"; rm -f "$f.drover"
    else printf 'HOSTNAME=%s\n' "$n" >> "$f"; fi || _d_fail "failed to write $f"
  else printf '%s\n' "$n" > /etc/hostname || _d_fail "failed to write /etc/hostname"; fi
fi
if [ "$cur" != "$n" ]; then _d_e=$(hostname "$n" 2>&1) || _d_fail "Command failed rc=1, out=, err=$_d_e"; fi`,
  );
}

/** The facts Ansible's hostname module returns for a name. */
export function hostnameFacts(name: string): Record<string, unknown> {
  const dot = name.indexOf('.');
  return {
    ansible_hostname: dot < 0 ? name : name.slice(0, dot),
    ansible_nodename: name,
    ansible_fqdn: name,
    ansible_domain: dot < 0 ? '' : name.slice(dot + 1),
  };
}

const hostname: ModuleDefinition = {
  name: 'hostname',
  description: 'Manage hostname',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      use: { type: 'string', enum: [...STRATEGIES] },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const name = String(args.name).trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(name)) return { changed: false, failed: true, msg: `invalid hostname: ${name}` };
    const use = args.use as string | undefined;
    if (use && !['systemd', 'file', 'debian', 'generic', 'alpine', 'redhat', 'openrc', 'sles'].includes(use)) {
      return { changed: false, failed: true, msg: `strategy ${use} is not supported on this platform by drover` };
    }
    const r = await ctx.run(hostnameScript(name, use, ctx.check));
    const { fields } = parseOutput(r.stdout);
    if (fields.failed !== undefined) return { changed: false, failed: true, msg: fields.failed };
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() };
    const changed = fields.changed === '1';
    const res: ModuleResult = { changed, name, ansible_facts: hostnameFacts(name) };
    if (ctx.diff && changed) res.diff = { before: `hostname = ${fields.before_current}\n`, after: `hostname = ${name}\n` };
    return res;
  },
};

export default hostname;
