// Python `re` patterns and replacement templates translated to JS RegExp, for regex_replace,
// regex_search, regex_findall and the match/search tests. Compiled patterns are cached.
import { tuple } from './python.js';
import { EvalError } from './undefined.js';

export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

const cache = new Map<string, RegExp>();

function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** Translate Python regex syntax to JS and return the JS flags it implies. */
export function translatePattern(pattern: string, flags: PyRegexFlags): { source: string; flags: string } {
  let p = pattern;
  let f = (flags.ignorecase ? 'i' : '') + (flags.multiline ? 'm' : '') + (flags.dotall ? 's' : '');
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const ch of inline[1]) if ('ims'.includes(ch) && !f.includes(ch)) f += ch;
    if (inline[1].includes('x')) p = stripVerbose(p);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += '\\' + p[++i];
      continue;
    }
    if (c === '(' && p.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '(' && p.startsWith('(?#', i)) {
      i = p.indexOf(')', i);
      continue;
    }
    if (c === '{' && p[i + 1] === ',') {
      out += '{0';
      continue;
    }
    if (c === '$' && !f.includes('m')) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  return { source: out, flags: f };
}

/** A JS RegExp for a Python pattern (always global, so callers can iterate matches). */
export function pyRegex(pattern: string, flags: PyRegexFlags = {}): RegExp {
  const key = `${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}${flags.dotall ? 's' : ''}/${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const t = translatePattern(pattern, flags);
    try {
      re = new RegExp(t.source, t.flags + 'g');
    } catch (e) {
      throw new EvalError(`invalid regular expression '${pattern}': ${(e as Error).message}`);
    }
    if (cache.size > 2000) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

type ReplPart = string | number | { name: string };

/** Parse a Python replacement template (`\1`, `\g<name>`, `\g<0>`, `\n`). */
function parseReplacement(repl: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    const push = (p: ReplPart): void => {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(p);
    };
    if (n === 'g') {
      const m = /^<([^>]+)>/.exec(repl.slice(i + 2));
      if (!m) throw new EvalError('missing group name in replacement');
      push(/^\d+$/.test(m[1]) ? parseInt(m[1], 10) : { name: m[1] });
      i += 1 + m[0].length;
    } else if (n !== undefined && /[0-9]/.test(n)) {
      const m = /^[0-9]{1,2}/.exec(repl.slice(i + 1))![0];
      push(parseInt(m, 10));
      i += m.length;
    } else {
      const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', f: '\f', v: '\v', b: '\b' };
      if (n !== undefined && n in esc) lit += esc[n];
      else if (n !== undefined && /[A-Za-z]/.test(n)) throw new EvalError(`bad escape \\${n} in replacement`);
      else lit += '\\' + (n ?? '');
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

export function expandReplacement(repl: string, m: RegExpExecArray | RegExpMatchArray): string {
  return parseReplacement(repl)
    .map((p) => {
      if (typeof p === 'string') return p;
      if (typeof p === 'number') {
        if (p >= m.length) throw new EvalError(`invalid group reference ${p}`);
        return m[p] ?? '';
      }
      if (!m.groups || !(p.name in m.groups)) throw new EvalError(`unknown group name '${p.name}'`);
      return m.groups[p.name] ?? '';
    })
    .join('');
}

/** Python re.sub(pattern, repl, s, count). */
export function pySub(s: string, pattern: string, repl: string, flags: PyRegexFlags, count = 0): string {
  const re = pyRegex(pattern, flags);
  let n = 0;
  return s.replace(re, (...args: unknown[]) => {
    const groups = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as Record<string, string>) : undefined;
    const offsetIdx = groups ? args.length - 3 : args.length - 2;
    const match = args.slice(0, offsetIdx) as string[];
    if (count > 0 && n >= count) return match[0];
    n++;
    const m = Object.assign([...match], { groups }) as unknown as RegExpMatchArray;
    return expandReplacement(repl, m);
  });
}

/** Python re.search / re.match (anchored at the start). */
export function pySearch(s: string, pattern: string, flags: PyRegexFlags, anchored = false): RegExpExecArray | null {
  if (!anchored) return pyRegex(pattern, flags).exec(s);
  const t = translatePattern(pattern, flags);
  const re = new RegExp(t.source, t.flags + 'y');
  return re.exec(s);
}

/** Python re.findall: whole matches, the single group, or tuples of groups. */
export function pyFindall(s: string, pattern: string, flags: PyRegexFlags): unknown[] {
  const re = pyRegex(pattern, flags);
  const out: unknown[] = [];
  for (const m of s.matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(m.slice(1).map((g) => g ?? '')));
  }
  return out;
}

/** Python re.escape (3.7+: only regex-special characters are escaped). */
export function pyRegexEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}
