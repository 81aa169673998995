// The local transport: runs commands on the controller with `/bin/sh -c` in their own process
// group (so a timeout or an aborted signal kills the whole tree), and moves files with fs. Used for
// `connection: local`, localhost, and as the connection in module tests.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BecomeSpec, Connection, ExecOptions, ExecResult, ResidentProcess } from './types.js';
import { ChildResident, ResidentSet } from './resident.js';
import { exportEnv, quote } from '../modules-sdk/quote.js';

/** rc reported for a command killed by its timeout (GNU timeout's convention). */
export const TIMEOUT_RC = 124;

interface RawResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  durationMs: number;
}

export class LocalConnection implements Connection {
  readonly host: string;
  readonly transport = 'local' as const;
  private readonly currentUser: string;
  private readonly residents = new ResidentSet();

  constructor(host = 'localhost') {
    this.host = host;
    this.currentUser = safeUsername();
  }

  /** True when become would switch to another user (become to ourselves is a no-op). */
  private needsBecome(become?: BecomeSpec): become is BecomeSpec {
    return !!become && become.user !== this.currentUser;
  }

  /** Wrap a command for become: `sudo -n -u USER` (or `-S` with a password), or `su`. */
  private wrapBecome(command: string, become: BecomeSpec, env?: Record<string, string>): { cmd: string; prefix?: string } {
    const exports = env ? exportEnv(env) : '';
    const inner = exports + command;
    if (become.method === 'su') {
      return { cmd: `su -s /bin/sh ${quote(become.user)} -c ${quote(inner)}` };
    }
    if (become.password !== undefined) {
      return { cmd: `sudo -S -p '' -u ${quote(become.user)} /bin/sh -c ${quote(inner)}`, prefix: become.password + '\n' };
    }
    return { cmd: `sudo -n -u ${quote(become.user)} /bin/sh -c ${quote(inner)}` };
  }

  private run(command: string, opts: ExecOptions = {}): Promise<RawResult> {
    let cmd = command;
    let stdin: Buffer | undefined = opts.stdin === undefined ? undefined : Buffer.from(opts.stdin);
    let env: NodeJS.ProcessEnv = opts.env ? { ...process.env, ...opts.env } : process.env;
    if (this.needsBecome(opts.become)) {
      const wrapped = this.wrapBecome(command, opts.become, opts.env);
      cmd = wrapped.cmd;
      env = process.env;
      if (wrapped.prefix !== undefined) stdin = Buffer.concat([Buffer.from(wrapped.prefix), stdin ?? Buffer.alloc(0)]);
    }
    const started = Date.now();
    if (opts.signal?.aborted) return Promise.resolve({ rc: TIMEOUT_RC, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), timedOut: true, durationMs: 0 });
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', cmd], {
        cwd: opts.cwd,
        env,
        detached: true,
        stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      if (stdin !== undefined && child.stdin) {
        child.stdin.on('error', () => undefined); // EPIPE when the command ignores its input
        child.stdin.end(stdin);
      }
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          /* already gone */
        }
      };
      const stop = () => {
        if (timedOut) return;
        timedOut = true;
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), 2000);
      };
      if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) timer = setTimeout(stop, opts.timeoutMs);
      opts.signal?.addEventListener('abort', stop, { once: true });
      const finish = (rc: number, extraErr?: string) => {
        opts.signal?.removeEventListener('abort', stop);
        if (timer) clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        if (extraErr) err.push(Buffer.from(extraErr));
        resolve({
          rc: timedOut ? TIMEOUT_RC : rc,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err),
          timedOut,
          durationMs: Date.now() - started,
        });
      };
      child.on('error', (e) => finish(127, String(e.message)));
      child.on('close', (code, signal) => {
        // Kill stragglers left in the group (background jobs holding no pipes).
        if (timedOut) killGroup('SIGKILL');
        finish(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : -1));
      });
    });
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.run(command, opts);
    const res: ExecResult = {
      rc: r.rc,
      stdout: r.stdout.toString('utf8'),
      stderr: r.stderr.toString('utf8'),
      durationMs: r.durationMs,
    };
    if (r.timedOut) res.timedOut = true;
    return res;
  }

  async putFile(dest: string, content: Buffer | string, opts: { mode?: string; become?: BecomeSpec } = {}): Promise<void> {
    if (this.needsBecome(opts.become)) {
      const chmod = opts.mode ? ` && chmod ${quote(opts.mode)} "$f"` : '';
      const r = await this.run(`f=${quote(dest)}; cat > "$f"${chmod}`, { stdin: content, become: opts.become });
      if (r.rc !== 0) throw new Error(`putFile ${dest}: ${r.stderr.toString().trim() || 'rc=' + r.rc}`);
      return;
    }
    // Write beside the destination then rename, so readers never see a half-written file.
    const tmp = path.join(path.dirname(dest), `.drover-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    try {
      await fs.writeFile(tmp, content);
      if (opts.mode) await fs.chmod(tmp, parseInt(opts.mode, 8));
      await fs.rename(tmp, dest);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async getFile(file: string, opts: { become?: BecomeSpec } = {}): Promise<Buffer> {
    if (this.needsBecome(opts.become)) {
      const r = await this.run(`cat ${quote(file)}`, { become: opts.become });
      if (r.rc !== 0) throw new Error(`getFile ${file}: ${r.stderr.toString().trim() || 'rc=' + r.rc}`);
      return r.stdout;
    }
    return fs.readFile(file);
  }

  /** A resident child process (its own process group: the terminal's Ctrl-C is drover's to handle). */
  resident(key: string, command: string, opts: { become?: BecomeSpec } = {}): Promise<ResidentProcess> {
    const become = this.needsBecome(opts.become) ? opts.become : undefined;
    const id = become ? `${key}\0${become.method}:${become.user}:${become.password === undefined ? '-' : 'pw'}` : key;
    return this.residents.get(id, () => {
      const wrapped = become ? this.wrapBecome(command, become) : { cmd: command, prefix: undefined };
      const child = spawn('/bin/sh', ['-c', wrapped.cmd], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const proc = new ChildResident(child);
      if (wrapped.prefix !== undefined) proc.write(wrapped.prefix);
      return Promise.resolve(proc);
    });
  }

  async close(): Promise<void> {
    await this.residents.stopAll();
  }
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}
