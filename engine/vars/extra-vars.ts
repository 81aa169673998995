// -e/--extra-vars in every form Ansible accepts: k=v pairs (strings), YAML/JSON documents
// (first char `{` or `[`), and @file. Later -e wins, top-level keys replace.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OptionsError } from '../errors/index.js';
import { parseKv } from './kv.js';

function asMapping(data: unknown, what: string): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new OptionsError(`Invalid extra vars data supplied. '${what}' could not be made into a dictionary`);
  }
  return data as Record<string, unknown>;
}

function parseDocument(text: string, what: string): unknown {
  try {
    return parseYaml(text, { version: '1.1' });
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new OptionsError(`Invalid extra vars data in ${what}: ${detail}`);
  }
}

/** Parse one -e argument. */
export function parseExtraVarsArg(arg: string, cwd = process.cwd()): Record<string, unknown> {
  const text = arg.trim();
  if (text === '') return {};
  if (text.startsWith('@')) {
    const file = resolve(cwd, text.slice(1));
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch {
      throw new OptionsError(`Unable to read extra vars file '${text.slice(1)}': no such file (resolved to ${file})`);
    }
    return asMapping(parseDocument(content, file), text);
  }
  if (text.startsWith('/') || text.startsWith('.')) {
    throw new OptionsError(`Please prepend extra_vars filename '${text}' with '@'`);
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    return asMapping(parseDocument(text, `-e '${text}'`), text);
  }
  try {
    return parseKv(text);
  } catch (e) {
    throw new OptionsError(`Invalid extra vars '${text}': ${(e as Error).message}`);
  }
}

/** Merge several -e arguments left to right (later wins, no deep merge). */
export function loadExtraVars(args: string[], cwd = process.cwd()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) Object.assign(out, parseExtraVarsArg(a, cwd));
  return out;
}
