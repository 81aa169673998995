// k=v parsing and argument splitting, checked against outputs of ansible-core 2.14's
// split_args / parse_kv for the same inputs.
import { describe, expect, it } from 'vitest';
import { decodeEscapes, joinArgs, parseKv, splitArgs, unquote } from '../../engine/playbook/splitter.js';

const CASES: [string, boolean, string[], Record<string, string>][] = [
  ['a=b c="foo bar"', false, ['a=b', 'c="foo bar"'], { a: 'b', c: 'foo bar' }],
  ['msg="{{ greeting }} world" verbosity=1', false, ['msg="{{ greeting }} world"', 'verbosity=1'], { msg: '{{ greeting }} world', verbosity: '1' }],
  ['ls -l chdir=/tmp creates=/tmp/x', true, ['ls', '-l', 'chdir=/tmp', 'creates=/tmp/x'], { chdir: '/tmp', creates: '/tmp/x', _raw_params: 'ls -l' }],
  ['echo a=b removes=/x', true, ['echo', 'a=b', 'removes=/x'], { removes: '/x', _raw_params: 'echo a=b' }],
  ['src=a dest=b junk', false, ['src=a', 'dest=b', 'junk'], { src: 'a', dest: 'b', _raw_params: 'junk' }],
  ["msg='it''s' x=1", false, ["msg='it''s'", 'x=1'], { msg: "it''s", x: '1' }],
  ['msg={{ a | default("x y") }} b=2', false, ['msg={{ a | default("x y") }}', 'b=2'], { msg: '{{ a | default("x y") }}', b: '2' }],
  ['echo "hello   world"', true, ['echo', '"hello   world"'], { _raw_params: 'echo "hello   world"' }],
  ['a=1\nb=2', false, ['a=1\n', 'b=2'], { a: '1', b: '2' }],
  ['echo foo\\=bar', true, ['echo', 'foo\\=bar'], { _raw_params: 'echo foo=bar' }],
  ['k="v\\nw"', false, ['k="v\\nw"'], { k: 'v\nw' }],
  ['=x y=1', false, ['=x', 'y=1'], { y: '1', _raw_params: '=x' }],
  ['cmd {% if a %}x y{% endif %} z=1', true, ['cmd', '{% if a %}x', 'y{% endif %}', 'z=1'], { _raw_params: 'cmd {% if a %}x y{% endif %} z=1' }],
];

describe('splitArgs / parseKv (same results as ansible-core)', () => {
  it.each(CASES)('%j (checkRaw=%s)', (input, checkRaw, split, parsed) => {
    expect(splitArgs(input)).toEqual(split);
    expect(parseKv(input, checkRaw)).toEqual(parsed);
  });

  it('rejects unbalanced quotes and jinja2 blocks', () => {
    expect(() => splitArgs('msg="open')).toThrow(/unbalanced jinja2 block or quotes/);
    expect(() => splitArgs('msg={{ x')).toThrow(/unbalanced/);
  });

  it('keeps a backslash-continued line together', () => {
    expect(splitArgs('a=1 \\\nb=2')).toEqual(['a=1', 'b=2']);
  });
});

describe('helpers', () => {
  it('unquote strips one pair of matching quotes only', () => {
    expect(unquote('"a b"')).toBe('a b');
    expect(unquote("'a'")).toBe('a');
    expect(unquote('"a\'')).toBe('"a\'');
    expect(unquote('"a\\"')).toBe('"a\\"');
  });
  it('decodes python escapes', () => {
    expect(decodeEscapes('a\\tb\\x41\\u00e9\\\\')).toBe('a\tbAé\\');
  });
  it('leaves octal-looking escapes alone, as 2.14 does (a backreference in replace=)', () => {
    expect(decodeEscapes('"\\1" \\101')).toBe('"\\1" \\101');
    expect(parseKv(`regexp='\\\\b(.+)\\\\b' replace='"\\1"'`)).toEqual({ regexp: '\\b(.+)\\b', replace: '"\\1"' });
  });
  it('joinArgs keeps newlines', () => {
    expect(joinArgs(['a\n', 'b', 'c'])).toBe('a\nb c');
  });
});
