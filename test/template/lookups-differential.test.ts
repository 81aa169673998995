// Differential test of the lookup plugins against ansible-playbook 2.14: every case of
// lookups-cases.ts runs in one play under both tools (lookup/query in `debug: msg=`, with_<lookup>
// loops, lookups inside a role), each result registered and dumped as JSON at the end. Values must
// be equal; a failure must fail in both, drover's message containing Ansible's (drover adds the
// task's file and line); the "Unable to find"/errors='warn' warnings must be the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hasAnsible, normalise, runPlaybookBoth, type PlaybookRuns } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';
import { EXPRESSIONS, LOOPS, ROLE_EXPRESSIONS } from './lookups-cases.js';
import { FIXTURES } from './lookups-fixtures.js';

const VARS = {
  v1: 'one',
  v2: [2],
  templated: '{{ v1 }}!',
  users: [
    { name: 'alice', groups: ['g1', 'g2'], nested: { list: ['n1'] } },
    { name: 'bob', groups: ['g3'] },
    { name: 'carol', groups: [] },
  ],
};

const task = (name: string, reg: string, body: Record<string, unknown>) => ({ name, ...body, register: reg, ignore_errors: true });
const exprTask = ([id, expr]: [string, string], i: number, prefix: string) => task(id, `${prefix}${i}`, { debug: { msg: `{{ ${expr} }}` } });

function playbook(): unknown[] {
  const tasks: unknown[] = [
    ...EXPRESSIONS.map((c, i) => exprTask(c, i, 'e')),
    ...LOOPS.map(([id, name, value, action], i) => task(id, `l${i}`, { ...(action ?? { debug: { msg: '{{ item }}' } }), [`with_${name}`]: value })),
    { include_role: { name: 'r' } },
    { file: { path: '{{ playbook_dir }}/pw', state: 'absent' } },
  ];
  const regs = [...EXPRESSIONS.map((c, i) => [c[0], `e${i}`]), ...LOOPS.map((c, i) => [c[0], `l${i}`]), ...ROLE_EXPRESSIONS.map((c, i) => [c[0], `r${i}`])];
  tasks.push({ debug: { msg: `SHAPE {{ {${regs.map(([id, reg]) => `'${id}': ${reg}`).join(', ')}} | to_json }}` } });
  return [{ hosts: 'localhost', connection: 'local', gather_facts: false, vars: VARS, tasks }];
}

interface Row {
  failed: boolean;
  skipped: boolean;
  msg?: unknown;
  items?: unknown[];
  facts?: unknown;
}

function rows(stdout: string, dir: string): Record<string, Row> {
  const m = /"msg": "SHAPE (.*)"\n/.exec(stdout);
  if (!m) throw new Error(`no SHAPE line in:\n${stdout.slice(-3000)}`);
  const raw = JSON.parse(JSON.parse(`"${m[1]}"`)) as Record<string, Record<string, unknown>>;
  const out: Record<string, Row> = {};
  for (const [id, r] of Object.entries(normalise(raw, [dir]))) {
    const results = r.results as Record<string, unknown>[] | undefined;
    out[id] = {
      failed: r.failed === true,
      skipped: r.skipped === true,
      msg: r.msg,
      items: results?.map((x) => ({ item: x.item, msg: x.msg, failed: x.failed === true, facts: x.ansible_facts })),
      facts: r.ansible_facts,
    };
  }
  return out;
}

/** Ansible's message without the "appears to be in" help text and its repeated original message. */
function core(msg: unknown): string {
  let s = String(msg).split('\n\n')[0].replace(/^The task includes an option with an undefined variable\. The error was: /, '');
  for (let m = /^(.*)\. (.+)$/s.exec(s); m && m[1].endsWith(m[2]); m = /^(.*)\. (.+)$/s.exec(s)) s = m[1];
  return s;
}

/** [WARNING] texts (wrapped lines joined) about lookups. */
function warnings(text: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('[WARNING]: ')) {
      if (cur !== null) out.push(cur);
      cur = line.slice(11);
    } else if (cur !== null && line.trim() && !/^(TASK|ok:|fatal:|changed:|skipping:|PLAY|\.\.\.|\[)/.test(line)) cur += ' ' + line.trim();
    else if (cur !== null) {
      out.push(cur);
      cur = null;
    }
  }
  if (cur !== null) out.push(cur);
  return out.map((w) => w.replace(/\s+/g, ' ')).filter((w) => /Unable to find|lookup plugin|did not find setting/.test(w));
}

describe.skipIf(!hasAnsible)('lookup plugins vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-lookups-diff-');
  let run: PlaybookRuns;
  let ansible: Record<string, Row>;
  let drover: Record<string, Row>;

  beforeAll(() => {
    const files = { ...FIXTURES, 'roles/r/tasks/main.yml': stringify(ROLE_EXPRESSIONS.map((c, i) => exprTask(c, i, 'r'))) };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(t.p(rel)), { recursive: true });
      writeFileSync(t.p(rel), text);
    }
    // YAML, not JSON: ansible-core gives tasks of a JSON playbook an empty folder on their search path
    writeFileSync(t.p('pb.yml'), stringify(playbook()));
    run = runPlaybookBoth('pb.yml', { cwd: t.dir, args: ['-i', 'inv.ini'], env: { DROVER_T_SET: 'set-value' } });
    ansible = rows(run.ansible.stdout, t.dir);
    drover = rows(run.drover.stdout, t.dir);
  }, 600_000);

  afterAll(() => t.cleanup());

  it('same exit code', () => {
    expect(run.drover.status).toBe(run.ansible.status);
  });

  const ids = [...EXPRESSIONS, ...LOOPS, ...ROLE_EXPRESSIONS].map((c) => c[0]);
  it.each(ids)('%s', (id) => {
    const a = ansible[id];
    const d = drover[id];
    expect(d, `no result for ${id}`).toBeDefined();
    expect({ failed: d.failed, skipped: d.skipped }).toEqual({ failed: a.failed, skipped: a.skipped });
    if (a.failed) {
      expect(String(d.msg)).toContain(core(a.msg));
      return;
    }
    expect(d).toEqual(a);
  });

  it('the same lookup warnings, in order', () => {
    const theirs = warnings(run.ansible.stderr + run.ansible.stdout);
    expect(theirs.length).toBeGreaterThan(5);
    expect(warnings(run.drover.stdout + run.drover.stderr)).toEqual(theirs);
  });
});
