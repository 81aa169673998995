// Python `ast.literal_eval` for INI inventory values: Ansible types every INI value this way
// (ints, floats, True/False/None, quoted strings, lists, tuples, dicts, sets) and keeps the raw
// text when Python would reject it. Own implementation of the Python 3.11 literal grammar.

import { pyFloat, tuple } from '../template/python.js';
import { IntegralFloat, settle } from './floats.js';

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

type Tok =
  | { t: 'num'; v: number; complex: boolean; float: boolean }
  | { t: 'str'; v: string; bytes: boolean; fstr: boolean }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string };

class Fail extends Error {}
const fail = (): never => {
  throw new Fail();
};

const DIGITPART = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][+-]?${DIGITPART}`;
const POINTFLOAT = `(?:(?:${DIGITPART})?\\.${DIGITPART}|${DIGITPART}\\.)`;
const FLOAT_RE = new RegExp(`^(?:${POINTFLOAT}(?:${EXPONENT})?|${DIGITPART}${EXPONENT})`);
const INT_RE = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0(?:_?0)*)/;
const STR_PREFIX = /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?(?=['"])/;
const NAME_RE = /^[\p{L}\p{Nl}_][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}_]*/u;
const OPS = ['**', '//', '->', ':=', '==', '!=', '<=', '>=', '<<', '>>', '...'];

function numberValue(text: string): number {
  const s = text.replace(/_/g, '');
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  return Number(s);
}

function readString(src: string, i: number, prefix: string): { tok: Tok; end: number } {
  const raw = /[rR]/.test(prefix);
  const bytes = /[bB]/.test(prefix);
  const fstr = /[fF]/.test(prefix);
  const q = src[i];
  const triple = src.startsWith(q.repeat(3), i);
  const quote = triple ? q.repeat(3) : q;
  let j = i + quote.length;
  let body = '';
  for (;;) {
    if (j >= src.length) fail();
    if (src.startsWith(quote, j)) break;
    const c = src[j];
    if (c === '\n' && !triple) fail();
    if (c === '\\') {
      if (j + 1 >= src.length) fail();
      body += c + src[j + 1];
      j += 2;
      continue;
    }
    body += c;
    j++;
  }
  if (bytes && /[^\x00-\x7f]/.test(body)) fail();
  const v = raw ? body : unescape(body, bytes);
  return { tok: { t: 'str', v, bytes, fstr }, end: j + quote.length };
}

function unescape(body: string, bytes: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (n in simple) {
      out += simple[n];
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCodePoint(parseInt(m, 8));
      i += m.length - 1;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{2}/.exec(body.slice(i + 1));
      if (!m) fail();
      out += String.fromCharCode(parseInt(m![0], 16));
      i += 2;
    } else if (!bytes && (n === 'u' || n === 'U')) {
      const len = n === 'u' ? 4 : 8;
      const m = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(body.slice(i + 1));
      if (!m) fail();
      const cp = parseInt(m![0], 16);
      if (cp > 0x10ffff) fail();
      out += String.fromCodePoint(cp);
      i += len;
    } else if (!bytes && n === 'N') {
      fail(); // \N{NAME} needs the Unicode name table: treat as not a literal
    } else {
      out += '\\' + n; // unknown escapes keep the backslash, as Python does
    }
  }
  return out;
}

function tokenize(src: string, multiline = false): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (multiline && (c === '\n' || c === '\r' || c === '#')) {
      // inside brackets a line break is whitespace; outside, only blank lines may follow
      const eol = src.slice(i).search(/[\r\n]/);
      if (c === '#') {
        if (eol < 0) break;
        i += eol;
        continue;
      }
      if (depth === 0 && toks.length === 0) {
        i++; // blank lines before the expression
        continue;
      }
      if (depth === 0 && !src.slice(i).split(/\r\n|\r|\n/).every((l) => /^[ \t\f]*(#.*)?$/.test(l))) fail();
      if (depth === 0) break;
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    const rest = src.slice(i);
    const pm = STR_PREFIX.exec(rest);
    if (pm) {
      const { tok, end } = readString(src, i + pm[0].length, pm[0]);
      toks.push(tok);
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const fm = FLOAT_RE.exec(rest);
      const im = INT_RE.exec(rest);
      let text: string;
      let isFloat = false;
      if (fm && (!im || fm[0].length > im[0].length)) {
        text = fm[0];
        isFloat = true;
      } else if (im) {
        text = im[0];
      } else {
        return fail();
      }
      let j = i + text.length;
      let complex = false;
      if (src[j] === 'j' || src[j] === 'J') {
        complex = true;
        j++;
      }
      // "01", "1abc", "0x" and friends are syntax errors in Python
      if (j < src.length && /[\p{L}\p{N}_.]/u.test(src[j])) fail();
      toks.push({ t: 'num', v: isFloat ? Number(text.replace(/_/g, '')) : numberValue(text), complex, float: isFloat });
      i = j;
      continue;
    }
    const nm = NAME_RE.exec(rest);
    if (nm) {
      toks.push({ t: 'name', v: nm[0] });
      i += nm[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      toks.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if ('()[]{},:+-*/%@<>=.~^&|;!'.includes(c)) {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      toks.push({ t: 'op', v: c });
      i++;
      continue;
    }
    return fail();
  }
  return toks;
}

/** Object key as json.dumps would write it (literal dict keys may be ints, bools, None). */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return String(k);
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (k === null) return 'null';
  if (k instanceof IntegralFloat) return pyFloat(k.value);
  return fail();
}

/** JSON's names, which Ansible's Json2Python turns into constants before literal_eval. */
const JSON_NAMES: Record<string, unknown> = { true: true, false: false, null: null };

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly json = false,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) fail();
    this.pos++;
  }

  parseAll(): unknown {
    if (this.toks.length === 0) fail();
    const v = this.exprList(() => this.pos >= this.toks.length);
    if (this.pos !== this.toks.length) fail();
    return v;
  }

  /** expr (',' expr)* [','] — a bare comma makes a tuple */
  private exprList(atEnd: () => boolean): unknown {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (atEnd()) break;
      items.push(this.expr());
    }
    return tuple(items);
  }

  private expr(): unknown {
    const t = this.peek();
    if (t && t.t === 'op' && (t.v === '+' || t.v === '-')) {
      this.pos++;
      const n = this.atom();
      if (!n.isNum) fail(); // literal_eval only negates plain numeric constants (not bools)
      this.noTrailer();
      if (n.value instanceof IntegralFloat) return t.v === '-' ? new IntegralFloat(-n.value.value) : n.value;
      return t.v === '-' ? -(n.value as number) : n.value;
    }
    const a = this.atom();
    this.noTrailer();
    return a.value;
  }

  /** Binary operators, calls, subscripts, attribute access: never a literal. */
  private noTrailer(): void {
    const t = this.peek();
    if (t && t.t === 'op' && !['', ',', ')', ']', '}', ':'].includes(t.v)) fail();
    if (t && t.t !== 'op') fail();
  }

  private atom(): { value: unknown; isNum: boolean } {
    const t = this.peek();
    if (!t) return fail();
    this.pos++;
    if (t.t === 'num') {
      if (t.complex) fail(); // complex numbers have no JSON form
      return { value: t.float && Number.isInteger(t.v) ? new IntegralFloat(t.v) : t.v, isNum: true };
    }
    if (t.t === 'str') {
      let v = t.v;
      let bytes = t.bytes;
      let fstr = t.fstr;
      for (let n = this.peek(); n && n.t === 'str'; n = this.peek()) {
        if (n.bytes !== bytes) fail();
        v += n.v;
        bytes = n.bytes;
        fstr = fstr || n.fstr;
        this.pos++;
      }
      if (fstr) fail();
      if (bytes) {
        if (/[^\x00-\xff]/.test(v)) fail();
        v = Buffer.from(v, 'latin1').toString('utf8'); // to_text() decodes bytes as UTF-8
      }
      return { value: v, isNum: false };
    }
    if (t.t === 'name') {
      if (t.v === 'True') return { value: true, isNum: false };
      if (t.v === 'False') return { value: false, isNum: false };
      if (t.v === 'None') return { value: null, isNum: false };
      if (this.json && t.v in JSON_NAMES) return { value: JSON_NAMES[t.v], isNum: false };
      if (t.v === 'set' && this.isOp('(')) {
        this.pos++;
        this.expectOp(')');
        return { value: [], isNum: false };
      }
      return fail();
    }
    if (t.v === '(') {
      if (this.isOp(')')) {
        this.pos++;
        return { value: tuple([]), isNum: false };
      }
      const inner = this.peek();
      const v = this.exprList(() => this.isOp(')'));
      this.expectOp(')');
      // a parenthesised single number stays a number for unary minus: -(1)
      const isNum = (typeof v === 'number' || v instanceof IntegralFloat) && inner?.t === 'num';
      return { value: v, isNum };
    }
    if (t.v === '[') {
      const items: unknown[] = [];
      while (!this.isOp(']')) {
        items.push(this.expr());
        if (!this.isOp(',')) break;
        this.pos++;
      }
      this.expectOp(']');
      return { value: items, isNum: false };
    }
    if (t.v === '{') return { value: this.braces(), isNum: false };
    return fail();
  }

  private braces(): unknown {
    if (this.isOp('}')) {
      this.pos++;
      return {};
    }
    const first = this.expr();
    if (this.isOp(':')) {
      const obj: Record<string, unknown> = {};
      let key = first;
      for (;;) {
        this.expectOp(':');
        const val = this.expr();
        if (typeof key === 'object' && key !== null) fail(); // unhashable key
        setKey(obj, keyString(key), val);
        if (!this.isOp(',')) break;
        this.pos++;
        if (this.isOp('}')) break;
        key = this.expr();
      }
      this.expectOp('}');
      return obj;
    }
    // a set literal: JSON has no sets, Ansible's encoder writes them as lists
    const items: unknown[] = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp('}')) break;
      items.push(this.expr());
    }
    this.expectOp('}');
    if (items.some((x) => typeof x === 'object' && x !== null && !(x instanceof IntegralFloat))) fail();
    const seen = new Set<unknown>();
    return items.filter((x) => {
      const key = x instanceof IntegralFloat ? x.value : x;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

/** Assign a key on a plain object, including the key "__proto__", without touching prototypes. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export interface LiteralOptions {
  /**
   * Evaluate `ast.parse(text, mode='eval')` as the template layer does: line breaks inside
   * brackets are allowed and leading blanks are an error (literal_eval itself strips them).
   */
  parsed?: boolean;
  /** Ansible's Json2Python: the names true, false and null are literals too. */
  json?: boolean;
}

/** literal_eval with an integral float at the top left boxed (nested ones are settled and marked). */
function literalEvalBoxed(text: string, opts: LiteralOptions = {}): LiteralResult {
  try {
    const src = opts.parsed ? text : text.replace(/^[ \t]+/, '');
    if (src.includes('\0') || (!opts.parsed && (src.includes('\n') || src.includes('\r')))) return { ok: false };
    if (opts.parsed && /^[ \t\f]/.test(src)) return { ok: false };
    const value = new Parser(tokenize(src, opts.parsed), opts.json).parseAll();
    return { ok: true, value: value instanceof IntegralFloat ? value : settle(value) };
  } catch (e) {
    if (e instanceof Fail || e instanceof RangeError) return { ok: false };
    throw e;
  }
}

/** ast.literal_eval(text): the value, or ok=false where Python raises ValueError/SyntaxError. */
export function literalEval(text: string, opts: LiteralOptions = {}): LiteralResult {
  const r = literalEvalBoxed(text, opts);
  return r.ok ? { ok: true, value: settle(r.value) } : r;
}

/** The INI plugin's value typing: the literal's value, else the raw string unchanged. */
export function iniValue(text: string): unknown {
  return settle(iniValueBoxed(text));
}

/** iniValue, with an integral float at the top left boxed so the caller can mark its slot. */
export function iniValueBoxed(text: string): unknown {
  // fast path for the common plain word (hostnames, paths, versions): never a literal
  if (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(text) && text !== 'True' && text !== 'False' && text !== 'None') return text;
  const r = literalEvalBoxed(text);
  return r.ok ? r.value : text;
}
