// Python's textwrap.wrap with its defaults, which Ansible's Display.warning applies to every
// [WARNING] line (at 79 columns when stdout is no terminal): whitespace chunks, words split
// after hyphens between letters, long words broken, whitespace dropped at line ends.

const WS = '\\t\\n\\x0b\\x0c\\r ';
const WORD_PUNCT = `[\\w!"'&.,?]`;
const LETTER = '[^\\d\\W]';
/** TextWrapper.wordsep_re. */
const WORDSEP = new RegExp(
  `([${WS}]+` +
    `|(?<=${WORD_PUNCT})-{2,}(?=\\w)` +
    `|[^${WS}]+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=[${WS}]|$)|(?<=${WORD_PUNCT})(?=-{2,}\\w)))`,
  'g',
);

function expandTabs(s: string, size = 8): string {
  let out = '';
  let col = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = size - (col % size);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

function chunks(text: string): string[] {
  const munged = expandTabs(text).replace(/[\t\n\x0b\x0c\r]/g, ' ');
  return munged.split(WORDSEP).filter((c) => c !== '' && c !== undefined);
}

/** textwrap.wrap(text, width); `keepWhitespace`: drop_whitespace=False (Display.deprecated). */
export function textwrap(text: string, width = 79, keepWhitespace = false): string[] {
  const rev = chunks(text).reverse();
  const lines: string[] = [];
  while (rev.length) {
    const line: string[] = [];
    let len = 0;
    if (!keepWhitespace && rev[rev.length - 1].trim() === '' && lines.length) rev.pop();
    while (rev.length && len + rev[rev.length - 1].length <= width) {
      const c = rev.pop()!;
      line.push(c);
      len += c.length;
    }
    if (rev.length && rev[rev.length - 1].length > width) {
      // _handle_long_word: break it, after a hyphen when one fits
      const chunk = rev[rev.length - 1];
      const space = width < 1 ? 1 : width - len;
      let end = space;
      const hyphen = chunk.lastIndexOf('-', space - 1);
      if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
      line.push(chunk.slice(0, end));
      rev[rev.length - 1] = chunk.slice(end);
    }
    if (!keepWhitespace && line.length && line[line.length - 1].trim() === '') line.pop();
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}
