// One persistent `/bin/sh` per (host, become user) over an ssh2 exec channel: commands are queued,
// written with the framing of framing.ts, and answered in order. A command past its timeout is
// killed on the host (timeout -s KILL); a command whose signal aborts (task timeout, Ctrl-C) is
// killed by the session's killer: a second shell of the same user running framing.ts's
// killScript() against the session shell's pid, which the session reports first thing. If the
// session stops answering it is destroyed and the next command opens a new one.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from './types.js';
import { frameCommand, MarkerReader } from './framing.js';

export class SessionClosedError extends Error {}

interface Pending {
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  out: MarkerReader;
  err: MarkerReader;
  started: number;
  timeoutMs?: number;
  guard?: NodeJS.Timeout;
  /** Set once the command was killed (opts.signal aborted). */
  killed?: boolean;
  unlisten?: () => void;
}

/** How long a killed command may take to report back before the session is given up. */
const KILL_GRACE_MS = 5000;
/** How long the killer itself may take (a new channel, maybe a become handshake). */
const KILLER_MAX_MS = 60_000;

/** Kills every descendant of the session shell `pid` on the host (e.g. from a second channel). */
export type Killer = (pid: number) => Promise<void>;

export class ShellSession {
  private readonly prefix = `__DRV_${randomBytes(8).toString('hex')}`;
  private counter = 0;
  private current: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  closed = false;
  /** The session shell's pid ($$), reported on stdout before anything else. */
  pid: number | undefined;
  private pidLine = '';

  constructor(
    private readonly channel: ClientChannel,
    private readonly killer?: Killer,
  ) {
    channel.on('data', (d: Buffer) => this.onData(d, 'out'));
    channel.stderr.on('data', (d: Buffer) => this.onData(d, 'err'));
    channel.on('close', () => this.onClose());
    channel.write(`printf '%s %s\\n' ${this.prefix}_PID "$$"\n`);
  }

  private onData(d: Buffer, which: 'out' | 'err'): void {
    if (which === 'out' && this.pid === undefined) {
      // the first line on stdout is the pid report; the rest belongs to the first command
      this.pidLine += d.toString('latin1');
      const nl = this.pidLine.indexOf('\n');
      if (nl < 0) return;
      const m = new RegExp(`${this.prefix}_PID (\\d+)`).exec(this.pidLine.slice(0, nl));
      this.pid = m ? Number(m[1]) : 0;
      const rest = Buffer.from(this.pidLine.slice(nl + 1), 'latin1');
      this.pidLine = '';
      if (!rest.length) return;
      d = rest;
    }
    const p = this.current;
    if (!p) return; // noise between commands (e.g. a late background writer)
    (which === 'out' ? p.out : p.err).push(d);
    if (p.out.done && p.err.done) this.finish(p);
  }

  private finish(p: Pending): void {
    if (p.guard) clearTimeout(p.guard);
    p.unlisten?.();
    this.current = undefined;
    const durationMs = Date.now() - p.started;
    const rc = p.out.rc ?? 255;
    const timedOut = Boolean(p.killed) || (p.timeoutMs !== undefined && (rc === 137 || rc === 124) && durationMs >= p.timeoutMs - 50);
    p.resolve({ rc, stdout: (p.out.payload ?? Buffer.alloc(0)).toString('utf8'), stderr: (p.err.payload ?? Buffer.alloc(0)).toString('utf8'), timedOut, durationMs });
  }

  private onClose(): void {
    this.closed = true;
    const p = this.current;
    this.current = undefined;
    if (p) {
      if (p.guard) clearTimeout(p.guard);
      p.unlisten?.();
      // a killed command whose session had to be given up is still just a killed command
      if (p.killed) p.resolve({ rc: 137, stdout: (p.out.payload ?? Buffer.alloc(0)).toString('utf8'), stderr: '', timedOut: true, durationMs: Date.now() - p.started });
      else p.reject(new SessionClosedError('the shell session closed while a command was running'));
    }
  }

  /** Run one command; commands on a session run one after another. */
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const run = () => this.run(command, opts);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private run(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new SessionClosedError('shell session is closed'));
    if (opts.signal?.aborted) return Promise.resolve({ rc: 137, stdout: '', stderr: '', timedOut: true, durationMs: 0 });
    const token = `${this.prefix}_${++this.counter}__`;
    const marker = Buffer.from('\n' + token);
    return new Promise((resolve, reject) => {
      const p: Pending = {
        resolve, reject, started: Date.now(), timeoutMs: opts.timeoutMs,
        out: new MarkerReader(marker, true), err: new MarkerReader(marker, false),
      };
      if (opts.timeoutMs) {
        // the host kills the command itself; this guard only catches a session that hangs
        p.guard = setTimeout(() => {
          this.destroy();
        }, opts.timeoutMs + 10_000);
      }
      const signal = opts.signal;
      if (signal) {
        const onAbort = () => {
          if (this.current !== p || p.killed) return;
          p.killed = true;
          if (p.guard) clearTimeout(p.guard);
          // the killer opens its own channel (and become), which may take a while on a busy host
          p.guard = setTimeout(() => this.destroy(), KILLER_MAX_MS);
          const kill = this.killer && this.pid ? this.killer(this.pid) : Promise.reject(new Error('no killer'));
          kill.then(
            () => {
              // killed: the command reports back at once; if it does not, give up the session
              if (this.current !== p) return;
              if (p.guard) clearTimeout(p.guard);
              p.guard = setTimeout(() => this.destroy(), KILL_GRACE_MS);
            },
            () => this.destroy(),
          );
        };
        signal.addEventListener('abort', onAbort, { once: true });
        p.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.current = p;
      const stdin = opts.stdin === undefined ? undefined : Buffer.from(opts.stdin);
      this.channel.write(frameCommand({ command, token, stdin, timeoutSec: opts.timeoutMs ? opts.timeoutMs / 1000 : undefined, env: opts.env, cwd: opts.cwd }));
    });
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.channel.close();
    } catch {
      /* already gone */
    }
    this.onClose();
  }
}
