// Python's shlex.split(line, comments=True) in POSIX mode: how the INI plugin cuts a host line
// into the host pattern and key=value tokens ('#' starts a comment even in the middle of a word).

export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

/** Split like shlex.split(s, comments=True); throws ShlexError on an unclosed quote or trailing backslash. */
export function shlexSplit(s: string): string[] {
  // fast path: nothing that quotes, escapes or comments
  if (!/['"\\#]/.test(s)) return s.split(/[ \t\r\n]+/).filter((t) => t !== '');

  const out: string[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    let state: string | null = ' ';
    let token = '';
    let quoted = false;
    let escapedState = ' ';
    let done = false; // end of input reached
    for (;;) {
      const c = i < n ? s[i++] : '';
      if (state === ' ') {
        if (c === '') {
          state = null;
          done = true;
          break;
        } else if (WHITESPACE.includes(c)) {
          if (token || quoted) break;
        } else if (c === '#') {
          i = n; // rest of the line is a comment
        } else if (c === '\\') {
          escapedState = 'a';
          state = c;
        } else if (c === "'" || c === '"') {
          state = c;
        } else {
          token = c;
          state = 'a';
        }
      } else if (state === "'" || state === '"') {
        quoted = true;
        if (c === '') throw new ShlexError('No closing quotation');
        if (c === state) {
          state = 'a';
        } else if (c === '\\' && state === '"') {
          escapedState = state;
          state = c;
        } else {
          token += c;
        }
      } else if (state === '\\') {
        if (c === '') throw new ShlexError('No escaped character');
        if ((escapedState === "'" || escapedState === '"') && c !== state && c !== escapedState) token += state;
        token += c;
        state = escapedState;
      } else {
        // state 'a': inside a word
        if (c === '') {
          state = null;
          done = true;
          break;
        } else if (WHITESPACE.includes(c)) {
          state = ' ';
          if (token || quoted) break;
        } else if (c === '#') {
          i = n;
          state = ' ';
          if (token || quoted) break;
        } else if (c === "'" || c === '"') {
          state = c;
        } else if (c === '\\') {
          escapedState = 'a';
          state = c;
        } else {
          token += c;
        }
      }
    }
    if (token !== '' || quoted) out.push(token);
    if (done) return out;
  }
}
