// Turns Jinja2 source into a syntax tree. Reuses nunjucks' lexer and parser, adjusted where
// nunjucks departs from Jinja2 as Ansible uses it: Python string escapes, `x.0` indexing, slices,
// tuples, full-expression dict keys and tests with arguments (`x is version('1.2', '>=')`).
import { createRequire } from 'node:module';
import { DEFAULT_ENV, type JinjaEnv } from './environment.js';

const require = createRequire(import.meta.url);
const nodes: any = require('nunjucks/src/nodes.js');
const lexer: any = require('nunjucks/src/lexer.js');
const { Parser }: { Parser: any } = require('nunjucks/src/parser.js');

/** A nunjucks syntax-tree node (untyped upstream). */
export interface Node {
  typename: string;
  lineno: number;
  colno: number;
  [field: string]: any;
}

/** `x[a:b:c]`: a node kind nunjucks lacks. */
const Slice = nodes.Node.extend('Slice', { fields: ['start', 'stop', 'step'] });

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
function tokenize(src: string, env: Readonly<JinjaEnv>): any {
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

const ENDS_TEST_ARG = new Set(['and', 'or', 'else', 'if', 'is', 'in', 'not', 'recursive']);

class JinjaParser extends Parser {
  constructor(tokens: any) {
    super(tokens);
  }

  /** `{% include x [ignore missing] [with context | without context] %}` */
  parseInclude(): Node {
    const tag = this.peekToken();
    if (!this.skipSymbol('include')) this.fail('parseInclude: expected include');
    const node = new nodes.Include(tag.lineno, tag.colno);
    node.template = this.parseExpression();
    if (this.skipSymbol('ignore') && this.skipSymbol('missing')) node.ignoreMissing = true;
    const ctx = this.parseWithContext();
    if (ctx !== null) node.withContext = ctx;
    this.advanceAfterBlockEnd(tag.value);
    return node;
  }

  /** `.name`, `.0`, `[expr]`, `[a:b:c]` and calls. */
  parsePostfix(node: Node): Node {
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        this.nextToken();
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, this.parseSubscript(tok));
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (val.type === lexer.TOKEN_SYMBOL || val.type === lexer.TOKEN_BOOLEAN || val.type === lexer.TOKEN_NONE) {
          node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, val.value));
        } else if (val.type === lexer.TOKEN_INT) {
          node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(val.value, 10)));
        } else if (val.type === lexer.TOKEN_FLOAT && /^\d+\.\d*$/.test(val.value)) {
          // Jinja lexes no float right after a dot: `x.0.foo` and `x.0.1` are two lookups
          const [first, second] = val.value.split('.');
          node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(first, 10)));
          if (second === '') this.pushToken({ type: lexer.TOKEN_OPERATOR, value: '.', lineno: val.lineno, colno: val.colno });
          else {
            node.dot = true;
            node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(second, 10)));
          }
        } else {
          this.fail('expected name as lookup value, got ' + val.value, val.lineno, val.colno);
        }
        node.dot = true;
      } else {
        break;
      }
    }
    return node;
  }

  /** After `[`: an index expression or a slice, up to and including `]`. */
  parseSubscript(open: any): Node {
    const parts: (Node | null)[] = [];
    let cur: Node | null = null;
    let sawColon = false;
    for (;;) {
      const tok = this.peekToken();
      if (!tok) this.fail('unexpected end of template in subscript', open.lineno, open.colno);
      if (tok.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (tok.type === lexer.TOKEN_COLON) {
        this.nextToken();
        parts.push(cur);
        cur = null;
        sawColon = true;
        continue;
      }
      if (cur) this.fail('expected ] or : in subscript', tok.lineno, tok.colno);
      cur = this.parseExpression();
    }
    if (!sawColon) {
      if (!cur) this.fail('empty subscript', open.lineno, open.colno);
      return cur as Node;
    }
    parts.push(cur);
    return new Slice(open.lineno, open.colno, parts[0] ?? null, parts[1] ?? null, parts[2] ?? null);
  }

  /** Lists, dicts (keys are expressions) and parenthesised groups / tuples. */
  parseAggregate(): Node | null {
    const tok = this.nextToken();
    let node: Node;
    let close: string;
    if (tok.type === lexer.TOKEN_LEFT_PAREN) {
      node = new nodes.Group(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_PAREN;
    } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
      node = new nodes.Array(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_BRACKET;
    } else if (tok.type === lexer.TOKEN_LEFT_CURLY) {
      node = new nodes.Dict(tok.lineno, tok.colno);
      close = lexer.TOKEN_RIGHT_CURLY;
    } else {
      this.pushToken(tok);
      return null;
    }
    let trailingComma = false;
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail('unexpected end of template, expected ' + close, tok.lineno, tok.colno);
      if (next.type === close) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail(`expected token ',', got '${next.value}'`, next.lineno, next.colno);
        trailingComma = true;
        if (this.peekToken()?.type === close) {
          this.nextToken();
          break;
        }
      }
      trailingComma = false;
      if (node.typename === 'Dict') {
        const key = this.parseExpression();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail("expected token ':' after dict key", key.lineno, key.colno);
        node.addChild(new nodes.Pair(key.lineno, key.colno, key, this.parseExpression()));
      } else {
        node.addChild(this.parseExpression());
      }
    }
    if (node.typename === 'Group' && (node.children.length !== 1 || trailingComma)) node.isTuple = true;
    return node;
  }

  /** `x is name`, `x is not name`, `x is name(args)`, `x is name arg`, `x is none/true/false`. */
  parseIs(): Node {
    let node: Node = this.parseCompare();
    while (this.skipSymbol('is')) {
      const negate = this.skipSymbol('not');
      const tok = this.nextToken();
      let name: string;
      if (tok.type === lexer.TOKEN_SYMBOL) {
        name = tok.value;
        while (this.skipValue(lexer.TOKEN_OPERATOR, '.')) name += '.' + this.expect(lexer.TOKEN_SYMBOL).value;
      } else if (tok.type === lexer.TOKEN_NONE || tok.type === lexer.TOKEN_BOOLEAN) {
        name = tok.value === 'null' ? 'none' : tok.value;
      } else {
        this.fail('expected test name after "is", got ' + tok.value, tok.lineno, tok.colno);
      }
      const nameNode = new nodes.Symbol(tok.lineno, tok.colno, name!);
      let args: Node = new nodes.NodeList(tok.lineno, tok.colno, []);
      const next = this.peekToken();
      if (next && next.type === lexer.TOKEN_LEFT_PAREN) {
        args = this.parseSignature();
      } else if (next && this.startsTestArg(next)) {
        args = new nodes.NodeList(next.lineno, next.colno, [this.parsePrimary()]);
      }
      node = new nodes.Is(node.lineno, node.colno, node, new nodes.FunCall(tok.lineno, tok.colno, nameNode, args));
      if (negate) node = new nodes.Not(node.lineno, node.colno, node);
    }
    return node;
  }

  private startsTestArg(tok: any): boolean {
    switch (tok.type) {
      case lexer.TOKEN_STRING:
      case lexer.TOKEN_INT:
      case lexer.TOKEN_FLOAT:
      case lexer.TOKEN_BOOLEAN:
      case lexer.TOKEN_NONE:
      case lexer.TOKEN_LEFT_BRACKET:
      case lexer.TOKEN_LEFT_CURLY:
        return true;
      case lexer.TOKEN_SYMBOL:
        return !ENDS_TEST_ARG.has(tok.value);
      default:
        return false;
    }
  }
}

/** Parse a whole template into a Root node. Throws nunjucks' error type on bad syntax. */
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
function lineStatements(src: string, env: Readonly<JinjaEnv>): string {
  const prefix = env.line_statement_prefix;
  if (!prefix) return src;
  const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // the line's newline belongs to the statement; with trim_blocks the tag's own trim eats it
  return src.replace(new RegExp(`^[ \\t\\v]*${esc}(.*?)[ \\t]*(\\r\\n|\\n|\\r|$)`, 'gm'), (_m, stmt: string, nl: string) =>
    `${env.block_start_string} ${stmt} ${env.block_end_string}${env.trim_blocks ? nl : ''}`,
  );
}

export function parseTemplate(src: string, env: Readonly<JinjaEnv> = DEFAULT_ENV): Node {
  const p = new JinjaParser(tokenize(lineStatements(src, env), env));
  p.extensions = [];
  return p.parseAsRoot();
}

/** Parse a bare expression (as written in `when:`); the whole string must be one expression. */
export function parseExpression(src: string): Node {
  const root = parseTemplate(`{{ ${src} }}`);
  const out = root.children;
  if (out.length !== 1 || out[0].typename !== 'Output' || out[0].children.length !== 1) {
    throw new Error('expected a single expression');
  }
  return out[0].children[0];
}

/** Line/column text of a nunjucks parse error, without nunjucks' "(unknown path)" prefix. */
export function syntaxMessage(err: unknown): string {
  const e = err as { message?: string; lineno?: number };
  const raw = String(e?.message ?? err);
  return raw.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/^Error:\s*/, '').trim();
}
