// Differential tests of the template layer: each template is rendered by drover's Templar and by
// ansible-core 2.14's Templar (test/template/ansible-render.py, one Python process per run) and
// the results must agree: strings exactly, other values by Python type name and json.dumps text.
// Covers every filter and test of issue 2 where Ansible's exact output matters.
import { beforeAll, describe, expect, it } from 'vitest';
import { Templar } from '../../engine/template/index.js';
import { jsonDumps } from '../../engine/template/pydump.js';
import { pyStr, typeName } from '../../engine/template/python.js';
import { PYTHON, renderWithAnsible, type AnsibleRender, type RenderCase } from './ansible.js';
import { CASES, KNOWN_DIFFERENCES } from './cases.js';

const STRING_TYPES = new Set(['str', 'NativeJinjaText', 'AnsibleUnsafeText', 'NativeJinjaUnsafeText']);

function drover(c: RenderCase): { ok: true; value: unknown } | { ok: false; err: string } {
  try {
    return { ok: true, value: new Templar().render(c.t, c.v ?? {}) };
  } catch (e) {
    return { ok: false, err: (e as Error).message };
  }
}

describe.skipIf(!PYTHON)('templates = ansible-core 2.14 Templar (live differential)', () => {
  let theirs: AnsibleRender[] = [];
  beforeAll(() => {
    theirs = renderWithAnsible(CASES);
  }, 120_000);

  CASES.forEach((c, i) => {
    it.skipIf(KNOWN_DIFFERENCES.has(c.t))(c.t, () => {
      const a = theirs[i];
      const d = drover(c);
      if (c.err !== undefined) {
        expect(a.ok, `ansible was expected to fail with ${c.err}`).toBe(false);
        expect(a.err).toContain(c.err);
      }
      if (!a.ok) {
        expect(d.ok, `ansible failed (${a.err}) but drover gave ${d.ok ? JSON.stringify(d.value) : ''}`).toBe(false);
        if (c.err !== undefined && !d.ok) expect(d.err).toContain(c.err);
        return;
      }
      expect(d.ok, d.ok ? '' : `drover failed: ${d.err}`).toBe(true);
      if (!d.ok) return;
      if (STRING_TYPES.has(a.type)) {
        expect(typeof d.value === 'string' ? d.value : pyStr(d.value)).toBe(a.str);
      } else {
        expect(typeName(d.value)).toBe(a.type === 'AnsibleUnicode' ? 'str' : a.type);
        expect(jsonDumps(d.value, { sortKeys: true })).toBe(a.json);
      }
    });
  });
});
