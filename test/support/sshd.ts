// A throwaway real sshd for transport tests: own host key, own authorized key, one loopback
// address and a free high port. Skips (returns undefined) when not root or sshd is missing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface TestSshd {
  dir: string;
  address: string;
  port: number;
  key: string; // client private key file
  knownHosts: string; // a known_hosts file holding this sshd's key
  hostKeyPub: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export function canRunSshd(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/ssh-keygen');
}

async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startSshd(address = '127.0.0.1', extraConfig = ''): Promise<TestSshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = tempDir('drover-sshd-');
  const port = await freePort(address);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const hostKeyPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim();
  const [type, blob] = hostKeyPub.split(/\s+/);
  writeFileSync(join(dir, 'known_hosts'), `[${address}]:${port} ${type} ${blob}\n`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress ${address}:${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'UsePAM no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'MaxSessions 50',
      'MaxStartups 100:30:200',
      'StrictModes no',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      extraConfig,
    ].join('\n') + '\n',
  );
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 100 && !log.includes('Server listening'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!log.includes('Server listening')) throw new Error(`sshd did not start: ${log}`);
  return {
    dir, address, port, key: join(dir, 'client_key'), knownHosts: join(dir, 'known_hosts'), hostKeyPub, proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
