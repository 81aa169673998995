// A host whose ansible_connection names a Python connection plugin (a collection's
// plugins/connection/, a connection_plugins/ folder; not one of drover's local/ssh transports) is
// reached through that plugin: a Python worker of its own holds the plugin instance for the run
// (connection_bridge.py), and drover's Connection calls become its exec_command, put_file and
// fetch_file. Commands are sent one at a time, as Ansible drives a connection.
import type { PluginDirs } from '../search/plugin-dirs.js';
import type { BecomeSpec, Connection, ConnectionSpec, ExecOptions, ExecResult } from '../transport/types.js';
import type { ActionWorkers, DedicatedWorker } from './action-worker.js';

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
const unb64 = (s: unknown): Buffer => Buffer.from(typeof s === 'string' ? s : '', 'base64');

export class PythonConnection implements Connection {
  readonly transport = undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly host: string,
    private readonly worker: DedicatedWorker,
  ) {}

  /** Load the plugin in a worker of its own (an error names the plugin when it is not found). */
  static async open(spec: ConnectionSpec, o: { workers: ActionWorkers; dirs: PluginDirs; shellType?: string }): Promise<PythonConnection> {
    const worker = await o.workers.dedicated();
    const conn = new PythonConnection(spec.host, worker);
    try {
      await conn.call({
        op: 'conn_open',
        plugin: spec.plugin,
        host: spec.host,
        remote_addr: spec.address,
        remote_user: spec.user,
        port: spec.port,
        shell_type: o.shellType,
        dirs: o.dirs.get('connection'),
      });
    } catch (e) {
      worker.close();
      throw e;
    }
    return conn;
  }

  /** One request at a time, in order. */
  private call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    const next = this.queue.then(async () => {
      const reply = await this.worker.request(req);
      if (typeof reply.error === 'string') throw new Error(reply.error);
      return reply;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    const become: BecomeSpec | undefined = opts.become;
    const r = await this.call({ op: 'conn_exec', cmd: command, in_data: opts.stdin === undefined ? null : b64(opts.stdin), become: become ?? null });
    return { rc: Number(r.rc ?? 1), stdout: unb64(r.stdout).toString('utf8'), stderr: unb64(r.stderr).toString('utf8'), durationMs: Date.now() - started };
  }

  async putFile(dest: string, content: Buffer | string): Promise<void> {
    await this.call({ op: 'conn_put', dest, data: b64(content) });
  }

  async getFile(path: string): Promise<Buffer> {
    return unb64((await this.call({ op: 'conn_fetch', src: path })).data);
  }

  async close(): Promise<void> {
    await this.call({ op: 'conn_close' }).catch(() => undefined);
    this.worker.close();
  }
}
