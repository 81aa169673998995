// etcd_restore: put an etcd backup back into a member's data dir, as the guide's §6.7 does.
// v3: `etcdctl snapshot restore` of snapshot.db (hash checked) or of a copied member/snap/db
// (--skip-hash-check, the only way such a file restores) with --name/--initial-cluster/
// --initial-advertise-peer-urls. v2: the old data dir moved aside, the `etcdctl backup` tree
// copied in; the member must then start once with --force-new-cluster (the playbook's job).
// Idempotent through a marker file naming the restored source and its checksum.
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput, shVars } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { ETCD_SH, etcdctl, type EtcdctlArgs } from './lib/etcd-shell.js';

export interface RestoreArgs extends EtcdctlArgs {
  api: 'v2' | 'v3';
  src: string;
  data_dir: string;
  name?: string;
  initial_cluster?: string;
  initial_cluster_token?: string;
  initial_advertise_peer_urls?: string;
  skip_hash_check: boolean;
  keep_old: boolean;
  owner?: string;
  force: boolean;
}

export const MARKER = '.drover-restored-from';

/** v3 `snapshot restore` flags from the arguments. */
export function restoreFlags(a: RestoreArgs): string[] {
  const f = [`--data-dir=${a.data_dir}`];
  if (a.name) f.push(`--name=${a.name}`);
  if (a.initial_cluster) f.push(`--initial-cluster=${a.initial_cluster}`);
  if (a.initial_cluster_token) f.push(`--initial-cluster-token=${a.initial_cluster_token}`);
  if (a.initial_advertise_peer_urls) f.push(`--initial-advertise-peer-urls=${a.initial_advertise_peer_urls}`);
  return f;
}

export function restoreScript(a: RestoreArgs, check: boolean): string {
  const v3 = etcdctl(a, 3);
  return buildScript(
    ETCD_SH,
    shVars({ src: a.src, dd: a.data_dir, keep: a.keep_old, owner: a.owner ?? '', force: a.force, check, skip: a.skip_hash_check, api: a.api }),
    `[ -e "$src" ] || _d_fail "backup $src does not exist"`,
    // what to restore: a snapshot file, a dir's snapshot.db, or (v3) a dir's copied member/snap/db
    `file=; if [ "$api" = v3 ]; then`,
    `  if [ -f "$src" ]; then file=$src; elif [ -f "$src/snapshot.db" ]; then file=$src/snapshot.db;`,
    `  elif [ -f "$src/member/snap/db" ]; then file=$src/member/snap/db; skip=1;`,
    `  else _d_fail "no snapshot.db or member/snap/db in $src"; fi`,
    `else [ -d "$src/member" ] || _d_fail "$src is not an etcdctl backup directory (no member/)"; fi`,
    `if [ -n "$file" ]; then sum=$(_d_sum sha256 "$file"); else sum=$(cd "$src" && find member -type f | LC_ALL=C sort | xargs cat | { sha256sum 2>/dev/null || shasum -a 256; } | cut -d' ' -f1); fi`,
    `want="$api $src $sum"`,
    `_d_emit source "\${file:-$src}"`,
    `if [ -z "$force" ] && [ -f "$dd/${MARKER}" ] && [ "$(cat "$dd/${MARKER}")" = "$want" ]; then _d_emit same 1; exit 0; fi`,
    `if [ -n "$check" ]; then _d_emit would 1; exit 0; fi`,
    `old=; if [ -e "$dd" ] && [ -n "$(ls -A "$dd" 2>/dev/null)" ]; then`,
    `  if [ -n "$keep" ]; then old="$dd.old-$(date +%Y%m%d%H%M%S)"; _e_step "could not move $dd aside" mv "$dd" "$old"; _d_emit old "$old";`,
    `  else _e_step "could not empty $dd" rm -rf "$dd"; fi`,
    `else rm -rf "$dd"; fi`,
    `if [ "$api" = v3 ]; then`,
    `  _e_step "etcdctl snapshot restore failed" env ${v3} snapshot restore "$file" ${restoreFlags(a).map(quote).join(' ')} \${skip:+--skip-hash-check}`,
    `else`,
    `  _e_step "could not create $dd" mkdir -p "$dd"`,
    `  _e_step "copy of $src failed" cp -R "$src/." "$dd/"`,
    `  rm -f "$dd/${MARKER}"`,
    `fi`,
    `printf '%s\\n' "$want" > "$dd/${MARKER}"`,
    `if [ -n "$owner" ] && id "$owner" >/dev/null 2>&1; then _e_step "chown failed" chown -R "$owner:$owner" "$dd"; fi`,
    `command -v restorecon >/dev/null 2>&1 && restorecon -R "$dd" >/dev/null 2>&1`,
    `_d_emit skip_hash_check "\${skip:+1}"`,
    `_d_emit done 1`,
  );
}

const etcdRestore: ModuleDefinition = {
  name: 'etcd_restore',
  description: "Restore an etcd member's data dir from a v3 snapshot or a v2 etcdctl backup (idempotent via a marker)",
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      api: { type: 'string', enum: ['v2', 'v3'], default: 'v3' },
      src: { type: 'string', 'x-aliases': ['backup', 'snapshot'] },
      data_dir: { type: 'string', default: '/var/lib/etcd' },
      name: { type: 'string' },
      initial_cluster: { type: 'string' },
      initial_cluster_token: { type: 'string' },
      initial_advertise_peer_urls: { type: 'string' },
      skip_hash_check: { type: 'boolean', default: false },
      keep_old: { type: 'boolean', default: true },
      owner: { type: 'string', default: 'etcd' },
      force: { type: 'boolean', default: false },
      etcdctl: { type: 'string', default: 'etcdctl' },
    },
    required: ['src'],
    additionalProperties: false,
    'x-required-together': [['name', 'initial_cluster', 'initial_advertise_peer_urls']],
  },
  async run(args, ctx): Promise<ModuleResult> {
    const a = args as unknown as RestoreArgs;
    if (a.data_dir.replace(/\/+$/, '') === '') return { failed: true, changed: false, msg: 'data_dir must not be /' };
    const r = await ctx.run(restoreScript(a, ctx.check));
    const { fields, body } = parseOutput(r.stdout);
    const base = { source: fields.source, data_dir: a.data_dir, api: a.api };
    if (fields.failed) return { ...base, failed: true, changed: false, msg: fields.failed + (body ? `: ${body.trim()}` : '') };
    if (fields.same) return { ...base, changed: false, msg: `${a.data_dir} already holds ${fields.source}` };
    if (fields.would) return { ...base, changed: true, msg: `would restore ${fields.source} into ${a.data_dir}` };
    if (!fields.done) return { ...base, failed: true, changed: false, rc: r.rc, msg: 'etcd restore script did not finish', stdout: r.stdout, stderr: r.stderr };
    return {
      ...base,
      changed: true,
      msg: `restored ${fields.source} into ${a.data_dir}` + (a.api === 'v2' ? '; start the member once with --force-new-cluster' : ''),
      old_data_dir: fields.old || undefined,
      skip_hash_check: fields.skip_hash_check === '1',
    };
  },
};

export default etcdRestore;
