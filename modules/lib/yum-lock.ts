// yum's lock, as Ansible's yum module honours it (module_utils/yumdnf.py wait_for_lock and
// modules/yum.py is_lockfile_pid_valid): while /var/run/yum.pid names a live, non-zombie process,
// poll once a second for lock_timeout seconds, then fail "yum lockfile is held by another
// process". A stale file (garbage, a dead or zombie pid) is removed and does not block.
import type { ModuleContext, ModuleResult } from '../../engine/modules-sdk/types.js';

const LOCK = '/var/run/yum.pid';

/** The polling loop, run on the host; exit 0 when free, 75 when still held after `timeoutSec`. */
export function yumLockScript(timeoutSec: number): string {
  return `f=${LOCK}
held() {
  [ -f "$f" ] || return 1
  p=$(head -n 1 "$f" 2>/dev/null)
  case "$p" in ''|*[!0-9]*) rm -f "$f"; return 1;; esac
  if [ -r /proc/$p/stat ]; then
    [ "$(cut -d' ' -f3 /proc/$p/stat)" = Z ] && { rm -f "$f"; return 1; }
    return 0
  fi
  kill -0 "$p" 2>/dev/null && return 0
  rm -f "$f"; return 1
}
held || exit 0
i=0
while [ $i -lt ${Math.max(0, Math.trunc(timeoutSec))} ]; do sleep 1; held || exit 0; i=$((i+1)); done
exit 75`;
}

/** undefined when the lock is free (or freed in time); otherwise the failed result Ansible gives. */
export async function waitForYumLock(ctx: ModuleContext, timeoutSec: number): Promise<ModuleResult | undefined> {
  const r = await ctx.run(yumLockScript(timeoutSec));
  if (r.rc === 0) return undefined;
  if (r.rc === 75) return { changed: false, failed: true, msg: 'yum lockfile is held by another process' };
  return { changed: false, failed: true, msg: `checking ${LOCK}: ${(r.stderr || r.stdout).trim() || `rc=${r.rc}`}`, rc: r.rc };
}
