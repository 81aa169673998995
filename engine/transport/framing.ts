// The persistent-shell protocol: every command is written to one long-lived `/bin/sh` on the host
// and framed so it gets its own stdout, stderr and exit code. Pure functions: building the
// command text and finding the end markers in the byte streams.

export function shQuote(s: string): string {
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

export interface FrameRequest {
  command: string;
  token: string;
  stdin?: Buffer;
  timeoutSec?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** The line that, written to the session while a command runs, kills that command's process group. */
export function killLine(token: string): string {
  return `: ${token}KILL\n`;
}

/**
 * Text written to the session's stdin for one command. The command runs in a subshell (cwd and
 * environment cannot leak) in its own process group (`timeout -s KILL N` when a timeout is set,
 * else `setsid`), in the background, with stdin from /dev/null unless data is fed (base64,
 * inline). While it runs, a reader subshell watches the session's stdin for killLine(token) and
 * kills the whole group when it comes (task timeouts, Ctrl-C); the session shell itself never
 * reads while a command runs, so the line cannot be taken for a command (if it arrives too late
 * it runs as the no-op `:`). Then both streams get an end marker and stdout the rc.
 */
export function frameCommand(r: FrameRequest): string {
  const env = r.env ? Object.entries(r.env).map(([k, v]) => `export ${k}=${shQuote(v)}; `).join('') : '';
  const cd = r.cwd ? `cd ${shQuote(r.cwd)} || exit 1; ` : 'cd; ';
  const inner = `/bin/sh -c ${shQuote(r.command)}`;
  // own process group: timeout(1) makes one for itself; setsid does when there is no timeout
  // (without either tool only the command's shell can be killed)
  const run = r.timeoutSec
    ? `exec timeout -s KILL ${Math.ceil(r.timeoutSec)} ${inner}`
    : `if command -v setsid >/dev/null 2>&1; then exec setsid ${inner}; else exec ${inner}; fi`;
  const input = r.stdin === undefined ? '</dev/null' : '';
  const feed = r.stdin === undefined ? '' : `printf '%s' ${shQuote(r.stdin.toString('base64'))} | base64 -d | `;
  const kill = killLine(r.token).trim();
  const watch = `( while read -r __drv_l; do if [ "$__drv_l" = ${shQuote(kill)} ]; then kill -KILL -$__drv_p 2>/dev/null || kill -KILL $__drv_p 2>/dev/null; break; fi; done ) <&3 >/dev/null 2>&1 & __drv_w=$!; `;
  return `exec 3<&0; ${feed}( ${env}${cd}${run} ) ${input} 3<&- & __drv_p=$!; ${watch}wait $__drv_p 2>/dev/null; __drv_rc=$?; kill $__drv_w 2>/dev/null; wait $__drv_w 2>/dev/null; exec 3<&-; printf '\\n%s %s\\n' '${r.token}' "$__drv_rc"; printf '\\n%s\\n' '${r.token}' >&2\n`;
}

/** Accumulates one stream until its end marker; returns the payload once complete. */
export class MarkerReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private tail = Buffer.alloc(0);
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
    const window = Buffer.concat([this.tail, chunk]);
    const idx = window.indexOf(this.marker);
    if (idx < 0) {
      this.tail = window.subarray(Math.max(0, window.length - this.marker.length - 24));
      return undefined;
    }
    const all = Buffer.concat(this.chunks);
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
