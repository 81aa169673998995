// Unit tests of Ansible's relative file search (engine/search/needle.ts): the candidate order of
// DataLoader.path_dwim_relative_stack for play tasks, role tasks, task files included from a
// subfolder of a role's tasks/, names that already start with the subfolder, absolute names;
// and a task's search stack through a role dependency chain.
import { describe, expect, it } from 'vitest';
import { needleCandidates, taskSearchStack } from '../../engine/search/needle.js';

const role = '/pb/roles/r';
const exists = (files: string[]) => (p: string) => files.includes(p);
const roleFiles = exists([`${role}/tasks/main.yml`]);

describe('needleCandidates', () => {
  it('a play task: its folder then the play folder, each with subdir first', () => {
    expect(needleCandidates(['/pb/tasks', '/pb'], 'files', 'a.txt', exists([]))).toEqual(['/pb/tasks/files/a.txt', '/pb/tasks/a.txt', '/pb/files/a.txt', '/pb/a.txt']);
  });

  it('a role task: the role, its tasks/ folder, then the play folder', () => {
    expect(needleCandidates([role, `${role}/tasks`, '/pb'], 'templates', 't.j2', roleFiles)).toEqual([
      `${role}/templates/t.j2`, `${role}/t.j2`, `${role}/tasks/templates/t.j2`, `${role}/tasks/t.j2`, '/pb/templates/t.j2', '/pb/t.j2',
    ]);
  });

  it("a task file in a subfolder of a role's tasks/ is not taken for a role (2.14's _is_role): its own folder", () => {
    expect(needleCandidates([`${role}/tasks/sub`], 'files', 'x', roleFiles)).toEqual([`${role}/tasks/sub/files/x`, `${role}/tasks/sub/x`]);
  });

  it('a stack entry directly under a role-like tasks/ folder searches the role subdir, then that tasks/ folder', () => {
    const r = exists([`${role}/tasks/main.yml`, `${role}/tasks/tasks/main.yml`]);
    expect(needleCandidates([`${role}/tasks/inner`], 'files', 'x', r)).toEqual([`${role}/files/x`, `${role}/tasks/x`]);
  });

  it('a name that already starts with the subdir gets no second one', () => {
    expect(needleCandidates(['/pb'], 'files', 'files/x', exists([]))).toEqual(['/pb/files/x']);
  });

  it('absolute and ~ names are taken as they are', () => {
    expect(needleCandidates(['/pb'], 'files', '/etc/hosts', exists([]))).toEqual(['/etc/hosts']);
    expect(needleCandidates(['/pb'], 'files', '~/x', exists([]))[0]).toMatch(/^\/.*\/x$/);
  });
});

describe('taskSearchStack', () => {
  it('the role, the roles depending on it innermost first, then the task file folder', () => {
    expect(taskSearchStack({ baseDir: '/pb/roles/c/tasks', role: { path: '/pb/roles/c', chain: [{ path: '/pb/roles/a' }, { path: '/pb/roles/b' }] } })).toEqual([
      '/pb/roles/c', '/pb/roles/b', '/pb/roles/a', '/pb/roles/c/tasks',
    ]);
    expect(taskSearchStack({ baseDir: '/pb' })).toEqual(['/pb']);
  });
});
