// A module's output read as ansible-core 2.14 reads it (ActionBase._parse_returned_data and
// json_utils._filter_non_json_lines): lines before the first line starting with '{' and after the
// last line ending with '}' are dropped (junk after the JSON is warned about); output that is not
// JSON is a "MODULE FAILURE" carrying module_stdout, module_stderr and rc.
import type { ModuleResult } from '../modules-sdk/types.js';
import type { ExecResult } from '../transport/types.js';

/** _filter_non_json_lines(data, objects_only=True). */
export function filterNonJsonLines(data: string): { json: string; warnings: string[] } {
  const lines = data.split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === '' && /(\r\n|\r|\n)$/.test(data)) lines.pop();
  const start = lines.findIndex((l) => l.trim().startsWith('{'));
  if (start < 0) throw new SyntaxError('No start of json char found');
  const rest = lines.slice(start);
  let endOffset = -1;
  for (let i = rest.length - 1; i >= 0; i--) {
    if (rest[i].trim().endsWith('}')) {
      endOffset = rest.length - 1 - i;
      break;
    }
  }
  if (endOffset < 0) throw new SyntaxError('No end of json char found');
  const warnings: string[] = [];
  const trailing = rest.slice(rest.length - endOffset);
  if (endOffset > 0 && trailing.some((l) => l.trim())) warnings.push(`Module invocation had junk after the JSON data: ${trailing.join('\n')}`);
  return { json: rest.slice(0, rest.length - endOffset).join('\n'), warnings };
}

/**
 * The module's result, or the MODULE FAILURE Ansible builds. `interpreter` is the command the
 * module ran with (a missing one gets Ansible's "set the interpreter" hint).
 */
export function parseModuleOutput(res: ExecResult, interpreter: string | undefined, warn: (m: string) => void): ModuleResult {
  try {
    const { json, warnings } = filterNonJsonLines(res.stdout);
    const data = JSON.parse(json) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SyntaxError('not an object');
    for (const w of warnings) warn(w);
    return data as ModuleResult;
  } catch {
    const out: ModuleResult = { failed: true, module_stdout: res.stdout, module_stderr: res.stderr };
    if (res.stderr.startsWith('Traceback')) out.exception = res.stderr;
    else if (res.stdout.startsWith('Traceback')) out.exception = res.stdout;
    let msg = 'MODULE FAILURE';
    if (interpreter) {
      const esc = interpreter.replace(/^[#!]+/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const missing = new RegExp(`${esc}: (?:No such file or directory|not found)`);
      if (missing.test(res.stderr) || missing.test(res.stdout)) msg = 'The module failed to execute correctly, you probably need to set the interpreter.';
    }
    out.msg = `${msg}\nSee stdout/stderr for the exact error`;
    out.rc = res.rc;
    return out;
  }
}

/** What _execute_module adds after parsing: stdout_lines/stderr_lines for stdout/stderr. */
export function withLines(r: ModuleResult): ModuleResult {
  const split = (s: unknown) => (typeof s === 'string' && s ? s.split(/\r\n|\r|\n/).filter((_l, i, a) => i < a.length - 1 || _l !== '') : []);
  if ('stdout' in r && !('stdout_lines' in r)) r.stdout_lines = split(r.stdout);
  if ('stderr' in r && !('stderr_lines' in r)) r.stderr_lines = split(r.stderr);
  return r;
}

/**
 * The output of a module run as an async job, read as async_wrapper's _run_module reads it: junk
 * warnings merged into the result's warnings, the module's stderr kept as `stderr`; output that is
 * not JSON gives async_wrapper's failure (the output as `data`, the parse error as `msg`).
 */
export function parseAsyncOutput(res: ExecResult, cmd: string): ModuleResult {
  try {
    const { json, warnings } = filterNonJsonLines(res.stdout);
    const data = JSON.parse(json) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SyntaxError('Expecting value');
    const r = data as ModuleResult;
    if (warnings.length) r.warnings = [...(Array.isArray(r.warnings) ? r.warnings : r.warnings === undefined ? [] : [r.warnings]), ...warnings];
    if (res.stderr) r.stderr = res.stderr;
    return r;
  } catch (e) {
    const reason = e instanceof SyntaxError ? e.message : String(e);
    return { failed: 1 as unknown as boolean, cmd, data: res.stdout, stderr: res.stderr, msg: `Traceback (most recent call last):\nValueError: ${reason}\n` };
  }
}
