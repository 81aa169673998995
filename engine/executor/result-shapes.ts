// What a task's result looks like when it is not the module's own: censored for no_log (as
// ansible-core's TaskResult.clean_copy) or built from an error raised while the task ran (as
// TaskExecutor.run: AnsibleError, or an unexpected exception, i.e. a drover bug).
import { DroverError, TemplateError, isInternalError, traceback } from '../errors/index.js';

const NO_LOG_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/**
 * The result of a task that threw: the error's message, or for a drover bug what ansible-core's
 * TaskExecutor returns for an unexpected exception (its message and traceback; the callback
 * says "An exception occurred during task execution" and shows the traceback at -vvv).
 */
export function errorResult(e: Error): Record<string, unknown> {
  if (isInternalError(e)) return { failed: true, msg: `Unexpected failure during module execution: ${e.message}`, exception: traceback(e), stdout: '' };
  // an error raised out of the task (TaskExecutor.run's AnsibleError): failed and msg, no `changed`
  return { failed: true, msg: e instanceof DroverError ? e.describe() : e.message };
}

/**
 * The result of a task whose arguments failed to render with a Python exception that is not an
 * AnsibleError (TaskExecutor._execute around Task.post_validate): failed, unchanged, with the
 * traceback and no message; undefined for any other error, which fails the task as usual.
 */
export function postValidateException(e: unknown): Record<string, unknown> | undefined {
  if (!(e instanceof TemplateError) || !e.notAnsibleError) return undefined;
  const message = e.message.replace(/ in template "[\s\S]*$/, '').replace(/^[\s\S]*: (?=[^:]*$)/, '');
  return { changed: false, failed: true, exception: `Traceback (most recent call last):\n  File "<template>", line 1, in root\n${e.pythonType}: ${message}\n` };
}

/** What a no_log result shows (TaskResult.clean_copy): the notice and the keys Ansible keeps. */
export function censor(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { censored: NO_LOG_MSG };
  for (const k of ['attempts', 'changed', 'retries']) if (result[k] !== undefined) out[k] = result[k];
  return out;
}
