// Opening an ssh2 client the way OpenSSH would for the same ansible variables: options from
// the command line Ansible would build and from ssh config files (ssh-config.ts), ProxyJump
// chains (one shared connection per jump host for the whole run, a direct-tcpip channel per
// target) and ProxyCommand, public keys (parsed once per run; a passphrase is asked once per
// key file), ssh-agent, and password / keyboard-interactive authentication. Passwords and
// passphrases are never put in messages or logs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import ssh2, { Client, type AnyAuthMethod, type AuthenticationType, type ConnectConfig, type NextAuthHandler, type ParsedKey } from 'ssh2';
import { hostKeyName, loadKnownHosts, recordHostKey, verifyHostKey } from './known-hosts.js';
import { parseSshArgs, resolveTarget, type JumpHop, type SshOption, type SshTarget } from './ssh-config.js';
import type { ConnectionSpec } from './types.js';
import { UnreachableError } from './types.js';

/** Asks the user for a secret (no echo); set by the CLI when it has a terminal. */
export type SecretPrompt = (message: string) => Promise<string>;
let secretPrompt: SecretPrompt | undefined;

/** How the transport asks for key passphrases (undefined: it cannot ask, encrypted keys are skipped). */
export function setSecretPrompt(fn: SecretPrompt | undefined): void {
  secretPrompt = fn;
}

// ssh2 is CommonJS: Node's ESM loader exposes Client as a named export but not utils
const { utils } = ssh2;

// ---------------------------------------------------------------------------------------------
// private keys: read and parsed once per run; an encrypted key's passphrase is asked once

type KeyResult = { key: ParsedKey } | { error: string };
const keys = new Map<string, Promise<KeyResult>>();

/** Forget parsed keys (tests). */
export function clearKeyCache(): void {
  keys.clear();
}

/** How many times each key file was parsed successfully or asked for; for tests. */
export const keyStats = { reads: 0, prompts: 0 };

function loadKey(file: string): Promise<KeyResult> {
  let p = keys.get(file);
  if (!p) {
    p = parseKeyFile(file);
    keys.set(file, p);
  }
  return p;
}

async function parseKeyFile(file: string): Promise<KeyResult> {
  let data: Buffer;
  try {
    data = readFileSync(file);
    keyStats.reads++;
  } catch (e) {
    return { error: `cannot read private key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const first = utils.parseKey(data);
  if (!(first instanceof Error)) return { key: Array.isArray(first) ? first[0] : first };
  if (!/passphrase/i.test(first.message)) return { error: `cannot parse private key ${file}: ${first.message}` };
  if (!secretPrompt) return { error: `private key ${file} is encrypted and drover has no terminal to ask for its passphrase (load it into ssh-agent, or run from a terminal)` };
  for (let attempt = 0; attempt < 3; attempt++) {
    keyStats.prompts++;
    const pass = await secretPrompt(`Enter passphrase for key '${file}': `);
    const k = utils.parseKey(data, pass);
    if (!(k instanceof Error)) return { key: Array.isArray(k) ? k[0] : k };
  }
  return { error: `wrong passphrase for private key ${file} (3 attempts)` };
}

// ---------------------------------------------------------------------------------------------
// options

/** What ssh would get on its command line from Ansible for this host, in Ansible's order. */
export function cliOptions(spec: ConnectionSpec): { options: SshOption[]; configFile?: string } {
  const opts: SshOption[] = [];
  if (spec.port !== undefined) opts.push(['port', String(spec.port)]);
  if (spec.privateKeyFile) opts.push(['identityfile', spec.privateKeyFile]);
  if (spec.user) opts.push(['user', spec.user]);
  const args = parseSshArgs(spec.commonArgs);
  return { options: [...opts, ...args.options], configFile: args.configFile };
}

/** The target after ansible variables, ssh args and ssh config. */
export function targetOf(spec: ConnectionSpec): SshTarget {
  const { options, configFile } = cliOptions(spec);
  return resolveTarget(spec.address, options, configFile);
}

// ---------------------------------------------------------------------------------------------
// jump hosts: one client per (user, host, port) for the whole run, reference counted

interface JumpClient {
  client: Promise<Client>;
  refs: number;
  label: string;
}
const jumps = new Map<string, JumpClient>();

function jumpKey(t: SshTarget, via: string): string {
  return `${via}>${t.user}@${t.hostname}:${t.port}`;
}

/** A stream to `host:port` through the jump chain, and a release function. */
async function throughJumps(hops: JumpHop[], dest: { host: string; port: number }, ctx: OpenContext): Promise<{ sock: Duplex; release: () => void; label: string }> {
  let via: Client | undefined;
  let viaKey = '';
  const held: JumpClient[] = [];
  const release = () => {
    for (const j of held) {
      if (--j.refs === 0) {
        for (const [k, v] of jumps) if (v === j) jumps.delete(k);
        void j.client.then((c) => c.end(), () => undefined);
      }
    }
  };
  try {
    for (const hop of hops) {
      const cli: SshOption[] = [];
      if (hop.port !== undefined) cli.push(['port', String(hop.port)]);
      if (hop.user) cli.push(['user', hop.user]);
      // as OpenSSH's ProxyJump: the jump host's options come from the config file(s) only (-F is passed on)
      const t = resolveTarget(hop.host, cli, ctx.configFile);
      const key = jumpKey(t, viaKey);
      let j = jumps.get(key);
      if (!j) {
        const parent = via;
        const label = `jump host ${t.user}@${t.hostname}:${t.port}`;
        j = {
          label,
          refs: 0,
          client: (async () => {
            const sock = parent ? await forward(parent, t.hostname, t.port, label) : undefined;
            return openClient(t, { ...ctx, password: undefined, name: label }, sock);
          })(),
        };
        jumps.set(key, j);
        j.client.catch(() => jumps.delete(key));
      }
      j.refs++;
      held.push(j);
      via = await j.client;
      viaKey = key;
    }
    const sock = await forward(via!, dest.host, dest.port, held[held.length - 1].label);
    return { sock, release, label: held.map((j) => j.label).join(' -> ') };
  } catch (e) {
    release();
    throw e;
  }
}

function forward(client: Client, host: string, port: number, label: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => {
      if (err) reject(new Error(`${label} could not open a channel to ${host}:${port}: ${err.message}`));
      else resolve(ch as unknown as Duplex);
    });
  });
}

/** ProxyCommand: the command's stdin/stdout is the connection; its stderr goes into error messages. */
function proxyCommandSocket(command: string): { sock: Duplex; stderr: () => string; kill: () => void } {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 4000) err += d.toString();
  });
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on('error', (e) => sock.destroy(e));
  child.on('exit', () => sock.push(null));
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  sock.on('close', kill);
  return { sock, stderr: () => err.trim(), kill };
}

// ---------------------------------------------------------------------------------------------
// authentication and the connection itself

interface OpenContext {
  name: string; // for messages: the inventory host or "jump host ..."
  password?: string;
  hostKeyChecking: boolean;
  timeoutSec: number;
  configFile?: string;
}

function authHandlerFor(t: SshTarget, ctx: OpenContext, tried: string[], notes: string[]): ConnectConfig['authHandler'] {
  const steps: (() => Promise<AnyAuthMethod | undefined>)[] = [];
  const agentSock = t.identityAgent && t.identityAgent.toLowerCase() !== 'none' ? t.identityAgent.replace(/^\$/, '') : process.env.SSH_AUTH_SOCK;
  const agent = t.identityAgent?.startsWith('$') ? process.env[t.identityAgent.slice(1)] : agentSock;
  if (t.pubkeyAuthentication && agent && !t.identitiesOnly && t.identityAgent?.toLowerCase() !== 'none') {
    steps.push(async () => ({ type: 'agent', username: t.user, agent: agent as string }));
  }
  if (t.pubkeyAuthentication) {
    for (const file of t.identityFiles) {
      steps.push(async () => {
        const r = await loadKey(file);
        if ('error' in r) {
          notes.push(r.error);
          return undefined;
        }
        return { type: 'publickey', username: t.user, key: r.key };
      });
    }
  }
  const password = ctx.password;
  if (password !== undefined && t.passwordAuthentication) {
    steps.push(async () => ({ type: 'password', username: t.user, password }));
    steps.push(async () => ({
      type: 'keyboard-interactive',
      username: t.user,
      prompt: (_n: string, _i: string, _l: string, prompts: { prompt: string }[], finish: (answers: string[]) => void) => finish(prompts.map(() => password)),
    }));
  }
  let i = 0;
  // the first call comes before the server said which methods it allows (methodsLeft null)
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    void (async () => {
      while (i < steps.length) {
        const auth = await steps[i++]();
        if (!auth) continue;
        const serverName = auth.type === 'agent' ? 'publickey' : auth.type;
        if (methodsLeft && !methodsLeft.includes(serverName)) continue;
        tried.push(serverName);
        next(auth);
        return;
      }
      next(false as unknown as AuthenticationType); // ssh2: false = no more methods
    })();
  };
}

/** Connect (and authenticate) one ssh2 client to a resolved target, optionally over a given stream. */
function openClient(t: SshTarget, ctx: OpenContext, sock?: Duplex, proxyErr?: () => string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostKeyProblem: string | undefined;
    const tried: string[] = [];
    const notes: string[] = [];
    const fail = (msg: string) => {
      if (settled) return;
      settled = true;
      client.end();
      sock?.destroy();
      reject(new Error(msg));
    };
    client.on('ready', () => {
      settled = true;
      const raw = (client as unknown as { _sock?: { setNoDelay?: (v: boolean) => void } })._sock;
      raw?.setNoDelay?.(true);
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string }) => {
      let msg = hostKeyProblem ?? e.message;
      if (e.level === 'client-authentication') {
        const methods = [...new Set(tried)].join(',') || 'none';
        msg = ctx.password !== undefined && tried.includes('password')
          ? `Invalid/incorrect password: Permission denied for ${t.user}@${t.hostname}:${t.port} (tried: ${methods})`
          : `Permission denied for ${t.user}@${t.hostname}:${t.port} (tried: ${methods})`;
        if (notes.length) msg += `; ${notes.join('; ')}`;
      }
      const pe = proxyErr?.();
      if (pe) msg += ` (proxy command: ${pe})`;
      fail(`${ctx.name === t.originalHost ? '' : `${ctx.name}: `}${msg}`);
    });
    client.on('close', () => fail(hostKeyProblem ?? `connection closed${proxyErr?.() ? ` (proxy command: ${proxyErr()})` : ''}`));
    const strict = t.strictHostKeyChecking;
    const check = ctx.hostKeyChecking && strict !== 'no' && strict !== 'off' && strict !== 'false';
    client.connect({
      host: sock ? undefined : t.hostname,
      port: t.port,
      sock: sock as ConnectConfig['sock'],
      username: t.user,
      authHandler: authHandlerFor(t, ctx, tried, notes),
      readyTimeout: ctx.timeoutSec * 1000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      hostVerifier: check
        ? (key: Buffer) => {
            const files = t.knownHostsFiles;
            // ssh looks a HostKeyAlias up as it is, without the port
            const [name, port] = t.hostKeyAlias ? [t.hostKeyAlias, 22] : [t.hostname, t.port];
            const verdict = verifyHostKey(loadKnownHosts(files), name, port, key, files);
            if (verdict.status === 'ok') return true;
            if (verdict.status === 'unknown' && strict === 'accept-new') {
              // recorded in the first user file, so the key is accepted once and enforced afterwards
              recordHostKey(files[0], hostKeyName(name, port), key, t.hashKnownHosts);
              return true;
            }
            hostKeyProblem = verdict.message;
            return false;
          }
        : undefined,
    });
  });
}

export interface OpenedClient {
  client: Client;
  user: string;
  /** Releases what the connection holds besides itself (jump host connections, proxy command). */
  release: () => void;
  /** How the host was reached, for messages ("jump host root@bastion:22"). */
  via?: string;
}

/** Open the one connection of a host, as ssh would reach it. */
export async function openSsh(spec: ConnectionSpec): Promise<OpenedClient> {
  const fail = (msg: string) => new UnreachableError(spec.host, `Failed to connect to the host via ssh: ${msg}`);
  let t: SshTarget;
  let configFile: string | undefined;
  try {
    const cli = cliOptions(spec);
    configFile = cli.configFile;
    t = resolveTarget(spec.address, cli.options, cli.configFile);
  } catch (e) {
    throw fail((e as Error).message);
  }
  const ctx: OpenContext = { name: spec.host, password: spec.password, hostKeyChecking: spec.hostKeyChecking, timeoutSec: spec.timeoutSec, configFile };
  let sock: Duplex | undefined;
  let release = () => undefined as void;
  let via: string | undefined;
  let proxyErr: (() => string) | undefined;
  try {
    if (t.proxyJump?.length) {
      const j = await throughJumps(t.proxyJump, { host: t.hostname, port: t.port }, ctx);
      sock = j.sock;
      release = j.release;
      via = j.label;
    } else if (t.proxyCommand) {
      const p = proxyCommandSocket(t.proxyCommand);
      sock = p.sock;
      release = p.kill;
      proxyErr = p.stderr;
      via = `proxy command ${t.proxyCommand}`;
    }
    const client = await openClient(t, ctx, sock, proxyErr);
    return { client, user: t.user, release, via };
  } catch (e) {
    release();
    throw fail((e as Error).message);
  }
}
