// The connection, privilege escalation and module path flags that `drover playbook` and `drover
// adhoc` share (ansible's add_connect_options, add_runas_options and add_module_options), and
// CLI.ask_passwords: the connection and become secrets from a prompt or a password file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DroverError } from '../errors/index.js';
import { UsageError, type OptionSpec } from './args.js';

/** add_connect_options (with the ssh-only arguments and the connection password group). */
export const CONNECT_OPTIONS: OptionSpec[] = [
  { name: 'privateKey', long: 'private-key', value: 'FILE', help: 'use this file to authenticate the connection' },
  { name: 'privateKey', long: 'key-file', value: 'FILE', help: 'use this file to authenticate the connection' },
  { name: 'user', long: 'user', short: 'u', value: 'USER', help: 'connect as this user' },
  { name: 'connection', long: 'connection', short: 'c', value: 'TYPE', help: 'connection type to use (ssh or local)' },
  { name: 'timeout', long: 'timeout', short: 'T', value: 'SEC', help: 'connection timeout in seconds (default 10)' },
  { name: 'sshCommonArgs', long: 'ssh-common-args', value: 'ARGS', help: 'common arguments to pass to ssh (e.g. -o ProxyCommand=...); ansible_ssh_common_args wins' },
  { name: 'sftpExtraArgs', long: 'sftp-extra-args', value: 'ARGS', help: 'accepted for ansible: drover copies files over its own SSH session and runs no sftp' },
  { name: 'scpExtraArgs', long: 'scp-extra-args', value: 'ARGS', help: 'accepted for ansible: drover copies files over its own SSH session and runs no scp' },
  { name: 'sshExtraArgs', long: 'ssh-extra-args', value: 'ARGS', help: 'extra arguments to pass to ssh only (e.g. -o ServerAliveInterval=5); ansible_ssh_extra_args wins' },
  { name: 'askPass', long: 'ask-pass', short: 'k', help: 'ask for the connection password' },
  { name: 'connectionPasswordFile', long: 'connection-password-file', value: 'FILE', help: 'connection password file (an executable one is run)' },
  { name: 'connectionPasswordFile', long: 'conn-pass-file', value: 'FILE', help: 'connection password file (an executable one is run)' },
];

/** add_runas_options (become and the become password group). */
export const RUNAS_OPTIONS: OptionSpec[] = [
  { name: 'become', long: 'become', short: 'b', help: 'run operations with become (sudo by default)' },
  { name: 'becomeMethod', long: 'become-method', value: 'METHOD', help: 'privilege escalation method: sudo or su' },
  { name: 'becomeUser', long: 'become-user', value: 'USER', help: 'run operations as this user (default root)' },
  { name: 'askBecomePass', long: 'ask-become-pass', short: 'K', help: 'ask for the privilege escalation password' },
  { name: 'becomePasswordFile', long: 'become-password-file', value: 'FILE', help: 'become password file (an executable one is run)' },
  { name: 'becomePasswordFile', long: 'become-pass-file', value: 'FILE', help: 'become password file (an executable one is run)' },
];

/** add_module_options. */
export const MODULE_OPTIONS: OptionSpec[] = [
  { name: 'modulePath', long: 'module-path', short: 'M', value: 'PATHS', repeat: true, help: 'prepend colon-separated path(s) to the module library' },
];

/** argparse's mutually exclusive groups: -k or a connection password file, -K or a become one. */
export function checkPasswordOptions(opts: Record<string, unknown>): void {
  if (opts.askPass && opts.connectionPasswordFile !== undefined) throw new UsageError('argument --connection-password-file/--conn-pass-file: not allowed with argument -k/--ask-pass');
  if (opts.askBecomePass && opts.becomePasswordFile !== undefined) throw new UsageError('argument --become-password-file/--become-pass-file: not allowed with argument -K/--ask-become-pass');
}

/** -M's paths (unfrack_path(pathsep=True) with PrependListAction): the last -M first. */
export function modulePaths(opts: Record<string, unknown>, cwd: string): string[] {
  const given = (opts.modulePath as string[] | undefined) ?? [];
  const home = process.env.HOME ?? '~';
  return given
    .slice()
    .reverse()
    .flatMap((v) => v.split(':').filter(Boolean).map((p) => resolve(cwd, p.replace(/^~(?=\/|$)/, home))));
}

/**
 * CLI.get_password_from_file: `-` is stdin, an executable file is run, any other file read and
 * stripped; line ends are cut from either, and an empty password is an error.
 */
export function passwordFromFile(file: string, cwd: string): string {
  const path = file === '-' ? file : resolve(cwd, file.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  let secret: string;
  if (path === '-') secret = readFileSync(0, 'utf8');
  else if (!existsSync(path)) throw new DroverError(`The password file ${path} was not found`);
  else if (statSync(path).mode & 0o111) {
    const r = spawnSync(path, [], { cwd, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.error) throw new DroverError(`Problem occured when trying to run the password script ${path} (${r.error.message}). If this is not a script, remove the executable bit from the file.`);
    if (r.status !== 0) throw new DroverError(`The password script ${path} returned an error (rc=${r.status}): ${r.stderr}`);
    secret = r.stdout;
  } else secret = readFileSync(path, 'utf8').trim();
  secret = secret.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (!secret) throw new DroverError(`Empty password was provided from file (${path})`);
  return secret;
}

export type SecretPrompt = (message: string, opts?: { echo?: boolean }) => Promise<string>;

/**
 * CLI.ask_passwords: the connection password, then the become one (defaulting to it with -k).
 * The prompt says BECOME whatever the method, as AGNOSTIC_BECOME_PROMPT's default.
 */
export async function askPasswords(opts: Record<string, unknown>, ask: SecretPrompt, cwd: string): Promise<{ connection?: string; become?: string }> {
  checkPasswordOptions(opts);
  const out: { connection?: string; become?: string } = {};
  let becomePrompt = 'BECOME password: ';
  if (opts.askPass) {
    out.connection = await ask('SSH password: ', { echo: false });
    becomePrompt = 'BECOME password[defaults to SSH password]: ';
  } else if (opts.connectionPasswordFile !== undefined) {
    out.connection = passwordFromFile(String(opts.connectionPasswordFile), cwd);
  }
  if (opts.askBecomePass) {
    out.become = await ask(becomePrompt, { echo: false });
    if (opts.askPass && out.become === '') out.become = out.connection;
  } else if (opts.becomePasswordFile !== undefined) {
    out.become = passwordFromFile(String(opts.becomePasswordFile), cwd);
  }
  return out;
}
