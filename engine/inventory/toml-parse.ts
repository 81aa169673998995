// A TOML (1.0) reader for the `toml` inventory plugin: tables, dotted and quoted keys, arrays of
// tables, inline tables, the four string forms, integers (hex/octal/binary), floats, booleans and
// dates. Values come out as the Python toml library gives them to Ansible: integral floats boxed
// (floats.ts), dates and datetimes as PyDateTime. No TOML library was in node_modules and the
// project's only need is this one plugin, so it is read here rather than with a new dependency.
import { IntegralFloat, settle } from './floats.js';
import { PyDateTime } from './yaml-tags.js';

type Table = Record<string, unknown>;

export class TomlSyntaxError extends Error {}

const BARE = /[A-Za-z0-9_-]/;
const ESC: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };

class Reader {
  i = 0;
  /** tables defined by a [header] or implicitly by a dotted key; inline tables and arrays are closed */
  private readonly defined = new Set<Table>();
  private readonly closed = new Set<unknown>();

  constructor(private readonly s: string) {}

  fail(msg: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const col = this.i - before.lastIndexOf('\n');
    throw new TomlSyntaxError(`${msg} (line ${line} column ${col})`);
  }

  /** Where the toml library reports a bad value: the start of the statement's line. */
  private statement = 0;

  failStatement(msg: string): never {
    const before = this.s.slice(0, this.statement);
    throw new TomlSyntaxError(`${msg} (line ${before.split('\n').length} column 1 char ${this.statement})`);
  }

  private ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** whitespace, newlines and comments */
  private gap(): void {
    for (;;) {
      this.ws();
      if (this.s[this.i] === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      if (this.s[this.i] === '\n' || (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n')) this.i += this.s[this.i] === '\r' ? 2 : 1;
      else return;
    }
  }

  private endOfLine(): void {
    this.ws();
    if (this.s[this.i] === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
    if (this.i < this.s.length && this.s[this.i] !== '\n' && !(this.s[this.i] === '\r' && this.s[this.i + 1] === '\n')) this.fail('expected the end of the line');
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '"' || c === "'") parts.push(this.string(false));
      else {
        const start = this.i;
        while (this.i < this.s.length && BARE.test(this.s[this.i])) this.i++;
        if (start === this.i) this.fail('expected a key');
        parts.push(this.s.slice(start, this.i));
      }
      this.ws();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  private string(multiAllowed = true): string {
    const q = this.s[this.i];
    const multi = multiAllowed && this.s.startsWith(q.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    if (multi && this.s[this.i] === '\n') this.i++;
    else if (multi && this.s.startsWith('\r\n', this.i)) this.i += 2;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      const c = this.s[this.i];
      if (multi ? this.s.startsWith(q.repeat(3), this.i) : c === q) {
        if (!multi) {
          this.i++;
          return out;
        }
        // up to two more quotes still belong to the content: a" is 'a""'
        let n = 3;
        while (this.s[this.i + n] === q && n < 5) n++;
        this.i += n;
        return out + q.repeat(n - 3);
      }
      if (!multi && c === '\n') this.fail('unterminated string');
      if (c === '\\' && q === '"') {
        const e = this.s[this.i + 1];
        if (ESC[e] !== undefined) {
          out += ESC[e];
          this.i += 2;
        } else if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.i + 2, this.i + 2 + n);
          if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) this.fail('invalid unicode escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += 2 + n;
        } else if (multi && /^\\[ \t]*\r?\n/.test(this.s.slice(this.i))) {
          this.i++;
          while (/[ \t\r\n]/.test(this.s[this.i] ?? '')) this.i++;
        } else this.fail(`invalid escape sequence \\${e}`);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') {
      this.i++;
      const arr: unknown[] = [];
      let kind = '';
      for (;;) {
        this.gap();
        if (this.s[this.i] === ']') break;
        const v = this.value();
        // toml 0.10.2 (the library Ansible reads TOML with here) wants arrays of one type
        if (kind && kindOf(v) !== kind) this.failStatement('Not a homogeneous array');
        kind = kindOf(v);
        arr.push(v);
        this.gap();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.fail('expected , or ] in an array');
      }
      this.i++;
      this.closed.add(arr);
      return arr;
    }
    if (c === '{') {
      this.i++;
      const t: Table = {};
      this.ws();
      if (this.s[this.i] === '}') this.i++;
      else
        for (;;) {
          this.assign(t);
          this.ws();
          const d = this.s[this.i++];
          if (d === '}') break;
          if (d !== ',') this.fail('expected , or } in an inline table');
        }
      this.closed.add(t);
      // toml gives an inline table as its own dict subclass, which yaml.dump cannot represent
      Object.defineProperty(t, Symbol.for('drover.pyclass'), { value: 'InlineTableDict' });
      return t;
    }
    const m = /^[^\s,\]}#]+(?: [0-9][^\s,\]}#]*)?/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a value');
    const tok = m[0];
    const v = scalar(tok);
    if (v === undefined) this.fail(`invalid value ${tok}`);
    this.i += tok.length;
    return v;
  }

  /** key = value into `t` (dotted keys make tables on the way). */
  assign(t: Table): void {
    if (!this.depth++) this.statement = this.i;
    const path = this.key();
    if (this.s[this.i] !== '=') this.fail('expected = after a key');
    this.i++;
    const v = this.value();
    const parent = this.walk(t, path.slice(0, -1), false);
    const last = path[path.length - 1];
    if (Object.prototype.hasOwnProperty.call(parent, last)) this.fail(`duplicate key ${last}`);
    parent[last] = v;
    this.depth--;
  }

  private depth = 0;

  private walk(t: Table, path: string[], header: boolean): Table {
    let cur = t;
    for (const k of path) {
      let next = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
      if (Array.isArray(next) && header && !this.closed.has(next)) next = next[next.length - 1];
      if (next === undefined) {
        next = {};
        cur[k] = next;
      } else if (typeof next !== 'object' || next === null || Array.isArray(next) || this.closed.has(next) || next instanceof PyDateTime) {
        this.fail(`key ${k} is already a value`);
      }
      cur = next as Table;
    }
    return cur;
  }

  document(): Table {
    const root: Table = {};
    let cur = root;
    for (;;) {
      this.gap();
      if (this.i >= this.s.length) return root;
      if (this.s[this.i] === '[') {
        const array = this.s[this.i + 1] === '[';
        this.i += array ? 2 : 1;
        const path = this.key();
        if (!this.s.startsWith(array ? ']]' : ']', this.i)) this.fail('expected ] after a table name');
        this.i += array ? 2 : 1;
        const parent = this.walk(root, path.slice(0, -1), true);
        const last = path[path.length - 1];
        if (array) {
          const list = (parent[last] ??= []) as unknown[];
          if (!Array.isArray(list) || this.closed.has(list)) this.fail(`key ${last} is not an array of tables`);
          cur = {};
          list.push(cur);
        } else {
          cur = this.walk(parent, [last], true);
          if (this.defined.has(cur)) this.fail(`table ${path.join('.')} is defined twice`);
        }
        this.defined.add(cur);
      } else this.assign(cur);
      this.endOfLine();
    }
  }
}

function kindOf(v: unknown): string {
  if (v instanceof IntegralFloat || (typeof v === 'number' && !Number.isInteger(v))) return 'float';
  if (Array.isArray(v)) return 'array';
  if (v instanceof PyDateTime) return 'date';
  return typeof v;
}

/** Numbers, booleans and dates (TOML's bare values). */
function scalar(tok: string): unknown {
  if (tok === 'true') return true;
  if (tok === 'false') return false;
  const d = /^(\d{4}-\d{2}-\d{2})(?:[T t](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|z|[-+]\d{2}:\d{2})?)?$/.exec(tok);
  if (d) {
    if (!d[2]) return new PyDateTime(d[1]);
    const frac = d[3] && Number(d[3]) !== 0 ? '.' + d[3].slice(1, 7).padEnd(6, '0') : '';
    const tz = !d[4] ? '' : /z/i.test(d[4]) ? '+00:00' : d[4];
    return new PyDateTime(`${d[1]}T${d[2]}${frac}${tz}`);
  }
  const t = tok.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
  if (/^[-+]?(?:0|[1-9]\d*)$/.test(t)) return Number(t);
  if (/^0x[0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0o[0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0b[01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^[-+]?(?:inf|nan)$/.test(t)) return t.endsWith('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t)) {
    const n = Number(t);
    return Number.isInteger(n) ? new IntegralFloat(n) : n;
  }
  return undefined;
}

/** toml.loads(text): the document as plain data. */
export function parseToml(text: string): Table {
  return settle(new Reader(text).document()) as Table;
}
