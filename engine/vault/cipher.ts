// Ansible's vault format (ansible/parsing/vault/__init__.py, 2.14) with Node's crypto only, so drover
// reads what ansible-vault writes and ansible-vault reads what drover writes: the
// `$ANSIBLE_VAULT;1.1;AES256` / `1.2;AES256;<id>` envelope and the VaultAES256 cipher.
import { DroverError, type SourcePos } from '../errors/index.js';
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const HEADER = '$ANSIBLE_VAULT';

/** A vault problem (wrong password, bad envelope); messages are Ansible's, exit code 1 as Ansible's AnsibleVaultError. */
export class VaultError extends DroverError {
  constructor(message: string, pos?: SourcePos) {
    super(message, { pos });
    this.name = 'VaultError';
  }
}

/** An envelope's parts: the hexlified vaulttext, format version, cipher and vault id. */
export interface Envelope {
  body: string;
  version: string;
  cipher: string;
  vaultId: string | undefined;
}

/** is_encrypted: pure ASCII that starts with the header. */
export function isEncrypted(data: unknown): data is string {
  return typeof data === 'string' && data.startsWith(HEADER) && /^[\x00-\x7f]*$/.test(data);
}

/** parse_vaulttext_envelope: header on the first line, the body joined from the rest. */
export function parseEnvelope(text: string, file?: string): Envelope {
  const lines = text.split(/\r\n|\r|\n/);
  const header = lines[0].trim().split(';');
  if (header.length < 3) throw new VaultError(`Vault envelope format error${file ? ` in ${file}` : ''}: list index out of range`);
  return { version: header[1].trim(), cipher: header[2].trim(), vaultId: header.length >= 4 ? header[3].trim() : undefined, body: lines.slice(1).join('') };
}

/** format_vaulttext_envelope: a vault id other than `default` makes it 1.2; 80 columns; final newline. */
export function formatEnvelope(body: string, vaultId?: string): string {
  const v12 = vaultId !== undefined && vaultId !== '' && vaultId !== 'default';
  const header = [HEADER, v12 ? '1.2' : '1.1', 'AES256', ...(v12 ? [vaultId] : [])].join(';');
  const rows = [header];
  for (let i = 0; i < body.length; i += 80) rows.push(body.slice(i, i + 80));
  return `${rows.join('\n')}\n`;
}

function keys(password: Buffer, salt: Buffer): { key1: Buffer; key2: Buffer; iv: Buffer } {
  const d = pbkdf2Sync(password, salt, 10000, 80, 'sha256');
  return { key1: d.subarray(0, 32), key2: d.subarray(32, 64), iv: d.subarray(64, 80) };
}

function unhex(s: string): Buffer {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new VaultError(s.length % 2 ? 'Vault format unhexlify error: Odd-length string' : 'Vault format unhexlify error: Non-hexadecimal digit found');
  return Buffer.from(s, 'hex');
}

/** VaultAES256.encrypt: the hexlified `hex(salt)\nhmac\nhex(ciphertext)` body. */
export function encryptBody(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(32)): string {
  const { key1, key2, iv } = keys(password, salt);
  const pad = 16 - (plaintext.length % 16);
  const padded = Buffer.concat([plaintext, Buffer.alloc(pad, pad)]);
  const c = createCipheriv('aes-256-ctr', key1, iv);
  const ct = Buffer.concat([c.update(padded), c.final()]);
  const mac = createHmac('sha256', key2).update(ct).digest('hex');
  return Buffer.from([salt.toString('hex'), mac, ct.toString('hex')].join('\n'), 'ascii').toString('hex');
}

/** VaultAES256.decrypt: VaultError on a bad HMAC (the wrong password) or a malformed body. */
export function decryptBody(body: string, password: Buffer): Buffer {
  const inner = unhex(body).toString('latin1');
  const parts = inner.split('\n');
  if (parts.length < 3) throw new VaultError('Vault vaulttext format error: not enough values to unpack (expected 3, got ' + parts.length + ')');
  const salt = unhex(parts[0]);
  const ct = unhex(parts.slice(2).join('\n'));
  const { key1, key2, iv } = keys(password, salt);
  const mac = createHmac('sha256', key2).update(ct).digest();
  const given = unhex(parts[1]);
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw new VaultError('HMAC verification failed: Signature did not match digest.');
  const d = createDecipheriv('aes-256-ctr', key1, iv);
  const padded = Buffer.concat([d.update(ct), d.final()]);
  const pad = padded.length ? padded[padded.length - 1] : 0;
  if (pad < 1 || pad > 16 || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad)) throw new VaultError('Invalid padding bytes.');
  return padded.subarray(0, padded.length - pad);
}
