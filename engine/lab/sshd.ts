// The lab's sshd: the real Debian sshd in inetd mode (`sshd -i`), one process per accepted
// connection, started by the lab's front process with the connection as its stdin/stdout and
// the host's tree as ChrootDirectory. One config, one host key and one client key per lab.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { labPaths } from './layout.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

/** `passwords`: some lab user has a password (PasswordAuthentication on); `rootPassword`: root has one. */
export function sshdConfig(dir: string, auth: { passwords?: boolean; rootPassword?: boolean } = {}): string {
  const p = labPaths(dir);
  return [
    '# drover lab: used by `sshd -i` per connection; ChrootDirectory is given per host on the command line',
    `HostKey ${p.hostKey}`,
    `AuthorizedKeysFile ${p.authorizedKeys}`,
    `PermitRootLogin ${auth.rootPassword ? 'yes' : 'prohibit-password'}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${auth.passwords ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'LogLevel VERBOSE',
    'PidFile none',
    'MaxSessions 64',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding yes',
    'PermitTTY yes',
    'PermitUserEnvironment no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** argv of the sshd serving one connection to one host. */
export function sshdArgs(dir: string, hostRoot: string): string[] {
  const p = labPaths(dir);
  // -E, not -e: with -e the session child's log lines (after chroot) leak into the session's stderr
  return ['-i', '-E', p.sshdLog, '-f', p.sshdConfig, '-o', `ChrootDirectory=${hostRoot}`];
}

/** Host key, client key, authorized_keys and the sshd config of a new lab. */
export async function writeSshFiles(dir: string, auth: { passwords?: boolean; rootPassword?: boolean } = {}): Promise<string> {
  const p = labPaths(dir);
  // sshd refuses every connection ("Missing privilege separation directory") until /run/sshd
  // exists; Debian's service unit creates it, and on a fresh machine that service never ran.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  await Promise.all([
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'drover-lab-host', '-f', p.hostKey]),
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'drover-lab-client', '-f', p.clientKey]),
  ]);
  writeFileSync(p.authorizedKeys, readFileSync(p.clientKey + '.pub'));
  writeFileSync(p.sshdConfig, sshdConfig(dir, auth));
  return readFileSync(p.hostKey + '.pub', 'utf8').trim();
}

/** known_hosts lines for every host address: `[addr]:port type key`. */
export function knownHostsText(hostKeyPub: string, addresses: string[], port: number): string {
  const [type, blob] = hostKeyPub.split(/\s+/);
  return addresses.map((a) => `[${a}]:${port} ${type} ${blob}`).join('\n') + '\n';
}
