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

/** Which of `nodes` are unschedulable after `events` (each starts schedulable unless in `initially`). */
export function unschedulableAfter(events: Ev[], nodes: string[], initially: string[] = []): string[] {
  const down = new Set(initially.filter((n) => nodes.includes(n)));
  for (const e of events) {
    if (e.kind === 'node.registered' && nodes.includes(String(e.node)) && e.schedulable !== undefined && !isTrue(e.schedulable)) down.add(String(e.node));
    if (e.kind !== 'node.schedulable' || !nodes.includes(String(e.node))) continue;
    if (isTrue(e.schedulable)) down.delete(String(e.node));
    else down.add(String(e.node));
  }
  return nodes.filter((n) => down.has(n));
}

/**
 * OS maintenance (seed 001 §5): every node with any package change or a reboot was drained before
 * the first of them, and (unless in `staysUnschedulable`) made schedulable after the last of them.
 */
export function drainedAroundMaintenance(events: Ev[], nodes: string[], staysUnschedulable: string[] = []): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const idx = (pred: (e: Ev) => boolean) => events.map((e, i) => (pred(e) ? i : -1)).filter((i) => i >= 0);
    const work = idx((e) => e.host === n && (e.kind === 'package.changed' || e.kind === 'host.reboot.requested'));
    if (!work.length) continue;
    const drained = idx((e) => e.kind === 'node.drained' && e.node === n);
    const back = idx((e) => e.kind === 'node.schedulable' && e.node === n && isTrue(e.schedulable));
    if (!drained.some((d) => d < work[0])) out.push(`${n}: ${events[work[0]].kind} without a drain before`);
    if (!staysUnschedulable.includes(n) && !back.some((b) => b > work[work.length - 1])) out.push(`${n}: not schedulable again after its maintenance`);
    if (staysUnschedulable.includes(n) && back.length) out.push(`${n}: made schedulable although it was not before`);
  }
  return out;
}

/**
 * Blue-green (seed 001 §4): every green node joins unschedulable (registered so, or cordoned before
 * anything else happens to it) and becomes schedulable only at the switch, i.e. before any blue
 * node is cordoned or evacuated; every blue node is cordoned, then evacuated (each replacement pod
 * on a green node), then deleted, and nothing is evicted from it after its deletion.
 */
export function blueGreenOrder(events: Ev[], green: string[], blue: string[]): string[] {
  const out: string[] = [];
  const about = (n: string) => (e: Ev) => ['node.registered', 'node.schedulable', 'node.labeled', 'node.drained', 'pod.evicted', 'node.deleted'].includes(e.kind) && e.node === n;
  const firstBlueAction = events.findIndex((e) => blue.some((b) => about(b)(e)) && (e.kind === 'node.schedulable' || e.kind === 'pod.evicted' || e.kind === 'node.deleted'));
  for (const g of green) {
    const first = events.find(about(g));
    const joinedUnschedulable = first && ((first.kind === 'node.registered' && first.schedulable !== undefined && !isTrue(first.schedulable)) || (first.kind === 'node.schedulable' && !isTrue(first.schedulable)));
    if (!joinedUnschedulable) out.push(`${g}: did not join unschedulable (first event: ${first ? first.kind : 'none'})`);
    const on = events.findIndex((e) => e.kind === 'node.schedulable' && e.node === g && isTrue(e.schedulable));
    if (on < 0) out.push(`${g}: never made schedulable`);
    else if (firstBlueAction >= 0 && on > firstBlueAction) out.push(`${g}: made schedulable only after the blue nodes were cordoned or evacuated`);
  }
  for (const b of blue) {
    const i = (pred: (e: Ev) => boolean) => events.findIndex(pred);
    const cordon = i((e) => e.kind === 'node.schedulable' && e.node === b && !isTrue(e.schedulable));
    const evicted = events.map((e, k) => (e.kind === 'pod.evicted' && e.node === b ? k : -1)).filter((k) => k >= 0);
    const deleted = i((e) => e.kind === 'node.deleted' && e.node === b);
    if (deleted < 0) out.push(`${b}: not deleted`);
    if (cordon < 0 || (evicted.length && cordon > evicted[0])) out.push(`${b}: evacuated without being unschedulable first`);
    if (!evicted.length) out.push(`${b}: deleted without an evacuation`);
    if (deleted >= 0 && evicted.some((k) => k > deleted)) out.push(`${b}: pods evicted after its deletion`);
    for (const k of evicted) {
      const to = String(events[k].to ?? '');
      if (events[k].replacement !== undefined && !green.includes(to)) out.push(`${b}: ${String(events[k].pod)} replaced on "${to}", not on a green node`);
    }
  }
  return out;
}
