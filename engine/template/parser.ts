// Turns Jinja2 source into a syntax tree. Reuses nunjucks' lexer and parser, adjusted where
// nunjucks departs from Jinja2 as Ansible uses it: Python string escapes, `x.0` indexing, slices,
// tuples, full-expression dict keys and tests with arguments (`x is version('1.2', '>=')`).
import { createRequire } from 'node:module';
import { DEFAULT_ENV, type JinjaEnv } from './environment.js';
import { lineStatements, tokenize } from './lexer.js';

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
