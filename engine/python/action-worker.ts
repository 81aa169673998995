// Python workers for custom action plugins. An action plugin's run() asks drover to run modules,
// commands and file transfers on its host while it runs (action_bridge.py), and drover answers
// those asynchronously over the host's connection. The run's filter/lookup worker cannot serve
// that: it is spoken to synchronously from template rendering, and another host's render would
// interleave with the plugin's questions. So each action plugin run takes a worker process of its
// own from a small pool (kept warm for the next action; closed when the run ends). A Python
// connection plugin keeps a worker for itself (python-connection.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PluginDirs } from '../search/plugin-dirs.js';
import { workerScript } from '../template/pyplugins/python-plugins.js';

/** What the plugin may ask while its run() is in progress; each answer is one JSON line back. */
export type Question = { ask: string } & Record<string, unknown>;
export type Answerer = (q: Question) => Promise<Record<string, unknown>>;

export interface ActionReply {
  value?: string;
  error?: string;
  type?: string;
  traceback?: string;
  path?: string;
  fatal?: string;
}

class Worker {
  private readonly lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private stderr = '';
  sentDirs = '';

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (l) => this.push(l));
    child.stderr.on('data', (d: Buffer) => void (this.stderr = (this.stderr + d.toString()).slice(-8000)));
    child.on('close', () => {
      this.ended = true;
      this.push(undefined);
    });
    child.on('error', (e) => {
      this.stderr += e.message;
      this.ended = true;
      this.push(undefined);
    });
    child.stdin.on('error', () => undefined);
  }

  private push(line: string | undefined): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(line);
    } else if (line !== undefined) this.lines.push(line);
  }

  get alive(): boolean {
    return !this.ended;
  }

  async read(): Promise<Record<string, unknown>> {
    const line = this.lines.length ? this.lines.shift() : this.ended ? undefined : await new Promise<string | undefined>((r) => (this.waiter = r));
    if (line === undefined) throw new Error(`the Python action worker exited${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`);
    return JSON.parse(line) as Record<string, unknown>;
  }

  write(obj: unknown): void {
    this.child.stdin.write(JSON.stringify(obj) + '\n');
  }
}

/** A worker kept by one owner (a Python connection plugin's instance lives in it). */
export interface DedicatedWorker {
  request(req: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}

export interface ActionWorkerOptions {
  dirs: PluginDirs;
  cwd: string;
  env: NodeJS.ProcessEnv;
  python?: string;
}

export class ActionWorkers {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly opts: ActionWorkerOptions) {}

  private async take(): Promise<Worker> {
    for (let w = this.idle.pop(); w; w = this.idle.pop()) if (w.alive) return w;
    const python = this.opts.python ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    const child = spawn(python, [workerScript()], { cwd: this.opts.cwd, env: this.opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    // an idle worker must not keep drover alive; it sees EOF and exits when drover does
    child.unref();
    const w = new Worker(child);
    this.all.add(w);
    const hello = (await w.read()) as ActionReply;
    if (hello.fatal) throw new Error(hello.fatal);
    return w;
  }

  /** One request to a worker of its own; the plugin's questions are answered by `answer` meanwhile. */
  async run(req: Record<string, unknown>, answer: Answerer): Promise<ActionReply> {
    const w = await this.take();
    let reusable = false;
    try {
      const dirs = JSON.stringify({ filter: this.opts.dirs.get('filter'), test: this.opts.dirs.get('test'), lookup: this.opts.dirs.get('lookup') });
      if (dirs !== w.sentDirs) {
        w.write({ op: 'dirs', dirs: JSON.parse(dirs) as unknown });
        await w.read();
        w.sentDirs = dirs;
      }
      w.write(req);
      for (;;) {
        const msg = await w.read();
        if (typeof msg.ask !== 'string') {
          reusable = true;
          return msg as ActionReply;
        }
        let reply: Record<string, unknown>;
        try {
          reply = await answer(msg as Question);
        } catch (e) {
          reply = { error: (e as Error).message };
        }
        w.write(reply);
      }
    } finally {
      if (reusable && w.alive) this.idle.push(w);
      else this.drop(w);
    }
  }

  /** A worker of its own for a long-lived owner; requests are answered without questions. */
  async dedicated(): Promise<DedicatedWorker> {
    const w = await this.take();
    return {
      request: async (req) => {
        w.write(req);
        for (;;) {
          const msg = await w.read();
          if (typeof msg.ask !== 'string') return msg;
          w.write({ error: `drover cannot answer '${msg.ask}' here` });
        }
      },
      close: () => this.drop(w),
    };
  }

  private drop(w: Worker): void {
    this.all.delete(w);
    // EOF ends the worker cleanly (ansible-core's atexit removes its ansible-local-* temp dir);
    // one that does not end soon is killed
    w.child.stdin.end();
    setTimeout(() => w.alive && w.child.kill(), 2000).unref();
  }

  close(): void {
    for (const w of [...this.all]) this.drop(w);
    this.idle.length = 0;
  }
}
