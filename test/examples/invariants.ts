// The invariants over a lab's event log (`drover lab events NAME --json`), as pure
// functions returning the violations found (empty = holds), so an end-to-end test can assert on
// them and they are unit-testable on hand-written logs. Event kinds are the lab's: package.changed
// {name, from, to}, service.started/stopped/restarted {service}, host.reboot.requested,
// node.schedulable {node, schedulable}, node.drained {node}, etcd.backup {path}, and hook.run
// {hook}, which the example hooks add with -e lab_events=true.

export interface Ev {
  time: string;
  host: string;
  kind: string;
  [detail: string]: unknown;
}

const isTrue = (v: unknown) => v === true || v === 'true' || v === 'True';
const OPENSHIFT_PKG = /^(atomic-openshift|origin)(-|$)/;
const MASTER_SERVICE = /-master-(api|controllers)$/;

/** No package changes on any master before the first etcd backup. */
export function backupBeforeMasterPackages(events: Ev[], masters: string[]): string[] {
  const firstBackup = events.findIndex((e) => e.kind === 'etcd.backup');
  const early = events.filter((e, i) => e.kind === 'package.changed' && masters.includes(e.host) && (firstBackup < 0 || i < firstBackup));
  return early.map((e) => `${e.host}: ${String(e.name)} changed before any etcd backup`);
}

/** Masters strictly one at a time: from a master's pre hook to its post hook no other master changes. */
export function mastersOneAtATime(events: Ev[], masters: string[]): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const e of events) {
    if (!masters.includes(e.host)) continue;
    if (e.kind === 'hook.run' && e.hook === 'pre_master') {
      if (current && current !== e.host) out.push(`${e.host} started while ${current} was still being upgraded`);
      current = e.host;
    } else if (e.kind === 'hook.run' && e.hook === 'post_master' && current === e.host) {
      current = undefined;
    } else if (current && current !== e.host && (e.kind === 'package.changed' || MASTER_SERVICE.test(String(e.service ?? '')))) {
      out.push(`${e.host}: ${e.kind} while ${current} was being upgraded`);
    }
  }
  return out;
}

/** Per master and pass: pre hook -> OpenShift package change -> mid hook -> restart -> post hook. */
export function masterHookOrder(events: Ev[], masters: string[]): string[] {
  const out: string[] = [];
  for (const m of masters) {
    const steps: string[] = [];
    for (const e of events.filter((x) => x.host === m)) {
      if (e.kind === 'hook.run' && ['pre_master', 'master', 'post_master'].includes(String(e.hook))) steps.push(String(e.hook));
      else if (e.kind === 'package.changed' && OPENSHIFT_PKG.test(String(e.name)) && !/excluder/.test(String(e.name))) steps.push('package');
      else if ((e.kind === 'service.restarted' && MASTER_SERVICE.test(String(e.service))) || e.kind === 'host.reboot.requested') steps.push('restart');
    }
    // collapse repeats, then every pass must read pre_master package master restart post_master
    const seq = steps.filter((s, i) => s !== steps[i - 1]).join(' ');
    const passes = seq.split(/(?=pre_master)/).filter(Boolean);
    if (!passes.length) out.push(`${m}: no master upgrade recorded`);
    for (const p of passes) {
      if (p.trim() !== 'pre_master package master restart post_master') out.push(`${m}: order was "${p.trim()}"`);
    }
  }
  return out;
}

/** The most nodes of `nodes` unschedulable at the same time. */
export function maxUnschedulable(events: Ev[], nodes: string[], initiallyUnschedulable: string[] = []): number {
  const down = new Set(initiallyUnschedulable.filter((n) => nodes.includes(n)));
  let max = down.size;
  for (const e of events) {
    if (e.kind !== 'node.schedulable' || !nodes.includes(String(e.node))) continue;
    if (isTrue(e.schedulable)) down.delete(String(e.node));
    else down.add(String(e.node));
    max = Math.max(max, down.size);
  }
  return max;
}

/** Every node whose OpenShift packages changed was drained before and made schedulable after. */
export function drainedAroundPackages(events: Ev[], nodes: string[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const idx = (pred: (e: Ev) => boolean) => events.map((e, i) => (pred(e) ? i : -1)).filter((i) => i >= 0);
    const pkgs = idx((e) => e.host === n && e.kind === 'package.changed' && OPENSHIFT_PKG.test(String(e.name)) && !/excluder/.test(String(e.name)));
    if (!pkgs.length) continue;
    const drained = idx((e) => e.kind === 'node.drained' && e.node === n);
    const back = idx((e) => e.kind === 'node.schedulable' && e.node === n && isTrue(e.schedulable));
    if (!drained.some((d) => d < pkgs[0])) out.push(`${n}: packages changed without a drain before`);
    if (!back.some((b) => b > pkgs[pkgs.length - 1])) out.push(`${n}: not schedulable again after its packages changed`);
  }
  return out;
}

/** The hosts among `candidates` with any OpenShift package change. */
export function upgradedHosts(events: Ev[], candidates: string[]): string[] {
  return candidates.filter((h) => events.some((e) => e.host === h && e.kind === 'package.changed' && OPENSHIFT_PKG.test(String(e.name))));
}

/** Events that mean a host was touched (packages, services, cordon/drain), per host in `hosts`. */
export function touched(events: Ev[], hosts: string[]): string[] {
  const kinds = /^(package\.changed|service\.(started|stopped|restarted)|host\.reboot\.requested)$/;
  return hosts.filter((h) => events.some((e) => (e.host === h && kinds.test(e.kind)) || ((e.kind === 'node.schedulable' || e.kind === 'node.drained') && e.node === h)));
}
