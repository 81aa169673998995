// Running a user command (command and shell modules) in one round trip: the script changes
// directory, evaluates creates/removes, then execs the command so its stdout/stderr/rc are the
// command's own. A sentinel first line reports a skip or a startup error instead.
import { quote, quoteArgv } from './quote.js';
import { ansibleDelta, ansibleTime, buildScript, splitLines } from './script.js';
import type { ModuleContext, ModuleResult } from './types.js';

const SENTINEL = '__DROVER_CMD__';

export interface CommandSpec {
  /** argv for the command module (exec'd without a shell)... */
  argv?: string[];
  /** ...or a command line for the shell module. */
  shell?: string;
  executable?: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdinAddNewline?: boolean;
  stripEmptyEnds?: boolean;
}

/** The schema properties command and shell share (each adds its own: argv, executable). */
export const COMMAND_PROPERTIES: Record<string, unknown> = {
  _raw_params: { type: 'string' },
  cmd: { type: 'string' },
  chdir: { type: 'string' },
  creates: { type: 'string' },
  executable: { type: 'string' },
  argv: { type: 'array', items: { type: 'string' } },
  removes: { type: 'string' },
  stdin: { type: 'string' },
  stdin_add_newline: { type: 'boolean', default: true },
  strip_empty_ends: { type: 'boolean', default: true },
};

/**
 * The command line and options of a command/shell call. The loader already took the option
 * words out of free-form text (before templating, as Ansible's parse_kv does), and turned
 * `cmd` into _raw_params; text that only appears once rendered stays part of the command.
 */
export function commandArgs(args: Record<string, unknown>): {
  line: string | undefined;
  opt: (k: string) => string | undefined;
  options: Pick<CommandSpec, 'chdir' | 'creates' | 'removes' | 'stdin' | 'stdinAddNewline' | 'stripEmptyEnds'>;
} {
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const line = text(args._raw_params) ?? text(args.cmd);
  const opt = (k: string) => text(args[k]);
  const options = {
    chdir: opt('chdir'),
    creates: opt('creates'),
    removes: opt('removes'),
    stdin: opt('stdin'),
    stdinAddNewline: args.stdin_add_newline !== false,
    stripEmptyEnds: args.strip_empty_ends !== false,
  };
  return { line, opt, options };
}

/**
 * One argv word as sh source, with Python's expanduser/expandvars as Ansible 2.14 applies to
 * command arguments: a leading ~ or ~user, $NAME and ${NAME} (left as written when unset).
 */
export function expandWord(word: string): string {
  let out = '';
  let rest = word;
  const tilde = /^~[A-Za-z0-9_.-]*(?=\/|$)/.exec(rest);
  if (tilde) {
    out += tilde[0];
    rest = rest.slice(tilde[0].length);
  }
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) {
    if (m.index > last) out += quote(rest.slice(last, m.index));
    const name = m[1] ?? m[2];
    out += `"$(_d_ev ${name} ${quote(m[0])})"`;
    last = m.index + m[0].length;
  }
  if (last < rest.length) out += quote(rest.slice(last));
  return out === '' ? "''" : out;
}

/** Build the script that runs a CommandSpec. */
export function commandScript(spec: CommandSpec, check: boolean): string {
  const lines: string[] = [
    `_d_ev() { eval "_d_set=\\\${$1+x}"; if [ -n "$_d_set" ]; then eval "printf '%s' \\"\\$$1\\""; else printf '%s' "$2"; fi; }`,
    `_d_any() { _d_o=$IFS; IFS=; for _d_g in $1; do if [ -e "$_d_g" ] || [ -h "$_d_g" ]; then IFS=$_d_o; return 0; fi; done; IFS=$_d_o; return 1; }`,
  ];
  if (spec.chdir) {
    lines.push(`cd -P -- ${quote(spec.chdir)} 2>/dev/null || { printf '%s chdir\\n' ${SENTINEL}; exit 0; }`);
  }
  if (spec.creates) lines.push(`if _d_any ${glob(spec.creates)}; then printf '%s creates\\n' ${SENTINEL}; exit 0; fi`);
  if (spec.removes) lines.push(`if ! _d_any ${glob(spec.removes)}; then printf '%s removes\\n' ${SENTINEL}; exit 0; fi`);
  if (check) {
    lines.push(`printf '%s would\\n' ${SENTINEL}; exit 0`);
  } else if (spec.argv) {
    const argv0 = spec.argv[0];
    // a path that names a directory or a file that cannot run: Python's exec raises EACCES
    if (argv0.includes('/')) {
      const p = expandWord(argv0);
      lines.push(`if [ -d ${p} ] || { [ -e ${p} ] && ! [ -x ${p} ]; }; then printf '%s denied\\n' ${SENTINEL}; exit 0; fi`);
    }
    lines.push(`command -v -- ${expandWord(argv0)} >/dev/null 2>&1 || { printf '%s notfound\\n' ${SENTINEL}; exit 0; }`);
    lines.push('exec ' + spec.argv.map(expandWord).join(' '));
  } else {
    lines.push(`exec ${quote(spec.executable || '/bin/sh')} -c ${quote(spec.shell ?? '')}`);
  }
  return buildScript(...lines);
}

/** A glob for _d_any: the pattern itself, quoted (the function expands it without splitting). */
function glob(p: string): string {
  return quote(p);
}

function stripEnds(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

/** Run a command or shell module invocation; the result has Ansible's keys. */
export async function runCommand(ctx: ModuleContext, spec: CommandSpec, cmd: string[] | string): Promise<ModuleResult> {
  const stdin = spec.stdin === undefined ? undefined : spec.stdin + (spec.stdinAddNewline === false ? '' : '\n');
  const startedAt = new Date();
  const r = await ctx.run(commandScript(spec, ctx.check), stdin === undefined ? {} : { stdin });
  const endedAt = new Date();
  const base = { cmd, stdout: '', stderr: '', rc: 0, start: null, end: null, delta: null, changed: false } as ModuleResult;
  const first = r.stdout.split('\n', 1)[0];
  if (first.startsWith(SENTINEL + ' ') && r.rc === 0) {
    const why = first.slice(SENTINEL.length + 1);
    const would = ctx.check ? 'Would not' : 'Did not';
    if (why === 'creates') {
      return withLines({ ...base, msg: `${would} run command since '${spec.creates}' exists`, stdout: `skipped, since ${spec.creates} exists` });
    }
    if (why === 'removes') {
      return withLines({
        ...base,
        msg: `${would} run command since '${spec.removes}' does not exist`,
        stdout: `skipped, since ${spec.removes} does not exist`,
      });
    }
    if (why === 'chdir') {
      return withLines({
        ...base,
        rc: null,
        failed: true,
        msg: `Unable to change directory before execution: [Errno 2] No such file or directory: b'${spec.chdir}'`,
      });
    }
    if (why === 'notfound' || why === 'denied') {
      // run_command's OSError: fail_json(cmd=_clean_args(args)), the argv quoted and joined
      const { start: _s, end: _e, delta: _d, ...rest } = base;
      const [rc, text] = why === 'notfound' ? [2, 'No such file or directory'] : [13, 'Permission denied'];
      return withLines({ ...rest, cmd: quoteArgv(spec.argv ?? []), rc, failed: true, msg: `[Errno ${rc}] ${text}: b'${spec.argv?.[0]}'` });
    }
    if (why === 'would') {
      const guarded = !!(spec.creates || spec.removes);
      return withLines({
        ...base,
        msg: 'Command would have run if not in check mode',
        ...(guarded ? { changed: true } : { skipped: true }),
      });
    }
  }
  const strip = spec.stripEmptyEnds !== false;
  const res: ModuleResult = {
    cmd,
    stdout: strip ? stripEnds(r.stdout) : r.stdout,
    stderr: strip ? stripEnds(r.stderr) : r.stderr,
    rc: r.rc,
    start: ansibleTime(startedAt),
    end: ansibleTime(endedAt),
    delta: ansibleDelta(endedAt.getTime() - startedAt.getTime()),
    changed: true,
    msg: '',
  };
  if (r.timedOut) {
    res.failed = true;
    res.msg = 'command timed out';
  } else if (r.rc !== 0) {
    res.failed = true;
    res.msg = 'non-zero return code';
  }
  return withLines(res);
}

/** A failure before anything ran, with the keys 2.14's command module always returns. */
export function commandFailure(msg: string, warnings: string[] = []): ModuleResult {
  const r: ModuleResult = { changed: false, stdout: '', stderr: '', rc: 256, cmd: null, start: null, end: null, delta: null, msg, failed: true };
  if (warnings.length) r.warnings = warnings;
  return withLines(r);
}

/**
 * The argument checks command and shell share (the command module's own, in its order): some
 * command, and not both a command line and argv. Returns the failure, or undefined.
 */
export function checkCommandGiven(line: string | undefined, argv: unknown, warnings: string[] = []): ModuleResult | undefined {
  const hasArgv = Array.isArray(argv) && argv.length > 0;
  if ((line === undefined || line.trim() === '') && !hasArgv) return commandFailure('no command given', warnings);
  if (line !== undefined && line !== '' && hasArgv) return commandFailure('only command or argv can be given, not both', warnings);
  return undefined;
}

/** Add stdout_lines / stderr_lines. */
export function withLines(r: ModuleResult): ModuleResult {
  r.stdout_lines = splitLines(String(r.stdout ?? ''));
  r.stderr_lines = splitLines(String(r.stderr ?? ''));
  return r;
}
