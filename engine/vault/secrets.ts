// The vault secrets of one run (VaultLib + CLI.setup_vault_secrets): where passwords come from
// (--vault-id label@source, --vault-password-file, --ask-vault-pass, ANSIBLE_VAULT_IDENTITY_LIST,
// ANSIBLE_VAULT_PASSWORD_FILE / vault_password_file) and which secret decrypts which vaulttext.
// Built once by the CLI and passed down (YamlOptions.vault), never held globally.
import { readFileSync, statSync, existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { HEADER, VaultError, decryptBody, encryptBody, formatEnvelope, isEncrypted, parseEnvelope } from './cipher.js';

const HEADER_BYTES = Buffer.from(HEADER, 'ascii');
const HEADER_LEN = HEADER_BYTES.length;

export { VaultError, isEncrypted };

export interface VaultSecret {
  id: string;
  password: Buffer;
}

/** What the CLI and the environment say about vault secrets. */
export interface VaultSources {
  /** --vault-id values, in order. */
  vaultIds?: string[];
  /** --vault-password-file values, in order. */
  passwordFiles?: string[];
  askVaultPass?: boolean;
  /** How a password prompt is answered (the terminal, without echo). */
  prompt?: (message: string) => Promise<string>;
  /** vault_password_file, vault_identity_list, vault_identity, vault_id_match (env or ansible.cfg). */
  config?: { passwordFile?: string; identityList?: string[]; identity?: string; idMatch?: boolean };
  cwd?: string;
}

/** The secrets of a run; the passwords are fixed once built, the decrypted values seen are collected. */
export class Vault {
  /** Every decrypted value the run has loaded: the output masks them (engine/vault/redact.ts). */
  private readonly seen = new Set<string>();

  constructor(
    readonly secrets: readonly VaultSecret[],
    /** DEFAULT_VAULT_ID_MATCH: only the secret named by the vaulttext may decrypt it. */
    private readonly idMatch = false,
  ) {}

  /** Remember the string leaves of a decrypted value as secrets. */
  reveal(value: unknown): void {
    if (typeof value === 'string') {
      // very short values (a flag, a digit) would mask unrelated text; they are not worth hiding
      if (value.trim().length >= 3) this.seen.add(value);
    } else if (Array.isArray(value)) value.forEach((v) => this.reveal(v));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => this.reveal(v));
  }

  get revealed(): ReadonlySet<string> {
    return this.seen;
  }

  get ids(): string[] {
    return this.secrets.map((s) => s.id);
  }

  /** VaultLib.decrypt_and_get_vault_id: the vaulttext's own id first, then (unless idMatch) every other. */
  decrypt(text: string, file?: string): { plaintext: Buffer; vaultId: string } {
    if (!isEncrypted(text)) throw new VaultError(`input is not vault encrypted data. ${file ? `${file} is not a vault encrypted file` : ''}`.trim());
    const env = parseEnvelope(text, file);
    if (env.cipher !== 'AES256') throw new VaultError(`${env.cipher} cipher could not be found`);
    if (!this.secrets.length) throw new VaultError(`Attempting to decrypt but no vault secrets found${file ? ` for ${file}` : ''}`);
    const id = env.vaultId ?? 'default';
    const order = [id, ...(this.idMatch ? [] : this.ids.filter((i) => i !== id))];
    for (const want of order) {
      for (const s of this.secrets.filter((x) => x.id === want)) {
        try {
          return { plaintext: decryptBody(env.body, s.password), vaultId: s.id };
        } catch (e) {
          if (e instanceof VaultError && /format|unhexlify/i.test(e.message)) throw new VaultError(`There was a vault format error${file ? ` in ${file}` : ''}: ${e.message}`);
        }
      }
    }
    // Ansible's message, plus the vault id the vaulttext names so the operator knows which password is wrong
    throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt)${file ? ` on ${file}` : ''} (vault id: ${id}; secrets tried: ${this.ids.join(', ')})`);
  }

  /** match_encrypt_secret: the secret named by encryptId, or the first one. */
  secretFor(encryptId?: string): VaultSecret {
    if (encryptId) {
      const s = this.secrets.find((x) => x.id === encryptId);
      if (!s) throw new VaultError(`Did not find a match for --encrypt-vault-id=${encryptId} in the known vault-ids [${this.ids.map((i) => `'${i}'`).join(', ')}]`);
      return s;
    }
    const first = this.secrets[0];
    if (!first) throw new VaultError('A vault password must be specified to encrypt data');
    return first;
  }

  /** VaultLib.encrypt: the envelope text (1.1 for the default id, else 1.2 with the id). */
  encrypt(plaintext: Buffer | string, secret: VaultSecret): string {
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    return formatEnvelope(encryptBody(data, secret.password), secret.id);
  }
}

/** CLI.split_vault_id: `label@source` or just `source`. */
export function splitVaultId(slug: string): { label: string | undefined; source: string } {
  const at = slug.indexOf('@');
  return at < 0 ? { label: undefined, source: slug } : { label: slug.slice(0, at), source: slug.slice(at + 1) };
}

/** script_is_client: an executable whose name (without extension) ends in `-client`. */
function isClientScript(file: string): boolean {
  return basename(file, extname(file)).endsWith('-client');
}

/** get_file_vault_secret + load: a plain file is read, an executable one run (a -client one with --vault-id). */
export function readPasswordFile(file: string, vaultId: string | undefined, cwd: string): Buffer {
  const path = resolve(cwd, file.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  if (!existsSync(path)) throw new VaultError(`The vault password file ${path} was not found`);
  if (statSync(path).mode & 0o111) {
    const client = isClientScript(path);
    const args = client ? ['--vault-id', vaultId ?? 'default'] : [];
    const r = spawnSync(path, args, { cwd, encoding: 'buffer', maxBuffer: 1 << 20 });
    if (r.error) throw new VaultError(`Problem running vault password script ${path} (${r.error.message}). If this is not a script, remove the executable bit from the file.`);
    const stderr = r.stderr.toString('utf8');
    if (client && r.status === 2) throw new VaultError(`Vault password client script ${path} did not find a secret for vault-id=${vaultId}: ${stderr}`);
    if (r.status !== 0) throw new VaultError(client ? `Vault password client script ${path} returned non-zero (${r.status}) when getting secret for vault-id=${vaultId}: ${stderr}` : `Vault password script ${path} returned non-zero (${r.status}): ${stderr}`);
    const pw = Buffer.from(r.stdout.toString('utf8').trim(), 'utf8');
    if (!pw.length) throw new VaultError(`Invalid vault password was provided from script (${path})`);
    return pw;
  }
  const pw = Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
  if (!pw.length) throw new VaultError(`Invalid vault password was provided from file (${path})`);
  return pw;
}

/**
 * CLI.setup_vault_secrets for ansible-playbook/ansible-inventory (no automatic prompt): identity list,
 * then --vault-id, then password files (--vault-password-file, then the configured one), then
 * --ask-vault-pass. A source that fails warns and is skipped, unless none works.
 */
export async function loadVault(src: VaultSources, warn: (m: string) => void = () => undefined): Promise<Vault> {
  const cwd = src.cwd ?? process.cwd();
  const defaultId = src.config?.identity || 'default';
  const slugs = [...(src.config?.identityList ?? []), ...(src.vaultIds ?? [])];
  const files = [...(src.passwordFiles ?? [])];
  if (src.config?.passwordFile) files.push(src.config.passwordFile);
  for (const f of files) slugs.push(`${defaultId}@${f}`);
  if (src.askVaultPass) slugs.push(`${defaultId}@prompt_ask_vault_pass`);
  const secrets: VaultSecret[] = [];
  let last: Error | undefined;
  for (const slug of slugs) {
    const { label, source } = splitVaultId(slug);
    const id = label || defaultId;
    if (source === 'prompt' || source === 'prompt_ask_vault_pass') {
      if (!src.prompt) throw new VaultError(`Cannot prompt for the vault password (${id}) without a terminal`);
      const answer = await src.prompt(source === 'prompt' ? `Vault password (${id}): ` : 'Vault password: ');
      if (!answer) throw new VaultError('Invalid vault password was provided from prompt');
      secrets.push({ id, password: Buffer.from(answer, 'utf8') });
      continue;
    }
    try {
      secrets.push({ id, password: readPasswordFile(source, label, cwd) });
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      warn(`Error getting vault password file (${label ?? ''}): ${e.message}`);
      last = e;
    }
  }
  if (last && !secrets.length) throw last;
  return new Vault(secrets, src.config?.idMatch ?? false);
}

/** DataLoader.get_real_file(decrypt=True): a controller file's bytes, decrypted when vault-encrypted. */
export function unvaultContent(vault: Vault | undefined, content: Buffer, file: string): Buffer {
  if (!content.subarray(0, HEADER_LEN).equals(HEADER_BYTES)) return content;
  if (!vault?.secrets.length) throw new VaultError(`A vault password or secret must be specified to decrypt ${file}`);
  return vault.decrypt(content.toString('ascii'), file).plaintext;
}
