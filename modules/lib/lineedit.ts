// lineinfile's editing rules as pure functions over the file's text (same decisions as
// ansible's lineinfile present()/absent(), written for JS regexes): which line matches, where a
// new line goes (insertafter/insertbefore, BOF/EOF, firstmatch), backrefs expansion.

export interface PresentParams {
  line: string;
  regexp?: string;
  search_string?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export interface EditResult {
  lines: string[];
  changed: boolean;
  msg: string;
  found?: number;
}

/** Python's readlines(): each line keeps its "\n". */
export function readLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Translate a Python regex to a JS RegExp (named groups, \A, \Z, inline flags at the start). */
export function pyRegex(src: string): RegExp {
  let flags = '';
  let s = src;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(s);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('m')) flags += 'm';
    if (inline[1].includes('s')) flags += 's';
    s = s.slice(inline[0].length);
  }
  s = s
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  return new RegExp(s, flags);
}

function stripEol(l: string): string {
  return l.replace(/[\r\n]+$/, '');
}

/** Python's match.expand(template): \1, \g<1>, \g<name>, and \n \t \\ escapes. */
export function expandBackrefs(template: string, m: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/g, (_all, g: string | undefined, d: string | undefined, c: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? '';
    if (d !== undefined) return m[Number(d)] ?? '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return esc[c!] ?? '\\' + c;
  });
}

function matches(l: string, re?: RegExp, search?: string): RegExpExecArray | boolean | null {
  if (re) return re.exec(stripEol(l));
  if (search !== undefined) return l.includes(search);
  return null;
}

/** state=present. */
export function ensurePresent(input: string[], p: PresentParams): EditResult {
  const lines = [...input];
  const re = p.regexp !== undefined ? pyRegex(p.regexp) : undefined;
  const after = p.insertafter;
  const before = p.insertbefore;
  const insRe =
    after !== undefined && after !== 'BOF' && after !== 'EOF'
      ? pyRegex(after)
      : before !== undefined && before !== 'BOF'
        ? pyRegex(before)
        : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  if (re || p.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      const m = matches(lines[i], re, p.search_string);
      if (m) {
        index[0] = i;
        match = m;
        if (p.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (stripEol(lines[i]) === p.line) {
        index[0] = i;
      } else if (insRe && insRe.test(stripEol(lines[i]))) {
        if (after) {
          index[1] = i + 1;
          if (p.firstmatch) break;
        }
        if (before) {
          index[1] = i;
          if (p.firstmatch) break;
        }
      }
    }
  }
  const nl = '\n';
  const add = (at: number) => lines.splice(at, 0, p.line + nl);
  const res = (changed: boolean, msg: string): EditResult => ({ lines, changed, msg });
  if (index[0] !== -1) {
    // regexp/search_string matched, or the exact line exists: replace it in place if different
    let newLine = p.backrefs && match && typeof match !== 'boolean' ? expandBackrefs(p.line, match) : p.line;
    if (!newLine.endsWith(nl)) newLine += nl;
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      return res(true, 'line replaced');
    }
    return res(false, '');
  }
  if (p.backrefs) return res(false, ''); // no match: nothing safe to generate
  if (before === 'BOF' || after === 'BOF') {
    add(0);
    return res(true, 'line added');
  }
  if (after === 'EOF' || index[1] === -1) {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines.push(nl);
    lines.push(p.line + nl);
    return res(true, 'line added');
  }
  if (after && index[1] !== -1) {
    // don't insert the line if it already sits right after the insertafter match
    if (lines.length === index[1]) {
      if (stripEol(lines[index[1] - 1]) !== p.line) {
        lines.push(p.line + nl);
        return res(true, 'line added');
      }
      return res(false, '');
    }
    if (stripEol(lines[index[1]]) !== p.line) {
      add(index[1]);
      return res(true, 'line added');
    }
    return res(false, '');
  }
  add(index[1]);
  return res(true, 'line added');
}

/** state=absent: drop every line matching regexp / search_string / exactly `line`. */
export function ensureAbsent(input: string[], p: { line?: string; regexp?: string; search_string?: string }): EditResult {
  const re = p.regexp !== undefined ? pyRegex(p.regexp) : undefined;
  const found: string[] = [];
  const lines = input.filter((l) => {
    const hit = re ? re.test(stripEol(l)) : p.search_string !== undefined ? l.includes(p.search_string) : stripEol(l) === p.line;
    if (hit) found.push(l);
    return !hit;
  });
  const changed = found.length > 0;
  return { lines, changed, found: found.length, msg: changed ? `${found.length} line(s) removed` : '' };
}
