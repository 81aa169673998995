// Turns Jinja2 source into a syntax tree. Reuses nunjucks' lexer and parser, adjusted where
// nunjucks departs from Jinja2 as Ansible uses it: Python string escapes, `x.0` indexing, slices,
// tuples, full-expression dict keys and tests with arguments (`x is version('1.2', '>=')`).
import { createRequire } from 'node:module';

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
 * nunjucks' tokenizer with Python string escapes, and Jinja's bracket balancing: inside an open
 * bracket, `}}` closes dicts (`{{ {'a': {'b': 1}} }}`) instead of ending the expression.
 */
function tokenize(src: string, tags?: TemplateDelimiters): any {
  const tokens = lexer.lex(src, { trimBlocks: true, tags });
  tokens._parseString = parsePythonString;
  const next = tokens.nextToken;
  let depth = 0;
  tokens.nextToken = function nextToken(this: any): any {
    if (this.in_code && depth > 0 && this.current() === '}') {
      const tok = { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      depth--;
      return tok;
    }
    const tok = next.call(this);
    // trim_blocks also drops the newline after a comment, as Jinja's lexer does
    if (tok?.type === lexer.TOKEN_COMMENT && this.current() === '\n') this.forward();
    if (tok && OPENERS.has(tok.type)) depth++;
    else if (tok && CLOSERS.has(tok.type)) depth = Math.max(0, depth - 1);
    else if (tok && (tok.type === lexer.TOKEN_VARIABLE_END || tok.type === lexer.TOKEN_BLOCK_END)) depth = 0;
    return tok;
  };
  return tokens;
}

const ENDS_TEST_ARG = new Set(['and', 'or', 'else', 'if', 'is', 'in', 'not', 'recursive']);

class JinjaParser extends Parser {
  constructor(tokens: any) {
    super(tokens);
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
          // nunjucks lexes `x.0.1` and `x.0.name` with a float `0.1` / `0.`; Jinja sees x[0][1], x[0].name
          const [whole, frac] = val.value.split('.');
          node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(whole, 10)));
          const next = frac ? { ...val, type: lexer.TOKEN_INT, value: frac } : this.nextToken();
          if (next?.type === lexer.TOKEN_INT) node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(next.lineno, next.colno, parseInt(next.value, 10)));
          else if (next?.type === lexer.TOKEN_SYMBOL || next?.type === lexer.TOKEN_BOOLEAN || next?.type === lexer.TOKEN_NONE) {
            node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(next.lineno, next.colno, next.value));
          } else this.fail('expected name as lookup value, got ' + next?.value, val.lineno, val.colno);
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

/** Jinja's variable_start_string & co. (the template lookup's options); unset ones keep the default. */
export interface TemplateDelimiters {
  variableStart?: string;
  variableEnd?: string;
  blockStart?: string;
  blockEnd?: string;
  commentStart?: string;
  commentEnd?: string;
}

export function parseTemplate(src: string, tags?: TemplateDelimiters): Node {
  const p = new JinjaParser(tokenize(src, tags));
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
