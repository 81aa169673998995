// Resident processes (Connection.resident): a long-lived process per connection and key, over an
// ssh exec channel or a local child process, kept while it lives and stopped with the
// connection. Both transports share the bookkeeping here so a worker behaves the same on both.
import type { ChildProcess } from 'node:child_process';
import type { ClientChannel } from 'ssh2';
import type { ResidentProcess } from './types.js';

/** The resident processes of one connection, by key. */
export class ResidentSet {
  private readonly live = new Map<string, Promise<ResidentProcess>>();
  /** Keys whose process could not start or serve here (become refused, no interpreter): not retried. */
  private readonly broken = new Map<string, Error>();
  private closed = false;

  /** The live process for `key`, or a new one from `start`. */
  get(key: string, start: () => Promise<ResidentProcess>): Promise<ResidentProcess> {
    if (this.closed) return Promise.reject(new Error('the connection is closed'));
    const refused = this.broken.get(key);
    if (refused) return Promise.reject(refused);
    let p = this.live.get(key);
    if (p) return p;
    p = start();
    this.live.set(key, p);
    const drop = () => {
      if (this.live.get(key) === p) this.live.delete(key);
    };
    p.then(
      (proc) => {
        proc.onExit(drop);
        if (proc instanceof Base) proc.onBroken(() => this.broken.set(key, new Error('the resident process could not start here')));
      },
      (e: unknown) => {
        drop();
        this.broken.set(key, e instanceof Error ? e : new Error(String(e)));
      },
    );
    return p;
  }

  /**
   * Stop every process (the connection closes) and wait until they are gone, at most `capMs`:
   * when the run ends, no worker is left on the host.
   */
  async stopAll(capMs = 3000): Promise<void> {
    this.closed = true;
    const all = [...this.live.values()];
    this.live.clear();
    const gone = all.map((p) =>
      p.then(
        (proc) =>
          new Promise<void>((resolve) => {
            proc.onExit(resolve);
            proc.stop();
          }),
        () => undefined,
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(gone), new Promise((resolve) => (timer = setTimeout(resolve, capMs)))]);
    clearTimeout(timer);
  }
}

/** Common part: exit callbacks fire once. */
abstract class Base implements ResidentProcess {
  private readonly exits: (() => void)[] = [];
  private readonly brokenCbs: (() => void)[] = [];
  exited = false;
  broken = false;
  onBroken(cb: () => void): void {
    this.brokenCbs.push(cb);
  }
  protected gone(): void {
    if (this.exited) return;
    this.exited = true;
    for (const cb of this.exits.splice(0)) cb();
  }
  onExit(cb: () => void): void {
    if (this.exited) cb();
    else this.exits.push(cb);
  }
  abstract write(data: string | Buffer): void;
  abstract onData(cb: (chunk: Buffer) => void): void;
  abstract onStderr(cb: (chunk: Buffer) => void): void;
  stop(broken = false): void {
    if (broken && !this.broken) {
      this.broken = true;
      for (const cb of this.brokenCbs.splice(0)) cb();
    }
    if (!this.exited) this.end();
  }
  protected abstract end(): void;
}

/** A resident process behind an ssh exec channel: EOF on its stdin when stopped or when the session drops. */
export class ChannelResident extends Base {
  constructor(private readonly ch: ClientChannel) {
    super();
    ch.on('close', () => this.gone());
    ch.on('error', () => this.gone());
  }
  write(data: string | Buffer): void {
    if (!this.exited) this.ch.write(data);
  }
  onData(cb: (chunk: Buffer) => void): void {
    this.ch.on('data', cb);
  }
  onStderr(cb: (chunk: Buffer) => void): void {
    this.ch.stderr.on('data', cb);
  }
  protected end(): void {
    // EOF only: the worker exits on it, and sshd closes the channel once it has exited
    try {
      this.ch.end();
    } catch {
      /* already gone */
    }
  }
}

/** A resident local child process (connection: local): its stdin is a pipe from this process. */
export class ChildResident extends Base {
  constructor(private readonly child: ChildProcess) {
    super();
    child.on('exit', () => this.gone());
    child.on('error', () => this.gone());
    child.stdin?.on('error', () => undefined); // EPIPE once it has exited
  }
  write(data: string | Buffer): void {
    if (!this.exited) this.child.stdin?.write(data);
  }
  onData(cb: (chunk: Buffer) => void): void {
    this.child.stdout?.on('data', cb);
  }
  onStderr(cb: (chunk: Buffer) => void): void {
    this.child.stderr?.on('data', cb);
  }
  protected end(): void {
    this.child.stdin?.end();
  }
}
