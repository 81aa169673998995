// Ansible's strict "undefined" value: looking up a missing variable or attribute yields an
// Undefined that may be tested (`is defined`) or defaulted, but fails as soon as it is used.

/** Raised when an Undefined is used; the templar turns it into a TemplateError with context. */
export class UndefinedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndefinedError';
  }
}

/** Any failure inside a template (bad operand types, failing filter...). */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

/**
 * A Python exception that ansible-core's templar lets through as it is, not as an AnsibleError
 * (ZeroDivisionError): where task arguments are rendered, Ansible reports it as an exception
 * during task execution, with a traceback and no message.
 */
export class PyRuntimeError extends EvalError {
  constructor(
    message: string,
    readonly pyClass: string,
  ) {
    super(message);
    this.name = 'PyRuntimeError';
  }
}

export class Undefined {
  /** e.g. "'foo' is undefined" or "'node' has no attribute 'ip'". */
  readonly message: string;
  /** The variable name (first segment) for `mandatory` messages. */
  readonly name: string;
  /** Prints as empty text instead of failing (an inline `if` without `else`). */
  readonly soft: boolean;
  constructor(message: string, name: string, soft = false) {
    this.message = message;
    this.name = name;
    this.soft = soft;
  }
  fail(): never {
    throw new UndefinedError(this.message);
  }
  toString(): string {
    return this.fail();
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

export function undefinedVar(name: string): Undefined {
  return new Undefined(`'${name}' is undefined`, name);
}

/** Throw if `v` is Undefined, otherwise return it. */
export function defined<T>(v: T): Exclude<T, Undefined> {
  if (v instanceof Undefined) v.fail();
  return v as Exclude<T, Undefined>;
}

const OPAQUE = Symbol.for('drover.opaque');

/** Throw on the first Undefined found inside a value (used before output / native return). */
export function assertDeepDefined(v: unknown, depth = 0): void {
  if (v instanceof Undefined) v.fail();
  if (depth > 50 || v === null || typeof v !== 'object') return;
  // lazy views (hostvars) render a value only when it is read, as Ansible's HostVars do
  if ((v as Record<symbol, unknown>)[OPAQUE]) return;
  if (Array.isArray(v)) {
    for (const x of v) assertDeepDefined(x, depth + 1);
  } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    for (const k in v) assertDeepDefined((v as Record<string, unknown>)[k], depth + 1);
  }
}
