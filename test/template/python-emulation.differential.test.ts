// Differential test of the two CPython emulations behind issue 14's filters, on many generated
// inputs: the set-theory filters' iteration order (CPython's set hash table, engine/template/pyset.ts)
// seeded random/shuffle (MT19937 seeded as Python 3.11, engine/template/pyrandom.ts) and the
// log/pow/root filters' last bit (glibc's libm, engine/template/pymath.ts), each rendered by
// drover's Templar and by ansible-core 2.14's (test/template/ansible-render.py).
import { beforeAll, describe, expect, it } from 'vitest';
import { Templar } from '../../engine/template/index.js';
import { jsonDumps } from '../../engine/template/pydump.js';
import { PYTHON, renderWithAnsible, type AnsibleRender, type RenderCase } from './ansible.js';

/** A fixed LCG so the generated cases are the same on every run. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

function tupleOf(r: (n: number) => number): string {
  const len = r(12);
  const items = Array.from({ length: len }, () => {
    switch (r(6)) {
      case 0: return String(r(4000) - 2000);
      case 1: return String(r(64));
      case 2: return `${r(100)}.${r(100) + 1}`;
      case 3: return `(${r(20)}, ${r(20)})`;
      default: return String(r(16));
    }
  });
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

function cases(): RenderCase[] {
  const r = lcg(14);
  const out: RenderCase[] = [];
  const ops = ['union', 'intersect', 'difference', 'symmetric_difference'];
  for (let i = 0; i < 120; i++) out.push({ t: `{{ ${tupleOf(r)} | ${ops[i % 4]}(${tupleOf(r)}) | list }}` });
  for (let i = 0; i < 40; i++) {
    const seed = i % 2 ? `"host-${r(1000)}.example.com"` : String(r(2 ** 31) * (i % 4 === 0 ? -1 : 1));
    out.push({ t: `{{ ${1 + r(5000)} | random(seed=${seed}) }}` });
    const list = [...Array(r(15)).keys()].map((x) => x * 3);
    out.push({ t: `{{ [${list.join(', ')}] | shuffle(seed=${seed}) }}` });
    out.push({ t: `{{ ${2 ** 33 + r(1000)} | random(start=${r(50)}, step=${1 + r(7)}, seed=${seed}) }}` });
  }
  for (let i = 0; i < 60; i++) {
    // pow results stay below 2**53: drover prints larger (integral) floats as ints (README)
    const x = i % 5 < 3 ? Number(`${1 + r(100000)}.${1 + r(999)}e${r(20) - 10}`) : Number(`${1 + r(60)}.${1 + r(999)}`);
    const op = ['log', 'log(10)', 'log(7.5)', `pow(${r(7) - 3}.${1 + r(99)})`, `root(${2 + r(5)})`][i % 5];
    out.push({ t: `{{ x | ${op} }}`, v: { x } });
  }
  return out;
}

const CASES = cases();

describe.skipIf(!PYTHON)('CPython set order and seeded random = ansible-core 2.14 (generated cases)', () => {
  let theirs: AnsibleRender[] = [];
  beforeAll(() => {
    theirs = renderWithAnsible(CASES);
  }, 120_000);

  it('renders every generated case as Ansible does', () => {
    const mismatches: string[] = [];
    CASES.forEach((c, i) => {
      const a = theirs[i];
      let mine: string;
      try {
        mine = jsonDumps(new Templar().render(c.t, c.v ?? {}), { sortKeys: true });
      } catch (e) {
        mine = `error: ${(e as Error).message}`;
      }
      const want = a.ok ? a.json : `error`;
      if (a.ok ? mine !== want : !mine.startsWith('error')) mismatches.push(`${c.t}\n  ansible: ${want}\n  drover:  ${mine}`);
    });
    expect(mismatches).toEqual([]);
  });
});
