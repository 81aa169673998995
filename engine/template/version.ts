// Version comparison behind the `version` / `version_compare` test: Python's LooseVersion by
// default (numbers and words compared piecewise), StrictVersion and semantic versions on request.
import { pyStr, pythonTruthy } from './python.js';
import { arg, type Kwargs } from './registry.js';
import { EvalError } from './undefined.js';

const OPS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

type Part = number | string;

/** distutils LooseVersion components. */
export function looseParts(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? parseInt(x, 10) : x));
}

function cmpParts(a: Part[], b: Part[], op: string): number {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x !== typeof y) {
      throw new EvalError(`Version comparison failed: '${op}' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function strictParse(v: string): { nums: number[]; pre: [string, number] | null } {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new EvalError(`Version comparison failed: invalid version number '${v}'`);
  return { nums: [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre: m[5] ? [m[5][0], Number(m[6])] : null };
}

function strictCmp(a: string, b: string): number {
  const x = strictParse(a);
  const y = strictParse(b);
  const c = cmpParts(x.nums, y.nums, '<');
  if (c) return c;
  if (!x.pre && !y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return cmpParts(x.pre, y.pre, '<');
}

function semverParse(v: string): { nums: number[]; pre: Part[] } {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new EvalError(`Version comparison failed: invalid semantic version '${v}'`);
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [] };
}

function semverCmp(a: string, b: string): number {
  const x = semverParse(a);
  const y = semverParse(b);
  const c = cmpParts(x.nums, y.nums, '<');
  if (c) return c;
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === q) continue;
    if (typeof p !== typeof q) return typeof p === 'number' ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return Math.sign(x.pre.length - y.pre.length);
}

const PEP440 =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** packaging.version.Version's sort key; ±Infinity stand for its Infinity/NegativeInfinity. */
function pep440Key(v: string): Part[][] {
  const m = PEP440.exec(v);
  if (!m) throw new EvalError(`Version comparison failed: Invalid version: '${v}'`);
  const release = m[2].split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const preLetter = m[3]?.toLowerCase();
  const pre: Part[] = preLetter
    ? [({ alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' } as Record<string, string>)[preLetter] ?? preLetter, Number(m[4] ?? 0)]
    : m[5] === undefined && !m[6] && m[8] ? [-Infinity] : [Infinity];
  const post: Part[] = m[5] !== undefined ? [Number(m[5])] : m[6] ? [Number(m[7] ?? 0)] : [-Infinity];
  const dev: Part[] = m[8] ? [Number(m[9] ?? 0)] : [Infinity];
  // local segments: numbers sort after words
  const local: Part[] = m[10] ? m[10].toLowerCase().split(/[-_.]/).flatMap((x) => (/^\d+$/.test(x) ? [1, Number(x)] : [0, x])) : [-Infinity];
  return [[Number(m[1] ?? 0)], release, pre, post, dev, local];
}

function pep440Cmp(a: string, b: string): number {
  const [x, y] = [pep440Key(a), pep440Key(b)];
  for (let i = 0; i < x.length; i++) {
    const [p, q] = [x[i], y[i]];
    for (let j = 0; j < Math.max(p.length, q.length); j++) {
      if (j >= p.length) return -1;
      if (j >= q.length) return 1;
      if (p[j] === q[j]) continue;
      if (p[j] === Infinity || q[j] === -Infinity) return 1;
      if (p[j] === -Infinity || q[j] === Infinity) return -1;
      return p[j] < q[j] ? -1 : 1;
    }
  }
  return 0;
}

const OP_NAMES = "'==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'";

/** Ansible's version test: `value is version(other, operator, strict=, version_type=)`. */
export function versionCompare(value: string, other: string, operator = 'eq', strict: boolean | null = null, versionType?: string | null): boolean {
  if (strict !== null && versionType !== null && versionType !== undefined) throw new EvalError("Cannot specify both 'strict' and 'version_type'");
  if (!value) throw new EvalError('Input version value cannot be empty');
  if (!other) throw new EvalError('Version parameter to compare against cannot be empty');
  const type = strict ? 'strict' : versionType || 'loose';
  const test = OPS[operator];
  if (!['loose', 'strict', 'semver', 'semantic', 'pep440'].includes(type)) {
    throw new EvalError(`Invalid version type (${type}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
  }
  if (!test) throw new EvalError(`Invalid operator type (${operator}). Must be one of ${OP_NAMES}`);
  let c: number;
  switch (type) {
    case 'loose':
      c = cmpParts(looseParts(value), looseParts(other), operator);
      break;
    case 'pep440':
      c = pep440Cmp(value, other);
      break;
    case 'strict':
      c = strictCmp(value, other);
      break;
    case 'semver':
    case 'semantic':
      c = semverCmp(value, other);
      break;
    default:
      throw new EvalError(`Invalid version type (${type})`);
  }
  return test(c);
}

/** The `version` test (and its filter form) with Python's argument handling. */
export function versionTest(v: unknown, a: unknown[], kw: Kwargs): boolean {
  const other = arg<unknown>(a, kw, 0, 'version', '');
  const strict = arg<unknown>(a, kw, 2, 'strict', null);
  const versionType = arg<unknown>(a, kw, 3, 'version_type', null);
  if (strict !== null && versionType !== null) throw new EvalError("Cannot specify both 'strict' and 'version_type'");
  if (!pythonTruthy(v)) throw new EvalError('Input version value cannot be empty');
  if (!pythonTruthy(other)) throw new EvalError('Version parameter to compare against cannot be empty');
  return versionCompare(pyStr(v), pyStr(other), pyStr(arg(a, kw, 1, 'operator', 'eq')), strict === null ? null : pythonTruthy(strict), versionType === null ? null : pyStr(versionType));
}
