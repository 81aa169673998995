// `drover vault`: ansible-vault 2.14's actions (create, encrypt, decrypt, view, edit, rekey,
// encrypt_string) on the engine/vault format, so files go back and forth with ansible-vault.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError } from '../errors/index.js';
import { resolveSettings, setting } from '../config/settings.js';
import { VaultError, isEncrypted, loadVault, type Vault, type VaultSecret } from '../vault/secrets.js';
import { helpText, parseArgs, type OptionSpec } from './args.js';
import { VAULT_OPTIONS, vaultFromOptions } from './vault-options.js';
import { ask } from './prompt.js';

const ACTIONS = ['create', 'decrypt', 'edit', 'view', 'encrypt', 'encrypt_string', 'rekey'];

const SPECS: OptionSpec[] = [
  ...VAULT_OPTIONS,
  { name: 'encryptVaultId', long: 'encrypt-vault-id', value: 'ID', help: 'the vault id to encrypt with (required if more than one vault id is given)' },
  { name: 'output', long: 'output', value: 'FILE', help: 'output file name for encrypt or decrypt; use - for stdout' },
  { name: 'name', long: 'name', short: 'n', value: 'NAME', repeat: true, help: 'encrypt_string: the variable name' },
  { name: 'stdinName', long: 'stdin-name', value: 'NAME', help: 'encrypt_string: the variable name for stdin' },
  { name: 'newVaultId', long: 'new-vault-id', value: 'ID', help: 'rekey: the new vault identity' },
  { name: 'newVaultPasswordFile', long: 'new-vault-password-file', value: 'FILE', help: 'rekey: the new vault password file' },
  { name: 'verbose', long: 'verbose', short: 'v', count: true, help: 'more output' },
  { name: 'help', long: 'help', short: 'h', help: 'show this help and exit' },
];

export const VAULT_USAGE = helpText(
  'drover vault {create,decrypt,edit,view,encrypt,encrypt_string,rekey} [options] [FILE ...]',
  'Encrypt and decrypt Ansible vault files and strings, as ansible-vault 2.14 writes and reads them.',
  SPECS,
);

const readInput = (f: string): string => (f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8'));

/** VaultEditor.write_data: `-` is stdout; files are written 0600 when new. */
function writeOutput(f: string, data: string, out: (s: string) => void): void {
  if (f === '-') out(data);
  else writeFileSync(f, data, existsSync(f) ? {} : { mode: 0o600 });
}

/** The file in $EDITOR (default vi), as VaultEditor._edit_file_helper; the plaintext after editing. */
function runEditor(initial: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-vault-'));
  const file = join(dir, 'edit');
  try {
    writeFileSync(file, initial, { mode: 0o600 });
    const editor = process.env.EDITOR || 'vi';
    const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    if (r.status !== 0) throw new VaultError(`Unable to execute the command "${editor} ${file}": exit ${r.status}`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** format_ciphertext_yaml: `name: !vault |` then the envelope indented by 10. */
function ciphertextYaml(envelope: string, name?: string): string {
  return [`${name ? `${name}: ` : ''}!vault |`, ...envelope.split('\n').filter(Boolean).map((l) => ' '.repeat(10) + l)].join('\n');
}

/** The secret to encrypt with: --encrypt-vault-id, the only one, or an error naming them (VaultCLI.run). */
function encryptSecret(vault: Vault, encryptId: string | undefined): VaultSecret {
  if (!vault.secrets.length) throw new OptionsError("A vault password is required to use Ansible's Vault");
  if (vault.secrets.length > 1 && !encryptId) throw new OptionsError(`The vault-ids ${vault.ids.join(',')} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id`);
  return vault.secretFor(encryptId);
}

export async function vaultCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  if (opts.help || !positional.length) {
    out(VAULT_USAGE);
    return opts.help ? 0 : 5;
  }
  const [action, ...args] = positional;
  if (!ACTIONS.includes(action)) throw new OptionsError(`argument action: invalid choice: '${action}' (choose from ${ACTIONS.map((a) => `'${a}'`).join(', ')})`);
  const cwd = process.cwd();
  const cfg = resolveSettings(process.env, cwd);
  const prompt = (m: string) => ask(m, { echo: false });
  const vault = await vaultFromOptions(opts, cfg, prompt, cwd);
  const encryptId = (opts.encryptVaultId as string | undefined) ?? setting<string | undefined>(cfg, 'vault_encrypt_identity');
  const status = (m: string) => process.stderr.write(`${m}\n`);
  const decrypt = (f: string): { text: string; vaultId: string } => {
    const raw = readInput(f);
    if (!vault.secrets.length) throw new OptionsError("A vault password is required to use Ansible's Vault");
    try {
      const r = vault.decrypt(raw, f === '-' ? undefined : f);
      return { text: r.plaintext.toString('utf8'), vaultId: r.vaultId };
    } catch (e) {
      throw new VaultError(`${(e as Error).message} for ${f}`);
    }
  };

  switch (action) {
    case 'encrypt': {
      const secret = encryptSecret(vault, encryptId);
      for (const f of args.length ? args : ['-']) {
        const text = readInput(f);
        if (isEncrypted(text)) throw new VaultError(`input is already encrypted for ${f}`);
        writeOutput((opts.output as string | undefined) ?? f, vault.encrypt(text, secret), out);
      }
      if (process.stdout.isTTY) status('Encryption successful');
      return 0;
    }
    case 'decrypt':
      for (const f of args.length ? args : ['-']) writeOutput((opts.output as string | undefined) ?? f, decrypt(f).text, out);
      if (process.stdout.isTTY) status('Decryption successful');
      return 0;
    case 'view':
      for (const f of args) out(decrypt(f).text);
      return 0;
    case 'create': {
      if (args.length !== 1) throw new OptionsError('ansible-vault create can take only one filename argument');
      const secret = encryptSecret(vault, encryptId);
      if (existsSync(args[0])) throw new VaultError(`${args[0]} exists, please use 'edit' instead`);
      writeFileSync(args[0], vault.encrypt(runEditor(''), secret), { mode: 0o600 });
      return 0;
    }
    case 'edit':
      for (const f of args) {
        const { text, vaultId } = decrypt(f);
        const edited = runEditor(text);
        // unchanged content is left as it was (VaultEditor: no force_save)
        if (edited !== text) writeFileSync(f, vault.encrypt(edited, vault.secretFor(vaultId)), { mode: statSync(f).mode & 0o777 });
      }
      return 0;
    case 'rekey': {
      const fresh = await loadVault({
        vaultIds: opts.newVaultId ? [opts.newVaultId as string] : [],
        passwordFiles: opts.newVaultPasswordFile ? [opts.newVaultPasswordFile as string] : [],
        askVaultPass: Boolean(opts.askVaultPass),
        prompt,
        cwd,
      });
      if (!fresh.secrets.length) throw new OptionsError("A new vault password is required to use Ansible's Vault rekey");
      const secret = fresh.secretFor(encryptId);
      for (const f of args) writeFileSync(f, fresh.encrypt(decrypt(f).text, secret));
      status('Rekey successful');
      return 0;
    }
    default:
      return encryptString(vault, encryptSecret(vault, encryptId), opts, args, out, status);
  }
}

/** encrypt_string: each argument (or stdin) as a `!vault |` YAML block, named by --name / --stdin-name. */
function encryptString(vault: Vault, secret: VaultSecret, opts: Record<string, unknown>, args: string[], out: (s: string) => void, status: (m: string) => void): number {
  const names = (opts.name as string[] | undefined) ?? [];
  const items: { text: string; name?: string; src: string }[] = [];
  const fromStdin = args.includes('-') || !args.length || Boolean(opts.stdinName);
  if (fromStdin) {
    const text = readFileSync(0, 'utf8');
    if (text === '') throw new OptionsError('stdin was empty, not encrypting');
    items.push({ text, name: opts.stdinName as string | undefined, src: 'stdin' });
  }
  args.filter((a) => a !== '-').forEach((a, i) => {
    if (a === '') throw new OptionsError('The plaintext provided from the command line args was empty, not encrypting');
    items.push({ text: a, name: names[i], src: 'the command line args' });
  });
  const blocks = items.map((it, i) => {
    if (items.length > 1) process.stderr.write(it.name ? `# The encrypted version of variable ("${it.name}", the string #${i + 1} from ${it.src}).\n` : `# The encrypted version of the string #${i + 1} from ${it.src}.)\n`);
    return ciphertextYaml(vault.encrypt(it.text, secret), it.name);
  });
  const text = blocks.join('\n');
  if (opts.output && opts.output !== '-') writeFileSync(opts.output as string, text);
  else out(text); // no final newline, as ansible-vault's write_data to stdout
  if (process.stdout.isTTY) status('Encryption successful');
  return 0;
}
