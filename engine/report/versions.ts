// The report's versions table. Versions before and after come
// from the lab's package events: "before" is what a host had when the run started, "after" what it
// had when the run ended; only packages that changed somewhere during the run are listed.
import { eventTime, type LabRecord } from './records.js';

export interface VersionCount {
  version: string;
  hosts: number;
}

export interface GroupVersions {
  group: string;
  package: string;
  hosts: number;
  before: VersionCount[];
  after: VersionCount[];
}

export interface HostVersion {
  before: string;
  after: string;
}

/** Per host and package: the version at `start` and at `end` ("" = not installed). */
export function batchVersions(lab: LabRecord[], hostOf: (h: string) => string, start: number, end: number): Map<string, Map<string, HostVersion>> {
  const out = new Map<string, Map<string, HostVersion>>();
  const changed = new Set<string>();
  const pkgEvents = lab.filter((e) => /^package\.(changed|installed|removed|upgraded|downgraded)$/.test(e.kind)).sort((a, b) => eventTime(a) - eventTime(b));
  for (const e of pkgEvents) {
    const t = eventTime(e);
    if (t > end) break;
    const host = hostOf(typeof e.host === 'string' ? e.host : '');
    const name = typeof e.name === 'string' ? e.name : '';
    if (!host || !name) continue;
    const to = e.kind === 'package.removed' ? '' : typeof e.to === 'string' ? e.to : typeof e.version === 'string' ? e.version : '';
    const byPkg = out.get(host) ?? new Map<string, HostVersion>();
    const cur = byPkg.get(name) ?? { before: '', after: '' };
    if (t < start) cur.before = to;
    else changed.add(name);
    cur.after = to;
    byPkg.set(name, cur);
    out.set(host, byPkg);
  }
  for (const byPkg of out.values()) for (const name of [...byPkg.keys()]) if (!changed.has(name)) byPkg.delete(name);
  return out;
}

function countVersions(list: string[]): VersionCount[] {
  const m = new Map<string, number>();
  for (const v of list) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([version, hosts]) => ({ version, hosts })).sort((a, b) => b.hosts - a.hosts || a.version.localeCompare(b.version));
}

/**
 * One row per group and changed package: the versions its hosts had before and after, with how
 * many hosts had each. A host in several groups counts in each; without groups, one group "all".
 */
export function groupVersions(perHost: Map<string, Map<string, HostVersion>>, groups: Map<string, string[]> | undefined, hosts: string[]): GroupVersions[] {
  const rows: GroupVersions[] = [];
  const sets = groups?.size ? [...groups] : [['all', hosts] as [string, string[]]];
  for (const [group, members] of sets) {
    const inRun = members.filter((h) => perHost.has(h));
    const pkgs = [...new Set(inRun.flatMap((h) => [...(perHost.get(h)?.keys() ?? [])]))].sort();
    for (const pkg of pkgs) {
      const having = inRun.filter((h) => perHost.get(h)?.has(pkg));
      const v = (h: string) => perHost.get(h)?.get(pkg) ?? { before: '', after: '' };
      rows.push({ group, package: pkg, hosts: having.length, before: countVersions(having.map((h) => v(h).before)), after: countVersions(having.map((h) => v(h).after)) });
    }
  }
  return rows;
}
