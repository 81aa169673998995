// The vault flags every command that reads content shares (ansible's add_vault_options), and the
// one place that turns them plus the vault_* settings into the run's Vault.
import type { OptionSpec } from './args.js';
import { loadVault, type Vault } from '../vault/secrets.js';
import { setting, type ResolvedSetting } from '../config/settings.js';

export const VAULT_OPTIONS: OptionSpec[] = [
  { name: 'vaultIds', long: 'vault-id', value: 'ID', repeat: true, help: 'the vault identity to use: label@source, source a password file, script or `prompt` (repeatable)' },
  { name: 'askVaultPass', long: 'ask-vault-password', short: 'J', help: 'ask for the vault password' },
  { name: 'askVaultPass', long: 'ask-vault-pass', help: 'ask for the vault password' },
  { name: 'vaultPasswordFiles', long: 'vault-password-file', value: 'FILE', repeat: true, help: 'vault password file (an executable one is run)' },
  { name: 'vaultPasswordFiles', long: 'vault-pass-file', value: 'FILE', repeat: true, help: 'vault password file (an executable one is run)' },
];

/** The run's secrets from the parsed flags and the vault_* settings; warnings go to stderr as Ansible's. */
export function vaultFromOptions(
  opts: Record<string, unknown>,
  cfg: Map<string, ResolvedSetting>,
  prompt: ((message: string) => Promise<string>) | undefined,
  cwd: string,
): Promise<Vault> {
  return loadVault(
    {
      vaultIds: opts.vaultIds as string[] | undefined,
      passwordFiles: opts.vaultPasswordFiles as string[] | undefined,
      askVaultPass: Boolean(opts.askVaultPass),
      prompt,
      cwd,
      config: {
        passwordFile: setting<string | undefined>(cfg, 'vault_password_file'),
        identityList: setting<string[]>(cfg, 'vault_identity_list'),
        identity: setting<string>(cfg, 'vault_identity'),
        idMatch: setting<boolean>(cfg, 'vault_id_match'),
      },
    },
    (m) => process.stderr.write(`[WARNING]: ${m}\n`),
  );
}
