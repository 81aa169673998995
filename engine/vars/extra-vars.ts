// -e/--extra-vars in every form Ansible accepts (utils/vars.py load_extra_vars): k=v pairs
// (parse_kv, the same splitter as task arguments: strings, escapes decoded), YAML/JSON documents
// (first char `{` or `[`) and @file, both read by the project's one YAML loader. Later -e wins,
// combined as combine_vars does (top-level keys replace, or dictionaries merge).
import { existsSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { resolve } from 'node:path';
import { DroverError, ExitCode, OptionsError, REMOTE_SRC_HINT, type SourcePos } from '../errors/index.js';
import { loadVarsText, type YamlOptions } from '../inventory/yaml-load.js';
import { parseKv, SplitError } from '../playbook/splitter.js';
import { combineVars } from './combine.js';

function asMapping(data: unknown, what: string): Record<string, unknown> {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  throw new OptionsError(`Invalid extra vars data supplied. '${what}' could not be made into a dictionary`);
}

/** A document that is neither JSON nor YAML is a parse error (exit 4), as ansible-playbook's. */
const parseError = (message: string, pos: SourcePos) => new DroverError(message, { pos, exitCode: ExitCode.PARSE_ERROR });

const STRERROR: Record<string, string> = { EISDIR: 'Is a directory', EACCES: 'Permission denied' };

/**
 * A file that exists but cannot be read (`-e @` and `-e @dir` name a directory): DataLoader's
 * AnsibleParserError (exit 4), worded as Python's OSError.
 */
function readError(file: string, e: NodeJS.ErrnoException): DroverError {
  const errno = e.code ? osConstants.errno[e.code as keyof typeof osConstants.errno] : undefined;
  const why = errno !== undefined && e.code && STRERROR[e.code] ? `[Errno ${errno}] ${STRERROR[e.code]}: b'${file}'` : e.message;
  return new DroverError(`an error occurred while trying to read the file '${file}': ${why}. ${why}`, { exitCode: ExitCode.PARSE_ERROR });
}

/** Parse one -e argument; @file names are relative to `cwd`. */
export function parseExtraVarsArg(text: string, cwd = process.cwd(), yamlOptions: YamlOptions = {}): Record<string, unknown> {
  const yaml = { ...yamlOptions, error: parseError };
  if (text === '') return {};
  if (text.startsWith('@')) {
    const file = resolve(cwd, text.slice(1));
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (e) {
      if (!existsSync(file)) throw new DroverError(`Unable to retrieve file contents\nCould not find or access '${file}' on the Ansible Controller.\n${REMOTE_SRC_HINT}`);
      throw readError(file, e as NodeJS.ErrnoException);
    }
    return asMapping(loadVarsText(content, file, yaml), text);
  }
  if (text.startsWith('/') || text.startsWith('.')) {
    throw new OptionsError(`Please prepend extra_vars filename '${text}' with '@'`);
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    return asMapping(loadVarsText(text, '<string>', yaml), text);
  }
  try {
    return parseKv(text);
  } catch (e) {
    if (!(e instanceof SplitError)) throw e;
    throw new DroverError(`error parsing argument string, try quoting the entire line. ${e.message}`, { exitCode: ExitCode.PARSE_ERROR });
  }
}

/** Combine several -e arguments left to right (combine_vars: later wins, merged under hash_behaviour=merge). */
export function loadExtraVars(args: string[], cwd = process.cwd(), yaml: YamlOptions = {}, merge = false): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const a of args) out = combineVars(out, parseExtraVarsArg(a, cwd, yaml), merge);
  return out;
}
