// Version comparison behind the `version` / `version_compare` test: Python's LooseVersion by
// default (numbers and words compared piecewise), StrictVersion and semantic versions on request.
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

/** Ansible's version test: `value is version(other, operator, strict=, version_type=)`. */
export function versionCompare(value: string, other: string, operator = 'eq', strict = false, versionType?: string | null): boolean {
  const test = OPS[operator];
  if (!test) throw new EvalError(`Invalid operator type (${operator})`);
  const type = versionType ?? (strict ? 'strict' : 'loose');
  if (!value && value !== '0') throw new EvalError('Input version value cannot be empty');
  if (!other && other !== '0') throw new EvalError('Version parameter to compare against cannot be empty');
  let c: number;
  switch (type) {
    case 'loose':
    case 'pep440':
      c = cmpParts(looseParts(value), looseParts(other), operator);
      break;
    case 'strict':
      c = strictCmp(value, other);
      break;
    case 'semver':
    case 'semantic':
      c = semverCmp(value, other);
      break;
    default:
      throw new EvalError(`Invalid version type (${type}). Must be one of loose, strict, semver, semantic, pep440`);
  }
  return test(c);
}
