// Task._post_validate_args of ansible-core 2.14: rendered arguments that still hold
// `_variable_params` (free-form text given to a module that takes none, or `args: "{{ d }}"`)
// are merged when they rendered to a dict, and are a task failure otherwise.

/** The arguments to run with, or the task's failure message. */
export function spliceVariableParams(args: Record<string, unknown>, warn: (message: string) => void, injectFacts: boolean): { args: Record<string, unknown> } | { error: string } {
  if (!('_variable_params' in args)) return { args };
  const { _variable_params: params, ...rest } = args;
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    if (injectFacts) {
      warn("Using a variable for a task's 'args' is unsafe in some situations (see https://docs.ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)");
    }
    return { args: { ...(params as Record<string, unknown>), ...rest } };
  }
  // garbage left after k=v parsing (ansible/ansible#79862)
  return { error: `invalid or malformed argument: '${String(params)}'` };
}
