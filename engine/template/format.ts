// Python string formatting used from templates: printf-style (`"%s-%02d" % (a, b)`, the `format`
// filter) and str.format() (`"{}:{}".format(host, port)`), with the common format-spec options.
import { isMapping, mappingGet, pyNumber, pyRepr, pyStr, typeName } from './python.js';
import { EvalError, defined } from './undefined.js';

function toNumber(v: unknown, conv: string): number {
  v = defined(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  throw new EvalError(`%${conv} format: a real number is required, not ${typeName(v)}`);
}

function pad(body: string, width: number, left: boolean, zero: boolean, signed = false): string {
  if (body.length >= width) return body;
  if (left) return body.padEnd(width);
  if (zero) {
    const sign = signed || /^[-+ ]/.test(body) ? body[0] : '';
    const rest = sign ? body.slice(1) : body;
    return sign + rest.padStart(width - sign.length, '0');
  }
  return body.padStart(width);
}

/** Python's '%.Nf': correctly rounded, ties to even (JS toFixed rounds ties away from zero). */
export function pyFixed(n: number, p: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e21) return (n < 0 ? '-' : '') + BigInt(abs).toString() + (p ? '.' + '0'.repeat(p) : '');
  const s = n.toFixed(p);
  if (p > 70) return s;
  // the exact binary value, far enough to see whether it is exactly halfway
  const exact = abs.toFixed(p + 30);
  const cut = exact.length - 30;
  if (!/^50*$/.test(exact.slice(cut))) return s;
  const down = exact.slice(0, cut).replace(/\.$/, '');
  const last = Number(down[down.length - 1]);
  return last % 2 === 0 ? (n < 0 ? '-' : '') + down : s;
}

function fmtFloat(n: number, conv: string, precision: number | undefined, alt: boolean): string {
  const p = precision ?? 6;
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  switch (conv) {
    case 'f':
    case 'F':
      return pyFixed(n, p);
    case 'e':
    case 'E': {
      const s = n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      return conv === 'E' ? s.toUpperCase() : s;
    }
    default: {
      // %g: shortest of %e/%f with p significant digits, trailing zeros removed.
      const sig = p === 0 ? 1 : p;
      const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
      let s = exp < -4 || exp >= sig ? n.toExponential(sig - 1).replace(/e([+-])(\d)$/, 'e$10$2') : n.toFixed(Math.max(0, sig - 1 - exp));
      if (!alt) s = s.replace(/\.?0+(e|$)/, '$1');
      return conv === 'G' ? s.toUpperCase() : s;
    }
  }
}

function signed(body: string, n: number, plus: boolean, space: boolean): string {
  if (n < 0 || Object.is(n, -0) || body.startsWith('-')) return body;
  return (plus ? '+' : space ? ' ' : '') + body;
}

/** Python's `fmt % args`. `raw` is the right operand as written (a dict enables `%(name)s`). */
export function printfFormat(fmt: string, args: unknown[], raw?: unknown): string {
  let i = 0;
  const re = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;
  const out = fmt.replace(re, (_m, key: string | undefined, flags: string, w: string | undefined, pr: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const next = (): unknown => {
      if (i >= args.length) throw new EvalError('not enough arguments for format string');
      return args[i++];
    };
    const width = w === '*' ? Number(next()) : w ? parseInt(w, 10) : 0;
    const precision = pr === '*' ? Number(next()) : pr !== undefined ? parseInt(pr, 10) : undefined;
    let v: unknown;
    if (key !== undefined) {
      if (!isMapping(raw)) throw new EvalError('format requires a mapping');
      v = mappingGet(raw, key);
      if (v === undefined) throw new EvalError(`KeyError: '${key}'`);
    } else {
      v = next();
    }
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+');
    const space = flags.includes(' ');
    let body: string;
    switch (conv) {
      case 's':
        body = pyStr(defined(v));
        if (precision !== undefined) body = body.slice(0, precision);
        return pad(body, width, left, false);
      case 'r':
      case 'a':
        body = pyRepr(defined(v));
        if (precision !== undefined) body = body.slice(0, precision);
        return pad(body, width, left, false);
      case 'c':
        body = typeof v === 'number' ? String.fromCodePoint(v) : pyStr(v);
        return pad(body, width, left, false);
      case 'd':
      case 'i':
      case 'u': {
        const n = Math.trunc(toNumber(v, conv));
        body = signed(String(Math.abs(n)).padStart(precision ?? 0, '0'), n, plus, space);
        if (n < 0) body = '-' + body;
        return pad(body, width, left, zero);
      }
      case 'x':
      case 'X':
      case 'o': {
        const n = Math.trunc(toNumber(v, conv));
        let digits = Math.abs(n).toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') digits = digits.toUpperCase();
        if (flags.includes('#')) digits = (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') + digits;
        body = signed((n < 0 ? '-' : '') + digits, n, plus, space);
        return pad(body, width, left, zero);
      }
      default: {
        const n = toNumber(v, conv);
        body = signed(fmtFloat(n, conv, precision, flags.includes('#')), n, plus, space);
        return pad(body, width, left, zero);
      }
    }
  });
  if (!isMapping(raw) && i < args.length) throw new EvalError('not all arguments converted during string formatting');
  return out;
}

/** Python format-spec mini-language: [[fill]align][sign][#][0][width][,][.precision][type]. */
export function formatSpec(v: unknown, spec: string): string {
  v = defined(v);
  if (!spec) return pyStr(v);
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(spec);
  if (!m) throw new EvalError(`Invalid format specifier '${spec}'`);
  const [, fillCh, alignCh, sign, alt, zero, w, group, pr, type] = m;
  const width = w ? parseInt(w, 10) : 0;
  const precision = pr !== undefined ? parseInt(pr, 10) : undefined;
  let body: string;
  const isNumber = typeof v === 'number' || typeof v === 'boolean';
  if (type === 's' || (!type && !isNumber)) {
    body = pyStr(v);
    if (precision !== undefined) body = body.slice(0, precision);
  } else {
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
    if (typeof n !== 'number') throw new EvalError(`Unknown format code '${type}' for object of type '${typeName(v)}'`);
    const abs = Math.abs(n);
    switch (type) {
      case 'd':
      case 'n':
        body = String(Math.trunc(abs));
        break;
      case 'b':
        body = (alt ? '0b' : '') + Math.trunc(abs).toString(2);
        break;
      case 'o':
        body = (alt ? '0o' : '') + Math.trunc(abs).toString(8);
        break;
      case 'x':
      case 'X':
        body = (alt ? '0x' : '') + Math.trunc(abs).toString(16);
        if (type === 'X') body = body.toUpperCase();
        break;
      case 'c':
        body = String.fromCodePoint(n);
        break;
      case '%':
        body = (abs * 100).toFixed(precision ?? 6) + '%';
        break;
      case undefined:
        body = precision !== undefined ? fmtFloat(abs, 'g', precision, false) : pyNumber(abs);
        break;
      default:
        body = fmtFloat(abs, type, precision, !!alt);
    }
    if (group) {
      const [intPart, frac] = body.split('.');
      body = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? '.' + frac : '');
    }
    const signStr = n < 0 ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    if (zero && !alignCh) return signStr + body.padStart(width - signStr.length, '0');
    body = signStr + body;
  }
  const fill = fillCh ?? (zero && !alignCh ? '0' : ' ');
  const align = alignCh ?? (isNumber && type !== 's' ? '>' : '<');
  const gap = width - [...body].length;
  if (gap <= 0) return body;
  if (align === '<') return body + fill.repeat(gap);
  if (align === '^') return fill.repeat(Math.floor(gap / 2)) + body + fill.repeat(Math.ceil(gap / 2));
  return fill.repeat(gap) + body;
}

/** Python str.format(). Field names: index, name, attribute (`.x`) and item (`[k]`) access. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv?: string, spec?: string) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = (field ?? '').match(/^[^.[]*|\.[^.[]+|\[[^\]]*\]/g) ?? [''];
    const head = path[0];
    let v: unknown;
    if (head === '') v = args[auto++];
    else if (/^\d+$/.test(head)) v = args[parseInt(head, 10)];
    else v = kwargs[head];
    if (v === undefined && !(head in kwargs)) {
      throw new EvalError(head === '' || /^\d+$/.test(head) ? 'Replacement index out of range for positional args tuple' : `KeyError: '${head}'`);
    }
    for (const seg of path.slice(1)) {
      const key = seg.startsWith('.') ? seg.slice(1) : seg.slice(1, -1);
      if (Array.isArray(v)) v = v[parseInt(key, 10)];
      else if (isMapping(v)) v = mappingGet(v, key);
      else v = undefined;
      if (v === undefined) throw new EvalError(`KeyError: '${key}'`);
    }
    if (conv === 'r' || conv === 'a') return formatSpec(pyRepr(v), spec ?? '');
    if (conv === 's') return formatSpec(pyStr(v), spec ?? '');
    return formatSpec(v, spec ?? '');
  });
}
