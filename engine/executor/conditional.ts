// The warning ansible-core 2.14's Conditional._check_conditional prints for a conditional
// (when, changed_when, failed_when, until, assert's `that`) written with template delimiters.
import { isTemplateString } from '../template/index.js';

/** The warning for `c`, or undefined when it is a bare expression. */
export function conditionalWarning(c: unknown): string | undefined {
  if (typeof c !== 'string' || !isTemplateString(c)) return undefined;
  return `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${c}`;
}
