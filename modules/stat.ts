// ansible.builtin.stat: facts about a path in Ansible's `stat` dict (exists, mode, isdir, isreg,
// islnk, size, uid/gid, pw_name/gr_name, times, checksum...), gathered by one script.
import { parseStat, statCoreKeys, statModeBits, type FileStat } from '../engine/modules-sdk/facts.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { checksumToolMissing } from '../engine/modules-sdk/tools.js';
import { buildScript, parseOutput, shVars } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

export function statScript(path: string, follow: boolean, checksum: string | undefined, mime: boolean): string {
  return buildScript(
    shVars({ p: path, L: follow ? 'L' : '', algo: checksum ?? '', mime, nosum: checksumToolMissing(checksum ?? 'sha1') }),
    String.raw`_d_home p
st=$(_d_stat "$p" $L); _d_emit st "$st"
[ -n "$st" ] || exit 0
if [ -h "$p" ]; then
  _d_emit lnk_target "$(readlink -- "$p" 2>/dev/null)"
  _d_emit lnk_source "$(readlink -f -- "$p" 2>/dev/null || realpath -- "$p" 2>/dev/null)"
fi
[ -r "$p" ] && _d_emit readable 1; [ -w "$p" ] && _d_emit writeable 1; [ -x "$p" ] && _d_emit executable 1
if [ -n "$algo" ] && [ -f "$p" ] && [ -r "$p" ]; then _d_sum_ok "$algo" || _d_fail "$nosum"; _d_emit checksum "$(_d_sum "$algo" "$p")"; fi
if [ -n "$mime" ] && command -v file >/dev/null 2>&1; then
  _d_m=$(file -b --mime -- "$p" 2>/dev/null)
  case "$_d_m" in
    *'; charset='*) _d_emit mimetype "${'$'}{_d_m%%; charset=*}"; _d_emit charset "${'$'}{_d_m##*; charset=}" ;;
    *) _d_emit mimetype "$(file -b --mime-type -- "$p" 2>/dev/null)"; _d_emit charset "$(file -b --mime-encoding -- "$p" 2>/dev/null)" ;;
  esac
fi`,
  );
}

/** Ansible's stat dict from a FileStat and the extra fields. */
export function statDict(path: string, st: FileStat, f: Record<string, string>): Record<string, unknown> {
  const d: Record<string, unknown> = {
    exists: true,
    path,
    ...statCoreKeys(st),
    ...statModeBits(st.mode),
    pw_name: st.owner,
    gr_name: st.group,
    readable: f.readable === '1',
    writeable: f.writeable === '1',
    executable: f.executable === '1',
  };
  if (f.lnk_target !== undefined) {
    d.lnk_target = f.lnk_target;
    d.lnk_source = f.lnk_source;
  }
  if (f.checksum) d.checksum = f.checksum;
  if (f.mimetype) d.mimetype = f.mimetype;
  if (f.charset) d.charset = f.charset;
  for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
  return d;
}

const stat: ModuleDefinition = {
  name: 'stat',
  description: 'Retrieve file or file system status',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', 'x-aliases': ['dest', 'name'] },
      follow: { type: 'boolean', default: false },
      get_checksum: { type: 'boolean', default: true },
      checksum_algorithm: { type: 'string', enum: ALGOS, default: 'sha1', 'x-aliases': ['checksum', 'checksum_algo'] },
      get_mime: { type: 'boolean', default: true, 'x-aliases': ['mime', 'mime_type', 'mime-type'] },
      get_attributes: { type: 'boolean', default: true, 'x-aliases': ['attr', 'attributes'] },
      get_md5: { type: 'boolean', default: false },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const path = String(args.path);
    const algo = args.get_checksum === false ? undefined : String(args.checksum_algorithm ?? 'sha1');
    const r = await ctx.run(statScript(path, !!args.follow, algo, args.get_mime !== false));
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() || `stat of ${quote(path)} failed` };
    const { fields } = parseOutput(r.stdout);
    if (fields.failed !== undefined) return { changed: false, failed: true, msg: fields.failed };
    const st = parseStat(fields.st);
    if (!st) return { changed: false, stat: { exists: false } };
    return { changed: false, stat: statDict(path, st, fields) };
  },
};

export default stat;
