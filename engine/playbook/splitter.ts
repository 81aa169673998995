// Ansible's argument-string parsing (parsing/splitter.py): split `k=v` strings on spaces while
// keeping quoted text and Jinja2 blocks together, then turn them into a dict of strings (escapes
// decoded, free-form words → `_raw_params`). The project's one key=value splitter: task
// arguments, `-e k=v`, with_sequence's k=v form and the lookups use it.

/** Options of command/shell/script/raw that are pulled out of a free-form command line. */
export const COMMAND_OPTIONS = new Set([
  'creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends',
]);

export class SplitError extends Error {}

/** True when the text contains a Jinja2 expression, statement or comment. */
export function isTemplate(text: unknown): boolean {
  return typeof text === 'string' && /\{\{|\{%|\{#/.test(text);
}

function quoteState(token: string, quote: string | null): string | null {
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (quote) {
        if (c === quote) quote = null;
      } else {
        quote = c;
      }
    }
  }
  return quote;
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

function depthAfter(token: string, depth: number, open: string, close: string): number {
  const o = count(token, open);
  const c = count(token, close);
  if (o === c) return depth;
  return Math.max(0, depth + o - c);
}

/**
 * Split on whitespace, re-joining pieces that were split inside quotes or `{{ }}`, `{% %}`,
 * `{# #}`. Quotes are kept in the pieces; newlines are preserved.
 */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const lines = args.split('\n');
  let quote: string | null = null;
  let inQuotes = false;
  const depth = { print: 0, block: 0, comment: 0 };
  const anyDepth = () => depth.print > 0 || depth.block > 0 || depth.comment > 0;
  const appendLast = (text: string) => {
    if (params.length === 0) throw new SplitError('Unable to parse argument string');
    params[params.length - 1] += text;
  };

  lines.forEach((line, lineIdx) => {
    const tokens = line.split(' ');
    let continuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        appendLast(' ');
        return;
      }
      if (token === '\\' && !inQuotes) {
        continuation = true;
        return;
      }
      const wasInQuotes = inQuotes;
      quote = quoteState(token, quote);
      inQuotes = quote !== null;
      let appended = false;
      if (inQuotes && !wasInQuotes && !anyDepth()) {
        params.push(token);
        appended = true;
      } else if (anyDepth() || inQuotes || wasInQuotes) {
        if (idx === 0 && wasInQuotes) appendLast(token);
        else if (tokens.length > 1) appendLast((idx > 0 ? ' ' : '') + token);
        else appendLast('\n' + token);
        appended = true;
      }
      const pairs: [keyof typeof depth, string, string][] = [
        ['print', '{{', '}}'],
        ['block', '{%', '%}'],
        ['comment', '{#', '#}'],
      ];
      for (const [key, open, close] of pairs) {
        const before = depth[key];
        depth[key] = depthAfter(token, before, open, close);
        if (depth[key] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!anyDepth() && !inQuotes && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIdx !== lines.length - 1 && !continuation && params.length > 0) {
      params[params.length - 1] += '\n';
    }
  });

  if (anyDepth() || inQuotes) {
    throw new SplitError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}

/** Re-join pieces from splitArgs, keeping the original newlines. */
export function joinArgs(parts: string[]): string {
  let out = '';
  for (const p of parts) out += out.length === 0 || out.endsWith('\n') ? p : ' ' + p;
  return out;
}

/** Remove one pair of matching surrounding quotes. */
export function unquote(text: string): string {
  const n = text.length;
  if (n > 1 && text[0] === text[n - 1] && (text[0] === '"' || text[0] === "'") && text[n - 2] !== '\\') {
    return text.slice(1, -1);
  }
  return text;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * Decode the backslash escapes of 2.14's _ESCAPE_SEQUENCE_RE (\n, \t, \xNN, \uNNNN,
 * \UNNNNNNNN, \\, \', \"). Octal is not among them: `replace='"\1"'` keeps its backreference.
 */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (_m, esc: string) => {
    if (esc.length === 1) return SIMPLE_ESCAPES[esc];
    return String.fromCodePoint(parseInt(esc.slice(1), 16));
  });
}

/**
 * Parse `k=v k2="v 2"` into a dict of strings. Words without `=` are joined into `_raw_params`.
 * With checkRaw (command-like modules) only the command options are taken out as keys; any other
 * `k=v` stays in the command line.
 */
export function parseKv(args: string, checkRaw = false): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const orig of splitArgs(args)) {
    const x = decodeEscapes(orig);
    if (!x.includes('=')) {
      raw.push(orig);
      continue;
    }
    let pos = -1;
    for (let i = 1; i < x.length; i++) {
      if (x[i] === '=' && x[i - 1] !== '\\') {
        pos = i;
        break;
      }
    }
    if (pos < 0) {
      raw.push(x.replace(/\\=/g, '='));
      continue;
    }
    const key = x.slice(0, pos);
    const value = x.slice(pos + 1);
    if (checkRaw && !COMMAND_OPTIONS.has(key)) raw.push(orig);
    else options[key.trim()] = unquote(value.trim());
  }
  if (raw.length > 0) options._raw_params = joinArgs(raw);
  return options;
}
