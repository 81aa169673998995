// Login users of a lab (`drover lab up --user NAME[:PASSWORD]`): accounts in every host's own
// /etc/passwd, /etc/group and /etc/shadow, a home directory, and sudo rights, so that password
// authentication, `become: sudo` with a password and `become_method: su` can be rehearsed.
//
// sshd authenticates a user before it chroots (UsePAM is off: it calls getpwnam()/getspnam()),
// so it would read the MACHINE's passwd and shadow. When a lab has users, the front therefore
// starts each `sshd -i` in a private mount namespace where the host's passwd, group and shadow
// are bind-mounted over /etc/passwd, /etc/group and /etc/shadow (see `sshdCommand`): sshd then
// checks the host's own accounts, and nothing on the machine changes.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the lab record keeps about a user (never the password, only whether there is one). */
export interface LabUser {
  name: string;
  uid: number;
  password: boolean;
}

/** A user as given on the command line, with its password (kept in memory only). */
export interface LabUserSpec {
  name: string;
  password?: string;
}

/** Parse `NAME` or `NAME:PASSWORD` (the password may contain ':'). */
export function parseUserSpec(spec: string): LabUserSpec {
  const i = spec.indexOf(':');
  const name = i < 0 ? spec : spec.slice(0, i);
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`invalid user name '${name}' (lower-case letters, digits, _ and -)`);
  return i < 0 ? { name } : { name, password: spec.slice(i + 1) };
}

/** SHA-512 crypt hash, as /etc/shadow holds it; the password goes through stdin, never argv. */
export async function cryptPassword(password: string): Promise<string> {
  const child = run('openssl', ['passwd', '-6', '-stdin']);
  child.child.stdin?.end(password + '\n');
  return (await child).stdout.trim();
}

/** Users with uids free on the machine (so files they own never belong to a real account). */
export function assignUids(specs: LabUserSpec[], machinePasswd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : ''): LabUser[] {
  const taken = new Set(machinePasswd.split('\n').filter(Boolean).map((l) => Number(l.split(':')[2])));
  let uid = 2000;
  return specs.map((s) => {
    if (s.name === 'root') return { name: 'root', uid: 0, password: s.password !== undefined };
    while (taken.has(uid)) uid++;
    taken.add(uid);
    return { name: s.name, uid: uid++, password: s.password !== undefined };
  });
}

/**
 * Add the users to one host tree: passwd/group/shadow lines (root's shadow entry gets the
 * password when one is given), /home/NAME, and sudoers: with a password sudo asks for it,
 * without one the user has NOPASSWD rights.
 */
export function addUsersToHost(root: string, users: LabUser[], hashes: Map<string, string>): void {
  const etc = join(root, 'etc');
  const shadowPath = join(etc, 'shadow');
  let shadow = readFileSync(shadowPath, 'utf8');
  const passwdNames = new Set(readFileSync(join(etc, 'passwd'), 'utf8').split('\n').map((l) => l.split(':')[0]));
  for (const u of users) {
    const hash = hashes.get(u.name) ?? '*';
    const entry = `${u.name}:${hash}:19000:0:99999:7:::`;
    if (new RegExp(`^${u.name}:`, 'm').test(shadow)) shadow = shadow.replace(new RegExp(`^${u.name}:.*$`, 'm'), entry);
    else shadow += entry + '\n';
    if (u.uid === 0) continue;
    if (!passwdNames.has(u.name)) {
      appendFileSync(join(etc, 'passwd'), `${u.name}:x:${u.uid}:${u.uid}:drover lab user:/home/${u.name}:/bin/bash\n`);
      appendFileSync(join(etc, 'group'), `${u.name}:x:${u.uid}:\n`);
    }
    const home = join(root, 'home', u.name);
    mkdirSync(home, { recursive: true, mode: 0o755 });
    chownSync(home, u.uid, u.uid);
    appendFileSync(join(etc, 'sudoers'), u.password ? `${u.name} ALL=(ALL:ALL) ALL\n` : `${u.name} ALL=(ALL:ALL) NOPASSWD: ALL\n`);
  }
  writeFileSync(shadowPath, shadow, { mode: 0o640 });
  // what sudo's and su's PAM session modules read (pam_limits fails without limits.conf, pam_env
  // without its files), and the machine's own name: sudo resolves gethostname(), which chroots share
  if (existsSync('/etc/security') && !existsSync(join(etc, 'security'))) cpSync('/etc/security', join(etc, 'security'), { recursive: true });
  mkdirSync(join(etc, 'default'), { recursive: true });
  for (const f of ['environment', 'default/locale']) if (!existsSync(join(etc, f))) writeFileSync(join(etc, f), '');
  appendFileSync(join(etc, 'hosts'), `127.0.1.1 ${hostname()}\n`);
}

/** Hash every given password once for the whole lab. */
export async function hashPasswords(specs: LabUserSpec[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of specs) if (s.password !== undefined) out.set(s.name, await cryptPassword(s.password));
  return out;
}

/**
 * The program and argv that start sshd for one connection. Without lab users: sshd itself.
 * With them: sshd in a private mount namespace over the host's account files (see the top).
 */
export function sshdCommand(sshd: string, args: string[], hostRoot: string, hasUsers: boolean): [string, string[]] {
  if (!hasUsers) return [sshd, args];
  const binds = ['passwd', 'group', 'shadow'].map((f) => `mount --bind "$1/etc/${f}" /etc/${f}`).join(' && ');
  return ['/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', `${binds} && shift && exec "$@"`, 'drover-lab-sshd', hostRoot, sshd, ...args]];
}
