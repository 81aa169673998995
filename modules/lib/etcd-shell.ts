// Shell pieces shared by etcd_backup and etcd_restore: the etcdctl command line (API version,
// endpoints, TLS files — every word quoted), running a step with its output kept for the error
// message. (The lab sees backups and restores through its own etcdctl wrapper: no hook here.)
import { quote } from '../../engine/modules-sdk/quote.js';
import { BODY_MARKER } from '../../engine/modules-sdk/script.js';

export interface EtcdctlArgs {
  etcdctl: string;
  endpoints?: string;
  cacert?: string;
  cert?: string;
  key?: string;
}

/**
 * Prefix bounding a step's run time: etcdctl 3.4's `snapshot save` waits forever for an
 * unreachable endpoint, so the step is wrapped in coreutils' timeout when it exists.
 */
export function bounded(seconds: number): string {
  return `$(command -v timeout >/dev/null 2>&1 && printf 'timeout %s' ${seconds})`;
}

/** `ETCDCTL_API=N etcdctl [--endpoints=..] [--cacert=..] ...` as a quoted shell prefix. */
export function etcdctl(a: EtcdctlArgs, api: 2 | 3): string {
  const words = [quote(a.etcdctl)];
  if (api === 3) {
    if (a.endpoints) words.push(quote(`--endpoints=${a.endpoints}`));
    words.push('--dial-timeout=5s');
    if (a.cacert) words.push(quote(`--cacert=${a.cacert}`));
    if (a.cert) words.push(quote(`--cert=${a.cert}`));
    if (a.key) words.push(quote(`--key=${a.key}`));
  }
  return `ETCDCTL_API=${api} ${words.join(' ')}`;
}

/**
 * Shell functions: `_e_step WHAT CMD...` runs a command, and on failure prints failed=WHAT and
 * the command's output as the body, then exits.
 */
export const ETCD_SH = [
  `_e_step() { _e_what=$1; shift; _e_out=$("$@" 2>&1); _e_rc=$?; if [ $_e_rc -ne 0 ]; then _d_emit failed "$_e_what (rc $_e_rc)"; printf '%s\\n%s\\n' ${quote(BODY_MARKER)} "$_e_out"; exit 0; fi; }`,
].join('\n');

/** Keys etcdctl prints for `snapshot status -w json`. */
export interface SnapshotStatus {
  hash: number;
  revision: number;
  totalKey: number;
  totalSize: number;
}

export function parseSnapshotStatus(text: string): SnapshotStatus | undefined {
  try {
    const j = JSON.parse(text.trim());
    if (typeof j.hash === 'number' && typeof j.revision === 'number') return j as SnapshotStatus;
  } catch {
    /* not JSON */
  }
  return undefined;
}
