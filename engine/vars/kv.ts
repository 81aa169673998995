// Ansible's key=value splitting (parse_kv): used by -e, by `k=v` module arguments and free-form
// command lines. Quotes group words, Jinja2 blocks are never split, values are always strings.

/** Split a string on whitespace, keeping quoted runs and {{ }}/{% %}/{# #} blocks together. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let depth = 0; // nesting of {{ {% {#
  let hasToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const two = text.slice(i, i + 2);
    if (depth === 0 && quote === null && (two === '{{' || two === '{%' || two === '{#')) {
      depth++;
      cur += two;
      i++;
      hasToken = true;
      continue;
    }
    if (depth > 0) {
      if (two === '}}' || two === '%}' || two === '#}') {
        depth--;
        cur += two;
        i++;
      } else if (two === '{{' || two === '{%' || two === '{#') {
        depth++;
        cur += two;
        i++;
      } else cur += c;
      continue;
    }
    if (quote) {
      if (c === '\\' && i + 1 < text.length && text[i + 1] === quote) {
        cur += c + text[i + 1];
        i++;
        continue;
      }
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      cur += c;
      hasToken = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (hasToken) out.push(cur);
      cur = '';
      hasToken = false;
      continue;
    }
    cur += c;
    hasToken = true;
  }
  if (quote) throw new Error(`unbalanced quotes in: ${text}`);
  if (depth > 0) throw new Error(`unbalanced jinja2 block in: ${text}`);
  if (hasToken) out.push(cur);
  return out;
}

/** Remove one level of matching surrounding quotes, as Ansible's unquote does. */
export function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  return s;
}

/** Keys a free-form module (command, shell) still takes out of its command line. */
const FREE_FORM_KEYS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

/** Index of the first `=` after position 0 that is not backslash-escaped, or -1. */
function findEquals(token: string): number {
  for (let i = 1; i < token.length; i++) {
    if (token[i] === '=' && token[i - 1] !== '\\') return i;
  }
  return -1;
}

/**
 * Parse `a=1 b='x y' junk` into {a: '1', b: 'x y', _raw_params: 'junk'}: words without `=` are
 * collected into _raw_params. With freeForm (command, shell), only Ansible's few option keys
 * (chdir, creates, ...) are taken out and every other word stays part of the command line.
 */
export function parseKv(text: string, freeForm = false): Record<string, string> {
  const result: Record<string, string> = {};
  const raw: string[] = [];
  for (const token of splitArgs(text)) {
    const eq = findEquals(token);
    if (eq < 0) {
      raw.push(token.includes('=') ? token.replace(/\\=/g, '=') : token);
      continue;
    }
    const key = token.slice(0, eq).trim();
    if (freeForm && !FREE_FORM_KEYS.has(key)) {
      raw.push(token);
      continue;
    }
    result[key] = unquote(token.slice(eq + 1).trim());
  }
  if (raw.length) result._raw_params = raw.join(' ');
  return result;
}
