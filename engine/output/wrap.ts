// Python's textwrap.wrap() with its defaults, because ansible-core's Display wraps every
// [WARNING] (and deprecation) at the terminal width with it: targets and users grep the wrapped
// lines, so the break points must be the same (words, hyphenated words, long words cut).

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const LT = "[\\p{L}\\p{M}_]"; // Python's [^\d\W]
const WP = "[\\p{L}\\p{N}\\p{M}_!\"'&.,?]"; // Python's word_punct [\w!"'&.,?]

/** textwrap.TextWrapper.wordsep_re (Python 3.11): whitespace runs, em-dashes, (hyphenated) words. */
const WORDSEP = new RegExp(
  `(${WS}+` +
    `|(?<=${WP})-{2,}(?=[\\p{L}\\p{N}_])` +
    `|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}[\\p{L}\\p{N}_])))`,
  'gu',
);

function chunksOf(text: string): string[] {
  // re.split with a capturing group: the matches and the text between them, empty pieces dropped
  const out: string[] = [];
  let at = 0;
  WORDSEP.lastIndex = 0;
  for (let m = WORDSEP.exec(text); m; m = WORDSEP.exec(text)) {
    if (m[0] === '') {
      WORDSEP.lastIndex++;
      continue;
    }
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(m[0]);
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** textwrap.wrap(text, width): expand tabs, whitespace to spaces, break on words and hyphens. */
export function pyWrap(text: string, width = 79): string[] {
  const chunks = chunksOf(text.replace(/\t/g, '        ').replace(/[\n\x0b\x0c\r]/g, ' ')).reverse();
  const lines: string[] = [];
  while (chunks.length) {
    const line: string[] = [];
    let len = 0;
    if (chunks[chunks.length - 1].trim() === '' && lines.length) chunks.pop();
    while (chunks.length && len + chunks[chunks.length - 1].length <= width) {
      const c = chunks.pop() as string;
      line.push(c);
      len += c.length;
    }
    if (chunks.length && chunks[chunks.length - 1].length > width) {
      // _handle_long_word: cut the word, at its last hyphen that fits when there is one
      const spaceLeft = width < 1 ? 1 : width - len;
      const chunk = chunks[chunks.length - 1];
      let end = spaceLeft;
      const hyphen = chunk.lastIndexOf('-', spaceLeft - 1);
      if (chunk.length > spaceLeft && hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
      line.push(chunk.slice(0, end));
      chunks[chunks.length - 1] = chunk.slice(end);
    }
    if (line.length && line[line.length - 1].trim() === '') line.pop();
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}
