// Helpers several lookup plugins share: LookupBase._flatten, find_file_in_search_path (through the
// one needle search, engine/search/needle.ts) and reading a controller file in a Python encoding.
import { readFileSync } from 'node:fs';
import { findNeedle } from '../../search/needle.js';
import { unvaultContent, type Vault } from '../../vault/secrets.js';
import type { LookupCall } from './types.js';
import { PluginError } from './types.js';

/** LookupBase._flatten: lists (and tuples) are spliced in, one level deep. */
export function flatten(terms: unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/**
 * LookupBase.find_file_in_search_path: `needle` searched in `subdir` along the task's stack; a
 * miss warns as 2.14 does unless ignoreMissing.
 */
export function findInSearchPath(call: LookupCall, subdir: string, needle: string, ignoreMissing = false): string | undefined {
  const found = findNeedle(call.svc.searchPaths(call.rt), subdir, needle);
  if (!found && !ignoreMissing) call.warn(`Unable to find '${needle}' in expected paths (use -vvvvv to see paths)`);
  return found;
}

/** Python's codec names as WHATWG TextDecoder labels (most are the same). */
function decoderLabel(encoding: string): string {
  const e = encoding.toLowerCase().replace(/_/g, '-');
  if (e === 'utf8' || e === 'u8') return 'utf-8';
  if (e === 'latin-1' || e === 'l1') return 'latin1';
  return e;
}

/** A file's text decoded as Python's to_text(..., encoding) would. */
export function readText(path: string, encoding = 'utf-8'): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(decoderLabel(encoding), { fatal: true });
  } catch {
    throw new PluginError(`unknown encoding: ${encoding}`, 'LookupError');
  }
  const bytes = readFileSync(path);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new PluginError(`'${encoding}' codec can't decode the contents of ${path}`, 'UnicodeDecodeError');
  }
}

/** _get_file_contents(None): what a plugin hits after a file was not found. */
export function invalidFilename(): PluginError {
  return new PluginError("Invalid filename: 'None'", 'ansible.errors.AnsibleParserError');
}

/**
 * A file's text as ansible-core's DataLoader._get_file_contents hands it to the file and template
 * lookups: decrypted when it is vault-encrypted.
 */
export function readLoaderText(path: string, vault: Vault | undefined): string {
  const bytes = readFileSync(path);
  const plain = unvaultContent(vault, bytes, path);
  return plain === bytes ? readText(path) : plain.toString('utf8');
}
