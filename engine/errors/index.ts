// Errors for bad input: every one carries where it came from (file, line) and what was expected,
// so the CLI can print "file:line: message" and exit with Ansible's code for that kind of failure.

export interface SourcePos {
  file?: string;
  line?: number; // 1-based
  column?: number; // 1-based
}

export function formatPos(pos: SourcePos | undefined): string {
  if (!pos || !pos.file) return '';
  return pos.line ? `${pos.file}:${pos.line}${pos.column ? ':' + pos.column : ''}` : pos.file;
}

/** Exit codes of ansible-playbook / ansible-inventory that drover reproduces. */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  FAILED_HOSTS: 2,
  UNREACHABLE: 4,
  PARSE_ERROR: 4,
  BAD_OPTIONS: 5,
  USER_INTERRUPTED: 99,
  INTERNAL: 250,
} as const;

/** Malformed user input (inventory, playbook, -e, template). */
export class DroverError extends Error {
  readonly pos?: SourcePos;
  readonly exitCode: number;
  constructor(message: string, opts: { pos?: SourcePos; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DroverError';
    this.pos = opts.pos;
    this.exitCode = opts.exitCode ?? ExitCode.ERROR;
  }
  /** "file:line: message" when a position is known. */
  describe(): string {
    const where = formatPos(this.pos);
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** Inventory sources that cannot be parsed. */
export class InventoryError extends DroverError {
  constructor(message: string, pos?: SourcePos) {
    super(message, { pos, exitCode: ExitCode.ERROR });
    this.name = 'InventoryError';
  }
}

/** Playbook syntax / structure errors (ansible-playbook exits 4 for these). */
export class PlaybookError extends DroverError {
  constructor(message: string, pos?: SourcePos) {
    super(message, { pos, exitCode: ExitCode.PARSE_ERROR });
    this.name = 'PlaybookError';
  }
}

/** Bad command-line options, including malformed -e (exit 5 as Ansible). */
export class OptionsError extends DroverError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.BAD_OPTIONS });
    this.name = 'OptionsError';
  }
}

/** Template errors: names the variable or filter, the template text and where it was written. */
export class TemplateError extends DroverError {
  readonly template: string;
  /** The failure was an undefined variable (Ansible's AnsibleUndefinedVariable), not a broken template. */
  readonly undefinedVariable: boolean;
  /** The Python exception Ansible raises here, for messages that name it (the template module). */
  pythonType: string;
  /** Ansible's templar lets this exception through as it is, not as an AnsibleError (ZeroDivisionError). */
  notAnsibleError = false;
  constructor(message: string, template: string, pos?: SourcePos, undefinedVariable = false) {
    super(message, { pos, exitCode: ExitCode.ERROR });
    this.name = 'TemplateError';
    this.template = template;
    this.undefinedVariable = undefinedVariable;
    this.pythonType = undefinedVariable ? 'AnsibleUndefinedVariable' : 'AnsibleError';
  }
}

/**
 * Errors that only a bug in drover raises: JavaScript's own runtime errors (a property of
 * undefined, an unknown name, a bad length). Everything else thrown while a task runs is that
 * task's failure (DroverError for bad input; plain Error where drover reports what went wrong).
 * Ansible's counterpart is any exception that is not an AnsibleError.
 */
export function isInternalError(e: unknown): boolean {
  return e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof PythonException;
}

/**
 * An exception that is not an AnsibleError, raised by Python code drover runs for a task (a
 * custom action plugin): TaskExecutor reports it as an unexpected failure with its traceback.
 */
export class PythonException extends Error {
  constructor(
    message: string,
    readonly pythonTraceback: string,
  ) {
    super(message);
    this.name = 'PythonException';
  }
}

/**
 * An error's stack laid out as Python prints a traceback: the frames first, "Name: message" on
 * the last line (Ansible's callback shows that last line below -vvv).
 */
export function traceback(e: Error): string {
  if (e instanceof PythonException) return e.pythonTraceback;
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return ['Traceback (most recent call last):', ...frames.reverse(), `${e.name}: ${e.message}`].join('\n') + '\n';
}
