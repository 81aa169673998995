// How an error that stops the run is printed: ansible-core 2.14's AnsibleError layout, the
// message first ("ERROR! <message>", what scripts grep for), then where it is in the file and the
// offending line with a caret (AnsibleError._get_extended_error, without its remediation hints).
import { readFileSync } from 'node:fs';
import type { DroverError } from '../errors/index.js';

/** The text after "ERROR! " for an error with (or without) a known position. */
export function describeForCli(e: DroverError): string {
  const pos = e.pos;
  if (!pos?.file || !pos.line) return e.describe();
  const column = pos.column ?? 1;
  let text = `${e.message}\n\nThe error appears to be in '${pos.file}': line ${pos.line}, column ${column}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`;
  let lines: string[];
  try {
    lines = readFileSync(pos.file, 'utf8').split(/(?<=\n)/);
  } catch {
    return `${text}\n(could not open file to display line)`;
  }
  let n = Math.min(pos.line - 1, lines.length - 1);
  // a blank target line: go back to the last line with content, as Ansible does
  while (n > 0 && !lines[n].trim()) n--;
  if (n < 0) return text;
  const target = lines[n].replace(/\s+$/, '');
  const prev = n > 0 ? lines[n - 1].replace(/\s+$/, '') : '';
  text += `\nThe offending line appears to be:\n\n${prev}\n${target}\n${' '.repeat(column - 1)}^ here\n`;
  return text;
}
