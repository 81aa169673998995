// AnsibleModule.add_path_info(): a module result naming an existing `path` (or `dest`) gets the
// file's uid, gid, owner, group, mode, state and size, from lstat (state: link, directory, hard
// for several links, else file). exit_json does it for every module; here a module asks for it
// with one more line in the script it runs anyway.
import { fileResultKeys, parseStat } from './facts.js';
import type { ModuleResult } from './types.js';

/** Shell lines (after SH_LIB) emitting `KEY=<_d_stat line>` when PATH exists (links followed, as os.path.exists). */
export function pathInfoLines(pathExpr: string, key = 'path_info'): string {
  return `if [ -e ${pathExpr} ]; then _d_emit ${key} "$(_d_stat ${pathExpr})"; fi`;
}

/** The result with add_path_info's keys from a `pathInfoLines` field (unchanged when absent). */
export function withPathInfo(result: ModuleResult, statLine: string | undefined): ModuleResult {
  const st = parseStat(statLine);
  return st ? { ...result, ...fileResultKeys(st) } : result;
}
