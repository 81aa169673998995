// Jinja2's and Ansible's tests (`x is defined`, `result is failed`, `v is version('3.9', '>=')`,
// `s is match(...)`...), with Python semantics for types and comparisons. Ansible's file,
// math and URI tests live in tests-files.ts, tests-math.ts and tests-uri.ts.
import { iterate } from './methods.js';
import { compareOp, pyEq, pyIn } from './ops.js';
import { VaultText, isMapping, isString, mappingGet, mappingHas, pyStr, pythonTruthy } from './python.js';
import { pySearch } from './regex.js';
import { addTests, arg, tests, type Kwargs } from './registry.js';
import { PyCallable } from './runtime.js';
import { EvalError, Undefined } from './undefined.js';
import { versionTest } from './version.js';

type Dict = Record<string, unknown>;

function resultDict(name: string, v: unknown): Dict {
  if (!isMapping(v)) throw new EvalError(`The '${name}' test expects a dictionary`);
  return v as Dict;
}

function flag(r: Dict, key: string): boolean {
  return mappingHas(r, key) ? pythonTruthy(mappingGet(r, key)) : false;
}

function changed(v: unknown): boolean {
  const r = resultDict('changed', v);
  if (!mappingHas(r, 'changed')) {
    const results = mappingGet(r, 'results');
    if (Array.isArray(results) && results.length && isMapping(results[0])) return results.some((x) => flag(x as Dict, 'changed'));
    return false;
  }
  return flag(r, 'changed');
}

function regexTest(v: unknown, a: unknown[], kw: Kwargs, mode: 'match' | 'search'): boolean {
  const pattern = pyStr(arg(a, kw, 0, 'pattern', ''));
  const flags = { ignorecase: pythonTruthy(arg(a, kw, 1, 'ignorecase', false)), multiline: pythonTruthy(arg(a, kw, 2, 'multiline', false)) };
  const m = pySearch(pyStr(v), pattern, flags, mode === 'match');
  return m !== null;
}

function isNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** The truthy test: bool(value), after convert_bool's strict boolean() when it recognises the value. */
function truthy(v: unknown, convertBool: unknown): boolean {
  if (pythonTruthy(convertBool) && typeof v !== 'boolean') {
    const norm = typeof v === 'string' ? v.toLowerCase().trim() : v;
    if (norm === 1 || (typeof norm === 'string' && BOOLEANS_TRUE.has(norm))) return true;
    if (norm === 0 || (typeof norm === 'string' && BOOLEANS_FALSE.has(norm))) return false;
  }
  return pythonTruthy(v);
}

const cmp = (op: string) => (v: unknown, a: unknown[]) => compareOp(op, v, a[0]);

addTests({
  defined: { undefinedOk: true, fn: (v) => !(v instanceof Undefined) },
  undefined: { undefinedOk: true, fn: (v) => v instanceof Undefined },
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  number: (v) => isNumber(v),
  integer: (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean',
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  string: (v) => isString(v),
  mapping: (v) => isMapping(v),
  sequence: (v) => isString(v) || Array.isArray(v) || isMapping(v) || v instanceof Set,
  iterable: (v) => isString(v) || Array.isArray(v) || isMapping(v) || v instanceof Set,
  callable: (v) => typeof v === 'function' || v instanceof PyCallable,
  sameas: (v, a) => v === a[0],
  escaped: () => false,
  lower: (v) => pyStr(v) === pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v) === pyStr(v).toUpperCase(),
  odd: (v) => Math.abs(Number(v)) % 2 === 1,
  even: (v) => Number(v) % 2 === 0,
  divisibleby: (v, a) => {
    if (Number(a[0]) === 0) throw new EvalError('integer modulo by zero');
    return Number(v) % Number(a[0]) === 0;
  },
  eq: (v, a) => pyEq(v, a[0]),
  ne: (v, a) => !pyEq(v, a[0]),
  lt: cmp('<'),
  le: cmp('<='),
  gt: cmp('>'),
  ge: cmp('>='),
  in: (v, a) => pyIn(v, a[0]),
  any: (v) => iterate(v).some(pythonTruthy),
  all: (v) => iterate(v).every(pythonTruthy),
  truthy: (v, a, kw) => truthy(v, arg(a, kw, 0, 'convert_bool', false)),
  falsy: (v, a, kw) => !truthy(v, arg(a, kw, 0, 'convert_bool', false)),
  match: (v, a, kw) => regexTest(v, a, kw, 'match'),
  search: (v, a, kw) => regexTest(v, a, kw, 'search'),
  regex: (v, a, kw) => regexTest(v, a, kw, pyStr(arg(a, kw, 3, 'match_type', 'search')) === 'match' ? 'match' : 'search'),
  version: versionTest,
  // Ansible's task result tests.
  failed: (v) => flag(resultDict('failed', v), 'failed'),
  succeeded: (v) => !flag(resultDict('succeeded', v), 'failed'),
  changed: (v) => changed(v),
  skipped: (v) => flag(resultDict('skipped', v), 'skipped'),
  unreachable: (v) => flag(resultDict('unreachable', v), 'unreachable'),
  reachable: (v) => !flag(resultDict('reachable', v), 'unreachable'),
  finished: (v) => {
    const r = resultDict('finished', v);
    return !mappingHas(r, 'finished') || pythonTruthy(mappingGet(r, 'finished'));
  },
  started: (v) => {
    const r = resultDict('started', v);
    return mappingHas(r, 'started') ? pythonTruthy(mappingGet(r, 'started')) : true;
  },
  // 2.14: only an AnsibleVaultEncryptedUnicode (a !vault value) is, not text that looks like one;
  // compileTest answers from the value's type, as a variable's text reaches tests as plain text
  vault_encrypted: (v) => v instanceof VaultText,
});

const aliases: [string, string][] = [
  ['equalto', 'eq'],
  ['==', 'eq'],
  ['!=', 'ne'],
  ['<', 'lt'],
  ['<=', 'le'],
  ['>', 'gt'],
  ['>=', 'ge'],
  ['lessthan', 'lt'],
  ['greaterthan', 'gt'],
  ['success', 'succeeded'],
  ['successful', 'succeeded'],
  ['failure', 'failed'],
  ['change', 'changed'],
  ['skip', 'skipped'],
  ['version_compare', 'version'],
];
for (const [alias, name] of aliases) tests.set(alias, tests.get(name)!);
