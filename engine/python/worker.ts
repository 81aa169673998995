// The controller side of the warm Python worker (worker-source.ts): one worker per host and
// interpreter, a resident process of the host's connection (Connection.resident: its own channel
// of the host's ssh session, stopped with the connection at the end of the run). Each module run
// is one request; the worker forks a child for it and answers with the child's exit code and
// output, which are read exactly as the one-shot path's (result.ts).
//
// Under become the worker runs as the become user: one worker per host, interpreter and become
// user/method/password, started through the same sudo/su handshake as the become shell.
// When the worker is not used (the module runs as before, one interpreter per task):
// - async tasks (async_wrapper runs the module on the host), non-new-style modules;
// - the task's `environment` sets PYTHON* or locale variables (read when an interpreter starts);
// - the python_worker setting is off (DROVER_PYTHON_WORKER=0);
// - the worker could not start on that host for that user (the connection remembers it).
import { quote } from '../modules-sdk/quote.js';
import type { ModuleContext } from '../modules-sdk/types.js';
import type { ExecResult, ResidentProcess } from '../transport/types.js';
import { WORKER_SOURCE } from './worker-source.js';

/** rc of a child killed by SIGKILL (128 + 9), as the shell path reports it. */
const KILLED_RC = 137;
/** `environment` keys that only a new interpreter honours. */
const STARTUP_ENV = /^(PYTHON\w*|LANG|LANGUAGE|LC_\w+)$/;
/** How long a worker may take to say it is ready (a loaded host, a cold interpreter). */
const READY_MS = 60_000;

interface Answer {
  id: number;
  rc: number;
  out: string;
  err: string;
}

export class WorkerClient {
  private nextId = 1;
  private buf = '';
  private stderr = '';
  private readonly pending = new Map<number, (a: Answer | undefined) => void>();
  /** The worker's pid on the host once it said it is ready. */
  pid: number | undefined;
  readonly ready: Promise<boolean>;

  constructor(private readonly proc: ResidentProcess) {
    let onReady: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (onReady = resolve));
    const timer = setTimeout(() => onReady(false), READY_MS);
    proc.onStderr((d) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4096);
    });
    proc.onData((d) => {
      // a large answer arrives in many chunks: look for its end in the new chunk only
      const from = this.buf.length;
      this.buf += d.toString('latin1');
      let nl = this.buf.indexOf('\n', from);
      for (; nl >= 0; nl = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not ours (a login banner on stdout)
        }
        if (typeof msg.ready === 'number') {
          this.pid = msg.ready;
          clearTimeout(timer);
          onReady(true);
        } else if (typeof msg.id === 'number') {
          this.pending.get(msg.id)?.(msg as unknown as Answer);
          this.pending.delete(msg.id);
        }
      }
    });
    proc.onExit(() => {
      clearTimeout(timer);
      onReady(false);
      for (const done of this.pending.values()) done(undefined);
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return !this.proc.exited;
  }

  /**
   * Run the wrapper program `src` in a forked child. `tmp` and `hash` name the payload folder
   * (so the worker knows whether its preloaded module_utils match); the signal kills the child.
   */
  run(src: string, req: { env?: Record<string, string>; tmp: string; hash: string }, signal?: AbortSignal): Promise<ExecResult> {
    const started = Date.now();
    if (signal?.aborted) return Promise.resolve({ rc: KILLED_RC, stdout: '', stderr: '', timedOut: true, durationMs: 0 });
    const id = this.nextId++;
    return new Promise((resolve) => {
      let killed = false;
      const onAbort = () => {
        killed = true;
        this.proc.write(JSON.stringify({ id, op: 'kill' }) + '\n');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, (a) => {
        signal?.removeEventListener('abort', onAbort);
        const durationMs = Date.now() - started;
        if (!a) {
          // the worker itself is gone (killed on the host, the session dropped): as a shell that died
          resolve({ rc: killed ? KILLED_RC : 255, stdout: '', stderr: `the Python worker on the host exited while the module ran${this.stderr ? `: ${this.stderr.trim()}` : ''}`, timedOut: killed, durationMs });
          return;
        }
        const res: ExecResult = { rc: a.rc, stdout: Buffer.from(a.out, 'base64').toString('utf8'), stderr: Buffer.from(a.err, 'base64').toString('utf8'), durationMs };
        if (killed) res.timedOut = true;
        resolve(res);
      });
      this.proc.write(JSON.stringify({ id, op: 'run', src, env: req.env ?? {}, tmp: req.tmp, hash: req.hash }) + '\n');
    });
  }
}

/** The run's workers: one client per resident process (the connection keeps the processes). */
export class WorkerPool {
  private readonly clients = new WeakMap<ResidentProcess, WorkerClient>();

  constructor(readonly enabled = true) {}

  /** The host's worker for `python`, started on first use; undefined: take the one-shot path. */
  async get(ctx: ModuleContext, python: string): Promise<WorkerClient | undefined> {
    if (!this.enabled || ctx.asyncJob || !ctx.conn.resident) return undefined;
    // variables the interpreter reads when it starts (PYTHONPATH, the locale of its streams) must
    // reach a fresh one
    if (Object.keys(ctx.environment ?? {}).some((k) => STARTUP_ENV.test(k))) return undefined;
    let proc: ResidentProcess;
    try {
      proc = await ctx.conn.resident(`python-worker:${python}`, `cd; exec ${quote(python)} -c ${quote(WORKER_SOURCE)}`);
    } catch {
      return undefined; // become refused, the channel could not open: the one-shot path says why
    }
    let client = this.clients.get(proc);
    if (!client) this.clients.set(proc, (client = new WorkerClient(proc)));
    if (!(await client.ready)) {
      proc.stop(true);
      return undefined;
    }
    return client;
  }
}
