// Unit tests of the Templar: native types of a single {{ expr }}, lookups (env, file, pipe),
// error messages (variable or filter named, template text, file:line), drover-only filters, and
// the Python semantics the differential test cannot reach (no Ansible needed here).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../engine/errors/index.js';
import { Templar, Unsafe } from '../../engine/template/index.js';
import { isFloatSlot, isTuple, pyRepr, setFloatSlot } from '../../engine/template/python.js';
import { jsonDumps } from '../../engine/template/pydump.js';
import { tempDir } from '../support/tmp.js';

const CTX = { file: '/play/site.yml', line: 12, what: "task 'Upgrade masters'" };
const render = (tpl: unknown, vars: Record<string, unknown> = {}) => new Templar().render(tpl, vars, CTX);
const failure = (tpl: string, vars: Record<string, unknown> = {}): TemplateError => {
  try {
    render(tpl, vars);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error(`${tpl} did not fail`);
};

describe('native types of a single {{ expression }}', () => {
  const vars = { lst: [1, 2], d: { a: 1 }, n: 3, b: true, s: '20%' };
  it('keeps lists, dicts and bools; ints come back as text, as in ansible-core 2.14 without jinja2_native', () => {
    expect(render('{{ lst }}', vars)).toEqual([1, 2]);
    expect(render('{{ d }}', vars)).toEqual({ a: 1 });
    expect(render('{{ n + 1 }}', vars)).toBe('4');
    expect(new Templar({ jinja2Native: true }).render('{{ n + 1 }}', vars)).toBe(4);
    expect(render('{{ b }}', vars)).toBe(true);
    expect(render('{{ lst | map("string") | list }}', vars)).toEqual(['1', '2']);
  });
  it('gives text as soon as there is text around the expression', () => {
    expect(render('{{ n }}%', vars)).toBe('3%');
    expect(render(' {{ lst }}', vars)).toBe(' [1, 2]');
    expect(render('{{ s }}', vars)).toBe('20%');
  });
  it('keeps text-typed filter output as text (to_json is not parsed back)', () => {
    expect(render('{{ d | to_json }}', vars)).toBe('{"a": 1}');
    expect(render('{{ lst | string }}', vars)).toBe('[1, 2]');
  });
  it('renders nested structures value by value and leaves !unsafe text alone', () => {
    expect(render({ a: ['{{ n }}', 'x{{ n }}'], u: new Unsafe('{{ n }}') }, vars)).toEqual({ a: [3, 'x3'], u: '{{ n }}' });
  });
});

describe('lookups', () => {
  const dir = tempDir('drover-tpl-');
  writeFileSync(join(dir, 'motd.txt'), 'welcome\n');
  it("lookup('env') reads the environment, empty when unset", () => {
    process.env.DROVER_TPL_TEST = 'v1';
    expect(render('{{ lookup("env", "DROVER_TPL_TEST") }}')).toBe('v1');
    expect(render('{{ lookup("env", "DROVER_TPL_UNSET_X") }}')).toBe('');
  });
  it("lookup('file') strips the trailing newline; a missing file names the lookup", () => {
    expect(render(`{{ lookup("file", "${join(dir, 'motd.txt')}") }}`)).toBe('welcome');
    expect(failure('{{ lookup("file", "/nonexistent/x.txt") }}').message).toMatch(/lookup plugin 'file'.*\/nonexistent\/x\.txt/);
  });
  it("lookup('pipe') runs a shell command and returns its output without the last newline", () => {
    expect(render('{{ lookup("pipe", "echo one; echo two") }}')).toBe('one\ntwo');
  });
  it('query() returns a list', () => {
    process.env.DROVER_TPL_TEST = 'v2';
    expect(render('{{ query("env", "DROVER_TPL_TEST") }}')).toEqual(['v2']);
  });
});

describe('error messages', () => {
  it('an undefined variable names the variable, the template and the task', () => {
    const e = failure('{{ openshift_release }}');
    expect(e.message).toContain("'openshift_release' is undefined");
    expect(e.message).toContain('{{ openshift_release }}');
    expect(e.message).toContain("task 'Upgrade masters'");
    expect(e.pos).toMatchObject({ file: '/play/site.yml', line: 12 });
    expect(e.describe()).toContain('/play/site.yml:12');
  });
  it("a missing attribute has Jinja's text; the template shown names the variable", () => {
    const e = failure('{{ hostvars_like.master1.ip }}', { hostvars_like: { master1: {} } });
    expect(e.message).toContain("'dict object' has no attribute 'ip'");
    expect(e.message).toContain('{{ hostvars_like.master1.ip }}');
    expect(failure('{{ l[3] }}', { l: [] }).message).toContain('list object has no element 3');
  });
  it('an unknown or failing filter names the filter', () => {
    expect(failure('{{ x | no_such_filter }}', { x: 1 }).message).toContain("'no_such_filter'");
    expect(failure('{{ x | mandatory }}').message).toContain("Mandatory variable 'x'");
    expect(failure('{{ "x" | from_json }}').message).toContain('from_json');
  });
  it('a syntax error shows the template text', () => {
    expect(failure('{{ a b }}', { a: 1, b: 2 }).message).toContain('{{ a b }}');
  });
});

describe('drover extensions and Python semantics', () => {
  it('version_compare also works as a filter (older playbooks)', () => {
    expect(render('{{ "3.9.41" | version_compare("3.7", ">=") }}')).toBe(true);
    expect(render('{{ "3.9" | version("3.10", "<") }}')).toBe(true);
  });
  it('dict methods and tuples', () => {
    const v = render('{{ d.items() | list }}', { d: { a: 1 } }) as unknown[];
    expect(isTuple(v[0])).toBe(true);
    expect(pyRepr(v)).toBe("[('a', 1)]");
  });
  it('conditions: bare expressions, Python truthiness, undefined fails', () => {
    const t = new Templar();
    expect(t.evaluateCondition('lst and n > 2', { lst: [1], n: 3 })).toBe(true);
    expect(t.evaluateCondition('{}', {})).toBe(false);
    expect(() => t.evaluateCondition('nope', {}, CTX)).toThrow(/conditional check 'nope' failed/);
  });
  it('float slot marks print 1000.0 in repr and json.dumps', () => {
    const d: Record<string, unknown> = { x: 1000, y: 2 };
    setFloatSlot(d, 'x', true);
    expect(isFloatSlot(d, 'x')).toBe(true);
    expect(pyRepr(d)).toBe("{'x': 1000.0, 'y': 2}");
    expect(jsonDumps(d)).toBe('{"x": 1000.0, "y": 2}');
    setFloatSlot(d, 'x', false);
    expect(jsonDumps(d)).toBe('{"x": 1000, "y": 2}');
  });
});
