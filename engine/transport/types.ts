// The transport contract: how the executor and modules reach a host. Implementations: local
// (child processes on the controller) and ssh (one persistent ssh2 session per host).

export interface BecomeSpec {
  method: 'sudo' | 'su';
  user: string;
  password?: string;
}

export interface ExecOptions {
  /** Data fed to the command's stdin; otherwise stdin is /dev/null. */
  stdin?: string | Buffer;
  timeoutMs?: number;
  /** Aborting kills the command's whole process group on the host (task timeout, Ctrl-C). */
  signal?: AbortSignal;
  become?: BecomeSpec;
  env?: Record<string, string>;
  cwd?: string;
}

/** A finished remote command. A non-zero rc is a result, never an exception. */
export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when the command was killed because it ran past timeoutMs or its signal aborted. */
  timedOut?: boolean;
  durationMs: number;
}

/** The host cannot be reached (refused, timed out, auth failed, dropped). */
export class UnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * A long-lived process on the host that talks over its stdin/stdout (the Python worker of
 * engine/python/worker.ts). It lives as long as the connection: closing the connection (end of
 * the run, or the run killed, which drops the ssh session) ends its stdin.
 */
export interface ResidentProcess {
  write(data: string | Buffer): void;
  onData(cb: (chunk: Buffer) => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  /** Called once when the process is gone (exited, channel closed). */
  onExit(cb: () => void): void;
  readonly exited: boolean;
  /** Set by stop(true). */
  readonly broken?: boolean;
  /**
   * End its stdin and let go of it. `broken`: it could not serve (never became ready), so the
   * connection does not start it again for the same key.
   */
  stop(broken?: boolean): void;
}

export interface Connection {
  readonly host: string;
  /** 'local' for the controller itself; wrappers (task timeout, become) pass it on, so modules ask this, not instanceof */
  readonly transport?: 'local' | 'ssh';
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  putFile(dest: string, content: Buffer | string, opts?: { mode?: string; become?: BecomeSpec }): Promise<void>;
  getFile(path: string, opts?: { become?: BecomeSpec }): Promise<Buffer>;
  close(): Promise<void>;
  /**
   * The resident process `command` for `key` on this connection, started on first use and kept
   * until it exits or the connection closes (then the next call starts a new one). With
   * `become` it runs as that user (one process per key and become user, method and password).
   */
  resident?(key: string, command: string, opts?: { become?: BecomeSpec }): Promise<ResidentProcess>;
}

/** Connection settings resolved from a host's variables (ansible_host, ansible_port, ...). */
export interface ConnectionSpec {
  host: string; // inventory_hostname
  /** 'python': a Python connection plugin (`plugin`) drives the host (engine/python/python-connection.ts). */
  connection: 'local' | 'ssh' | 'python';
  plugin?: string;
  address: string;
  /** ansible_port; unset: the ssh config's Port, else 22 */
  port?: number;
  /** ansible_user / remote_user; unset: the ssh config's User, else the local user */
  user?: string;
  privateKeyFile?: string;
  /** ansible_ssh_pass / ansible_password */
  password?: string;
  /** ansible_ssh_common_args + ansible_ssh_extra_args: ssh options (-o K=V, -F, -i, -p, -l, -J) */
  commonArgs?: string;
  hostKeyChecking: boolean;
  timeoutSec: number;
}
