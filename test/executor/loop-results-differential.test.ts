// Differential test of registered loop results against ansible-playbook 2.14 (local
// connection): each item of `results` carries the module's `invocation: {module_args}` for
// modules (command, shell, file with an alias, stat, failed and check-mode items, no_log) and
// none for action plugins (debug, assert, set_fact) nor at the top level of a non-loop result;
// a loop with a failed changed item is changed; a no_log item is labelled (item=None). What is
// compared is the key structure of what `register` stored (keys at every level, plus the
// module_args values, which are stable) and the recap; volatile values (times) are not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

const TASKS: [string, string][] = [
  ['command', 'command: echo {{ item }}'],
  ['shell', 'shell: echo {{ item }}'],
  ['file', 'file: name={{ d }}/f{{ item }} state=touch'],
  ['stat', 'stat: path={{ d }}/f{{ item }}'],
  ['failed', 'command: /bin/false\n  ignore_errors: true'],
  ['check', 'command: argv=[echo,hi]\n  check_mode: true'],
  ['nolog', 'command: echo {{ item }}\n  no_log: true'],
  ['debug', 'debug: msg=x'],
  ['assert', 'assert: {that: [true]}'],
  ['set_fact', 'set_fact: {a: "{{ item }}"}'],
  ['skipped', 'command: echo {{ item }}\n  when: item == 2'],
];

const PLAY = (d: string) => `
- hosts: localhost
  connection: local
  gather_facts: false
  vars: {d: "${d}"}
  tasks:
${TASKS.map(([id, t]) => `    - name: ${id}\n      ${t.replace(/\n/g, '\n    ')}\n      loop: [1, 2]\n      register: r_${id}`).join('\n')}
    - name: single
      command: echo single
      register: r_single
    - name: show
      debug:
        msg: "SHAPE {{ {${[...TASKS.map(([id]) => id), 'single'].map((id) => `'${id}': r_${id}`).join(', ')}} | to_json }}"
`;

/**
 * Keys at every level; the values of module_args (stable); other leaves as their type. Not
 * compared (module differences, outside the executor): the keys inside stat's `stat`, and
 * file's `diff`, which ansible's file module returns without --diff and modules/file.ts not.
 */
function shape(v: unknown, inArgs = false): unknown {
  if (Array.isArray(v)) return v.map((x) => shape(x, inArgs));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).filter((k) => k !== 'diff').sort().map((k) => [k, k === 'module_args' ? o[k] : k === 'stat' ? Object.keys(o[k] as object).length > 0 : shape(o[k], inArgs)]));
  }
  return inArgs ? v : typeof v;
}

function registered(stdout: string): Record<string, unknown> {
  const m = /"msg": "SHAPE (.*)"\n/.exec(stdout);
  if (!m) throw new Error(`no SHAPE line in:\n${stdout}`);
  return JSON.parse(JSON.parse(`"${m[1]}"`)) as Record<string, unknown>;
}

describe.skipIf(!hasAnsible)('registered loop results vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-loop-results-diff-');
  let run: PlaybookRuns;
  let ansible: Record<string, unknown>;
  let drover: Record<string, unknown>;

  beforeAll(() => {
    mkdirSync(t.p('w'), { recursive: true });
    writeFileSync(t.p('pb.yml'), PLAY(t.p('w')));
    run = runPlaybookBoth('pb.yml', { cwd: t.dir });
    ansible = registered(run.ansible.stdout);
    drover = registered(run.drover.stdout);
  }, 600_000);

  afterAll(() => t.cleanup());

  it('same exit code and recap', () => {
    expect(run.drover.status).toBe(run.ansible.status);
    const recap = (s: string) => s.slice(s.indexOf('PLAY RECAP'));
    expect(recap(run.drover.stdout)).toBe(recap(run.ansible.stdout));
  });

  for (const [id] of [...TASKS, ['single']]) {
    it(`${id}: the registered result has the same structure`, () => {
      expect(ansible[id]).toBeDefined();
      expect(shape(drover[id])).toEqual(shape(ansible[id]));
    });
  }

  it('no_log items are labelled (item=None)', () => {
    for (const out of [run.ansible.stdout, run.drover.stdout]) {
      const section = out.slice(out.indexOf('TASK [nolog]'), out.indexOf('TASK [debug]'));
      expect(section).toContain('(item=None)');
      expect(section).not.toContain('(item=1)');
    }
  });

  it('the comparison can fail: ansible has invocation in items, none at the top level', () => {
    const items = (ansible.command as { results: Record<string, unknown>[] }).results;
    expect(items[0].invocation).toBeDefined();
    expect(ansible.single).not.toHaveProperty('invocation');
    expect(shape({ ...items[0], invocation: undefined })).not.toEqual(shape(items[0]));
  });
});
