// Small value helpers for controller-side modules: Python truthiness (assert, conditionals) and
// recognising the template engine's Undefined without importing it.

/** Python's bool(): empty strings, lists, dicts, 0 and None are false. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** An Undefined from the template engine (duck-typed by class name), or JS undefined. */
export function isUndefinedValue(v: unknown): boolean {
  return v === undefined || (typeof v === 'object' && v !== null && (v as object).constructor?.name === 'Undefined');
}

/** Whether an error thrown by ctx.evaluate/render means "this variable is not defined". */
export function isUndefinedError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /is undefined|has no attribute|UndefinedError/.test(msg) || (e instanceof Error && e.name === 'UndefinedError');
}

/**
 * An undefined-variable error as Ansible's AnsibleUndefinedVariable prints it: the Jinja2
 * message twice ("'x' is undefined. 'x' is undefined"); drover's location prefix and template
 * suffix are dropped.
 */
export function undefinedReason(e: Error): string {
  const base = e.message.replace(/^[^\n]*?: task '[^']*': /, '').replace(/ in template "[\s\S]*"$/, '');
  return `${base}. ${base}`;
}
