// Hostile values never run (issue 17, security): quotes with `; touch`, $(...), backticks,
// newlines and NUL, arriving from the inventory, -e, a registered result and a fact, flow into
// command argv, module arguments (copy content, lineinfile, file paths, stat, debug), templates,
// set_fact and environment values. Differential against ansible-playbook 2.14: the same recap,
// the same bytes written, the same values reported, and no marker file from any injection.
// (environment.test.ts covers environment names; this covers values through every other door.)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runAnsiblePlaybook, runDroverPlaybook, runPlaybookBoth, snapshot } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';

describe.skipIf(!hasAnsible)('hostile values from inventory, -e, registered output and facts vs ansible-playbook', () => {
  const t = tempDir('drover-hostile-');
  const pwn = (n: string) => t.p(`pwned-${n}`);
  /**
   * Every shape of shell injection, each aimed at its own marker file. Inventory and -e values
   * are templates in Ansible (a `{{ lookup('pipe') }}` there runs by design), so the template
   * injection only comes from the host: registered output and the fact made from it are unsafe.
   */
  const hostile = (src: string) =>
    [`'; touch ${pwn(`${src}-q`)} #`, `"; touch ${pwn(`${src}-dq`)} #`, `$(touch ${pwn(`${src}-sub`)})`, `\`touch ${pwn(`${src}-bt`)}\``, `x\ntouch ${pwn(`${src}-nl`)}\n`].join(' | ');
  const PLAY = `- hosts: all
  gather_facts: false
  vars_files: [vars.json]
  tasks:
    - name: registered output holds it
      command:
        argv: [printf, "%s \\\\173\\\\173 lookup('pipe', 'touch ${pwn('reg-tpl')}') \\\\175\\\\175", "{{ extra }}"]
      register: out
    - name: a fact holds it
      set_fact: {fact: "{{ out.stdout }}", from_inv: "{{ inv }}"}
${['inv', 'extra', 'out.stdout', 'fact']
  .map(
    (v, i) => `    - name: command argv from ${v}
      command: {argv: [printf, '%s', "{{ ${v} }}"]}
      register: c${i}
    - name: report ${v}
      debug: msg="R c${i} {{ c${i}.stdout | to_json }}"
    - name: free-form command, quoted, from ${v}
      command: printf '%s' {{ ${v} | quote }}
      register: q${i}
    - name: report the quoted one
      debug: msg="R q${i} {{ q${i}.stdout | to_json }}"
    - name: free-form command, unquoted, from ${v} (split as shell words; never run as shell)
      command: echo {{ ${v} }}
      register: u${i}
      ignore_errors: true
    - name: report the unquoted one
      debug: msg="R u${i} {{ [u${i}.stdout | default(''), u${i}.failed] | to_json }}"
    - name: copy content from ${v}
      copy: {content: "{{ ${v} }}", dest: "{{ dir }}/out/copy${i}"}
    - name: lineinfile from ${v}
      lineinfile: {path: "{{ dir }}/out/line${i}", line: "{{ ${v} | replace('\\n', ' ') }}", create: true}
    - name: template from ${v}
      template: {src: t.j2, dest: "{{ dir }}/out/tpl${i}"}
      vars: {value: "{{ ${v} }}"}
    - name: environment value from ${v}
      shell: printf '%s' "$V" > {{ dir }}/out/env${i}
      environment: {V: "{{ ${v} }}"}
    - name: a path from ${v}
      stat: {path: "{{ dir }}/{{ ${v} }}"}
      register: s${i}
    - name: report the path
      debug: msg="R s${i} {{ s${i}.stat.exists | to_json }}"
`,
  )
  .join('')}`;
  const INVENTORY = (h: string) => `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      dir: ${JSON.stringify(h)}\n      inv: ${JSON.stringify(hostile('inv'))}\n`;

  beforeAll(() => {
    writeFileSync(t.p('pb.yml'), PLAY);
    writeFileSync(t.p('t.j2'), '[{{ value }}]\n');
    writeFileSync(t.p('vars.json'), '{}');
  });
  afterAll(() => t.cleanup());

  it('nothing runs, and both tools write and report the same', () => {
    const runs: Record<string, { status: number | null; stdout: string; files: Record<string, string> }> = {};
    for (const tool of ['ansible', 'drover'] as const) {
      const d = t.p(tool);
      mkdirSync(`${d}/out`, { recursive: true });
      writeFileSync(t.p(`inv-${tool}.yml`), INVENTORY(d));
      const o = { cwd: t.dir, inventory: `inv-${tool}.yml`, args: ['-e', JSON.stringify({ extra: hostile('e') })] };
      const r = tool === 'ansible' ? runAnsiblePlaybook('pb.yml', o) : runDroverPlaybook('pb.yml', o);
      runs[tool] = { status: r.status, stdout: r.stdout, files: snapshot(`${d}/out`) };
    }
    const [a, d] = [runs.ansible, runs.drover];
    expect(a.status, a.stdout.slice(-2000)).toBe(0);
    expect(d.status, d.stdout.slice(-3000)).toBe(0);
    expect(reportedValues(d.stdout)).toEqual(reportedValues(a.stdout));
    expect(reportedValues(d.stdout).c0).toBe(hostile('inv').trimEnd()); // stdout loses its last newline
    expect(reportedValues(d.stdout).c3).toContain("{{ lookup('pipe', 'touch");
    expect(d.files).toEqual(a.files);
    expect(readdirSync(t.dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('a NUL byte from -e: refused or passed, never a shell word', () => {
    writeFileSync(t.p('nul.yml'), `- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    - command: printf '%s' "{{ v }}"\n      register: r\n      ignore_errors: true\n    - copy: {content: "{{ v }}", dest: "${t.p('nul.out')}"}\n      ignore_errors: true\n`);
    const v = `a\u0000; touch ${pwn('nul')}; \u0000$(touch ${pwn('nul-sub')})`;
    const run = runPlaybookBoth('nul.yml', { cwd: t.dir, args: ['-e', JSON.stringify({ v })] });
    expect(run.drover.status).toBe(run.ansible.status);
    expect(run.drover.stdout).not.toContain('Traceback');
    expect(existsSync(pwn('nul')) || existsSync(pwn('nul-sub'))).toBe(false);
    if (existsSync(t.p('nul.out'))) expect(readFileSync(t.p('nul.out'), 'utf8')).toBe(v);
  });
});
