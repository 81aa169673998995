// The systemd/service modules' one round trip: a script that reads the unit's state with
// `systemctl show`, decides like Ansible's systemd module (mask, then enable, then state),
// applies (unless check mode) and reports what it did plus the unit's properties afterwards;
// parseServiceOutput()/buildServiceResult() turn that into Ansible's result (pure).
import { quote } from '../../engine/modules-sdk/quote.js';
import { buildScript, shVars } from '../../engine/modules-sdk/script.js';
import type { ModuleResult } from '../../engine/modules-sdk/types.js';

export interface ServiceArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  masked?: boolean;
  daemon_reload: boolean;
  daemon_reexec: boolean;
  scope: 'system' | 'user' | 'global';
  no_block: boolean;
  force: boolean;
}

export function normaliseServiceArgs(a: Record<string, unknown>): ServiceArgs {
  return {
    name: (a.name as string | undefined) || undefined,
    state: a.state as ServiceArgs['state'],
    enabled: typeof a.enabled === 'boolean' ? a.enabled : undefined,
    masked: typeof a.masked === 'boolean' ? a.masked : undefined,
    daemon_reload: !!a.daemon_reload,
    daemon_reexec: !!a.daemon_reexec,
    scope: (a.scope as ServiceArgs['scope']) ?? 'system',
    no_block: !!a.no_block,
    force: !!a.force,
  };
}

const SERVICE_SH = String.raw`command -v systemctl >/dev/null 2>&1 || _d_fail 'systemctl was not found on the host'
sc() { systemctl $scope_opt "$@"; }
prop() { printf '%s\n' "$props" | sed -n "s/^$1=//p" | head -n 1; }
refresh() { props=$(sc show "$unit" 2>/dev/null); }
finish() { printf '@@drover:show@@\n'; [ -n "$unit" ] && sc show "$unit" 2>/dev/null; exit 0; }
apply() {
  _d_emit action "$1"
  [ -n "$check" ] && return 0
  o=$(sc $block_opt $force_opt "$1" "$unit" 2>&1); r=$?
  if [ $r -ne 0 ]; then _d_emit failed_action "$1"; _d_emit rc "$r"; _d_emit err "$(printf '%s' "$o" | tr '\n' ' ')"; finish; fi
  refresh
}
if [ -n "$reexec" ] && [ -z "$check" ]; then
  o=$(sc daemon-reexec 2>&1) || _d_fail "failure while running daemon-reexec: $o"
fi
if [ -n "$reload" ] && [ -z "$check" ]; then
  o=$(sc daemon-reload 2>&1) || _d_fail "failure while running daemon-reload: $o"
fi
[ -n "$unit" ] || finish
refresh
load=$(prop LoadState)
found=1
{ [ -z "$load" ] || [ "$load" = not-found ]; } && found=
_d_emit found "$found"
if [ -n "$masked_set" ]; then
  cur=; [ "$(prop UnitFileState)" = masked ] || [ "$load" = masked ] && cur=1
  if [ "$cur" != "$masked" ]; then if [ -n "$masked" ]; then apply mask; else apply unmask; fi; fi
fi
if [ -n "$enabled_set" ] || [ -n "$state" ]; then
  [ -n "$found" ] || [ "$(prop LoadState)" = masked ] || _d_fail "Could not find the requested service $unit: host"
fi
if [ -n "$enabled_set" ]; then
  cur=; sc is-enabled "$unit" >/dev/null 2>&1 && cur=1
  if [ "$cur" != "$enabled" ]; then if [ -n "$enabled" ]; then apply enable; else apply disable; fi; fi
fi
if [ -n "$state" ]; then
  act=$(prop ActiveState); running=; case $act in active|activating) running=1 ;; esac
  case $state in
    started) [ -n "$running" ] || apply start ;;
    stopped) { [ -n "$running" ] || [ "$act" = deactivating ]; } && apply stop ;;
    restarted|reloaded) if [ -n "$running" ]; then apply "${'$'}{state%ed}"; else apply start; fi ;;
  esac
fi
finish`;

/** The script for one task (values quoted; booleans as '1' / ''). */
export function serviceScript(a: ServiceArgs, check: boolean): string {
  return buildScript(
    shVars({
      unit: a.name ?? '',
      state: a.state ?? '',
      enabled: a.enabled === true,
      enabled_set: a.enabled !== undefined,
      masked: a.masked === true,
      masked_set: a.masked !== undefined,
      reload: a.daemon_reload,
      reexec: a.daemon_reexec,
      check,
    }),
    `scope_opt=${a.scope === 'system' ? "''" : quote(`--${a.scope}`)}`,
    `block_opt=${a.no_block ? '--no-block' : "''"}`,
    `force_opt=${a.force ? '--force' : "''"}`,
    SERVICE_SH,
  );
}

export interface ServiceOutput {
  failed?: string;
  found: boolean;
  actions: string[];
  failedAction?: string;
  rc?: number;
  err?: string;
  status: Record<string, string>;
}

/** `systemctl show` output → properties (multi-line values are not used by the modules). */
export function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && /^[A-Za-z]+$/.test(line.slice(0, i))) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function parseServiceOutput(stdout: string): ServiceOutput {
  const at = stdout.indexOf('@@drover:show@@\n');
  const head = at >= 0 ? stdout.slice(0, at) : stdout;
  const out: ServiceOutput = { found: false, actions: [], status: at >= 0 ? parseShow(stdout.slice(at + 16)) : {} };
  for (const line of head.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (!m) continue;
    const [, k, v] = m;
    if (k === 'failed') out.failed = v;
    else if (k === 'found') out.found = v === '1';
    else if (k === 'action') out.actions.push(v);
    else if (k === 'failed_action') out.failedAction = v;
    else if (k === 'rc') out.rc = Number(v);
    else if (k === 'err') out.err = v.trim();
  }
  return out;
}

/** Ansible's systemd result: name, changed, state/enabled as requested, status = unit properties. */
export function buildServiceResult(a: ServiceArgs, o: ServiceOutput): ModuleResult {
  const res: ModuleResult = { changed: o.actions.length > 0 };
  if (a.name) res.name = a.name;
  if (o.failed) return { ...res, changed: false, failed: true, msg: o.failed };
  if (o.failedAction) {
    return { ...res, failed: true, rc: o.rc, msg: `Unable to ${o.failedAction} service ${a.name}: ${o.err ?? ''}`.trim() };
  }
  // 2.14's systemd module reports restarted/reloaded as state 'started'
  if (a.state) res.state = a.state === 'restarted' || a.state === 'reloaded' ? 'started' : a.state;
  if (a.enabled !== undefined) res.enabled = a.enabled;
  if (a.masked !== undefined) res.masked = a.masked;
  if (a.name) res.status = o.status;
  return res;
}
