// Finding a controller-side file the way Ansible's action plugins do: an absolute path as is,
// otherwise each search path's `files/` (copy) or `templates/` (template) dir, then the path itself.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The candidates tried for `src`, in order. */
export function candidates(searchPaths: string[], subdir: string, src: string): string[] {
  if (path.isAbsolute(src)) return [src];
  const out: string[] = [];
  for (const sp of searchPaths) {
    out.push(path.join(sp, subdir, src));
    out.push(path.join(sp, src));
  }
  out.push(path.resolve(src));
  return [...new Set(out)];
}

/** The first existing candidate, or undefined. */
export function findLocal(searchPaths: string[], subdir: string, src: string): string | undefined {
  return candidates(searchPaths, subdir, src).find((p) => existsSync(p));
}

/** Ansible's message when src cannot be found. */
export function notFoundMessage(searchPaths: string[], subdir: string, src: string): string {
  const dirs = [...new Set(candidates(searchPaths, subdir, src).map((c) => path.dirname(c)))];
  return `Could not find or access '${src}'\nSearched in:\n${dirs.map((d) => '\t' + d).join('\n')}`;
}
