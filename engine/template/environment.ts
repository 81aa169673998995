// The Jinja environment settings a template is compiled with: delimiters, trim_blocks,
// lstrip_blocks, newline_sequence and line statements. The template module and the template
// lookup pass them as options, and a template may set them itself on a first line
// `#jinja2: key:value, ...` (Ansible's JINJA2_OVERRIDE, parsed as do_template does).
import { literalEval } from '../inventory/literal.js';
import { EvalError } from './undefined.js';

export interface JinjaEnv {
  block_start_string: string;
  block_end_string: string;
  variable_start_string: string;
  variable_end_string: string;
  comment_start_string: string;
  comment_end_string: string;
  line_statement_prefix: string | null;
  line_comment_prefix: string | null;
  trim_blocks: boolean;
  lstrip_blocks: boolean;
  newline_sequence: string;
  keep_trailing_newline: boolean;
}

/** Ansible's environment: Jinja's defaults with trim_blocks on. */
export const DEFAULT_ENV: Readonly<JinjaEnv> = Object.freeze({
  block_start_string: '{%',
  block_end_string: '%}',
  variable_start_string: '{{',
  variable_end_string: '}}',
  comment_start_string: '{#',
  comment_end_string: '#}',
  line_statement_prefix: null,
  line_comment_prefix: null,
  trim_blocks: true,
  lstrip_blocks: false,
  newline_sequence: '\n',
  keep_trailing_newline: false,
});

const JINJA2_OVERRIDE = '#jinja2:';

/** Settings given as options (null/undefined keep the default, as Jinja's overlay does). */
export function envWith(base: Readonly<JinjaEnv>, over: Partial<Record<keyof JinjaEnv, unknown>> | undefined): Readonly<JinjaEnv> {
  if (!over) return base;
  let env: JinjaEnv | undefined;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined || v === null || !(k in base)) continue;
    env ??= { ...base };
    (env as unknown as Record<string, unknown>)[k] = v;
  }
  return env ? Object.freeze(env) : base;
}

export function isDefaultEnv(env: Readonly<JinjaEnv>): boolean {
  return env === DEFAULT_ENV;
}

/** A stable cache key for compiled templates. */
export function envKey(env: Readonly<JinjaEnv>): string {
  return isDefaultEnv(env) ? '' : JSON.stringify(env);
}

/**
 * A template starting with `#jinja2:` sets environment attributes on its first line; the rest of
 * the text is the template. Values are Python literals; a pair without ':' is an error.
 */
export function templateOverrides(src: string, base: Readonly<JinjaEnv>): { src: string; env: Readonly<JinjaEnv> } {
  if (!src.startsWith(JINJA2_OVERRIDE)) return { src, env: base };
  const eol = src.indexOf('\n');
  // Python's data[len(prefix):eol] with eol == -1 drops the last character; data[eol+1:] is all
  const line = src.slice(JINJA2_OVERRIDE.length, eol < 0 ? src.length - 1 : eol);
  const rest = src.slice(eol + 1);
  const env: JinjaEnv = { ...base };
  for (const pair of line.split(',')) {
    const at = pair.indexOf(':');
    if (at < 0) {
      throw new EvalError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    }
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    const r = literalEval(raw);
    if (!r.ok) throw new EvalError(`malformed node or string in jinja2 override: ${raw}`);
    (env as unknown as Record<string, unknown>)[key] = r.value;
  }
  return { src: rest, env: Object.freeze(env) };
}

/** Newline sequences the template module accepts, written escaped or literally. */
export function newlineSequence(v: unknown): string | undefined {
  const map: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n', '\n': '\n', '\r': '\r', '\r\n': '\r\n' };
  return typeof v === 'string' ? map[v] : undefined;
}
