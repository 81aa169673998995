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

/**
 * Text written to the session's stdin for one command. The command runs in a subshell (cwd and
 * environment cannot leak), with stdin from /dev/null unless data is fed (base64, inline), under
 * `timeout -s KILL` when a timeout is set; then both streams get an end marker and stdout the rc.
 */
export function frameCommand(r: FrameRequest): string {
  const env = r.env ? Object.entries(r.env).map(([k, v]) => `export ${k}=${shQuote(v)}; `).join('') : '';
  const cd = r.cwd ? `cd ${shQuote(r.cwd)} || exit 1; ` : 'cd; ';
  const run = `${r.timeoutSec ? `exec timeout -s KILL ${Math.ceil(r.timeoutSec)} ` : 'exec '}/bin/sh -c ${shQuote(r.command)}`;
  const input = r.stdin === undefined ? '</dev/null' : '';
  const feed = r.stdin === undefined ? '' : `printf '%s' ${shQuote(r.stdin.toString('base64'))} | base64 -d | `;
  return `${feed}( ${env}${cd}${run} ) ${input}; __drv_rc=$?; printf '\\n%s %s\\n' '${r.token}' "$__drv_rc"; printf '\\n%s\\n' '${r.token}' >&2\n`;
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
