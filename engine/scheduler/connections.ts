// One connection per host and connection settings for the whole run, opened on first use. The
// settings come from the task (ansible-core resolves them per task): connection variables
// (ansible_connection, ansible_host, ansible_port, ansible_user, ...) over the connection,
// remote_user and port keywords, over the command line and ansible.cfg.
import { createHash } from 'node:crypto';
import { DroverError } from '../errors/index.js';
import { LocalConnection } from '../transport/local.js';
import { connectSsh } from '../transport/ssh.js';
import type { Connection, ConnectionSpec } from '../transport/types.js';
import type { ConnectionSource } from '../executor/types.js';
import { toBool } from '../executor/truthy.js';

export type HostVarsOf = (host: string) => { get(name: string): unknown };

export interface ConnectionDefaults {
  /** -c */
  connection?: string;
  /** -u, else remote_user from ansible.cfg */
  user?: string;
  privateKey?: string;
  hostKeyChecking: boolean;
  timeoutSec: number;
}

/** Connection plugins drover runs as its own local or ssh transport (smart and paramiko are ssh to drover). */
const TRANSPORTS: Record<string, 'local' | 'ssh'> = { local: 'local', ssh: 'ssh', smart: 'ssh', paramiko: 'ssh', paramiko_ssh: 'ssh' };
/** Plugins ansible-core 2.14 ships that drover has no transport for. */
const UNSUPPORTED = ['winrm', 'psrp'];

/**
 * The transport for a connection type as written (short or ansible.builtin./ansible.legacy. name);
 * any other name is a Python connection plugin, looked for when the host is connected.
 */
export function transportOf(type: string): 'local' | 'ssh' | 'python' {
  const short = type.replace(/^ansible\.(builtin|legacy)\./, '');
  const t = TRANSPORTS[short];
  if (t) return t;
  if (UNSUPPORTED.includes(short)) throw new DroverError(`the connection plugin '${type}' is not supported by drover (it connects with local and ssh)`);
  return 'python';
}

const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export function connectionSpec(host: string, vars: { get(name: string): unknown }, defaults: ConnectionDefaults, source?: ConnectionSource): ConnectionSpec {
  const kw = source?.keywords ?? {};
  // ansible_ssh_X over ansible_X, as the ssh plugin's options take the last variable listed
  const first = (...names: string[]): unknown => {
    for (const n of names) {
      const v = vars.get(n);
      if (set(v)) return v;
    }
    return undefined;
  };
  const address = String(first('ansible_ssh_host', 'ansible_host') ?? host);
  // a delegate's own ansible_connection, else the task's keyword even for a delegate (TaskExecutor's
  // current_connection, which replaces what PlayContext decided for delegation)
  const connection = first('ansible_connection') ?? kw.connection ?? defaults.connection;
  const implicitLocal = host === 'localhost' || host === '127.0.0.1';
  const hkc = vars.get('ansible_host_key_checking') ?? vars.get('ansible_ssh_host_key_checking');
  // unset: ssh config's Port, else 22 (Ansible passes -o Port= only when the port is set)
  const port = first('ansible_ssh_port', 'ansible_port') ?? kw.port;
  const transport = connection === undefined ? (implicitLocal ? 'local' : 'ssh') : transportOf(String(connection));
  return {
    host,
    connection: transport,
    ...(transport === 'python' ? { plugin: String(connection) } : {}),
    address,
    port: port === undefined ? undefined : Number(port),
    user: (first('ansible_ssh_user', 'ansible_user') ?? kw.remoteUser ?? defaults.user) as string | undefined,
    privateKeyFile: (vars.get('ansible_ssh_private_key_file') ?? vars.get('ansible_private_key_file') ?? defaults.privateKey) as string | undefined,
    password: (vars.get('ansible_ssh_pass') ?? vars.get('ansible_password')) as string | undefined,
    commonArgs: [vars.get('ansible_ssh_common_args'), vars.get('ansible_ssh_extra_args')].filter(Boolean).join(' ') || undefined,
    hostKeyChecking: hkc === undefined ? defaults.hostKeyChecking : toBool(hkc),
    timeoutSec: Number(vars.get('ansible_timeout') ?? defaults.timeoutSec),
  };
}

/**
 * At most this many SSH handshakes in flight at once (DROVER_SSH_HANDSHAKES, default 50). With
 * forks = 1,000 every host connected at the same moment: on a 2-core controller the key exchanges
 * queue up on the CPU, and most passed their connect timeout (949 of 1,000 lab hosts unreachable
 * in the benchmark). Waiting for a slot does not count against the timeout; the connection's own
 * handshake does. Established connections are not limited.
 */
export class HandshakeGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const handshakes = new HandshakeGate(Math.max(1, Number(process.env.DROVER_SSH_HANDSHAKES) || 50));
const connectGated = (spec: ConnectionSpec) => handshakes.run(() => connectSsh(spec));

/** Hosts share a connection only when everything that decides it is equal (a wrong password must not ride on a good one). */
function poolKey(spec: ConnectionSpec): string {
  const secret = spec.password === undefined ? '-' : createHash('sha256').update(spec.password).digest('hex');
  return JSON.stringify([spec.connection, spec.plugin ?? '', spec.user ?? '', spec.address, spec.port ?? '', spec.privateKeyFile ?? '', spec.commonArgs ?? '', secret]);
}

export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();

  /**
   * `specOf` resolves a host's settings, from the task's connection source when there is one;
   * `python` opens a Python connection plugin's connection (without it such a plugin is not found).
   */
  constructor(
    private readonly specOf: (host: string, source?: ConnectionSource) => ConnectionSpec,
    private readonly python?: (spec: ConnectionSpec) => Promise<Connection>,
  ) {}

  private connect(spec: ConnectionSpec): Promise<Connection> {
    if (spec.connection === 'local') return Promise.resolve(new LocalConnection(spec.host));
    if (spec.connection === 'ssh') return connectGated(spec);
    if (this.python) return this.python(spec);
    return Promise.reject(new DroverError(`the connection plugin '${spec.plugin}' was not found`));
  }

  get(host: string, source?: ConnectionSource): Promise<Connection> {
    const spec = this.specOf(host, source);
    const key = poolKey(spec);
    let c = this.open.get(key);
    if (!c) {
      c = this.connect(spec);
      // a failed connection is not cached: the next task retries (Ansible reconnects per task)
      c.catch(() => this.open.delete(key));
      this.open.set(key, c);
    }
    return c;
  }

  /** Drop the host's cached connection (closing it) and open a new one; connect timeout override. */
  async reconnect(host: string, opts: { timeoutSec?: number } = {}, source?: ConnectionSource): Promise<Connection> {
    const spec = this.specOf(host, source);
    const key = poolKey(spec);
    const old = this.open.get(key);
    this.open.delete(key);
    if (old) await old.then((c) => c.close()).catch(() => undefined);
    const s = opts.timeoutSec ? { ...spec, timeoutSec: opts.timeoutSec } : spec;
    const c = this.connect(s);
    c.catch(() => this.open.delete(key));
    this.open.set(key, c);
    return c;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
