// The persistent-shell protocol: every command is written to one long-lived `/bin/sh` on the host
// and framed so it gets its own stdout, stderr and exit code. Pure functions: building the
// command text and finding the end markers in the byte streams.

import { exportEnv, quote } from '../modules-sdk/quote.js';

export interface FrameRequest {
  command: string;
  token: string;
  stdin?: Buffer;
  timeoutSec?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Text written to the session's stdin for one command. Every fork and exec on the host counts
 * (see README.md, "Why the framing looks as it does"), so a command costs exactly one fork: a
 * background subshell that sets env and cwd and `eval`s the command (no `sh -c`, no `setsid`, no
 * watcher process), with stdin from /dev/null, or the fed data as a here-document (no process
 * at all for text up to 4 KiB in dash), or through `printf | base64 -d` only for data a
 * here-document cannot carry. The session shell waits for it and prints the end markers: both
 * streams get one, stdout's carries the rc. A command is killed from a second channel
 * (killScript) while the session shell waits, so the session shell never reads while a command
 * runs. With a timeout the command runs under `timeout -s KILL N /bin/sh -c` instead.
 */
export function frameCommand(r: FrameRequest): string {
  const env = r.env ? exportEnv(r.env) : '';
  const cd = r.cwd ? `cd ${quote(r.cwd)} || exit 1; ` : 'cd; ';
  const run = r.timeoutSec ? `exec timeout -s KILL ${Math.ceil(r.timeoutSec)} /bin/sh -c ${quote(r.command)}` : `eval ${quote(r.command)}`;
  let head = '';
  let input = '</dev/null';
  let heredoc = '';
  if (r.stdin !== undefined) {
    const data = r.stdin;
    const delim = `${r.token}IN`;
    // the frame is text (written as UTF-8): only valid UTF-8 travels as itself
    const text = data.toString('utf8');
    const plain = !data.includes(0) && Buffer.byteLength(text) === data.length && !text.includes('\ufffd');
    if (data.length === 0) input = '</dev/null';
    else if (plain && hereDocSafe(text, delim)) {
      input = `<<'${delim}'`;
      heredoc = `\n${text}${delim}`;
    } else if (plain) {
      head = `printf '%s' ${quote(text)} | `;
      input = '';
    } else {
      head = `printf '%s' ${quote(data.toString('base64'))} | base64 -d | `;
      input = '';
    }
  }
  const body = `${head}( ${env}${cd}${run} ) ${input} & wait $!; __drv_rc=$?`;
  return `${body}${heredoc}\nprintf '\\n%s %s\\n' '${r.token}' "$__drv_rc"; printf '\\n%s\\n' '${r.token}' >&2\n`;
}

/** Text a quoted here-document carries as it is: ends with a newline, no line equal to the delimiter. */
function hereDocSafe(text: string, delim: string): boolean {
  return text.endsWith('\n') && !text.startsWith(delim + '\n') && !text.includes('\n' + delim + '\n');
}

/**
 * Script for a second shell of the same user that kills every descendant of the session shell
 * `pid` (the running command and whatever it started), leaving the session shell itself: each
 * round stops the descendants it finds (so none can fork new ones), until a round finds no new
 * one, then all are killed. Needs /proc or ps.
 */
export function killScript(pid: number): string {
  return String.raw`S=${pid}; all=" "
_kd_list() {
  if command -v ps >/dev/null 2>&1; then ps -e -o pid= -o ppid= | while read -r a b; do printf '%s:%s ' "$a" "$b"; done
  else
    for f in /proc/[0-9]*/stat; do read -r l < "$f" 2>/dev/null || continue; r=${'$'}{l##*) }; set -- $r; printf '%s:%s ' "${'$'}{l%% *}" "$2"; done
  fi
}
while :; do
  t=$(_kd_list); d=" $S "; n=1
  while [ $n = 1 ]; do n=0; for e in $t; do case "$d" in *" ${'$'}{e#*:} "*) case "$d" in *" ${'$'}{e%:*} "*) ;; *) d="$d${'$'}{e%:*} "; n=1;; esac;; esac; done; done
  new=0; for c in $d; do [ "$c" = "$S" ] && continue; case "$all" in *" $c "*) ;; *) all="$all$c "; new=1; kill -STOP "$c" 2>/dev/null;; esac; done
  [ $new = 0 ] && break
done
for c in $all; do kill -KILL "$c" 2>/dev/null; done; exit 0
`;
}

/** Accumulates one stream until its end marker; returns the payload once complete. */
export class MarkerReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private tail: Buffer = Buffer.alloc(0);
  done = false;
  payload: Buffer | undefined;
  /** For stdout the marker line carries the exit code. */
  rc: number | undefined;

  constructor(
    private readonly marker: Buffer, // "\nTOKEN"
    private readonly withRc: boolean,
  ) {}

  /** Feed bytes; returns bytes that belong to the next command (should be none). */
  push(chunk: Buffer): Buffer | undefined {
    if (this.done) return chunk;
    this.chunks.push(chunk);
    this.size += chunk.length;
    // most answers come in one chunk: no copies then
    const window = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const idx = window.indexOf(this.marker);
    if (idx < 0) {
      this.tail = window.subarray(Math.max(0, window.length - this.marker.length - 24));
      return undefined;
    }
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const start = all.length - window.length + idx;
    const after = all.subarray(start + this.marker.length);
    const nl = after.indexOf(0x0a);
    if (nl < 0) {
      // the rest of the marker line has not arrived yet
      this.chunks.length = 0;
      this.chunks.push(all);
      this.tail = window;
      return undefined;
    }
    if (this.withRc) this.rc = parseInt(after.subarray(0, nl).toString('latin1').trim(), 10);
    this.payload = all.subarray(0, start);
    this.done = true;
    const rest = after.subarray(nl + 1);
    return rest.length ? rest : undefined;
  }
}
