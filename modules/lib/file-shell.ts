// The shell half of the file module: functions d_main and one per state (absent, file,
// directory, link, hard, touch), following ansible's file module rules, plus the small pure
// helpers the TypeScript half uses to feed it (parent directory chain, timestamps).

/** Ansible's default time format, %Y%m%d%H%M.%S, is exactly `touch -t`'s CCYYMMDDhhmm.SS. */
export function timestampEpoch(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec] = m.map(Number);
  const t = new Date(y, mo - 1, d, h, mi, sec);
  return Number.isNaN(t.getTime()) ? undefined : Math.floor(t.getTime() / 1000);
}

/** now | preserve | a timestamp; missing means the state's default. */
export function timeSpec(v: unknown, dflt: 'now' | 'preserve'): string {
  if (v === undefined || v === null || v === '') return dflt;
  return String(v);
}

/** "/a/b/c" → ["/a", "/a/b", "/a/b/c"]; "a/b" → ["a", "a/b"]: what mkdir must create in order. */
export function parentChain(path: string): string[] {
  const abs = path.startsWith('/');
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  let cur = abs ? '' : '';
  for (const part of parts) {
    cur = cur === '' ? (abs ? '/' + part : part) : cur + '/' + part;
    out.push(cur);
  }
  return out.length ? out : [abs ? '/' : '.'];
}

export const FILE_SH = String.raw`_d_readlink() { readlink -- "$1" 2>/dev/null || ls -ld -- "$1" | sed 's/^.* -> //'; }
_d_ino() { ls -di -- "$1" 2>/dev/null | { read -r _d_i _d_r; printf '%s\n' "$_d_i"; }; }
_d_state() { # into $prev, without a process but for a file's link count
  if [ -h "$1" ]; then prev=link
  elif [ -d "$1" ]; then prev=directory
  elif [ -e "$1" ]; then
    _d_stv "$1"; set -- $_d_sv
    if [ "$1" = ls ]; then _d_n=$3; else _d_n=${'$'}{10}; fi
    if [ "${'$'}{_d_n:-1}" -gt 1 ] 2>/dev/null; then prev=hard; else prev=file; fi
  else prev=absent; fi
}
_d_mode_ok() { # $1 = hex mode now: the absolute mode asked for (and nothing else) is already there
  [ -n "$a_oct" ] && [ -z "$a_owner$a_group" ] && [ $(( 0x$1 & 07777 )) = "$a_oct" ]
}
_d_times() {
  case $mt in preserve) ;; now) _d_emit times 1; [ -n "$check" ] || touch -c -m -- "$1";; *) [ -n "$check" ] || touch -c -m -t "$mt" -- "$1";; esac
  case $at in preserve) ;; now) _d_emit times 1; [ -n "$check" ] || touch -c -a -- "$1";; *) [ -n "$check" ] || touch -c -a -t "$at" -- "$1";; esac
}
d_attrs_times() {
  _d_stv "$p" $L; st0=$_d_sv; _d_emit st0 "$st0"
  set -- $st0
  same=1
  if [ -z "$check" ] && [ -n "$a_mode$a_owner$a_group" ] && ! { [ -n "$1" ] && [ "$1" != ls ] && _d_mode_ok "$1"; }; then _d_attrs "$p"; same=; fi
  [ "$mt$at" = preservepreserve ] || same=
  _d_times "$p"
  if [ -z "$check" ]; then
    if [ -n "$same" ]; then st1=$st0; else _d_stv "$p" $L; st1=$_d_sv; fi
    _d_emit st1 "$st1"
  fi
}
d_absent() {
  if [ "$prev" != absent ]; then
    _d_emit changed 1
    if [ -z "$check" ]; then _d_e=$(rm -rf -- "$p" 2>&1) || _d_fail "rmtree failed: $_d_e"; fi
  fi
}
d_file() {
  cur=$prev
  if [ "$prev" = link ] && [ -n "$follow" ]; then
    if [ -d "$p" ]; then cur=directory; elif [ -e "$p" ]; then cur=file; else cur=absent; fi
  fi
  if [ "$cur" != file ] && [ "$cur" != hard ]; then _d_fail "file ($p) is $cur, cannot continue"; fi
  d_attrs_times
}
d_directory() {
  if [ "$prev" = link ] && [ -n "$follow" ] && [ -d "$p" ]; then prev=directory; _d_emit prev directory; fi
  case $prev in
    absent)
      _d_emit changed 1
      if [ -z "$check" ]; then
        for d in "$@"; do
          if [ ! -d "$d" ]; then
            # an absolute mode without special bits comes from the umask: no chmod
            [ -z "$a_dumask" ] || [ -n "$a_owner$a_group" ] || umask "$a_dumask"
            _d_e=$(mkdir -- "$d" 2>&1) || [ -d "$d" ] || _d_fail "There was an issue creating $d as requested: $_d_e"
            [ -n "$a_dumask" ] && [ -z "$a_owner$a_group" ] || _d_attrs "$d"
          fi
        done
      fi;;
    directory) d_attrs_times;;
    *) _d_fail "$p already exists as a $prev";;
  esac
  if [ -n "$recurse" ] && [ -d "$p" ]; then
    if [ -n "$check" ]; then
      find "$p" ! -path "$p" 2>/dev/null | while IFS= read -r f; do _d_emit rentry "$(_d_stat "$f")"; done
    else
      st1=
      r0=$(ls -lRn -- "$p" 2>/dev/null | cksum)
      if [ -n "$a_owner" ]; then chown -R -h -- "$a_owner" "$p" 2>/dev/null; fi
      if [ -n "$a_group" ]; then chgrp -R -h -- "$a_group" "$p" 2>/dev/null; fi
      if [ -n "$a_mode" ]; then chmod -R -- "$a_mode" "$p" 2>/dev/null; fi
      r1=$(ls -lRn -- "$p" 2>/dev/null | cksum)
      [ "$r0" = "$r1" ] || _d_emit recurse_changed 1
    fi
  fi
}
d_link() {
  if [ -d "$p" ] && [ ! -h "$p" ]; then rb=$p; else rb=$(dirname -- "$p"); fi
  case $src in /*) absrc=$src;; *) absrc="$rb/$src";; esac
  if [ -z "$force" ] && [ -n "$src" ] && [ ! -e "$absrc" ]; then
    _d_fail "src file does not exist, use \"force=yes\" if you really want to create the link: $absrc"
  fi
  case $prev in
    directory)
      [ -n "$force" ] || _d_fail "refusing to convert from directory to symlink for $p"
      [ -z "$(ls -A -- "$p" 2>/dev/null)" ] || _d_fail "the directory $p is not empty, refusing to convert it";;
    file|hard) [ -n "$force" ] || _d_fail "refusing to convert from $prev to symlink for $p";;
  esac
  ch=
  if [ "$prev" = link ]; then
    if [ -n "$src" ]; then old=$(_d_readlink "$p"); if [ "$old" != "$src" ]; then _d_emit old_src "$old"; ch=1; fi; fi
  else
    [ -n "$src" ] || _d_fail "src is required for creating new symlinks"
    ch=1
  fi
  if [ -n "$ch" ]; then
    _d_emit changed 1
    if [ -z "$check" ]; then
      case $prev in
        directory) rmdir -- "$p" 2>/dev/null || _d_fail "Error while replacing: cannot remove directory $p";;
        absent) ;;
        *) rm -f -- "$p";;
      esac
      _d_e=$(ln -s -- "$src" "$p" 2>&1) || _d_fail "Error while linking: $_d_e"
    fi
  fi
  if [ -n "$check" ] && [ -n "$ch" ] && [ "$prev" = absent ]; then return 0; fi
  if [ -n "$follow" ] && [ ! -e "$p" ]; then return 0; fi
  d_attrs_times
}
d_hard() {
  if [ "$prev" != hard ] && [ -z "$src" ]; then _d_fail "src is required for creating new hardlinks"; fi
  if [ -n "$src" ] && [ ! -e "$src" ]; then _d_fail "src does not exist"; fi
  ch=
  case $prev in
    absent) ch=1;;
    link) old=$(_d_readlink "$p"); if [ "$old" != "$src" ]; then _d_emit old_src "$old"; ch=1; fi;;
    hard) if [ -n "$src" ] && [ "$(_d_ino "$p")" != "$(_d_ino "$src")" ]; then
            ch=1; [ -n "$force" ] || _d_fail "Cannot link, different hard link exists at destination"; fi;;
    file) ch=1; [ -n "$force" ] || _d_fail "Cannot link, file exists at destination";;
    directory) if [ "$(_d_ino "$p")" != "$(_d_ino "$src")" ]; then
            ch=1; [ -n "$force" ] || _d_fail "Cannot link: different hard link exists at destination"; fi;;
  esac
  if [ -n "$ch" ]; then
    _d_emit changed 1
    if [ -z "$check" ]; then
      if [ "$prev" = directory ]; then rmdir -- "$p" 2>/dev/null || _d_fail "Error while replacing: cannot remove directory $p"; fi
      if [ "$prev" = link ]; then rm -f -- "$p"; fi
      _d_e=$(ln -f -- "$src" "$p" 2>&1) || _d_fail "Error while linking: $_d_e"
    fi
  fi
  if [ -n "$check" ] && [ -n "$ch" ] && [ "$prev" = absent ]; then return 0; fi
  d_attrs_times
}
d_touch() {
  if [ "$prev" = absent ]; then
    _d_emit changed 1
    if [ -z "$check" ]; then
      _d_e=$( { : > "$p"; } 2>&1) || _d_fail "Error, could not touch target: $_d_e"
      _d_attrs "$p"
    fi
    return 0
  fi
  d_attrs_times
}
d_main() {
  printf 'umask='; umask
  _d_state "$p"; _d_emit prev "$prev"
  if [ -z "$state" ]; then
    if [ "$prev" != absent ]; then state=$prev; elif [ -n "$recurse" ]; then state=directory; else state=file; fi
  fi
  _d_emit state "$state"
  if [ -n "$recurse" ] && [ "$state" != directory ]; then _d_fail "recurse option requires state to be 'directory'"; fi
  if [ -n "$src" ] && [ "$state" != link ] && [ "$state" != hard ]; then _d_fail "src option requires state to be 'link' or 'hard'"; fi
  L=; if [ -n "$follow" ]; then L=L; fi
  case $state in
    absent) d_absent;;
    file) d_file;;
    directory) d_directory "$@";;
    link) d_link;;
    hard) d_hard;;
    touch) d_touch;;
  esac
  # the last stat stands when it was of the same thing (not a link, or a link not followed)
  if [ -n "$st1" ] && { [ -z "$L" ] || [ ! -h "$p" ]; }; then _d_emit fin "$st1"; else _d_stv "$p"; _d_emit fin "$_d_sv"; fi
}
`;
