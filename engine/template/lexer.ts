// Jinja's lexer on top of nunjucks' tokenizer: Python string escapes, template text read as
// Jinja reads it (comments, trim_blocks/lstrip_blocks, custom delimiters), bracket balancing
// inside `{{ }}`, line statements, and Ansible's backslash escaping of `{{ }}` string literals.
import { createRequire } from 'node:module';
import type { JinjaEnv } from './environment.js';

const require = createRequire(import.meta.url);
const lexer: any = require('nunjucks/src/lexer.js');

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '',
};

/** Python string-literal rules: unknown escapes such as `\d` keep their backslash. */
function parsePythonString(this: any, delimiter: string): string {
  this.forward();
  let str = '';
  while (!this.isFinished() && this.current() !== delimiter) {
    const cur: string = this.current();
    if (cur !== '\\') {
      str += cur;
      this.forward();
      continue;
    }
    this.forward();
    const c: string = this.current();
    const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (c in SIMPLE_ESCAPES) {
      str += SIMPLE_ESCAPES[c];
      this.forward();
    } else if (hexLen) {
      const hex = this.str.slice(this.index + 1, this.index + 1 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new Error(`truncated \\${c} escape in string literal`);
      str += String.fromCodePoint(parseInt(hex, 16));
      this.forwardN(hexLen + 1);
    } else if (/[0-7]/.test(c)) {
      const oct = /^[0-7]{1,3}/.exec(this.str.slice(this.index))![0];
      str += String.fromCharCode(parseInt(oct, 8));
      this.forwardN(oct.length);
    } else {
      str += '\\' + c;
      this.forward();
    }
  }
  this.forward();
  return str;
}

const OPENERS = new Set([lexer.TOKEN_LEFT_PAREN, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY]);
const CLOSERS = new Set([lexer.TOKEN_RIGHT_PAREN, lexer.TOKEN_RIGHT_BRACKET, lexer.TOKEN_RIGHT_CURLY]);

/**
 * Template text (outside tags) as Jinja's lexer reads it: a comment ends at the first comment
 * end (text after it is data, `#}` in plain text is just text), trim_blocks also removes the
 * newline after a comment, lstrip_blocks strips blanks before block and comment tags at the
 * start of a line (not before `{%+`).
 */
function dataToken(t: any, env: Readonly<JinjaEnv>, lineStart: boolean): any {
  const lineno = t.lineno;
  const colno = t.colno;
  const tags = t.tags;
  for (const [start, type] of [
    [tags.BLOCK_START, lexer.TOKEN_BLOCK_START],
    [tags.VARIABLE_START, lexer.TOKEN_VARIABLE_START],
  ] as const) {
    if (!t._matches(start)) continue;
    t.forwardN(start.length);
    t.in_code = true;
    if (t.current() === '-') {
      t.forward();
      return { type, value: start + '-', lineno, colno };
    }
    if (t.current() === '+' && type === lexer.TOKEN_BLOCK_START) t.forward();
    return { type, value: start, lineno, colno };
  }
  const rest: string = t.str.slice(t.index);
  if (t._matches(tags.COMMENT_START)) {
    const end = rest.indexOf(tags.COMMENT_END, tags.COMMENT_START.length);
    if (end < 0) throw new Error('Missing end of comment tag');
    let len = end + tags.COMMENT_END.length;
    const value = rest.slice(0, len);
    if (env.trim_blocks && rest[end - 1] !== '-') {
      if (rest.startsWith('\r\n', len)) len += 2;
      else if (rest[len] === '\n' || rest[len] === '\r') len += 1;
    }
    t.forwardN(len);
    return { type: lexer.TOKEN_COMMENT, value, lineno, colno };
  }
  let next = rest.length;
  for (const tag of [tags.BLOCK_START, tags.VARIABLE_START, tags.COMMENT_START]) {
    const at = rest.indexOf(tag);
    if (at >= 0 && at < next) next = at;
  }
  let text = rest.slice(0, next);
  t.forwardN(next);
  if (env.lstrip_blocks && next < rest.length && !rest.startsWith(tags.VARIABLE_START, next)) {
    const tagLen = rest.startsWith(tags.BLOCK_START, next) ? tags.BLOCK_START.length : tags.COMMENT_START.length;
    const sign = rest[next + tagLen];
    const lineAt = text.lastIndexOf('\n') + 1;
    if (sign !== '+' && sign !== '-' && (lineAt > 0 || lineStart) && /^\s+$/.test(text.slice(lineAt))) text = text.slice(0, lineAt);
  }
  if (!text) return t.nextToken();
  return { type: lexer.TOKEN_DATA, value: text, lineno, colno };
}

/**
 * nunjucks' tokenizer with Python string escapes, Jinja's handling of template text
 * (dataToken), and Jinja's bracket balancing: inside an open bracket, `}}` closes dicts
 * (`{{ {'a': {'b': 1}} }}`) instead of ending the expression.
 */
export function tokenize(src: string, env: Readonly<JinjaEnv>): any {
  const tokens = lexer.lex(src, {
    trimBlocks: env.trim_blocks,
    lstripBlocks: false,
    tags: {
      blockStart: env.block_start_string,
      blockEnd: env.block_end_string,
      variableStart: env.variable_start_string,
      variableEnd: env.variable_end_string,
      commentStart: env.comment_start_string,
      commentEnd: env.comment_end_string,
    },
  });
  tokens._parseString = parsePythonString;
  const next = tokens.nextToken;
  let depth = 0;
  let lineStart = true;
  tokens.nextToken = function nextToken(this: any): any {
    if (!this.in_code) {
      if (this.isFinished()) return null;
      const tok = dataToken(this, env, lineStart);
      lineStart = false;
      if (tok && tok.type === lexer.TOKEN_DATA) lineStart = tok.value.endsWith('\n');
      else if (tok && tok.type === lexer.TOKEN_COMMENT) lineStart = this.index > 0 && this.str[this.index - 1] === '\n';
      return tok;
    }
    if (depth > 0 && this.current() === '}') {
      const tok = { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      depth--;
      return tok;
    }
    const tok = next.call(this);
    if (tok && OPENERS.has(tok.type)) depth++;
    else if (tok && CLOSERS.has(tok.type)) depth = Math.max(0, depth - 1);
    else if (tok && (tok.type === lexer.TOKEN_VARIABLE_END || tok.type === lexer.TOKEN_BLOCK_END)) {
      depth = 0;
      lineStart = this.index > 0 && this.str[this.index - 1] === '\n';
    }
    return tok;
  };
  return tokens;
}

/**
 * Ansible's _escape_backslashes: inside `{{ }}`, backslashes in string literals are doubled before
 * Jinja lexes them, so `'\d+'` reaches a filter as backslash-d (not "d") and `'\n'` stays two
 * characters. Only whole templates get this; bare expressions (`when:`) do not, as in Ansible.
 */
export function escapeBackslashes(src: string): string {
  if (!src.includes('\\') || !src.includes('{{')) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const start = src.indexOf('{{', i);
    if (start < 0) return out + src.slice(i);
    out += src.slice(i, start + 2);
    i = start + 2;
    let quote = '';
    while (i < src.length) {
      const c = src[i];
      if (quote) {
        if (c === '\\') {
          // the lexer reads a backslash pair as one unit; Ansible then doubles every backslash in it
          const next = src[i + 1] ?? '';
          out += '\\\\' + (next === '\\' ? '\\\\' : next);
          i += 2;
          continue;
        }
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '}' && src[i + 1] === '}') break;
      out += c;
      i++;
    }
  }
  return out;
}

/** Jinja's line statements (`# for x in y` with line_statement_prefix '#') as block tags. */
export function lineStatements(src: string, env: Readonly<JinjaEnv>): string {
  const prefix = env.line_statement_prefix;
  if (!prefix) return src;
  const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // the line's newline belongs to the statement; with trim_blocks the tag's own trim eats it
  return src.replace(new RegExp(`^[ \\t\\v]*${esc}(.*?)[ \\t]*(\\r\\n|\\n|\\r|$)`, 'gm'), (_m, stmt: string, nl: string) =>
    `${env.block_start_string} ${stmt} ${env.block_end_string}${env.trim_blocks ? nl : ''}`,
  );
}
