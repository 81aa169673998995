// environment merging: play → block → task layers (dicts or lists of dicts), inner keys win,
// values become strings the way Python's str() prints them; names are checked; loop_control's
// per-iteration variables.
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DroverError } from '../../engine/errors/index.js';
import { mergeEnvironment } from '../../engine/executor/environment.js';
import { loopOverlay } from '../../engine/executor/loop-control.js';
import { hasAnsible, runDroverPlaybook, runPlaybookBoth } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

describe('mergeEnvironment', () => {
  it('lets the task override the play and keeps other keys', () => {
    expect(mergeEnvironment([{ A: 'play', B: 'play' }, { B: 'task', C: 'task' }])).toEqual({ A: 'play', B: 'task', C: 'task' });
  });
  it('accepts a single dict, nested lists and non-string values', () => {
    expect(mergeEnvironment({ N: 1, T: true })).toEqual({ N: '1', T: 'True' });
    expect(mergeEnvironment([[{ A: 'x' }], { A: 'y' }])).toEqual({ A: 'y' });
  });
  it('refuses a name the shell cannot export, with the task\'s place', () => {
    const e = (() => {
      try {
        mergeEnvironment({ 'A B': 1 }, { file: 'pb.yml', line: 7 });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(DroverError);
    expect((e as DroverError).describe()).toBe('pb.yml:7: environment: "A B" is not a valid variable name (letters, digits and _, not starting with a digit)');
    expect(mergeEnvironment({ _a1: 1, B: 2 })).toEqual({ _a1: '1', B: '2' });
  });
});

describe('loopOverlay', () => {
  it('sets the loop var, index_var and, with extended, ansible_loop', () => {
    const o = loopOverlay(['a', 'b', 'c'], 1, { loopVar: 'pkg', indexVar: 'idx', extended: true, allItems: true });
    expect(o.pkg).toBe('b');
    expect(o.idx).toBe(1);
    expect(o.ansible_loop_var).toBe('pkg');
    expect(o.ansible_index_var).toBe('idx');
    expect(o.ansible_loop).toMatchObject({ index: 2, index0: 1, first: false, last: false, previtem: 'a', nextitem: 'c', length: 3, allitems: ['a', 'b', 'c'] });
  });
  it('leaves ansible_loop out without extended, and allitems out with extended_allitems false', () => {
    expect(loopOverlay(['a'], 0, { loopVar: 'item', extended: false, allItems: true })).not.toHaveProperty('ansible_loop');
    const o = loopOverlay(['a', 'b'], 0, { loopVar: 'item', extended: true, allItems: false });
    expect(o.ansible_loop).not.toHaveProperty('allitems');
    expect(o.ansible_loop).not.toHaveProperty('previtem');
  });
});

// environment names and values against ansible-playbook 2.14 (issue 17, item 6): a value reaches
// the command literally, whatever quotes, $(...), backticks or newlines it holds; a name the
// shell cannot export fails the task (ansible: the shell's "not found", rc 127) and runs nothing.
describe.skipIf(!hasAnsible)('environment names and values vs ansible-playbook', () => {
  const t = tempDir('drover-env-diff-');
  const hostile = `a'b; touch ${t.p('pwned')} #\n$(touch ${t.p('pwned2')}) \`touch ${t.p('pwned3')}\` "q" \\ end`;
  const BAD_NAMES = ['A B', '1X', 'X-Y'];
  const play = () => `- hosts: localhost
  connection: local
  gather_facts: false
  vars_files: [vars.json]
  tasks:
    - name: hostile value
      shell: printf '%s' "$V"
      environment: {V: "{{ hostile }}"}
      register: r
    - name: show
      debug: var=r.stdout
${BAD_NAMES.map((n, i) => `    - name: bad name ${i}
      command: touch ${t.p(`ran${i}`)}
      environment: {${JSON.stringify(n)}: v}
      ignore_errors: true
`).join('')}`;
  beforeAll(() => {
    writeFileSync(t.p('vars.json'), JSON.stringify({ hostile }));
    writeFileSync(
      t.p('pb.yml'),
      play(),
    );
  });
  afterAll(() => t.cleanup());

  it('passes values literally and fails invalid names, as ansible-playbook', () => {
    const run = runPlaybookBoth('pb.yml', { cwd: t.dir });
    const status = (s: string) => s.split('\n').filter((l) => /^(TASK|ok|changed|fatal|\.\.\.ignoring|localhost\s+:)/.test(l)).map((l) => l.replace(/ => .*/, '')).join('\n');
    expect(run.drover.status).toBe(run.ansible.status);
    expect(status(run.drover.stdout)).toBe(status(run.ansible.stdout));
    const shown = (s: string) => s.slice(s.indexOf('TASK [show]'), s.indexOf('TASK [bad name 0]'));
    expect(shown(run.drover.stdout)).toBe(shown(run.ansible.stdout));
    expect(run.drover.stdout).toContain(JSON.stringify(hostile).slice(1, -1));
    expect(run.drover.stdout).toContain('environment: \\"A B\\" is not a valid variable name');
    for (const f of ['pwned', 'pwned2', 'pwned3', 'ran0', 'ran1', 'ran2']) expect(existsSync(t.p(f)), f).toBe(false);
  });

  // deliberately not as ansible-core 2.14, which writes the name unquoted into its shell line
  // and so runs `touch` here (and then the task, as changed)
  it('drover never runs a name that holds shell text', () => {
    BAD_NAMES.push(`X;touch ${t.p('pwned4')};Y`);
    writeFileSync(t.p('inject.yml'), play());
    const run = runDroverPlaybook('inject.yml', { cwd: t.dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/TASK \[bad name 3\][^\n]*\nfatal: \[localhost\]: FAILED! => \{"msg": "[^"]*: environment: \\"X;touch [^"]*;Y\\" is not a valid variable name/);
    expect(existsSync(t.p('pwned4'))).toBe(false);
    expect(existsSync(t.p('ran3'))).toBe(false);
  });
});
