// Differential test of play/task keywords and handler semantics against ansible-playbook 2.14
// (local connection, one fork so hosts report in order): notify inherited from blocks and
// import_tasks, listen, handlers notifying handlers (later ones in the same flush), templated
// handler names and notify lists, a failing handler of a flush inside a block (rescued, still
// counted failed), --force-handlers / ANSIBLE_FORCE_HANDLERS / the play keyword,
// any_errors_fatal and run_once failures in blocks with always, clear_host_errors, add_host's
// changed and arguments, changed_when/failed_when that cannot be evaluated, loop_control
// extended, no_log (ANSIBLE_NO_LOG, templated, loops), environment needing ansible_env, until's
// attempts in changed_when/failed_when, debug's ansible_facts, throttle under strategy free and
// vars_files named by a fact.
// Exit code, stdout and stderr must match once paths and timings are normalised. Skipped
// without ansible-playbook.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const FILES: Record<string, string> = {
  'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n',
  'notify-me.yml': '- command: "true"\n',
  'handlers.yml': `
- hosts: h1,h2
  gather_facts: false
  vars:
    hname: templated
    names: [listed_a, listed_b]
  tasks:
    - block:
        - command: "true"
      notify: from_block
    - import_tasks: notify-me.yml
      notify: from_import
    - command: "true"
      notify: topic
    - command: "true"
      notify: ["{{ hname }} handler", listed_a]
    - command: "true"
      notify: "{{ names }}"
    - meta: flush_handlers
    - command: "true"
      notify: later
    - block:
        - command: "true"
          notify: sometimes_fail
        - meta: flush_handlers
        - debug: msg="not after a failed handler"
      rescue:
        - debug: msg="rescued {{ inventory_hostname }}"
    - debug: msg=end
  handlers:
    - name: from_block
      debug: msg=from_block
    - name: from_import
      debug: msg=from_import
    - name: one listener
      debug: msg=one
      listen: topic
    - name: two listener
      debug: msg=two
      listen: topic
    - name: "{{ hname }} handler"
      debug: msg=templated
    - name: listed_a
      debug: msg=a
    - name: listed_b
      debug: msg=b
    - name: earlier
      debug: msg="earlier, only at the next flush"
    - name: later
      command: "true"
      notify: [latest, earlier]
    - name: latest
      debug: msg=latest
    - name: sometimes_fail
      fail: msg="handler failed"
      when: inventory_hostname == 'h1'
`,
  'force.yml': `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - command: "true"
      notify: h
    - fail: msg=boom
      when: inventory_hostname == 'h1'
    - debug: msg=after
  handlers:
    - name: h
      debug: msg="handler on {{ inventory_hostname }}"
- hosts: h1,h2
  gather_facts: false
  force_handlers: false
  tasks:
    - command: "true"
      notify: h2
    - fail: msg=boom
      when: inventory_hostname == 'h2'
  handlers:
    - name: h2
      debug: msg="play says no force on {{ inventory_hostname }}"
`,
  'blocks.yml': `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - block:
        - block:
            - fail: msg="run once"
          run_once: true
      always:
        - debug: msg="always after run_once"
        - meta: clear_host_errors
    - block:
        - block:
            - fail: msg=fatal
              when: inventory_hostname == 'h2'
          any_errors_fatal: true
      always:
        - debug: msg="always after any_errors_fatal"
        - meta: clear_host_errors
    - block:
        - fail: msg="in rescue"
      rescue:
        - fail: msg="rescue fails"
      always:
        - debug: msg="always still runs"
        - meta: clear_host_errors
    - debug: msg="still running {{ inventory_hostname }}"
`,
  'results.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    d: {name: "dicthost", groups: [fromdict], v: 1}
  tasks:
    - add_host: "{{ d }}"
      register: a1
    - add_host: "{{ d }}"
      register: a2
    - add_host: name=10.1.2.3:2222
      register: a3
    - add_host:
        name: "h_{{ item }}"
        groups: looped
      loop: [1, 2]
      changed_when: item == 2
      register: a4
    # without changed_when, each item is printed with the changed the inventory change decided
    - add_host:
        name: "h_{{ item }}"
        groups: looped2
      loop: [1, 3]
    - debug: msg="{{ a1.changed }} {{ a2.changed }} {{ a3.add_host }} {{ a4.results | map(attribute='changed') | list }} {{ groups.looped }}"
    # (no_log: the wording of the conditional's error is the templating layer's, not compared here)
    - command: echo foo
      changed_when: boom_undefined
      register: c1
      ignore_errors: true
      no_log: true
    - command: echo foo
      failed_when: boom_undefined
      register: c2
      ignore_errors: true
      no_log: true
    - debug: msg="{{ c1 is failed }} {{ c1 is changed }} {{ c1.changed_when_result is defined }} {{ c2.failed_when_result is defined }} {{ c2.stdout }}"
    - debug: msg="{{ ansible_loop.index }}/{{ ansible_loop.length }} {{ ansible_loop.allitems | default('no allitems') }} {{ i }}"
      loop: [a, b]
      loop_control: {extended: true, extended_allitems: false, index_var: i}
      register: lx
    - debug: msg="{{ lx.results[1].ansible_loop.previtem }} {{ lx.results[0].ansible_index_var }} {{ ansible_loop is defined }}"
    - debug: var=ansible_facts
      vars:
        ansible_facts: {made_up: 1}
    - debug: msg="{{ made_up | default('no fact') }}"
`,
  'nolog.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    hide: true
  tasks:
    - debug: msg="visible unless ANSIBLE_NO_LOG"
    - debug: msg="{{ item }}"
      loop: [a, b]
      no_log: "{{ hide }}"
    - debug: msg="shown"
      no_log: false
`,
  'env.yml': `
- hosts: localhost
  gather_facts: true
  gather_subset: [min]
  environment:
    PATH: "{{ ansible_env.PATH }}:/extra"
    FROM_PLAY: here
  tasks:
    - debug: msg="{{ ansible_env.FROM_PLAY }} {{ '/extra' in ansible_env.PATH }}"
    - command: sh -c 'echo $FROM_PLAY; case $PATH in *:/extra) echo extra;; esac'
      register: e
    - debug: msg="{{ e.stdout_lines }}"
`,
  'until.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: attempts seen by failed_when; a false failed_when_result outweighs the exhausted retries
      shell: "true"
      register: r
      until: 1 == 0
      retries: 2
      delay: 0
      failed_when: r.attempts > 6
    - debug: msg="{{ r.attempts }} {{ r.failed }} {{ r is failed }}"
    - shell: "true"
      register: r2
      until: r2.attempts == 2
      retries: 3
      delay: 0
      changed_when: r2.attempts > 1
    - debug: msg="{{ r2.attempts }} {{ r2.changed }}"
`,
  'throttle.yml': `
- hosts: h1,h2,h3
  gather_facts: false
  strategy: free
  tasks:
    - name: one at a time
      shell: mkdir "{{ lock }}" && sleep 0.3 && rmdir "{{ lock }}"
      throttle: 1
`,
  // a play's run_once does not apply to fact gathering: each host gathers its own (#39453)
  'facts.d/uuid.fact': '#!/bin/sh\necho "\\"$$-$(date +%N)\\""\n',
  'gather-once.yml': `
- hosts: h1,h2
  gather_facts: true
  gather_subset: ['!all']
  fact_path: "{{ playbook_dir }}/facts.d"
  run_once: true
  tasks:
    - debug: msg="{{ hostvars.h1.ansible_local.uuid != hostvars.h2.ansible_local.uuid }}"
`,
  // vars_files named by a fact: skipped while the fact is unknown (the play's first, implicit
  // task), read once gathered; never read when the name stays undefined and no fact was gathered
  'vars/Linux.yml': 'fam: from_Linux_file\n',
  'vars-files.yml': `
- hosts: h1
  gather_facts: true
  gather_subset: ['!all']
  vars_files:
    - "vars/{{ ansible_system }}.yml"
  tasks:
    - debug: var=fam
- hosts: h2
  gather_facts: false
  vars_files:
    - "vars/{{ not_known_yet }}.yml"
  tasks:
    - set_fact:
        not_known_yet: Linux
    - debug: msg="{{ fam | default('not read') }}"
`,
};

describe.skipIf(!hasAnsible)('keywords and handlers vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-keywords-diff-');
  const runs: Record<string, PlaybookRuns> = {};
  const hosts = { inventory: 'hosts.ini', args: ['-f', '1'] };
  const cases: Record<string, () => PlaybookRuns> = {
    handlers: () => runPlaybookBoth('handlers.yml', { cwd: t.dir, ...hosts }),
    handlersVerbose: () => runPlaybookBoth('handlers.yml', { cwd: t.dir, ...hosts, args: ['-f', '1', '-vv'] }),
    noForce: () => runPlaybookBoth('force.yml', { cwd: t.dir, ...hosts }),
    forceFlag: () => runPlaybookBoth('force.yml', { cwd: t.dir, ...hosts, args: ['-f', '1', '--force-handlers'] }),
    forceEnv: () => runPlaybookBoth('force.yml', { cwd: t.dir, ...hosts, env: { ANSIBLE_FORCE_HANDLERS: 'true' } }),
    blocks: () => runPlaybookBoth('blocks.yml', { cwd: t.dir, ...hosts }),
    results: () => runPlaybookBoth('results.yml', { cwd: t.dir, args: ['-c', 'local'] }),
    noLog: () => runPlaybookBoth('nolog.yml', { cwd: t.dir, args: ['-c', 'local', '-v'] }),
    noLogEnv: () => runPlaybookBoth('nolog.yml', { cwd: t.dir, args: ['-c', 'local', '-v'], env: { ANSIBLE_NO_LOG: '1' } }),
    env: () => runPlaybookBoth('env.yml', { cwd: t.dir, args: ['-c', 'local'] }),
    until: () => runPlaybookBoth('until.yml', { cwd: t.dir, args: ['-c', 'local'] }),
    gatherOnce: () => runPlaybookBoth('gather-once.yml', { cwd: t.dir, ...hosts }),
    varsFiles: () => runPlaybookBoth('vars-files.yml', { cwd: t.dir, ...hosts }),
    throttle: () => runPlaybookBoth('throttle.yml', { cwd: t.dir, inventory: 'hosts.ini', args: ['-f', '3', '-e', `lock=${t.p('lock')}`] }),
  };

  beforeAll(() => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(t.p(file.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
      writeFileSync(t.p(file), text);
    }
    chmodSync(t.p('facts.d/uuid.fact'), 0o755);
    for (const [name, run] of Object.entries(cases)) runs[name] = run();
  }, 900_000);

  afterAll(() => t.cleanup());

  // throttle under free: three hosts in parallel would race for the lock; only the recap is stable
  for (const name of Object.keys(cases).filter((n) => n !== 'throttle')) {
    it(`${name}: same exit code, stdout and stderr`, () => {
      const r = runs[name];
      expect(r.drover.status).toBe(r.ansible.status);
      expect(comparableOutput(r.drover.stdout, [t.dir])).toBe(comparableOutput(r.ansible.stdout, [t.dir]));
      expect(comparableOutput(r.drover.stderr, [t.dir])).toBe(comparableOutput(r.ansible.stderr, [t.dir]));
    });
  }

  it('throttle: 1 under strategy free runs one host at a time, as ansible-playbook does', () => {
    const recap = (s: string) => s.slice(s.indexOf('PLAY RECAP'));
    expect(runs.throttle.ansible.status).toBe(0);
    expect(runs.throttle.drover.status).toBe(0);
    expect(recap(runs.throttle.drover.stdout)).toBe(recap(runs.throttle.ansible.stdout));
  });

  it('the comparison can fail: the behaviours compared are really there', () => {
    const out = comparableOutput(runs.handlers.ansible.stdout);
    expect(out).toContain('RUNNING HANDLER [from_import]');
    expect(out).toContain('"msg": "rescued h1"');
    expect(out).toMatch(/h1 +: ok=\d+ +changed=\d+ +unreachable=0 +failed=1 /);
    expect(comparableOutput(runs.forceFlag.ansible.stdout)).toContain('"msg": "handler on h1"');
    expect(comparableOutput(runs.noForce.ansible.stdout)).not.toContain('"msg": "handler on h1"');
    expect(comparableOutput(runs.blocks.ansible.stdout)).toContain('"msg": "still running h2"');
    expect(runs.gatherOnce.ansible.stdout).toContain('"msg": true');
    expect(runs.varsFiles.ansible.stdout).toContain('"fam": "from_Linux_file"');
  });
});
