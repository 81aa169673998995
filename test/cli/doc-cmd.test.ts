// drover doc: every registered module documents itself from its schema (list and pages), required
// options and rules are shown, unknown modules and options are errors.
import { describe, expect, it } from 'vitest';
import { docCommand, formatModuleDoc } from '../../engine/cli/doc-cmd.js';
import { getModule, listModules } from '../../engine/modules-sdk/registry.js';

async function doc(argv: string[]): Promise<{ rc: number; out: string }> {
  let out = '';
  const rc = await docCommand(argv, (s) => void (out += s));
  return { rc, out };
}

describe('drover doc', () => {
  it('--list names every module once with its description', async () => {
    const { rc, out } = await doc(['--list']);
    expect(rc).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(listModules().length);
    expect(out).toMatch(/^blockinfile\s+Insert\/update\/remove/m);
  });
  it('renders a page per module from its schema', async () => {
    const { out } = await doc(['replace']);
    expect(out).toContain('> REPLACE');
    expect(out).toMatch(/^= path\n\s+aliases: \[dest, destfile, name\]/m);
    expect(out).toMatch(/^= regexp$/m);
    expect(out).toContain('check_mode: supported');
    expect(formatModuleDoc(getModule('blockinfile')!)).toContain('mutually exclusive: insertbefore, insertafter');
    expect(formatModuleDoc(getModule('sysctl')!)).toContain('when state=present: requires value');
    expect(formatModuleDoc(getModule('fetch')!)).toContain('check_mode: not supported');
    expect(formatModuleDoc(getModule('script')!)).toContain('- free_form');
  });
  it('every module page renders', () => {
    for (const m of listModules()) expect(formatModuleDoc(m)).toContain(`> ${m.name.toUpperCase()}`);
  });
  it('--json prints the schema; errors for unknown modules and options', async () => {
    const j = JSON.parse((await doc(['--json', 'find'])).out);
    expect(j.find.schema.required).toEqual(['paths']);
    await expect(doc(['nosuch'])).rejects.toThrow(/module nosuch not found/);
    await expect(doc(['--bogus'])).rejects.toThrow(/unrecognized arguments/);
    await expect(doc([])).rejects.toThrow(/give a module name or --list/);
  });
});
