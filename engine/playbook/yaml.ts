// Reads playbook, task and role YAML files through the project's one YAML loader
// (engine/inventory/yaml-load.ts), turning its errors into PlaybookError (ansible-playbook exits 4
// for them) and remembering where every mapping and sequence was written, so errors and tasks can
// point at file:line.
import { readFileSync } from 'node:fs';
import { ExitCode, PlaybookError, REMOTE_SRC_HINT, type SourcePos } from '../errors/index.js';
import { parseYaml as parseAnsibleYaml, recordPositions, toData, type PositionMap, type YamlOptions } from '../inventory/yaml-load.js';

export type { PositionMap };

const playbookError = (message: string, pos: SourcePos) => new PlaybookError(message, pos);

/** Parse YAML text; syntax errors become PlaybookError at the offending line. */
export function parseYaml(text: string, file: string, positions: PositionMap, opts: YamlOptions = {}): unknown {
  const y = parseAnsibleYaml(text, file, { ...opts, error: playbookError });
  let value: unknown;
  try {
    value = toData(y);
  } catch (e) {
    throw new PlaybookError(`Syntax Error while loading YAML: ${(e as Error).message}`, { file });
  }
  recordPositions(y, value, positions);
  return value;
}

/** Read and parse a YAML file; a missing or unreadable file is a PlaybookError. */
export function loadYamlFile(file: string, positions: PositionMap, pos?: SourcePos, opts: YamlOptions = {}): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // AnsibleFileNotFound (exit 1); a file that exists but cannot be read is a parser error (exit 4)
    if (code === 'ENOENT') throw new PlaybookError(`Unable to retrieve file contents\nCould not find or access '${file}' on the Ansible Controller.\n${REMOTE_SRC_HINT}`, pos ?? { file }, ExitCode.ERROR);
    throw new PlaybookError(`Unable to retrieve file contents: Could not read (${code}) '${file}'`, pos ?? { file });
  }
  return parseYaml(text, file, positions, opts);
}
