// Put content at a path in one round trip (copy, template, lineinfile): the content travels inside
// the script as a shell string (on stdin when it has NUL bytes or is large; or it comes from a
// remote file), the script compares it with `cmp` (not at all when the sizes differ), backs up,
// validates, moves it into place atomically keeping the old file's mode and owner, applies
// attributes and reports before/after stats — or, in check mode, only compares. Every fork and
// exec on the host counts (engine/transport/README.md): builtins where they do the job, and no
// process for what is already known (chown and the second stat run only when something is to
// change). The new content goes to a file mktemp creates beside the destination, never to a
// name another user could predict or create first.
import { attrChange, attrVars, SH_ATTRS, type AttrPlan } from './attrs.js';
import { parseStat, type FileStat } from './facts.js';
import { quote } from './quote.js';
import { BODY_MARKER, buildScript, parseOutput, shVars } from './script.js';
import type { ModuleContext } from './types.js';

/** Ansible's DIFF max_diff_size: larger files are not diffed. */
export const MAX_DIFF_SIZE = 104448;

export interface WriteRequest {
  dest: string;
  /** Content to write (sent on stdin); or... */
  content?: Buffer;
  /** ...a file already on the target (copy remote_src). */
  remoteSrc?: string;
  /** When dest is an existing directory, write to dest/<basename>. */
  basename?: string;
  attrs: AttrPlan;
  /** Replace a different existing file (copy's force); default true. */
  force?: boolean;
  backup?: boolean;
  /** Command run on the new content before it is moved into place; %s is its path. */
  validate?: string;
  /** Create missing parent directories (lineinfile create=yes, copy dest ending in /). */
  makeParents?: boolean;
  /** Ansible's diff: return the old content when the content changes. */
  wantDiff?: boolean;
  /** Compute the sha1 of the written file on the target (remote_src). */
  remoteChecksum?: boolean;
  /** Mode to give the file when it is new ("preserve" resolved by the caller). */
  newMode?: string;
}

export interface WriteOutcome {
  failed?: string;
  /** Final path (dest/basename when dest was a directory). */
  dest: string;
  before?: FileStat;
  after?: FileStat;
  contentChanged: boolean;
  attrsChanged: boolean;
  attrsDiff?: { before: Record<string, unknown>; after: Record<string, unknown> };
  /** force=no and dest exists: nothing was compared or written. */
  skippedExisting?: boolean;
  backupFile?: string;
  /** Previous content, when wantDiff and the content changed (and it was small enough). */
  oldContent?: string;
  diffSkipped?: string;
  checksum?: string;
  umask?: number;
}

/** Content up to this size without NUL bytes travels inside the script, else on stdin. */
const INLINE_MAX = 256 * 1024;

function inlineContent(c: Buffer | undefined): string | undefined {
  if (!c || c.length > INLINE_MAX || c.includes(0)) return undefined;
  const text = c.toString('utf8');
  return Buffer.byteLength(text) === c.length && !text.includes('\ufffd') ? text : undefined;
}

function writeScript(r: WriteRequest, check: boolean, inline: string | undefined): string {
  const oct = r.attrs.mode?.kind === 'octal' ? r.attrs.mode.value : undefined;
  const vars = shVars({
    dest: r.dest,
    base: r.basename ?? '',
    srcf: r.remoteSrc ?? '-',
    inl: inline !== undefined,
    _d_c: inline ?? '',
    clen: inline !== undefined ? Buffer.byteLength(inline) : r.content && !r.remoteSrc ? r.content.length : '',
    check,
    force: r.force ?? true,
    backup: !!r.backup,
    parents: !!r.makeParents,
    want_diff: !!r.wantDiff,
    want_sum: !!r.remoteChecksum,
    new_mode: r.newMode ?? '',
    maxdiff: MAX_DIFF_SIZE,
    // an absolute mode (decimal): a new file without x or special bits gets it at once
    a_oct: oct ?? '',
  });
  const validate = r.validate
    ? `_d_v=$(${r.validate.replace(/%s/g, '"$tmp"')} 2>&1) || { rm -f "$tmp"; _d_fail "failed to validate: $_d_v"; }`
    : ':';
  return buildScript(
    SH_ATTRS,
    vars,
    attrVars(r.attrs),
    String.raw`printf 'umask='; umask
if [ -n "$base" ] && [ -d "$dest" ]; then dest="${'$'}{dest%/}/$base"; fi
_d_emit dest "$dest"
if [ "$srcf" != - ] && [ ! -r "$srcf" ]; then _d_fail "Source $srcf not found"; fi
_d_put() { if [ -n "$inl" ]; then printf '%s' "$_d_c"; else cat -- "$srcf"; fi; }
_d_sizediff() { # the content's size is known and differs from the old file's: no need to compare
  [ -n "$clen" ] && [ -n "$st0" ] && { set -- $st0; [ "$1" != ls ] && [ "$4" != "$clen" ]; }
}
_d_same() { # $1: the file to compare with the content; - when the content is inline or on stdin
  _d_sizediff && return 1
  if [ "$1" != - ]; then cmp -s -- "$1" "$dest"; elif [ -n "$inl" ]; then printf '%s' "$_d_c" | cmp -s - "$dest"; else cmp -s -- "$srcf" "$dest"; fi
}
_d_newmode() { # mktemp made $tmp 0600: a new file gets the absolute mode asked for, else 0666 less the umask
  if [ -n "$a_oct" ] && [ $(( a_oct & ~0666 )) = 0 ]; then chmod "$(printf '%o' "$a_oct")" "$tmp"
  else chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp"; fi
}
_d_mode_ok() { # $1 = hex mode of the file now: the absolute mode asked for is already there
  [ -n "$a_oct" ] && [ -z "$a_owner$a_group" ] && [ $(( 0x$1 & 07777 )) = "$a_oct" ]
}
dir=${'$'}{dest%/*}
case $dest in */*) [ -n "$dir" ] || dir=/;; *) dir=.;; esac
if [ ! -d "$dir" ]; then
  if [ -n "$parents" ] && [ -z "$check" ]; then mkdir -p -- "$dir" || _d_fail "Error creating $dir"
  elif [ -z "$parents" ]; then _d_fail "Destination directory $dir does not exist"; fi
fi
[ -d "$dest" ] && _d_fail "Destination $dest is a directory"
_d_stv "$dest" L; st0=$_d_sv; _d_emit before "$st0"
if [ -n "$st0" ] && [ -z "$force" ]; then _d_emit skipped_existing 1; exit 0; fi
if [ -n "$check" ]; then
  if [ -z "$st0" ]; then _d_emit differs 1; elif ! _d_same -; then _d_emit differs 1; old=$dest; fi
else
  touched=
  if [ -n "$st0" ] && [ -n "$inl" ] && _d_same -; then :
  else
    # mkstemp's way: an unpredictable name, created exclusively (0600) beside the destination
    tmp=$(mktemp "$dir/.drover.XXXXXXXXXX" 2>/dev/null) || _d_fail "could not write to $dir"
    # the shell's printf only says "I/O error": on failure write once more through cat for the reason (ENOSPC...)
    _d_put > "$tmp" 2>/dev/null || { _d_why=$( (_d_put | cat > "$tmp") 2>&1 ); rm -f "$tmp"; _d_fail "could not write to $dir: ${'$'}{_d_why#cat: }"; }
    if [ -n "$st0" ] && [ -z "$inl" ] && _d_same "$tmp"; then rm -f "$tmp"
    else
      touched=1
      _d_emit differs 1
      ${validate}
      if [ -n "$st0" ]; then
        if [ -n "$backup" ]; then
          bk="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
          cp -p -- "$dest" "$bk" && _d_emit backup_file "$bk"
        fi
        if [ -n "$want_diff" ]; then cp -- "$dest" "$tmp.old" 2>/dev/null && old="$tmp.old"; fi
        set -- $st0
        if [ "$1" != ls ]; then
          # keep the old owner (unless it is already ours) and mode (unless the mode asked for is absolute)
          if [ ! -O "$dest" ] || [ ! -G "$dest" ] || [ -g "$dir" ]; then chown "$2:$3" "$tmp" 2>/dev/null; fi
          if [ -z "$a_oct" ]; then
            m=$(( 0x$1 & 07777 )); chmod "$(( (m >> 9) & 7 ))$(( (m >> 6) & 7 ))$(( (m >> 3) & 7 ))$(( m & 7 ))" "$tmp"
          fi
        else _d_newmode
        fi
      elif [ -n "$new_mode" ]; then chmod -- "$new_mode" "$tmp"
      else _d_newmode
      fi
      mv -f -- "$tmp" "$dest" || { rm -f "$tmp"; _d_fail "could not move file into place: $dest"; }
    fi
  fi
  # attributes: nothing to run when an absolute mode is already there
  aft=
  if [ -n "$a_owner$a_group" ] || [ -n "$a_mode" ]; then
    if [ -z "$touched" ] && [ -n "$st0" ]; then cur=$st0; else _d_stv "$dest" L; cur=$_d_sv; aft=$cur; fi
    set -- $cur
    if [ "$1" = ls ] || ! _d_mode_ok "$1"; then _d_attrs "$dest"; touched=1; aft=; fi
  fi
  if [ -n "$touched" ]; then [ -n "$aft" ] || { _d_stv "$dest" L; aft=$_d_sv; }; _d_emit after "$aft"; else _d_emit after "$st0"; fi
  if [ -n "$want_sum" ]; then _d_emit checksum "$(_d_sum sha1 "$dest")"; fi
fi
if [ -n "$want_diff" ] && [ -n "$old" ]; then
  set -- $st0
  if [ "$4" -gt "$maxdiff" ] 2>/dev/null; then _d_emit diff_skipped "$4"
  else printf '%s\n' ${quote(BODY_MARKER)}; cat -- "$old"; fi
  [ "$old" = "$dest" ] || rm -f -- "$old"
fi`,
  );
}

/** Write (or, in check mode, compare) content at a path. */
export async function writeContent(ctx: ModuleContext, r: WriteRequest): Promise<WriteOutcome> {
  const inline = r.remoteSrc ? undefined : inlineContent(r.content);
  const res = await ctx.run(writeScript(r, ctx.check, inline), inline !== undefined ? {} : { stdin: r.content ?? Buffer.alloc(0) });
  const { fields, body } = parseOutput(res.stdout);
  const out: WriteOutcome = {
    dest: fields.dest ?? r.dest,
    contentChanged: fields.differs === '1',
    attrsChanged: false,
    umask: fields.umask ? parseInt(fields.umask, 8) : undefined,
  };
  if (fields.failed !== undefined) return { ...out, failed: fields.failed };
  if (res.rc !== 0) return { ...out, failed: (res.stderr || res.stdout).trim() || `rc=${res.rc}` };
  out.before = parseStat(fields.before);
  out.after = parseStat(fields.after);
  if (fields.skipped_existing) return { ...out, skippedExisting: true };
  if (fields.backup_file) out.backupFile = fields.backup_file;
  if (fields.checksum) out.checksum = fields.checksum;
  if (fields.diff_skipped) out.diffSkipped = `diff skipped: destination file size is greater than ${MAX_DIFF_SIZE}`;
  if (body !== undefined) out.oldContent = body;
  if (out.before) {
    // In check mode, a new file's attributes are unknown; a content change already means changed.
    const a = attrChange(r.attrs, out.before, out.after, ctx.check, out.umask);
    out.attrsChanged = a.changed;
    if (a.changed) out.attrsDiff = { before: a.before, after: a.after };
  }
  return out;
}
