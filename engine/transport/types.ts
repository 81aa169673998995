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

export interface Connection {
  readonly host: string;
  /** 'local' for the controller itself; wrappers (task timeout, become) pass it on, so modules ask this, not instanceof */
  readonly transport?: 'local' | 'ssh';
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  putFile(dest: string, content: Buffer | string, opts?: { mode?: string; become?: BecomeSpec }): Promise<void>;
  getFile(path: string, opts?: { become?: BecomeSpec }): Promise<Buffer>;
  close(): Promise<void>;
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
