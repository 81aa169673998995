// How a result asks to be displayed, as ansible-core's `_ansible_verbose_always` (debug, assert:
// shown with its payload at any verbosity, indented) and `_ansible_verbose_override` (setup: no
// payload even with -v). Symbols, not keys: they travel with the result object (spread copies
// them) to the reporters but never reach `register`, templates or JSON output.
export const VERBOSE_ALWAYS: unique symbol = Symbol.for('drover.result.verboseAlways');
export const VERBOSE_OVERRIDE: unique symbol = Symbol.for('drover.result.verboseOverride');

/** Mark `result` to be shown with its payload at any verbosity (returns it). */
export function verboseAlways<T extends object>(result: T): T {
  (result as Record<symbol, unknown>)[VERBOSE_ALWAYS] = true;
  return result;
}

/** Mark `result` to be shown without its payload even with -v (returns it). */
export function verboseOverride<T extends object>(result: T): T {
  (result as Record<symbol, unknown>)[VERBOSE_OVERRIDE] = true;
  return result;
}

export function isVerboseAlways(result: object): boolean {
  return (result as Record<symbol, unknown>)[VERBOSE_ALWAYS] === true;
}

export function isVerboseOverride(result: object): boolean {
  return (result as Record<symbol, unknown>)[VERBOSE_OVERRIDE] === true;
}
