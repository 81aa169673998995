// How the output pieces of a rendered template become its value, as ansible-core 2.14's three
// concat functions do (ansible/template/native_helpers.py): ansible_eval_concat (the default:
// text that looks like a list, dict or bool is turned back into data), ansible_concat
// (convert_data=False: always text, used by the template module) and ansible_native_concat
// (ANSIBLE_JINJA2_NATIVE: a single expression keeps its type, text is literal_eval'd). Also
// Ansible's handling of trailing newlines (Jinja drops one, do_template puts them back).
import { literalEval } from '../inventory/literal.js';
import { isLazy, isMapping, isPlainObject, isTuple, pyStr } from './python.js';
import { Undefined, assertDeepDefined } from './undefined.js';

/**
 * Output pieces: template text and the values of `{{ }}` expressions, kept apart so a template
 * that is a single expression can return the value itself (Ansible's native types).
 */
export type Out = unknown[];

/** Text from filters Ansible marks as NativeJinjaText (to_json...): never turned back into data. */
export class NativeText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type ConcatMode = 'eval' | 'text' | 'native';
export type Concat = (out: Out) => unknown;

/** Jinja's finalize in Ansible's (non-native) environment: None prints as empty text. */
export function finalize(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof NativeText) return v.text;
  return pyStr(v);
}

/** to_text() of one output piece: the native environment has no None-to-empty finalize. */
function nativeText(v: unknown): string {
  if (v instanceof NativeText) return v.text;
  if (v === undefined) return 'None';
  return pyStr(v);
}

function joinWith(out: Out, text: (v: unknown) => string): string {
  let s = '';
  for (const p of out) s += typeof p === 'string' ? p : text(p);
  return s;
}

export function joinPieces(out: Out): string {
  return joinWith(out, finalize);
}

/**
 * True when repr() of `v` is a Python literal that literal_eval turns back into an equal value,
 * so ansible_eval_concat's repr/literal_eval round trip can be skipped (and float slots kept).
 */
function reprRoundTrips(v: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  // lazy views (hostvars, registered results) are kept as they are: reading them all would
  // render every variable (Ansible's HostVars render a value only when it is read)
  if (typeof v === 'object' && v !== null && isLazy(v)) return true;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (v instanceof Undefined) v.fail();
  if (Array.isArray(v)) return v.every((x) => reprRoundTrips(x, depth + 1));
  if (isPlainObject(v)) return Object.values(v).every((x) => reprRoundTrips(x, depth + 1));
  // lazily built mappings (hostvars) print like dicts of their values; they are kept as they are
  return v instanceof Map;
}

/** ast.literal_eval(ast.parse(text)), optionally after Json2Python; undefined when not a literal. */
function evalLiteral(text: string, json: boolean): unknown {
  const r = literalEval(text, { parsed: true, json });
  return r.ok ? r.value : undefined;
}

/** ansible_eval_concat: one piece or the joined text; "[..]", "{..}", True/False become data. */
function evalConcat(out: Out): unknown {
  if (out.length === 0) return '';
  let text: string;
  if (out.length === 1) {
    const p = out[0];
    if (p instanceof NativeText) return p.text;
    if (typeof p === 'boolean') return p;
    // a tuple prints as "(1, 2)", which is not turned back into data
    if (((Array.isArray(p) && !isTuple(p)) || isMapping(p)) && reprRoundTrips(p)) {
      assertDeepDefined(p);
      return p;
    }
    text = typeof p === 'string' ? p : finalize(p);
  } else {
    text = joinPieces(out);
  }
  if (text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False') {
    const v = evalLiteral(text, true);
    if (v !== undefined) return v;
  }
  return text;
}

/** ansible_native_concat: a single non-string piece as it is; text through literal_eval. */
function nativeConcat(out: Out): unknown {
  if (out.length === 0) return null;
  let text: string;
  if (out.length === 1) {
    const p = out[0];
    if (p instanceof NativeText) return p.text;
    if (typeof p !== 'string') {
      assertDeepDefined(p);
      return p;
    }
    text = p;
  } else {
    text = joinWith(out, nativeText);
  }
  const v = evalLiteral(text, false);
  if (v === undefined) return text;
  // a quoted string literal keeps its quotes (Ansible re-adds the opening quote character)
  if (typeof v === 'string') return text[0] + v + text[0];
  return v;
}

export const CONCAT: Record<ConcatMode, Concat> = {
  eval: evalConcat,
  text: joinPieces,
  native: nativeConcat,
};

/** Number of '\n' at the end of `s` (Ansible's _count_newlines_from_end). */
export function countTrailingNewlines(s: string): number {
  let i = s.length;
  while (i > 0 && s.charCodeAt(i - 1) === 10) i--;
  return s.length - i;
}

/** Jinja (keep_trailing_newline=False) drops one final newline of the template source. */
export function dropTrailingNewline(src: string): string {
  if (src.endsWith('\r\n')) return src.slice(0, -2);
  if (src.endsWith('\n') || src.endsWith('\r')) return src.slice(0, -1);
  return src;
}

/** do_template's preserve_trailing_newlines: put back the newlines Jinja dropped. */
export function restoreTrailingNewlines(result: unknown, src: string, newline = '\n'): unknown {
  if (typeof result !== 'string') return result;
  const want = countTrailingNewlines(src);
  const have = countTrailingNewlines(result);
  return want > have ? result + newline.repeat(want - have) : result;
}
