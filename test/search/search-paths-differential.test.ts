// Differential test of content search paths against ansible-playbook 2.14 (local connection):
// where roles are found (roles/ beside an imported playbook, roles_path from ansible.cfg relative
// to the cfg file and from ANSIBLE_ROLES_PATH with several entries, the playbook folder, a role
// named by a path, collection roles by FQCN and through `collections:`), and which file a relative
// name reaches (a role's files/ and templates/, a depending role's files/, the task file's folder,
// the play's folder) for copy, template, include_vars and the file/template/fileglob/first_found
// lookups; playbook_dir in an imported playbook. The same tree runs under both tools and the
// whole plain output (debug lines, recap) and exit codes must be equal.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

/** The tree: path → content. Every file that can be found names where it lives. */
function tree(out: string): Record<string, string> {
  const show = (what: string, indent = '') => `${indent}- debug: msg="${what} {{ lookup('file', 'where.txt') }} | {{ lookup('template', 'where.j2') }}"\n`;
  return {
    'ansible.cfg': '[defaults]\nroles_path = cfgroles:other\n',
    'main.yml': `- hosts: localhost\n  gather_facts: false\n  pre_tasks:\n    - file: {path: "${out}", state: absent}\n    - file: {path: "${out}", state: directory}\n  roles: [top, cfgrole, envrole, pbdirrole, ./paths/byname, ns.coll.fqrole]\n  tasks:\n${show('play', '    ')}    - debug: var=playbook_dir\n    - copy: {src: where.txt, dest: "${out}/play.txt"}\n    - include_vars: where.yml\n    - debug: var=where\n    - debug: msg="{{ lookup('fileglob', 'g*.txt') }} {{ lookup('first_found', ['nope.txt', 'where.txt']) | basename }}"\n- import_playbook: sub/inner.yml\n- hosts: localhost\n  gather_facts: false\n  collections: [ns.coll]\n  roles: [shortrole]\n`,
    'where.txt': 'play-dir',
    'where.j2': 'play-dir-template {{ 1 + 1 }}',
    'where.yml': 'where: play-dir-vars',
    'files/g1.txt': 'g1',
    'files/g2.txt': 'g2',
    // roles beside the top playbook
    'roles/top/meta/main.yml': 'dependencies: [dep]\n',
    'roles/top/tasks/main.yml': `${show('top')}- include_tasks: sub/more.yml\n- copy: {src: where.txt, dest: "${out}/top.txt"}\n- template: {src: where.j2, dest: "${out}/top.j2.txt"}\n- include_vars: where.yml\n- debug: var=where\n`,
    'roles/top/tasks/sub/more.yml': show('top-sub'),
    'roles/top/tasks/sub/where.txt': 'top-tasks-sub',
    'roles/top/files/where.txt': 'top-files',
    'roles/top/templates/where.j2': 'top-templates {{ role_name }}',
    'roles/top/vars/where.yml': 'where: top-vars',
    'roles/dep/tasks/main.yml': `${show('dep')}- debug: msg="{{ lookup('file', 'only-in-top.txt') }}"\n`,
    'roles/dep/tasks/where.txt': 'dep-tasks',
    'roles/top/files/only-in-top.txt': 'found through the depending role',
    // roles_path from ansible.cfg (relative to it), then ANSIBLE_ROLES_PATH wins
    'cfgroles/cfgrole/tasks/main.yml': show('cfgrole'),
    'envroles1/envrole/tasks/main.yml': show('envrole-1'),
    'envroles2/envrole/tasks/main.yml': show('envrole-2'),
    'envroles2/cfgrole/tasks/main.yml': show('cfgrole-from-env'),
    // a role in the playbook folder itself, and one named by a path
    'pbdirrole/tasks/main.yml': show('pbdirrole'),
    'pbdirrole/templates/where.j2': 'pbdirrole-template',
    'paths/byname/tasks/main.yml': `- debug: msg="byname {{ role_name }} {{ role_path | basename }}"\n`,
    // collections beside the playbook
    'collections/ansible_collections/ns/coll/roles/fqrole/tasks/main.yml': `- debug: msg="fqrole {{ role_name }}"\n`,
    'collections/ansible_collections/ns/coll/roles/shortrole/tasks/main.yml': `- debug: msg="shortrole {{ role_name }}"\n`,
    // an imported playbook with its own roles/
    'sub/inner.yml': `- hosts: localhost\n  gather_facts: false\n  roles: [innerrole]\n  tasks:\n${show('inner-play', '    ')}    - debug: var=playbook_dir\n    - include_role: {name: innerrole}\n    - copy: {src: where.txt, dest: "${out}/inner.txt"}\n`,
    'sub/where.txt': 'sub-dir',
    'sub/where.j2': 'sub-dir-template',
    'sub/roles/innerrole/tasks/main.yml': show('innerrole'),
  };
}

describe.skipIf(!hasAnsible)('search paths vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-search-diff-');
  let run: PlaybookRuns;

  beforeAll(() => {
    for (const [path, text] of Object.entries(tree(t.p('out')))) {
      mkdirSync(dirname(t.p(path)), { recursive: true });
      writeFileSync(t.p(path), text);
    }
    mkdirSync(t.p('out')); // both runs start with it there: the first task removes it (changed)
    run = runPlaybookBoth('main.yml', { cwd: t.dir, args: ['-c', 'local'], env: { ANSIBLE_CONFIG: t.p('ansible.cfg'), ANSIBLE_ROLES_PATH: `${t.p('envroles1')}:envroles2` } });
  }, 600_000);

  afterAll(() => t.cleanup());

  it('ansible-playbook runs the tree (the reference is meaningful)', () => {
    expect(run.ansible.status, run.ansible.stdout).toBe(0);
    expect(run.ansible.stdout).toContain('found through the depending role');
  });

  it('same output, line for line, and the same exit code', () => {
    expect(comparableOutput(run.drover.stdout, [t.dir])).toBe(comparableOutput(run.ansible.stdout, [t.dir]));
    expect(run.drover.status).toBe(run.ansible.status);
  });

  it('the files copied by the second run (drover) came from where Ansible looks', () => {
    const read = (f: string) => readFileSync(t.p('out', f), 'utf8');
    expect([read('play.txt'), read('top.txt'), read('top.j2.txt'), read('inner.txt')]).toEqual(['play-dir', 'top-files', 'top-templates top', 'sub-dir']);
  });
});
