// Differential test of ansible_local (facts.d) against ansible-playbook 2.14 (local connection):
// JSON and INI .fact files (sections, lower-cased options, DEFAULT, %-interpolation, a bad one),
// executable facts (JSON output, a failing script), a dead symlink, a directory that is not
// there, a %-interpolation error (which loses ansible_local as a whole), `~` in fact_path, setup with fact_path + filter, and the play keyword fact_path through
// fact gathering (ansible_local then a top-level variable). The ansible_local values printed by
// debug must be equal; the warnings are compared by their text (the display wraps them, on stderr).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, runPlaybookBoth, type PlaybookRuns } from './helpers/differential.js';
import { tempDir } from './helpers.js';

const FACTS: Record<string, string> = {
  'json.fact': '{"a": [1, 2], "b": {"c": null}}\n',
  'ini.fact': '[DEFAULT]\nshared = all\n[general]\nBar = loaded\npath = %(shared)s/x\nmulti = one\n  two\n# comment\n[other]\nk: v\n',
  'bad.fact': 'no section here\n',
  'empty.fact': '',
};

function playbook(d: string): string {
  return `- hosts: localhost
  gather_facts: false
  tasks:
    - setup: {fact_path: "${d}/facts.d", filter: "*local*"}
      register: r
    - debug: var=r.ansible_facts
    - debug: msg="{{ ansible_local.ini.general.bar }} {{ ansible_local.goodscript.from_script }}"
    - setup: {fact_path: "${d}/nothing-here", filter: "ansible_local"}
      register: r2
    - debug: var=r2.ansible_facts
    - setup: {fact_path: "${d}/interp.d", filter: "ansible_local"}
      register: r3
    - debug: var=r3.ansible_facts
- hosts: localhost
  gather_facts: true
  gather_subset: ['!all']
  fact_path: "${d}/facts.d"
  tasks:
    - debug: msg="{{ ansible_local.json.a }} {{ ansible_facts.ansible_local.ini.other.k }} {{ ansible_local | length }}"
`;
}

/** The `debug` payloads (from `ok: [localhost] => {` to the closing brace). */
function payloads(stdout: string): string[] {
  return [...stdout.matchAll(/ok: \[localhost\] => (\{\n[\s\S]*?\n\})\n/g)].map((m) => m[1]);
}

/** The warnings as text, unwrapped (Ansible's display folds them at 80 columns). */
function warnings(stdout: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('[WARNING]: ')) {
      if (cur !== undefined) out.push(cur);
      cur = line.slice('[WARNING]: '.length);
    } else if (cur !== undefined && line && !/^(\[|ok:|changed:|fatal:|skipping:|TASK|PLAY|included:)/.test(line)) {
      cur += ` ${line}`;
    } else if (cur !== undefined) {
      out.push(cur);
      cur = undefined;
    }
  }
  if (cur !== undefined) out.push(cur);
  // the fold may break after a hyphen: compare without white space
  return out.map((w) => w.replace(/\s+/g, ''));
}

describe.skipIf(!hasAnsible)('ansible_local (facts.d) vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-local-facts-');
  let run: PlaybookRuns;

  beforeAll(() => {
    const dir = t.p('facts.d');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(FACTS)) writeFileSync(`${dir}/${name}`, text);
    writeFileSync(`${dir}/goodscript.fact`, '#!/bin/sh\necho \'{"from_script": "yes"}\'\n');
    writeFileSync(`${dir}/badscript.fact`, '#!/bin/sh\necho oops >&2\nexit 3\n');
    writeFileSync(`${dir}/not-a-fact.txt`, '{"ignored": true}');
    chmodSync(`${dir}/goodscript.fact`, 0o755);
    chmodSync(`${dir}/badscript.fact`, 0o755);
    symlinkSync('/nonexistent/drover-dead-target', `${dir}/dead.fact`);
    mkdirSync(t.p('interp.d'));
    writeFileSync(t.p('interp.d', 'interp.fact'), '[s]\nv = 100%\n');
    writeFileSync(t.p('interp.d', 'fine.fact'), '{"fine": 1}');
    writeFileSync(t.p('pb.yml'), playbook(t.dir));
    run = runPlaybookBoth('pb.yml', { cwd: t.dir, args: ['-c', 'local'] });
  }, 600_000);

  afterAll(() => t.cleanup());

  it('ansible-playbook runs it (the reference is meaningful)', () => {
    expect(run.ansible.status, run.ansible.stdout).toBe(0);
    expect(run.ansible.stdout).toContain('"from_script": "yes"');
  });

  it('the same ansible_local values, warnings and exit code', () => {
    expect(payloads(run.drover.stdout)).toEqual(payloads(run.ansible.stdout));
    expect(payloads(run.drover.stdout).length).toBe(5);
    // the same warnings, in order, whichever stream they went to (2.14 writes them on stderr)
    const all = (r: { stdout: string; stderr: string }) => [...warnings(r.stderr), ...warnings(r.stdout)];
    expect(all(run.drover)).toEqual(all(run.ansible));
    expect(all(run.ansible).length).toBe(3);
    expect(run.drover.status).toBe(run.ansible.status);
  });
});
