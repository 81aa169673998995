// fast-check generators for the parsers drover shares with Ansible: key=value argument strings,
// Python literals (INI values), INI inventory text and Jinja templates. Built from the tokens
// that matter to each grammar (quotes, escapes, brackets, Jinja delimiters) so a few hundred runs
// reach the corner cases a uniform random string would almost never hit.
import fc from 'fast-check';

const word = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/);
const tricky = fc.constantFrom('"', "'", '\\', '=', ' ', '{{', '}}', '{%', '%}', '{#', '#}', '\n', '\\n', '\\"', "\\'", 'x', '1', '\t');
const noise = fc.array(tricky, { maxLength: 8 }).map((a) => a.join(''));

const quoted = fc.oneof(
  word.map((w) => `"${w} x"`),
  word.map((w) => `'${w} y'`),
  fc.tuple(word, noise).map(([w, n]) => `"${w}${n}"`),
);
const kvToken = fc.oneof(
  word,
  fc.tuple(word, fc.oneof(word, quoted, noise)).map(([k, v]) => `${k}=${v}`),
  quoted,
  word.map((w) => `{{ ${w} }}`),
  word.map((w) => `{% if ${w} %}a b{% endif %}`),
  noise,
);
/** Argument strings as a task's free-form `module: k=v ...` line carries them. */
export const kvString = fc.array(kvToken, { maxLength: 6 }).map((t) => t.join(' '));

const pyScalar = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom('0x1F', '0o17', '0b101', '1_000', '1e3', '-2.5', '.5', '5.', 'True', 'False', 'None', '1j', "b'x'", '()', '[]', '{}'),
  word.map((w) => `'${w}'`),
  word.map((w) => `"${w}\\n"`),
  word,
);
const pyLiteral: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, pyScalar, tie('list'), tie('dict'), tie('tuple')),
  list: fc.array(tie('value'), { maxLength: 3 }).map((a) => `[${(a as string[]).join(', ')}]`),
  tuple: fc.array(tie('value'), { maxLength: 3 }).map((a) => `(${(a as string[]).join(', ')}${a.length === 1 ? ',' : ''})`),
  dict: fc.array(fc.tuple(pyScalar, tie('value')), { maxLength: 3 }).map((a) => `{${(a as [string, string][]).map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
})).value as fc.Arbitrary<string>;
const literalNoise = fc.array(fc.constantFrom('[', ']', '{', '}', '(', ')', ',', ':', "'", '"', '1', '.', 'e', '-', '+', ' ', 'True', 'None', 'x', '\\'), { maxLength: 10 }).map((a) => a.join(''));
/** INI values: well-formed Python literals, slightly broken ones, and noise. */
export const iniValueText = fc.oneof(pyLiteral, fc.tuple(pyLiteral, literalNoise).map(([a, b]) => a + b), literalNoise);

const iniLine = fc.oneof(
  word.map((w) => `[${w}]`),
  word.map((w) => `[${w}:vars]`),
  word.map((w) => `[${w}:children]`),
  fc.tuple(word, fc.array(fc.tuple(word, iniValueText), { maxLength: 3 })).map(([h, vs]) => [h, ...vs.map(([k, v]) => `${k}=${v.replace(/\s/g, '')}`)].join(' ')),
  fc.tuple(word, iniValueText).map(([k, v]) => `${k}=${v}`),
  fc.tuple(word, fc.nat(20), fc.nat(20)).map(([h, a, b]) => `${h}[${a}:${b}]`),
  fc.constantFrom('', '# comment', '; comment', '[', ']', '=', 'h ansible_port=22', 'h:22', '[g:bogus]', 'a b c', '\t'),
  literalNoise,
);
/** INI inventory files. */
export const iniText = fc.array(iniLine, { maxLength: 12 }).map((l) => l.join('\n') + '\n');

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('atom'), tie('bin'), tie('filter')),
  atom: fc.oneof(
    fc.integer({ min: -100, max: 100 }).map(String),
    fc.constantFrom('a', 'b', 'n', 'l', 'd', 'none', 'true', 'false', '"s"', "'t'", '[1, 2]', '{"k": 1}', 'l[0]', 'd.k', 'd["k"]', 'missing'),
  ),
  bin: fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '~', '==', '!=', '<', ' and ', ' or ', ' in ', '//', '%'), tie('e')).map(([x, o, y]) => `(${x} ${o} ${y})`),
  filter: fc.tuple(tie('e'), fc.constantFrom('string', 'int', 'length', 'upper', 'default(1)', 'list', 'bool', 'first', 'join(",")', 'to_json', 'float', 'abs', 'reverse', 'unique', 'sort')).map(([x, f]) => `(${x} | ${f})`),
})).e as fc.Arbitrary<string>;
/** Templates: an expression, a statement, or text around them (some unbalanced). */
export const template = fc.oneof(
  expr.map((e) => `{{ ${e} }}`),
  fc.tuple(expr, expr).map(([c, e]) => `{% if ${c} %}{{ ${e} }}{% else %}x{% endif %}`),
  fc.tuple(word, expr).map(([w, e]) => `${w} {{ ${e} }} {# c #}`),
  fc.tuple(expr, fc.constantFrom('{{', '}}', '{%', '{{ a', '{% if %}', '{{ }}', '|', '')).map(([e, junk]) => `{{ ${e} }}${junk}`),
);

/** The variables templates render with. */
export const TEMPLATE_VARS = { a: 'x', b: 2, n: null, l: [1, 2, 3], d: { k: 'v' } };
