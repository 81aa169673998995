// etcd_backup: the pre-upgrade etcd backup of openshift-ansible's roles/etcd/tasks/backup.yml in
// one round trip: free-space check (2x the data dir's usage), a directory named
// openshift-backup-<tag><timestamp> (under the data dir by default), then either v2
// (`etcdctl backup` plus the v3 member/snap/db taken through `snapshot save`) or v3 (`etcdctl snapshot save` and a
// `snapshot status` integrity check). Returns the backup path.
import { buildScript, parseOutput, shVars } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { bounded, ETCD_SH, etcdctl, parseSnapshotStatus, type EtcdctlArgs } from './lib/etcd-shell.js';

export interface BackupArgs extends EtcdctlArgs {
  api: 'v2' | 'v3';
  data_dir: string;
  backup_dir?: string;
  backup_tag: string;
  backup_name?: string;
  timestamp?: string;
  space_check: boolean;
  /** Seconds `snapshot save` may take. */
  timeout: number;
}

/** The script: decide the name, check space, back up, verify. */
export function backupScript(a: BackupArgs, check: boolean): string {
  const v2 = etcdctl(a, 2);
  const v3 = etcdctl(a, 3);
  return buildScript(
    ETCD_SH,
    shVars({ dd: a.data_dir, parent: a.backup_dir ?? a.data_dir, tag: a.backup_tag, name: a.backup_name ?? '', ts: a.timestamp ?? '', space: a.space_check, check, given: !!a.backup_name }),
    `[ -d "$dd" ] || _d_fail "etcd data dir $dd does not exist"`,
    `[ -n "$ts" ] || ts=$(date +%Y%m%d%H%M%S)`,
    `[ -n "$name" ] || name="openshift-backup-$tag$ts"`,
    `dest="\${parent%/}/$name"`,
    `_d_emit path "$dest"`,
    // a named backup that exists already is the idempotent case; a timestamped one is always new
    `if [ -n "$given" ] && [ -d "$dest" ]; then _d_emit exists 1; exit 0; fi`,
    `probe=$parent; while [ ! -d "$probe" ]; do probe=$(dirname -- "$probe"); done`,
    `avail=$(df --output=avail -k "$probe" 2>/dev/null | tail -n 1 | tr -d ' ')`,
    `usage=$(du --exclude='*openshift-backup*' -k "$dd" 2>/dev/null | tail -n 1 | cut -f1)`,
    `_d_emit avail_kb "$avail"; _d_emit usage_kb "$usage"`,
    `if [ -n "$space" ] && [ -n "$avail" ] && [ -n "$usage" ] && [ $((usage * 2)) -gt "$avail" ]; then _d_fail "$((usage * 2)) Kb disk space required for etcd backup, $avail Kb available"; fi`,
    `if [ -n "$check" ]; then _d_emit would 1; exit 0; fi`,
    `_e_step "could not create $dest" mkdir -p "$dest"`,
    a.api === 'v2'
      ? [
          `_e_step "etcdctl backup failed" env ${v2} backup --data-dir="$dd" --backup-dir="$dest"`,
          // The v3 keys live in member/snap/db. A copy of that file from a running member can miss
          // writes the backend has not committed yet, so the db is taken the way etcd guarantees
          // it: `snapshot save` (the server commits its backend first), then the snapshot's
          // sha256 trailer is checked and dropped, leaving the backend db that openshift-ansible's
          // restore copies back. `snapshot status` must then read it, or the backup fails.
          `if [ -f "$dd/member/snap/db" ]; then`,
          `  _e_step "could not create $dest/member/snap" mkdir -p "$dest/member/snap"`,
          `  snap="$dest/member/snap/db.snapshot"`,
          `  _e_step "etcdctl snapshot save (v3 keys) failed" ${bounded(a.timeout)} env ${v3} snapshot save "$snap"`,
          `  size=$(stat -c %s "$snap"); body=$((size - 32))`,
          `  [ "$body" -gt 0 ] || _d_fail "the v3 snapshot $snap is too small ($size bytes)"`,
          `  want=$(tail -c 32 "$snap" | od -An -tx1 | tr -d ' \n'); have=$(head -c "$body" "$snap" | sha256sum | cut -d' ' -f1)`,
          `  [ "$want" = "$have" ] || _d_fail "the v3 snapshot $snap has no valid sha256 trailer: the backup cannot be proven complete"`,
          `  head -c "$body" "$snap" > "$dest/member/snap/db" || _d_fail "could not write $dest/member/snap/db"`,
          `  rm -f -- "$snap"`,
          `  _e_step "v3 db integrity check failed" env ${v3} snapshot status "$dest/member/snap/db" -w json`,
          `  _d_emit status "$(printf '%s' "$_e_out" | tr -d '\n')"`,
          `  _d_emit v3_db "$dest/member/snap/db"`,
          `fi`,
        ].join('\n')
      : [
          `snap="$dest/snapshot.db"`,
          `_e_step "etcdctl snapshot save failed" ${bounded(a.timeout)} env ${v3} snapshot save "$snap"`,
          `_d_emit snapshot "$snap"`,
          `_e_step "snapshot integrity check failed" env ${v3} snapshot status "$snap" -w json`,
          `_d_emit status "$(printf '%s' "$_e_out" | tr -d '\\n')"`,
        ].join('\n'),
    `_d_emit done 1`,
  );
}

const etcdBackup: ModuleDefinition = {
  name: 'etcd_backup',
  description: 'Back up etcd (v2 etcdctl backup + v3 db copy, or v3 snapshot save with an integrity check) into openshift-backup-<tag><timestamp>',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      api: { type: 'string', enum: ['v2', 'v3'], default: 'v2' },
      data_dir: { type: 'string', default: '/var/lib/etcd' },
      backup_dir: { type: 'string' },
      backup_tag: { type: 'string', default: 'pre-upgrade-' },
      backup_name: { type: 'string', pattern: '^[^/]+$' },
      timestamp: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
      space_check: { type: 'boolean', default: true },
      timeout: { type: 'integer', minimum: 1, default: 300 },
      etcdctl: { type: 'string', default: 'etcdctl' },
      endpoints: { type: 'string', default: 'https://127.0.0.1:2379' },
      cacert: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['backup_name', 'timestamp']],
  },
  async run(args, ctx): Promise<ModuleResult> {
    const a = args as unknown as BackupArgs;
    const r = await ctx.run(backupScript(a, ctx.check));
    const { fields, body } = parseOutput(r.stdout);
    const base = { path: fields.path, backup_dir: fields.path, api: a.api, avail_kb: num(fields.avail_kb), usage_kb: num(fields.usage_kb) };
    if (fields.failed) return { ...base, failed: true, changed: false, msg: fields.failed + (body ? `: ${body.trim()}` : ''), stdout: body ?? '' };
    if (fields.exists) return { ...base, changed: false, msg: `backup ${fields.path} exists` };
    if (fields.would) return { ...base, changed: true, msg: `would back up etcd into ${fields.path}` };
    if (!fields.done) return { ...base, failed: true, changed: false, rc: r.rc, msg: 'etcd backup script did not finish', stdout: r.stdout, stderr: r.stderr };
    const status = fields.status ? parseSnapshotStatus(fields.status) : undefined;
    if ((a.api === 'v3' || fields.v3_db) && !status) return { ...base, failed: true, changed: true, msg: `snapshot status gave no integrity data: ${fields.status ?? ''}` };
    return {
      ...base,
      changed: true,
      msg: `etcd backup created in ${fields.path}`,
      ...(fields.snapshot ? { snapshot: fields.snapshot, snapshot_status: status } : {}),
      ...(fields.v3_db ? { v3_db: fields.v3_db, v3_db_status: status } : {}),
    };
  },
};

function num(s: string | undefined): number | undefined {
  return s && /^\d+$/.test(s) ? Number(s) : undefined;
}

export default etcdBackup;
