// A module file that crashes after taking a no_log argument (MODULE FAILURE) reports no
// `invocation`: ansible-playbook shows none, and drover, which cannot know which arguments the
// module's argument_spec marks no_log, must not build one from the task's arguments either (it
// did: the secret went to -vvv output and, in a loop, to every verbosity). Compared with
// ansible-playbook 2.14 on localhost.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec=dict(secret=dict(type='str', no_log=True), name=dict(type='str')))
raise RuntimeError('crashed after validation')
`;

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - crash_secret: {secret: HUSH-0451, name: shown}
      ignore_errors: true
    - crash_secret: {secret: "HUSH-{{ item }}", name: "{{ item }}"}
      loop: [1, 2]
      ignore_errors: true
`;

describe.skipIf(!hasAnsible)('a crashing module file keeps its no_log arguments out of the output', () => {
  const t = tempDir('drover-pycrash-');
  afterAll(() => t.cleanup());
  mkdirSync(t.p('library'));
  writeFileSync(t.p('library', 'crash_secret.py'), MODULE);
  writeFileSync(t.p('pb.yml'), PLAYBOOK);

  for (const verbosity of [[], ['-vvv']]) {
    it(`no secret and no invocation ${verbosity.join(' ') || 'at the default verbosity'}, as ansible-playbook`, () => {
      const runs = runPlaybookBoth('pb.yml', { cwd: t.dir, args: ['-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3', ...verbosity] });
      for (const run of [runs.ansible, runs.drover]) {
        expect(run.stdout).toContain('MODULE FAILURE');
        expect(run.stdout + run.stderr).not.toContain('HUSH-');
        expect(run.stdout).not.toContain('module_args');
      }
      expect(runs.drover.status).toBe(runs.ansible.status);
      const recap = (s: string) => comparableOutput(s, [t.dir]).split('PLAY RECAP')[1];
      expect(recap(runs.drover.stdout)).toBe(recap(runs.ansible.stdout));
    }, 300_000);
  }
});
