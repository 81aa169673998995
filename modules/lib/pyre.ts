// Python regexes for modules, on top of the template layer's translator (engine/template/regex.ts):
// a non-global RegExp (safe for repeated .test/.exec), and re.subn with a count of replacements.
import { expandReplacement, translatePattern, type PyRegexFlags } from '../../engine/template/regex.js';

/** Compile a Python pattern; throws Error with Python-like wording when it is invalid. */
export function compilePy(pattern: string, flags: PyRegexFlags = {}, global = false): RegExp {
  const t = translatePattern(pattern, flags);
  try {
    return new RegExp(t.source, t.flags + (global ? 'g' : ''));
  } catch (e) {
    throw new Error(`invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

/** Python re.subn(pattern, repl, s): the new string and how many matches were replaced. */
export function pySubn(s: string, re: RegExp, repl: string): [string, number] {
  const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
  g.lastIndex = 0;
  let n = 0;
  let out = '';
  let last = 0;
  for (let m = g.exec(s); m; m = g.exec(s)) {
    out += s.slice(last, m.index) + expandReplacement(repl, m);
    last = m.index + m[0].length;
    n++;
    // Python advances past an empty match (and, since 3.7, allows a match right after it)
    if (m[0].length === 0) g.lastIndex++;
  }
  return [out + s.slice(last), n];
}
