// The template corpus for the differential test: every filter, test and Python method issue 2
// lists, with the edge cases where Python and JavaScript disagree (numbers, regexes, YAML/JSON text).
import type { RenderCase } from './ansible.js';
import { ISSUE14_DATA_CASES } from './cases-issue14-data.js';
import { ISSUE14_CASES } from './cases-issue14.js';

const V = {
  s: 'Hello World',
  n: 42,
  f: 1.5,
  lst: [3, 1, 2, 3],
  words: ['b', 'a', 'c'],
  d: { b: 2, a: 1 },
  users: [
    { name: 'alice', age: 30, admin: true },
    { name: 'bob', age: 25, admin: false },
    { name: 'carol', age: 35, admin: true },
  ],
  nested: { k: [1, { x: 'y' }], s: 'a: b', e: '', u: 'été', nl: 'line1\nline2' },
  path: '/etc/origin/master/master-config.yaml',
  ver: '3.9.41',
  res_ok: { changed: false, failed: false },
  res_changed: { changed: true, rc: 0 },
  res_failed: { failed: true, msg: 'boom', changed: false },
  res_skipped: { skipped: true, changed: false },
  nothing: null,
  tf: 'true',
  yaml_doc: 'a: 1\nb: [x, yes, 0777, 1e3, 1.0]\nc: {d: ~}\n',
};

const t = (tpl: string): RenderCase => ({ t: tpl, v: V });

export { KNOWN_DIFFERENCES } from './known-differences.js';

export const CASES: RenderCase[] = [
  // default / d / mandatory / ternary
  ...['{{ missing | default("x") }}', '{{ missing | d(7) }}', '{{ nothing | default("x") }}', '{{ "" | default("x", true) }}', '{{ nothing | default("x", true) }}', '{{ n | mandatory }}', '{{ missing | mandatory }}', '{{ true | ternary("a", "b") }}', '{{ nothing | ternary("a", "b", "c") }}', '{{ 0 | ternary("a", "b") }}'].map(t),
  // bool / int / float / string
  ...['{{ "yes" | bool }}', '{{ "on" | bool }}', '{{ "1" | bool }}', '{{ "no" | bool }}', '{{ "TRUE" | bool }}', '{{ 1 | bool }}', '{{ 2 | bool }}', '{{ tf | bool }}', '{{ nothing | bool }}', '{{ "maybe" | bool }}'].map(t),
  ...['{{ "42" | int }}', '{{ "3.7" | int }}', '{{ "0x1F" | int }}', '{{ "0x1F" | int(base=16) }}', '{{ "abc" | int }}', '{{ "abc" | int(5) }}', '{{ " 12 " | int }}', '{{ 3.9 | int }}', '{{ -3.9 | int }}', '{{ true | int }}', '{{ "1e3" | int }}', '{{ "10" | int(base=2) }}'].map(t),
  ...['{{ "1.5" | float }}', '{{ "3" | float }}', '{{ "x" | float }}', '{{ 2 | float }}', '{{ "1e3" | float }}', '{{ 4 / 2 }}', '{{ 7 // 2 }}', '{{ 7 % 3 }}', '{{ 2 ** 10 }}', '{{ 0.1 + 0.2 }}', '{{ 1 / 3 }}', '{{ 1e20 * 10 }}', '{{ f * 2 }}', '{{ n | string }}', '{{ 1.0 | string }}', '{{ lst | string }}', '{{ d | string }}', '{{ nothing | string }}', '{{ true | string }}'].map(t),
  // length / join / lower / upper / replace / split
  ...['{{ s | length }}', '{{ lst | length }}', '{{ d | length }}', '{{ lst | count }}', '{{ words | join(",") }}', '{{ lst | join("-") }}', '{{ words | join }}', '{{ s | lower }}', '{{ s | upper }}', '{{ s | replace("o", "0") }}', '{{ s | replace("o", "0", 1) }}', '{{ "a,b,,c" | split(",") }}', '{{ "a b  c" | split }}', '{{ "a-b-c" | split("-", 1) }}'].map(t),
  // regex_replace / regex_search / match / search
  ...[
    '{{ s | regex_replace("o", "0") }}',
    '{{ s | regex_replace("(\\w+) (\\w+)", "\\2 \\1") }}',
    '{{ s | regex_replace("(?P<a>H)ello", "\\g<a>i") }}',
    '{{ "ABC" | regex_replace("b", "x", ignorecase=true) }}',
    '{{ "a\\nb" | regex_replace("^", "> ", multiline=true) }}',
    '{{ s | regex_replace("^$", "E") }}',
    '{{ "aaa" | regex_replace("a*", "-") }}',
    '{{ s | regex_search("o.") }}',
    '{{ s | regex_search("z") }}',
    '{{ s | regex_search("(W)(o)", "\\2", "\\1") }}',
    '{{ s | regex_search("(?P<w>W\\w+)", "\\g<w>") }}',
    '{{ "x1y22" | regex_findall("\\d+") }}',
    '{{ "k=v k2=v2" | regex_findall("(\\w+)=(\\w+)") }}',
    '{{ s is match("Hello") }}',
    '{{ s is match("World") }}',
    '{{ s is search("World") }}',
    '{{ s is search("world", ignorecase=true) }}',
    '{{ s is regex("o W") }}',
    '{{ "a.b" | regex_escape }}',
  ].map(t),
  // set theory, list, unique, sort, min, max, first, last
  ...['{{ [1, 2, 2] | union([2, 3]) }}', '{{ [1, 2, 3, 3] | difference([2]) }}', '{{ [3, 1, 2, 1] | intersect([1, 3]) }}', '{{ [1, 2] | symmetric_difference([2, 3]) }}', '{{ lst | unique }}', '{{ "abc" | list }}', '{{ d | list }}', '{{ words | sort }}', '{{ words | sort(reverse=true) }}', '{{ users | sort(attribute="age") | map(attribute="name") | list }}', '{{ ["b", "A", "a"] | sort }}', '{{ ["b", "A", "a"] | sort(case_sensitive=true) }}', '{{ lst | min }}', '{{ lst | max }}', '{{ users | max(attribute="age") }}', '{{ lst | first }}', '{{ lst | last }}', '{{ s | first }}', '{{ lst | sum }}', '{{ lst | reverse | list }}', '{{ [[1, 2], [3, [4]]] | flatten }}', '{{ [[1, 2], [3, [4]]] | flatten(levels=1) }}', '{{ range(3) | list }}', '{{ range(1, 10, 3) | list }}'].map(t),
  // map / select / reject / selectattr / rejectattr
  ...['{{ users | map(attribute="name") | list }}', '{{ words | map("upper") | list }}', '{{ ["1", "2"] | map("int") | list }}', '{{ lst | map("string") | list }}', '{{ words | map("regex_replace", "^", "x") | list }}', '{{ users | map(attribute="missing", default="n/a") | list }}', '{{ lst | select("odd") | list }}', '{{ lst | reject("odd") | list }}', '{{ lst | select("gt", 1) | list }}', '{{ lst | select | list }}', '{{ users | selectattr("admin") | map(attribute="name") | list }}', '{{ users | rejectattr("admin") | map(attribute="name") | list }}', '{{ users | selectattr("age", "ge", 30) | map(attribute="name") | join(",") }}', '{{ users | selectattr("name", "equalto", "bob") | first }}', '{{ users | selectattr("name", "in", ["bob", "carol"]) | list | length }}', '{{ words | select("match", "[ab]") | list }}'].map(t),
  // dicts
  ...['{{ d | dict2items }}', '{{ d | dict2items(key_name="k", value_name="v") }}', '{{ [{"key": "a", "value": 1}] | items2dict }}', '{{ [{"n": "a", "x": 1}] | items2dict(key_name="n", value_name="x") }}', '{{ d | combine({"c": 3}) }}', '{{ {"a": {"x": 1}} | combine({"a": {"y": 2}}) }}', '{{ {"a": {"x": 1}} | combine({"a": {"y": 2}}, recursive=true) }}', '{{ {"a": [1]} | combine({"a": [2]}, list_merge="append") }}', '{{ d | dictsort }}', '{{ d.items() | list }}', '{{ d.keys() | list }}', '{{ d.values() | list }}', '{{ d.get("a") }}', '{{ d.get("z", "dflt") }}', '{{ d.get("z") }}', '{{ d["a"] }}', '{{ "a" in d }}', '{{ dict(a=1, b=2) }}', '{{ users | items2dict(key_name="name", value_name="age") }}'].map(t),
  // JSON / YAML
  ...['{{ d | to_json }}', '{{ nested | to_json }}', '{{ nested | to_json(sort_keys=true) }}', '{{ nested | to_nice_json }}', '{{ nested | to_nice_json(indent=2) }}', '{{ [] | to_nice_json }}', '{{ f | to_json }}', '{{ "é" | to_json }}', '{{ \'{"a": [1, 2.5, null, true]}\' | from_json }}', '{{ nested | to_yaml }}', '{{ nested | to_nice_yaml }}', '{{ users | to_nice_yaml }}', '{{ users | to_yaml }}', '{{ "x" | to_yaml }}', '{{ 42 | to_nice_yaml }}', '{{ {"a": "yes", "b": "1.0", "c": "null", "d": "~", "e": "-x", "f": "x: y", "g": "#c"} | to_yaml }}', '{{ {"l": [[1, 2], {"k": "v"}]} | to_nice_yaml }}', '{{ {"k": [1, 2]} | to_nice_yaml(indent=4) }}', '{{ yaml_doc | from_yaml }}', '{{ "[1, two, 0777, yes]" | from_yaml }}'].map(t),
  // base64, paths, quote
  ...['{{ s | b64encode }}', '{{ "SGVsbG8gV29ybGQ=" | b64decode }}', '{{ "été" | b64encode }}', '{{ path | basename }}', '{{ path | dirname }}', '{{ "/a/b/" | basename }}', '{{ "nodir" | dirname }}', '{{ "it\'s here" | quote }}', '{{ "plain" | quote }}', '{{ "" | quote }}', '{{ "a b" | quote }}', '{{ path | splitext }}'].map(t),
  // versions
  ...['{{ ver is version("3.9", ">=") }}', '{{ ver is version("3.10", "<") }}', '{{ "3.9.0" is version("3.9", "==") }}', '{{ "1.0.0-rc1" is version("1.0.0", "lt") }}', '{{ "2.14.1" is version("2.14.1", "eq", strict=true) }}', '{{ "1.10" is version("1.9", ">") }}', '{{ "v1.2" is version("v1.10", "<") }}', '{{ "3.9.41" is version_compare("3.9.41", "==") }}', '{{ "1.2.3" is version("1.2.3", "ne") }}'].map(t),
  // tests
  ...['{{ missing is defined }}', '{{ missing is undefined }}', '{{ n is defined }}', '{{ nothing is none }}', '{{ n is none }}', '{{ res_ok is succeeded }}', '{{ res_failed is success }}', '{{ res_failed is failed }}', '{{ res_changed is changed }}', '{{ res_ok is changed }}', '{{ res_skipped is skipped }}', '{{ res_ok is skipped }}', '{{ 2 in lst }}', '{{ 2 is in(lst) }}', '{{ "x" is in("xyz") }}', '{{ s is string }}', '{{ n is string }}', '{{ n is number }}', '{{ f is number }}', '{{ "1" is number }}', '{{ d is mapping }}', '{{ lst is mapping }}', '{{ lst is sequence }}', '{{ s is sequence }}', '{{ d is sequence }}', '{{ n is sequence }}', '{{ lst is iterable }}', '{{ n is divisibleby 7 }}', '{{ 3 is odd }}', '{{ lst is not string }}'].map(t),
  // Python methods
  ...['{{ "a,b,c".split(",") }}', '{{ " a  b ".split() }}', '{{ "a,b,c".split(",", 1) }}', '{{ "a.b.c".rsplit(".", 1) }}', '{{ s.startswith("Hell") }}', '{{ s.endswith(("x", "ld")) }}', '{{ s.index("o") }}', '{{ s.find("z") }}', '{{ lst.index(2) }}', '{{ "  pad  ".strip() }}', '{{ "xxpadxx".strip("x") }}', '{{ "  pad".lstrip() }}', '{{ s.lower() }}', '{{ s.upper() }}', '{{ s.replace("l", "L") }}', '{{ s.title() }}', '{{ "hello".capitalize() }}', '{{ s.count("o") }}', '{{ "42".isdigit() }}', '{{ "{}-{}".format(1, "a") }}', '{{ "%s=%d" % ("x", 5) }}', '{{ "%05.1f" % 3.14159 }}', '{{ "-".join(words) }}', '{{ s[0:5] }}', '{{ s[-5:] }}', '{{ lst[1:] }}', '{{ lst[::-1] }}', '{{ "a:b:c".partition(":") }}', '{{ "ab".zfill(5) }}', '{{ "x".center(5, "*") }}', '{{ lst.count(3) }}'].map(t),
  // expressions, native types, undefined and whole-template shapes
  ...['{{ n }}', '{{ f }}', '{{ lst }}', '{{ d }}', '{{ nothing }}', '{{ true }}', '{{ "7" }}', '{{ "[1, 2]" }}', '{{ n + 1 }}', ' {{ n }}', 'n={{ n }} f={{ f }}', 'x{{ nothing }}', '{{ lst }}!', '{{ d }} ', '{{ s ~ "!" }}', '{{ [1, "a", none, true, 1.0] }}', '{{ (1, 2) }}', '{{ {"k": (1, 2)} }}', '{% if n > 40 %}big{% else %}small{% endif %}', '{% for u in users %}{{ u.name }}{% if not loop.last %},{% endif %}{% endfor %}', '{% set x = 5 %}{{ x * 2 }}', '{{ users[0].name }}', '{{ users[0]["age"] }}', '{{ missing }}', '{{ d.missing }}', '{{ lst[10] }}', '{{ missing | length }}', '{{ nested.k[1].x }}', '{{ n is divisibleby(0) }}', '{{ 1 / 0 }}', '{{ "a" + 1 }}', '{{ s | nosuchfilter }}', '{{ s is nosuchtest }}', '{{ "abc" | int(base=1) }}', '{{ lookup("env", "HOME") }}', '{{ query("env", "HOME") }}'].map(t),
  ...ISSUE14_CASES,
  ...ISSUE14_DATA_CASES,
];

const R = { d: { a: 1, b: [1, 2] }, n: 5, f: 1.5, nothing: null, s: 'x', js: '{"a": 1}', lst: ['a', 'b'], unsafe_text: '[1, 2]' };
const r = (tpl: string, extra: Partial<RenderCase> = {}): RenderCase => ({ t: tpl, v: R, ...extra });

/**
 * How a rendered template becomes its value (issue 14): ansible_eval_concat (the default),
 * the native concat (ANSIBLE_JINJA2_NATIVE) and the template module's text-only do_template;
 * Jinja's dropped trailing newline and Templar's restored ones.
 */
export const RENDER_CASES: RenderCase[] = [
  // default: one expression keeps bools, lists and dicts; numbers and None become text
  ...['{{ d | to_nice_json }}\n', '{{ d | to_json }}', '{{ d | to_json }}\n', '{{ d }}\n', '{{ d }}\n\n', '{{ n }}', '{{ n + 1 }}', '{{ f }}', '{{ nothing }}', '{{ nothing }}x', '{{ [nothing] }}', '{{ true }}', '{{ "True" }}', '{{ "true" }}', '{{ (1, 2) }}', '{{ [(1, 2)] }}', '{{ d.items() }}', '{{ range(3) }}', '{{ {1: 2} }}', '{{ "x" }}\n\n', 'a\n', 'text\n\n\n', '{{ s }}\r\n', '{{ "[1," }}{{ "2]" }}', '{{ "" }}{"null": null, "true": true, "false": false}', '{{ "" }}[1, null]', '{{ js }}', '{{ js }} ', ' {{ d }}', '{{ "[1,\n 2]" }}', '{% if true %}[1]{% endif %}', '{% macro m() %}[1, 2]{% endmacro %}{{ m() }}', '{% macro m() %}[1, 2]{% endmacro %}{{ m() | length }}', '{% set x %}{"k": 1}{% endset %}{{ x.k }}', '{{ lst }}{# c #}', 'a{# c #}\nb', '{# c #}\n{{ n }}', '{{ unsafe_text }}', '{{ "{{" }}', '{{ "1.0" }}{{ "" }}', '{{ "[1.0, -2, 0x10]" }}'].map((t) => r(t)),
  // ANSIBLE_JINJA2_NATIVE: every type kept, text literal_eval'd, None stays None
  ...['{{ n }}', '{{ n + 1 }}', '{{ f }}', '{{ nothing }}', '{{ nothing }}x', '{{ "7" }}', '{{ "7" }}{{ "" }}', '{{ "\'q\'" }}', '{{ "[1, 2]" }}', '{{ d }}', '{{ d | to_json }}', '{{ (1, 2) }}', '{{ s }}', 'a {{ n }}', '{{ n }} {{ n }}', '{{ "True" }}', '{{ "true" }}', '{{ d }}\n', '{{ "x" }}\n\n', '{% macro m() %}[1, 2]{% endmacro %}{{ m() }}', '', 'plain'].map((t) => r(t, { native: true })),
  // the template module: always text, backslashes as written, trailing newlines kept
  ...['{{ d }}', '{{ n }}', '[1, 2]\n', '{{ nothing }}', '{{ "a\\nb" }}', '{{ d | to_nice_json }}\n', 'line\r\nnext\r\n', '{% if true %}\nx\n{% endif %}\n', '  {% if true %}\nx\n  {% endif %}\n', '{# c #}\nx', '{% macro m() %}[1, 2]{% endmacro %}{{ m() }}', '#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n', '#jinja2: lstrip_blocks: True\n  {% if true %}\nx\n  {% endif %}\n', "#jinja2: variable_start_string:'<<', variable_end_string:'>>'\n<< n >> {{ n }}\n", '#jinja2: newline_sequence:"\\r\\n"\na\nb\n', '#jinja2: line_statement_prefix:":"\n: if true\nfoo\n: endif\n', '#jinja2: lstrip_blocks=True\n'].map((t) => r(t, { text: true })),
];
