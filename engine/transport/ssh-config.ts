// OpenSSH client options as `ssh` resolves them: command-line options first (what Ansible puts
// on ssh's command line: ansible_port, the private key, ansible_user, then
// ansible_ssh_common_args and ansible_ssh_extra_args), then the config file(s) (`-F FILE`, or
// ~/.ssh/config and /etc/ssh/ssh_config), where for each keyword the FIRST value obtained wins
// (IdentityFile and UserKnownHostsFile... accumulate as in ssh). Host and Match blocks apply when
// they match; Include is followed. Only the keywords drover uses are interpreted; the rest are
// kept but ignored.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, hostname as localHostname, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';

/** Split a command line as a POSIX shell would (quotes and backslashes), without expansions. */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${text}`);
      cur += text.slice(i + 1, end);
      has = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) i++;
        cur += text[i++];
      }
      if (i >= text.length) throw new Error(`unterminated " in: ${text}`);
      has = true;
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[i + 1];
      has = true;
      i += 2;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** One `Keyword value` setting, keyword lower-cased. */
export type SshOption = [keyword: string, value: string];

export interface SshArgs {
  options: SshOption[];
  /** -F FILE: the only config file read (ssh reads neither ~/.ssh/config nor /etc/ssh/ssh_config then). */
  configFile?: string;
}

/** Flags of ssh that take a value (so their value is not mistaken for an option). */
const VALUE_FLAGS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/** Parse ssh command-line arguments (`-o K=V`, `-oK=V`, `-o 'K V'`, -F, -i, -p, -l, -J). */
export function parseSshArgs(text: string | undefined): SshArgs {
  const argv = shellSplit(text ?? '');
  const res: SshArgs = { options: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a.length < 2) continue; // stray words: ssh would take them as the host
    // a cluster of flags like -tt or -4C, possibly ending in a flag with its value (-oX=Y, -p22)
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (!VALUE_FLAGS.has(f)) continue;
      const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
      if (value === undefined) break;
      const put = (k: string, v: string) => res.options.push([k, v]);
      if (f === 'o') {
        const kv = parseKeywordLine(value);
        if (kv) put(kv[0], kv[1]);
      } else if (f === 'F') res.configFile = value;
      else if (f === 'i') put('identityfile', value);
      else if (f === 'p') put('port', value);
      else if (f === 'l') put('user', value);
      else if (f === 'J') put('proxyjump', value);
      break;
    }
  }
  return res;
}

/** `Keyword value`, `Keyword=value` or `Keyword = "value"` → [keyword, value]. */
function parseKeywordLine(line: string): SshOption | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*?)\s*$/.exec(line);
  if (!m) return undefined;
  let value = m[2];
  if (/^"[^"]*"$/.test(value)) value = value.slice(1, -1);
  return [m[1].toLowerCase(), value];
}

// ---------------------------------------------------------------------------------------------
// config files

interface ConfigLine {
  keyword: string;
  value: string;
  file: string;
  line: number;
}

type Block = { kind: 'host'; patterns: string[] } | { kind: 'match'; criteria: string[] };

/** Lines that apply when every condition holds (none: top of a file; more than one: Include in a block). */
interface ConfigEntry {
  conds: Block[];
  lines: ConfigLine[];
}

/** Glob match of one OpenSSH pattern (`*`, `?`), case-insensitive. */
export function sshPatternMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(name);
}

/** A pattern list (space- or comma-separated, `!` negates and wins) against a name. */
export function patternListMatch(patterns: string[], name: string): boolean {
  let hit = false;
  for (const p of patterns.flatMap((x) => x.split(',')).filter(Boolean)) {
    if (p.startsWith('!')) {
      if (sshPatternMatch(p.slice(1), name)) return false;
    } else if (sshPatternMatch(p, name)) hit = true;
  }
  return hit;
}

function expandTilde(p: string): string {
  return p.replace(/^~(?=\/|$)/, homedir());
}

/** Files named by an Include argument (relative to ~/.ssh for user files, /etc/ssh for system ones). */
function includeFiles(arg: string, userFile: boolean): string[] {
  return shellSplit(arg).flatMap((raw) => {
    let p = expandTilde(raw);
    if (!isAbsolute(p)) p = join(userFile ? join(homedir(), '.ssh') : '/etc/ssh', p);
    const base = basename(p);
    if (!/[*?]/.test(base)) return existsSync(p) ? [p] : [];
    const dir = dirname(p);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => sshPatternMatch(base, f)).sort().map((f) => join(dir, f));
  });
}

/** Parse a config file into blocks; Include is expanded in place (depth-limited as ssh does). */
export function parseSshConfig(text: string, file: string, userFile = true, depth = 0): ConfigEntry[] {
  const entries: ConfigEntry[] = [{ conds: [], lines: [] }];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const kv = parseKeywordLine(line);
    if (!kv) return;
    const [keyword, value] = kv;
    if (keyword === 'host') entries.push({ conds: [{ kind: 'host', patterns: shellSplit(value) }], lines: [] });
    else if (keyword === 'match') entries.push({ conds: [{ kind: 'match', criteria: shellSplit(value) }], lines: [] });
    else if (keyword === 'include') {
      if (depth >= 16) throw new Error(`${file}:${i + 1}: Include nested too deeply`);
      // an Include inside a Host/Match block applies only when that block matches too
      const cur = entries[entries.length - 1];
      for (const f of includeFiles(value, userFile)) {
        for (const e of parseSshConfig(readFileSync(f, 'utf8'), f, userFile, depth + 1)) entries.push({ conds: [...cur.conds, ...e.conds], lines: e.lines });
      }
      entries.push({ conds: cur.conds, lines: [] });
    } else entries[entries.length - 1].lines.push({ keyword, value, file, line: i + 1 });
  });
  return entries;
}

/** Keywords whose every value counts (the rest: first value wins). */
const MULTI = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv', 'setenv']);

export interface ResolveContext {
  /** The host as given to ssh (Ansible: ansible_host, else the inventory name). */
  host: string;
  localUser?: string;
}

/** The effective options for a destination: command line first, then the config files. */
export class SshResolved {
  readonly values = new Map<string, string>();
  readonly multi = new Map<string, string[]>();
  readonly sources = new Map<string, string>();

  get(keyword: string): string | undefined {
    return this.values.get(keyword);
  }

  all(keyword: string): string[] {
    return this.multi.get(keyword) ?? [];
  }

  set(keyword: string, value: string, source: string): void {
    if (MULTI.has(keyword)) {
      const list = this.multi.get(keyword) ?? [];
      list.push(value);
      this.multi.set(keyword, list);
      return;
    }
    // ProxyJump and ProxyCommand share one slot: whichever comes first prevents the other
    if ((keyword === 'proxyjump' || keyword === 'proxycommand') && (this.values.has('proxyjump') || this.values.has('proxycommand'))) return;
    if (this.values.has(keyword)) return;
    this.values.set(keyword, value);
    this.sources.set(keyword, source);
  }
}

function matchBlock(block: Block, ctx: ResolveContext, r: SshResolved): boolean {
  if (block.kind === 'host') return patternListMatch(block.patterns, ctx.host);
  // Match: every criterion must hold; unsupported criteria (exec, canonical, final...) never match
  const c = block.criteria;
  for (let i = 0; i < c.length; i++) {
    const crit = c[i].toLowerCase();
    if (crit === 'all') continue;
    const neg = crit.startsWith('!');
    const name = neg ? crit.slice(1) : crit;
    const arg = c[++i];
    if (arg === undefined) return false;
    const list = arg.split(',');
    let ok: boolean;
    if (name === 'host') ok = patternListMatch(list, r.get('hostname')?.replace(/%h/g, ctx.host) ?? ctx.host);
    else if (name === 'originalhost') ok = patternListMatch(list, ctx.host);
    else if (name === 'user') ok = patternListMatch(list, r.get('user') ?? ctx.localUser ?? localUser());
    else if (name === 'localuser') ok = patternListMatch(list, ctx.localUser ?? localUser());
    else return false;
    if (ok === neg) return false;
  }
  return true;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/** The config files ssh reads: `-F FILE` alone, else ~/.ssh/config then /etc/ssh/ssh_config. */
export function configFiles(configFile?: string): { file: string; user: boolean }[] {
  if (configFile) return configFile === 'none' ? [] : [{ file: expandTilde(configFile), user: true }];
  return [{ file: join(homedir(), '.ssh', 'config'), user: true }, { file: '/etc/ssh/ssh_config', user: false }];
}

const parsedFiles = new Map<string, ConfigEntry[]>();

function loadConfig(file: string, user: boolean): ConfigEntry[] {
  let e = parsedFiles.get(file);
  if (!e) {
    e = existsSync(file) ? parseSshConfig(readFileSync(file, 'utf8'), file, user) : [];
    parsedFiles.set(file, e);
  }
  return e;
}

/** Forget cached config files (tests write new ones). */
export function clearSshConfigCache(): void {
  parsedFiles.clear();
}

/** Resolve the options for one destination. */
export function resolveSshOptions(ctx: ResolveContext, cli: SshOption[], configFile?: string): SshResolved {
  const r = new SshResolved();
  for (const [k, v] of cli) r.set(k, v, 'command line');
  for (const { file, user } of configFiles(configFile)) {
    for (const entry of loadConfig(file, user)) {
      if (!entry.lines.length || !entry.conds.every((b) => matchBlock(b, ctx, r))) continue;
      for (const l of entry.lines) r.set(l.keyword, l.value, `${l.file}:${l.line}`);
    }
  }
  return r;
}

/** %-tokens of ssh_config (%% %h %n %p %r %u %d %l %L). */
export function expandTokens(text: string, t: { host: string; originalHost: string; port: number; user: string }): string {
  return text.replace(/%([%hnprudlL])/g, (_, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'h': return t.host;
      case 'n': return t.originalHost;
      case 'p': return String(t.port);
      case 'r': return t.user;
      case 'u': return localUser();
      case 'd': return homedir();
      case 'l': return localHostname();
      default: return localHostname().split('.')[0];
    }
  });
}

/** A ProxyJump hop: `[user@]host[:port]` (or an ssh:// URI). */
export interface JumpHop {
  user?: string;
  host: string;
  port?: number;
}

export function parseJumpList(value: string): JumpHop[] {
  if (value.toLowerCase() === 'none') return [];
  return value.split(',').map((raw) => {
    let s = raw.trim().replace(/^ssh:\/\//, '');
    let user: string | undefined;
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    let port: number | undefined;
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    if (v6) {
      s = v6[1];
      if (v6[2]) port = Number(v6[2]);
    } else {
      const m = /^([^:]+):(\d+)$/.exec(s);
      if (m) {
        s = m[1];
        port = Number(m[2]);
      }
    }
    if (!s) throw new Error(`invalid ProxyJump entry '${raw}'`);
    return { user, host: s, port };
  });
}

/** What a connection needs, from ansible's connection variables, ssh args and ssh config. */
export interface SshTarget {
  originalHost: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  knownHostsFiles: string[];
  /** StrictHostKeyChecking from args/config: 'yes' (default), 'no'/'off', 'accept-new'. */
  strictHostKeyChecking: string;
  /** HashKnownHosts: new known_hosts entries get a hashed name. */
  hashKnownHosts: boolean;
  proxyJump?: JumpHop[];
  proxyCommand?: string;
  connectTimeoutSec?: number;
  configFile?: string;
  passwordAuthentication: boolean;
  pubkeyAuthentication: boolean;
  identityAgent?: string;
  hostKeyAlias?: string;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];

function yes(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return /^(yes|true|on)$/i.test(v);
}

/**
 * The effective target for a host: `cli` holds what ssh gets on its command line, in order
 * (Ansible: -o Port=, -o IdentityFile=, -o User=, then ssh_common_args and ssh_extra_args).
 */
export function resolveTarget(host: string, cli: SshOption[], configFile?: string): SshTarget {
  const r = resolveSshOptions({ host }, cli, configFile);
  const user = r.get('user') ?? localUser();
  const port = Number(r.get('port') ?? 22);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid port '${r.get('port')}' for ${host} (${r.sources.get('port')})`);
  const hostname = expandTokens(r.get('hostname') ?? host, { host, originalHost: host, port, user });
  const tokens = { host: hostname, originalHost: host, port, user };
  const explicit = r.all('identityfile').map((f) => expandTilde(expandTokens(f, tokens)));
  const identityFiles = explicit.length ? explicit : DEFAULT_IDENTITIES.map((f) => join(homedir(), '.ssh', f)).filter((f) => existsSync(f));
  const ukh = r.get('userknownhostsfile');
  const knownHostsFiles = (ukh ? shellSplit(ukh) : ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'])
    .map((f) => expandTilde(expandTokens(f, tokens)))
    .concat((r.get('globalknownhostsfile') ? shellSplit(r.get('globalknownhostsfile')!) : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']).map(expandTilde));
  const pj = r.get('proxyjump');
  const pc = r.get('proxycommand');
  const ct = r.get('connecttimeout');
  return {
    originalHost: host,
    hostname,
    port,
    user,
    identityFiles,
    identitiesOnly: yes(r.get('identitiesonly'), false),
    knownHostsFiles,
    strictHostKeyChecking: (r.get('stricthostkeychecking') ?? 'yes').toLowerCase(),
    hashKnownHosts: yes(r.get('hashknownhosts'), false),
    proxyJump: pj && pj.toLowerCase() !== 'none' ? parseJumpList(pj) : undefined,
    proxyCommand: pc && pc.toLowerCase() !== 'none' ? expandTokens(pc, tokens) : undefined,
    connectTimeoutSec: ct ? Number(ct) : undefined,
    configFile,
    passwordAuthentication: yes(r.get('passwordauthentication'), true),
    pubkeyAuthentication: yes(r.get('pubkeyauthentication'), true),
    identityAgent: r.get('identityagent'),
    hostKeyAlias: r.get('hostkeyalias'),
  };
}
