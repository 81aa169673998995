// SSH transport over ssh2: one connection per host; each command in its own exec channel for now
// (the persistent-shell framing of issue 4 replaces this). Connection failures become
// UnreachableError with the reason, never a crash.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Client } from 'ssh2';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from './types.js';
import { UnreachableError } from './types.js';

function sq(s: string): string {
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

export class SshConnection implements Connection {
  constructor(
    readonly host: string,
    private readonly client: Client,
  ) {}

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    let cmd = command;
    if (opts.env) cmd = Object.entries(opts.env).map(([k, v]) => `export ${k}=${sq(v)}; `).join('') + cmd;
    if (opts.cwd) cmd = `cd ${sq(opts.cwd)} && ${cmd}`;
    if (opts.become) {
      cmd = opts.become.method === 'su' ? `su -s /bin/sh ${sq(opts.become.user)} -c ${sq(cmd)}` : `sudo -n -u ${sq(opts.become.user)} /bin/sh -c ${sq(cmd)}`;
    }
    const full = opts.stdin === undefined ? `/bin/sh -c ${sq(cmd)} </dev/null` : `/bin/sh -c ${sq(cmd)}`;
    return new Promise((resolve, reject) => {
      this.client.exec(full, (err, stream) => {
        if (err) return reject(new UnreachableError(this.host, `Failed to open channel: ${err.message}`));
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        let timedOut = false;
        if (opts.timeoutMs) {
          timer = setTimeout(() => {
            timedOut = true;
            stream.signal('KILL');
            stream.close();
          }, opts.timeoutMs);
        }
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errs.push(d));
        stream.on('close', (code: number | null) => {
          if (timer) clearTimeout(timer);
          resolve({
            rc: timedOut ? 124 : (code ?? 255),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(errs).toString('utf8'),
            timedOut,
            durationMs: Date.now() - started,
          });
        });
        if (opts.stdin !== undefined) stream.end(opts.stdin);
      });
    });
  }

  async putFile(dest: string, content: Buffer | string, opts: { mode?: string } = {}): Promise<void> {
    const chmod = opts.mode ? ` && chmod ${sq(opts.mode)} ${sq(dest)}` : '';
    const r = await this.exec(`cat > ${sq(dest)}${chmod}`, { stdin: content });
    if (r.rc !== 0) throw new Error(`could not write ${dest}: ${r.stderr.trim()}`);
  }

  async getFile(path: string): Promise<Buffer> {
    const r = await this.exec(`base64 < ${sq(path)}`);
    if (r.rc !== 0) throw new Error(`could not read ${path}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout, 'base64');
  }

  async close(): Promise<void> {
    this.client.end();
  }
}

export function connectSsh(spec: ConnectionSpec): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (msg: string) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(new UnreachableError(spec.host, `Failed to connect to the host via ssh: ${msg}`));
    };
    client.on('ready', () => {
      settled = true;
      resolve(new SshConnection(spec.host, client));
    });
    client.on('error', (e) => fail(e.message));
    let privateKey: Buffer | undefined;
    try {
      if (spec.privateKeyFile) privateKey = readFileSync(spec.privateKeyFile.replace(/^~/, homedir()));
    } catch (e) {
      return fail(`cannot read private key ${spec.privateKeyFile}: ${(e as Error).message}`);
    }
    client.connect({
      host: spec.address,
      port: spec.port,
      username: spec.user ?? process.env.USER ?? 'root',
      privateKey,
      password: spec.password,
      agent: process.env.SSH_AUTH_SOCK,
      readyTimeout: spec.timeoutSec * 1000,
      keepaliveInterval: 15_000,
    });
  });
}
