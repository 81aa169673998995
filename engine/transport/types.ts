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
  become?: BecomeSpec;
  env?: Record<string, string>;
  cwd?: string;
}

/** A finished remote command. A non-zero rc is a result, never an exception. */
export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when the command was killed because it ran past timeoutMs. */
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
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  putFile(dest: string, content: Buffer | string, opts?: { mode?: string; become?: BecomeSpec }): Promise<void>;
  getFile(path: string, opts?: { become?: BecomeSpec }): Promise<Buffer>;
  close(): Promise<void>;
}

/** Connection settings resolved from a host's variables (ansible_host, ansible_port, ...). */
export interface ConnectionSpec {
  host: string; // inventory_hostname
  connection: 'local' | 'ssh';
  address: string;
  port: number;
  user?: string;
  privateKeyFile?: string;
  password?: string;
  commonArgs?: string;
  hostKeyChecking: boolean;
  timeoutSec: number;
}
