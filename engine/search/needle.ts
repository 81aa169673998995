// Finding a controller-side file by a relative name exactly as ansible-core 2.14 does
// (DataLoader.path_dwim_relative_stack, reached through ActionBase._find_needle and the file,
// template, fileglob, first_found and lines lookups). One implementation for every caller:
// copy/template/script/assemble sources, include_vars files and the lookups.
//
// The stack is the task's search path (ansible_search_path: the role paths of its dependency
// chain, innermost first, then the task file's directory) followed by the play's base directory
// (the directory of the playbook file that holds the play), Ansible's "last resort".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';

/** Ansible's imperfect role detection (DataLoader._is_role). */
export function looksLikeRole(path: string, exists: (p: string) => boolean = existsSync): boolean {
  const parent = dirname(path);
  const untasked = ['main.yml', 'main.yaml', 'main'].map((f) => join(path, f));
  const tasked = [path, parent].flatMap((d) => ['tasks/main.yml', 'tasks/main.yaml', 'tasks/main', 'meta/main.yml', 'meta/main.yaml', 'meta/main'].map((f) => join(d, f)));
  return (/(?:^|\/)tasks\/?$/.test(path) && untasked.some(exists)) || tasked.some(exists);
}

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

/**
 * The candidates tried for `source`, in order (pure but for the role detection). `subdir` is
 * files, templates, vars, tasks...; it is not added when `source` already starts with it.
 */
export function needleCandidates(stack: string[], subdir: string, source: string, exists: (p: string) => boolean = existsSync): string[] {
  if (source.startsWith('~') || isAbsolute(source)) return [normalize(expandUser(source))];
  const out: string[] = [];
  const addSubdir = source.split('/')[0] !== subdir;
  for (const path of stack) {
    const upath = normalize(path);
    const parent = dirname(upath);
    if (parent.endsWith(`${sep}tasks`) && looksLikeRole(path, exists)) {
      out.push(join(dirname(parent), subdir, source), join(parent, source));
    } else {
      if (addSubdir) out.push(join(upath, subdir, source));
      out.push(join(upath, source));
    }
  }
  return out;
}

/** The first existing candidate, or undefined. */
export function findNeedle(stack: string[], subdir: string, source: string, exists: (p: string) => boolean = existsSync): string | undefined {
  return needleCandidates(stack, subdir, source, exists).find((c) => exists(c));
}

/** AnsibleFileNotFound's text for a needle that is not there. */
export function needleNotFound(stack: string[], subdir: string, source: string): string {
  const tried = needleCandidates(stack, subdir, source);
  return `Could not find or access '${source}'\nSearched in:\n${tried.map((d) => '\t' + d).join('\n')} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`;
}

/**
 * A task's search path (Task.get_search_path): the role paths of its dependency chain,
 * innermost first, then the folder of the task's own file.
 */
export function taskSearchStack(origin: { baseDir: string; role?: { path: string; chain: { path: string }[] } }): string[] {
  const role = origin.role;
  const paths = role ? [role.path, ...[...role.chain].reverse().map((r) => r.path)] : [];
  if (!paths.includes(origin.baseDir)) paths.push(origin.baseDir);
  return paths;
}

/**
 * ansible_search_path as the task executor sets it: the task's search path, then the loader's
 * basedir (the play's folder) unless it is there already. Its last entry is the basedir.
 */
export function searchPathVar(taskPath: string[], basedir: string): string[] {
  return taskPath.includes(basedir) ? taskPath : [...taskPath, basedir];
}

/**
 * From an action's stack (the task's search path, then the basedir: what _find_needle searches)
 * to what the lookups search: ansible_search_path (searchPathVar).
 */
export function lookupStack(actionPaths: string[]): string[] {
  return actionPaths.length ? searchPathVar(actionPaths.slice(0, -1), actionPaths[actionPaths.length - 1]) : actionPaths;
}
