// One-round-trip scripts: a module builds one POSIX sh script that inspects state, decides,
// applies and prints `key=value` lines (optionally followed by a raw body after a marker line);
// parseOutput() turns that back into fields. No python, jq or bash needed on the target.
import { quote } from './quote.js';

/** Line that separates the `key=value` fields from a raw body (file content for diffs). */
export const BODY_MARKER = '__DROVER_BODY__';

/**
 * Shell functions every script gets. Names start with `_d_` to stay out of the way.
 *  _d_emit KEY VALUE     print one result field
 *  _d_stat PATH [L]      one line "hexmode uid gid size mtime atime ctime inode dev nlink owner group"
 *                        (GNU, then BSD stat; `ls -ldn` as last resort); nothing when absent; L follows links
 *  _d_stv PATH [L]       the same into $_d_sv, at the cost of one process (none when absent):
 *                        on these hosts every fork and exec counts (engine/transport/README.md)
 *  _d_sum ALGO PATH      hex digest (sha1, sha256, md5, ...) with whatever tool exists
 *  _d_sum_ok ALGO        is there a tool for _d_sum (builtins only; a missing one must fail the task)
 *  _d_fail MSG           print failed=MSG and exit 0 (the failure is reported as data)
 *  _d_home NAME          expand a leading ~ in the variable NAME to $HOME, in place, without a
 *                        process (AnsibleModule's expanduser of `path` options)
 */
export const SH_LIB = String.raw`_d_emit() { printf '%s=%s\n' "$1" "$2"; }
_d_fail() { _d_emit failed "$1"; exit 0; }
_d_home() { eval "_d_x=\${$1}"; case "$_d_x" in "~") eval "$1=\$HOME";; "~/"*) eval "$1=\"\$HOME/\${_d_x#\"~/\"}\"";; esac; }
_d_stat() {
  if [ "$2" = L ]; then _d_l=-L; [ -e "$1" ] || return 0; else _d_l=; [ -e "$1" ] || [ -h "$1" ] || return 0; fi
  stat $_d_l -c '%f %u %g %s %Y %X %Z %i %d %h %U %G' -- "$1" 2>/dev/null && return 0
  stat $_d_l -f '%Xp %u %g %z %m %a %c %i %d %l %Su %Sg' -- "$1" 2>/dev/null && return 0
  if [ -e "$1" ] || [ -h "$1" ]; then printf 'ls %s\n' "$(ls -ldn $_d_l -- "$1" 2>/dev/null)"; fi
}
_d_stv() {
  _d_sv=
  if [ "$2" = L ]; then _d_l=-L; [ -e "$1" ] || return 0; else _d_l=; [ -e "$1" ] || [ -h "$1" ] || return 0; fi
  _d_sv=$(stat $_d_l -c '%f %u %g %s %Y %X %Z %i %d %h %U %G' -- "$1" 2>/dev/null) || _d_sv=$(_d_stat "$1" "$2")
}
_d_sum_ok() {
  command -v "$1sum" >/dev/null 2>&1 || command -v shasum >/dev/null 2>&1 || command -v openssl >/dev/null 2>&1 ||
    { [ "$1" = md5 ] && command -v md5 >/dev/null 2>&1; }
}
_d_sum() {
  { "$1sum" -- "$2" 2>/dev/null || shasum -a "$(printf '%s' "$1" | tr -dc 0-9)" -- "$2" 2>/dev/null ||
    openssl "$1" -r "$2" 2>/dev/null || { [ "$1" = md5 ] && md5 -r "$2" 2>/dev/null; }; } |
    { read -r _d_h _d_rest && printf '%s\n' "$_d_h"; }
}
`;

/** Shell variable assignments, values quoted: vars({dest: '/a b'}) → "dest='/a b'". */
export function shVars(vars: Record<string, string | number | boolean | undefined | null>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${v === undefined || v === null ? "''" : typeof v === 'boolean' ? (v ? '1' : '') : quote(v)}`)
    .join('\n');
}

/** Assemble a script: the library, then the given lines. */
export function buildScript(...parts: string[]): string {
  return [SH_LIB, ...parts].join('\n') + '\n';
}

export interface ParsedOutput {
  /** Last value seen for each key. */
  fields: Record<string, string>;
  /** Every value seen for each key, in order (for repeated keys). */
  lists: Record<string, string[]>;
  /** Text after the BODY_MARKER line, if one was printed. */
  body?: string;
}

const FIELD = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Parse a script's stdout: `key=value` lines, other lines ignored, body after the marker. */
export function parseOutput(stdout: string): ParsedOutput {
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  let body: string | undefined;
  let rest = stdout;
  const markerAt = stdout.startsWith(BODY_MARKER + '\n') ? 0 : stdout.indexOf('\n' + BODY_MARKER + '\n');
  if (markerAt >= 0) {
    const start = markerAt === 0 ? 0 : markerAt + 1;
    body = stdout.slice(start + BODY_MARKER.length + 1);
    rest = stdout.slice(0, start);
  }
  for (const line of rest.split('\n')) {
    const m = FIELD.exec(line);
    if (!m) continue;
    fields[m[1]] = m[2];
    (lists[m[1]] ??= []).push(m[2]);
  }
  return body === undefined ? { fields, lists } : { fields, lists, body };
}

/** Split command output into lines the way Python's splitlines() does for \n and \r\n. */
export function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Ansible's timestamp format for command results: "2024-01-31 12:00:00.123456". */
export function ansibleTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`
  );
}

/** Ansible's timedelta rendering: "0:00:01.234000". */
export function ansibleDelta(ms: number): string {
  const total = Math.max(0, ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const us = (total % 1000) * 1000;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(Math.round(us)).padStart(6, '0')}`;
}
