// What a task's result looks like when it is not the module's own: censored for no_log (as
// ansible-core's TaskResult.clean_copy) or built from an error raised while the task ran (as
// TaskExecutor.run: AnsibleError, or an unexpected exception, i.e. a drover bug).
import { DroverError, isInternalError, traceback } from '../errors/index.js';

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

/** What a no_log result shows (TaskResult.clean_copy): the notice and the keys Ansible keeps. */
export function censor(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { censored: NO_LOG_MSG };
  for (const k of ['attempts', 'changed', 'retries']) if (result[k] !== undefined) out[k] = result[k];
  return out;
}
