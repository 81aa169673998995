// service_facts' parsing, as Ansible's SystemctlScanService does it: `list-units` gives state
// and status, `list-unit-files` adds units that are not loaded (their ActiveState asked with
// `show`) and the final status. One script collects all three; parsing is pure.
import { buildScript } from '../../engine/modules-sdk/script.js';

export interface ServiceFact {
  name: string;
  state: string;
  status: string;
  source: 'systemd';
}

export const SERVICE_FACTS_SCRIPT = buildScript(String.raw`command -v systemctl >/dev/null 2>&1 || _d_fail 'systemctl was not found on the host'
printf '@@drover:units@@\n'
systemctl list-units --no-pager --type=service --all 2>/dev/null
printf '@@drover:files@@\n'
files=$(systemctl list-unit-files --no-pager --type=service --all 2>/dev/null)
printf '%s\n' "$files"
printf '%s\n' "$files" | awk '$1 ~ /\.service$/ { print $1 }' | while read -r u; do
  printf '@@drover:state %s@@\n' "$u"
  systemctl show "$u" --property=ActiveState 2>/dev/null
done`);

const BAD_STATES = ['not-found', 'masked', 'failed'];

export function parseServiceFacts(stdout: string): { failed?: string; services: Record<string, ServiceFact> } {
  const sections: Record<string, string[]> = { head: [] };
  let cur = 'head';
  for (const line of stdout.split('\n')) {
    const m = /^@@drover:(.+)@@$/.exec(line);
    if (m) sections[(cur = m[1])] = [];
    else sections[cur].push(line);
  }
  const failed = sections.head.map((l) => /^failed=(.*)$/.exec(l)?.[1]).find((x) => x !== undefined);
  if (failed !== undefined) return { failed, services: {} };
  const services: Record<string, ServiceFact> = {};
  for (const line of (sections.units ?? []).filter((l) => l.includes('.service'))) {
    let fields = line.split(/\s+/).filter(Boolean);
    let status = 'unknown';
    const bad = BAD_STATES.find((b) => fields.includes(b));
    if (bad) {
      status = bad;
      // Ansible drops the first field here (the "●" marker real systemctl puts before failed units).
      if (!fields[0].includes('.service')) fields = fields.slice(1);
    } else status = fields[2] ?? 'unknown';
    const name = fields[0];
    services[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
  }
  for (const line of (sections.files ?? []).filter((l) => l.includes('.service'))) {
    const [name, status] = line.split(/\s+/).filter(Boolean);
    if (!name || !status) continue;
    if (!services[name]) {
      const st = (sections[`state ${name}`] ?? []).map((l) => /^ActiveState=(.*)$/.exec(l)?.[1]).find((x) => x !== undefined);
      services[name] = { name, state: st || 'unknown', status, source: 'systemd' };
    } else if (!BAD_STATES.includes(services[name].status)) services[name].status = status;
  }
  return { services };
}
