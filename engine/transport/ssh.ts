// SSH transport over ssh2: one connection per host for the whole run (keep-alive, no Nagle),
// host keys verified against known_hosts, and commands run through one persistent shell session
// per (host, become user). Connection failures become UnreachableError, never a crash.
import { createHash } from 'node:crypto';
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import { killScript } from './framing.js';
import { quote } from '../modules-sdk/quote.js';
import { parseSshArgs, resolveTarget } from './ssh-config.js';
import { openSsh } from './ssh-connect.js';
import { SessionClosedError, ShellSession } from './shell-session.js';
import { ChannelResident, ResidentSet } from './resident.js';
import type { BecomeSpec, Connection, ConnectionSpec, ExecOptions, ExecResult, ResidentProcess } from './types.js';
import { UnreachableError } from './types.js';

/** Inline transfers up to this size travel inside the shell session; larger ones use SFTP. */
const INLINE_LIMIT = 256 * 1024;

/** known_hosts files for a host: -o UserKnownHostsFile=... (args or ssh config), else ~/.ssh/known_hosts and the global ones. */
export function knownHostsFiles(commonArgs: string | undefined, host = '*'): string[] {
  const { options, configFile } = parseSshArgs(commonArgs);
  return resolveTarget(host, options, configFile).knownHostsFiles;
}

export class SshConnection implements Connection {
  private readonly sessions = new Map<string, Promise<ShellSession>>();
  private readonly residents = new ResidentSet();
  private dropped: string | undefined;

  constructor(
    readonly host: string,
    private readonly client: Client,
    private readonly user: string,
    private readonly release: () => void = () => undefined,
  ) {
    client.on('close', () => {
      this.dropped ??= 'connection closed by the remote host';
    });
    client.on('error', (e) => {
      this.dropped ??= e.message;
    });
  }

  get alive(): boolean {
    return this.dropped === undefined;
  }

  private openChannel(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, ch) => (err ? reject(new UnreachableError(this.host, `Failed to open a session channel: ${err.message}`)) : resolve(ch)));
    });
  }

  private session(become?: BecomeSpec): Promise<ShellSession> {
    const key = sessionKey(become);
    let s = this.sessions.get(key);
    if (!s) {
      s = this.startSession(become);
      this.sessions.set(key, s);
      s.catch(() => this.sessions.delete(key));
    }
    return s;
  }

  private async startSession(become?: BecomeSpec): Promise<ShellSession> {
    const killer = (pid: number) => this.killTree(pid, become);
    if (!become) return new ShellSession(await this.openChannel('/bin/sh'), killer);
    const ch = await this.openChannel(becomeCommand(become));
    await becomeHandshake(ch, become);
    return new ShellSession(ch, killer);
  }

  /** Kill what a session shell runs, from a second channel as the same (become) user. */
  private async killTree(pid: number, become?: BecomeSpec): Promise<void> {
    if (!become) {
      const ch = await this.openChannel(killScript(pid));
      await new Promise<void>((resolve) => {
        ch.on('close', () => resolve());
        ch.resume();
        ch.stderr.resume();
      });
      return;
    }
    const s = await this.startSession(become);
    try {
      await s.exec(killScript(pid));
    } finally {
      s.destroy();
    }
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.dropped) throw new UnreachableError(this.host, `Connection dropped: ${this.dropped}`);
    const needsBecome = opts.become && !(opts.become.user === 'root' && this.user === 'root');
    let session: ShellSession;
    try {
      session = await this.session(needsBecome ? opts.become : undefined);
    } catch (e) {
      if (e instanceof BecomeError) return { rc: 1, stdout: '', stderr: e.message, durationMs: 0, becomeFailed: true } as ExecResult;
      throw e;
    }
    try {
      return await session.exec(command, opts);
    } catch (e) {
      if (e instanceof SessionClosedError) {
        this.sessions.delete(sessionKey(needsBecome ? opts.become : undefined));
        if (this.dropped) throw new UnreachableError(this.host, `Connection dropped mid-task: ${this.dropped}`);
        throw new UnreachableError(this.host, `The shell session on ${this.host} ended unexpectedly (${e.message})`);
      }
      throw e;
    }
  }

  private sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => this.client.sftp((err, s) => (err ? reject(err) : resolve(s))));
  }

  async putFile(dest: string, content: Buffer | string, opts: { mode?: string; become?: BecomeSpec } = {}): Promise<void> {
    const data = Buffer.from(content);
    const chmod = opts.mode ? ` && chmod ${quote(opts.mode)} ${quote(dest)}` : '';
    if (data.length <= INLINE_LIMIT) {
      const r = await this.exec(`cat > ${quote(dest)}${chmod}`, { stdin: data, become: opts.become });
      if (r.rc !== 0) throw new Error(`could not write ${dest}: ${r.stderr.trim()}`);
      return;
    }
    // large files: stream over SFTP into a file mktemp created on the host (an unpredictable
    // name, created exclusively, 0600), then copy into place (as the become user)
    const mk = await this.exec('mktemp /tmp/.drover-put.XXXXXXXXXX');
    if (mk.rc !== 0) throw new Error(`could not write ${dest}: mktemp: ${mk.stderr.trim()}`);
    const tmp = mk.stdout.trim();
    try {
      await this.streamToFile(tmp, data);
    } catch (e) {
      await this.exec(`rm -f ${quote(tmp)}`).catch(() => undefined);
      throw e;
    }
    const r = await this.exec(`cat ${quote(tmp)} > ${quote(dest)}${chmod}; rc=$?; rm -f ${quote(tmp)}; exit $rc`, { become: opts.become });
    if (r.rc !== 0) throw new Error(`could not write ${dest}: ${r.stderr.trim()}`);
  }

  /** Stream bytes into a file: SFTP when the server offers it, else a `cat` exec channel. */
  private async streamToFile(path: string, data: Buffer): Promise<void> {
    let sftp: SFTPWrapper | undefined;
    try {
      sftp = await this.sftp();
    } catch {
      sftp = undefined;
    }
    if (sftp) {
      const s = sftp;
      try {
        await new Promise<void>((resolve, reject) => {
          const ws = s.createWriteStream(path, { mode: 0o600 });
          ws.on('error', reject);
          ws.on('close', () => resolve());
          ws.end(data);
        });
      } finally {
        s.end();
      }
      return;
    }
    const ch = await this.openChannel(`umask 077; cat > ${quote(path)}`);
    await new Promise<void>((resolve, reject) => {
      ch.on('close', (code: number | null) => (code === 0 ? resolve() : reject(new Error(`streaming to ${path} failed (rc ${code})`))));
      ch.end(data);
    });
  }

  async getFile(path: string, opts: { become?: BecomeSpec } = {}): Promise<Buffer> {
    const r = await this.exec(`base64 < ${quote(path)}`, { become: opts.become });
    if (r.rc !== 0) throw new Error(`could not read ${path}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64');
  }

  /**
   * A resident process on its own exec channel of this connection (the host's one ssh session);
   * with become, the channel becomes that user's shell first (as a session does), which then
   * execs the command.
   */
  resident(key: string, command: string, opts: { become?: BecomeSpec } = {}): Promise<ResidentProcess> {
    if (this.dropped) return Promise.reject(new UnreachableError(this.host, `Connection dropped: ${this.dropped}`));
    const become = opts.become && !(opts.become.user === 'root' && this.user === 'root') ? opts.become : undefined;
    return this.residents.get(`${key}\0${sessionKey(become)}`, async () => {
      if (!become) return new ChannelResident(await this.openChannel(command));
      const ch = await this.openChannel(becomeCommand(become));
      await becomeHandshake(ch, become);
      const proc = new ChannelResident(ch);
      proc.write(`${command}\n`);
      return proc;
    });
  }

  async close(): Promise<void> {
    await this.residents.stopAll();
    for (const s of this.sessions.values()) s.then((x) => x.destroy(), () => undefined);
    this.sessions.clear();
    this.client.end();
    this.release();
  }
}

class BecomeError extends Error {}

/** One shell per (method, user, password): a host var with another (wrong) password must not reuse a session. */
function sessionKey(become: BecomeSpec | undefined): string {
  return become ? `${become.method}:${become.user}:${become.password === undefined ? '-' : createHash('sha256').update(become.password).digest('hex')}` : '';
}

const BECOME_OK = '__DRV_BECOME_OK__';
const SUDO_PROMPT = '__DRV_BECOME_PROMPT__';

/** The command that turns the channel into a shell of the become user (C locale: English prompts). */
export function becomeCommand(become: BecomeSpec): string {
  const inner = quote(`echo ${BECOME_OK}; exec /bin/sh`);
  if (become.method === 'su') return `LC_ALL=C su -s /bin/sh ${quote(become.user)} -c ${inner}`;
  return become.password !== undefined
    ? `LC_ALL=C sudo -S -p ${SUDO_PROMPT} -u ${quote(become.user)} /bin/sh -c ${inner}`
    : `LC_ALL=C sudo -n -u ${quote(become.user)} /bin/sh -c ${inner}`;
}

/**
 * Wait until the become shell is up, answering the password prompt once (sudo's own prompt, or
 * su's "Password:"). A second prompt or an authentication failure is a wrong password. The
 * password goes only to the channel, never into a message.
 */
function becomeHandshake(ch: ClientChannel, become: BecomeSpec): Promise<void> {
  const what = `${become.method} to ${become.user}`;
  return new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    let prompts = 0;
    // sudo prints our own prompt string; su (PAM) prints "Password: " (C locale)
    const isPrompt = (text: string) => (become.method === 'sudo' ? text.split(SUDO_PROMPT).length - 1 : (text.match(/[Pp]assword: ?/g)?.length ?? 0));
    const fail = (why: string) => {
      cleanup();
      ch.close();
      reject(new BecomeError(why));
    };
    const onOut = (d: Buffer) => {
      out += d.toString();
      if (out.includes(BECOME_OK)) {
        cleanup();
        resolve();
      }
    };
    const onErr = (d: Buffer) => {
      err += d.toString();
      if (/Authentication failure|incorrect password attempt|Sorry, try again/.test(err)) {
        return fail(`Incorrect ${become.method} password (become: ${what})`);
      }
      const seen = isPrompt(err);
      if (seen > prompts) {
        prompts = seen;
        if (become.password === undefined) return fail(`Missing ${become.method} password: become (${what}) asks for one (use -K or ansible_become_password)`);
        if (prompts > 1) return fail(`Incorrect ${become.method} password (become: ${what})`);
        ch.write(`${become.password}\n`);
      } else if (/password is required|a terminal is required/.test(err)) {
        fail(`Missing ${become.method} password: become (${what}) needs one (use -K or ansible_become_password)`);
      }
    };
    const onClose = () => fail(`become (${what}) failed: ${err.split(SUDO_PROMPT).join('').trim() || 'session closed'}`);
    const cleanup = () => {
      ch.off('data', onOut);
      ch.stderr.off('data', onErr);
      ch.off('close', onClose);
    };
    ch.on('data', onOut);
    ch.stderr.on('data', onErr);
    ch.on('close', onClose);
  });
}

/** Open the one connection of a host (ssh config, ProxyJump/ProxyCommand, keys, password: ssh-connect.ts). */
export async function connectSsh(spec: ConnectionSpec): Promise<Connection> {
  const { client, user, release } = await openSsh(spec);
  return new SshConnection(spec.host, client, user, release);
}
