// Comparing `ansible` and `drover adhoc` output: what may differ between two runs is normalised,
// and the output is cut into per-host blocks (results arrive in the order hosts finish).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What may differ between two runs: times, job ids and temp paths, and the SSH client's wording of a refused connection. */
export function normalise(text: string): string {
  return text
    .replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "<time>"')
    .replace(/"(ansible_job_id|results_file)": "[^"]*"/g, '"$1": "<job>"')
    .replace(/("msg": "|UNREACHABLE!: )Failed to connect to the host via ssh: [^"\n]*/g, '$1Failed to connect to the host via ssh: <refused>')
    .replace(/\/tmp\/drover-adhoc-[^/"\s]+/g, '<tmp>')
    .replace(/\/tmp\/adhoc-(ansible|drover)\b/g, '/tmp/adhoc-<tool>');
}

/** Each host's block of the output (a line "HOST | ..." and what follows), sorted: results arrive as hosts finish. */
export function hostBlocks(stdout: string): string[] {
  const blocks: string[] = [];
  // each line keeps its newline, so a block's trailing empty line stays with it
  for (const line of normalise(stdout).split(/(?<=\n)/)) {
    if (/^\S+ \| [A-Z]/.test(line) || !blocks.length) blocks.push(line);
    else blocks[blocks.length - 1] += line;
  }
  return blocks.sort();
}

export function treeFiles(dir: string): Record<string, string> {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return {};
  }
  return Object.fromEntries(names.sort().map((n) => [n, normalise(readFileSync(join(dir, n), 'utf8'))]));
}

