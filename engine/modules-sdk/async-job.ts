// Background jobs on the host, as ansible-core 2.14's async_wrapper keeps them: a job file
// `<async dir>/<jid>` holding {"started": 1, "finished": 0, "ansible_job_id": ...} while the job
// runs and the module's JSON result once it is done, a supervisor that kills the job past its
// time limit (writing "Timeout exceeded"), and async_status' reading of that file.
//
// A drover module runs in the controller and sends commands; in a job each command is started
// detached on the host (its own session, HUP ignored, output to files next to the job file) and
// waited for by polling, so the host's connection stays free for the next tasks and the command
// outlives the connection. The supervisor runs on the host too; the final JSON is written by
// drover when the module returns.
import { randomInt } from 'node:crypto';
import { jsonDumps } from '../template/pydump.js';
import { quote } from './quote.js';
import { buildScript, parseOutput, shVars, splitLines } from './script.js';
import type { ModuleContext, ModuleResult } from './types.js';
import type { ExecOptions, ExecResult } from '../transport/types.js';

export const DEFAULT_ASYNC_DIR = '~/.ansible_async';

/** async_wrapper's supervision step (seconds): it checks the job this often. */
const WATCH_STEP = 5;

/** A started job: its id and where its file is on the host. */
export interface Job {
  jid: string;
  /** The job file, ~ expanded (results_file). */
  file: string;
}

/** The async dir of the task: the `ansible_async_dir` variable (the shell's async_dir option). */
export function asyncDir(ctx: Pick<ModuleContext, 'vars'>): string {
  const v = ctx.vars.ansible_async_dir;
  return v === undefined || v === null || v === '' ? DEFAULT_ASYNC_DIR : String(v);
}

/** Shell lines setting $d to the async dir with ~ expanded as the remote user's shell would. */
function dirLines(dir: string): string {
  return `${shVars({ d: dir })}\n_d_home d`;
}

/** Python's json.dumps (what async_wrapper and the modules write). */
function dumps(v: unknown): string {
  return jsonDumps(v, { ensureAscii: true });
}

/**
 * Create the job: the async dir, the job file in its "started" state, the `.running` marker
 * and the supervisor that kills the job's current command after `limitSec` (in the same steps
 * as async_wrapper: a first step, then one per step until the limit is used up).
 */
export async function startJob(ctx: ModuleContext, limitSec: number): Promise<Job | { failed: string }> {
  const base = `j${randomInt(0, 999_999_999_999)}`;
  const r = await ctx.run(
    buildScript(
      dirLines(asyncDir(ctx)),
      shVars({ base, limit: Math.max(0, Math.trunc(limitSec)), step: WATCH_STEP }),
      String.raw`mkdir -p -- "$d" 2>/dev/null || _d_fail "could not create directory: $d"
jid="$base.$$"; job="$d/$jid"
printf '{"started": 1, "finished": 0, "ansible_job_id": "%s"}' "$jid" > "$job.tmp" && mv -f -- "$job.tmp" "$job" || _d_fail "could not write $job"
: > "$job.running"
( trap '' HUP
  r=$limit; sleep $step
  while [ -e "$job.running" ]; do
    sleep $step; r=$((r - step))
    if [ $r -le 0 ] && [ -e "$job.running" ]; then
      p=$(cat "$job.pid" 2>/dev/null)
      printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "${'$'}{p:-0}" > "$job.tmp" && mv -f -- "$job.tmp" "$job"
      rm -f -- "$job.running"
      [ -n "$p" ] && { kill -KILL -"$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; }
      rm -f -- "$job.sh" "$job.in" "$job.out" "$job.err" "$job.rc" "$job.pid"
      break
    fi
  done ) </dev/null >/dev/null 2>&1 &
_d_emit jid "$jid"; _d_emit file "$job"`,
    ),
  );
  const { fields } = parseOutput(r.stdout);
  if (fields.failed !== undefined) return { failed: fields.failed };
  if (r.rc !== 0 || !fields.jid) return { failed: (r.stderr || r.stdout).trim() || `could not start the job (rc ${r.rc})` };
  return { jid: fields.jid, file: fields.file };
}

/**
 * How long to wait between checks of a running job command: every quarter second for the
 * first ten seconds (a short job is seen done about when async_wrapper would report it), then
 * every second.
 */
function backoff(attempt: number): number {
  return attempt < 40 ? Math.min(250, 10 * 2 ** attempt) : 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms).unref());
}

/**
 * Run one command of the job detached on the host and wait for it: the script goes to
 * `<job>.sh`, its stdin to `<job>.in`, output to `<job>.out`/`.err`, rc to `<job>.rc`, the pid
 * (= its process group, for the supervisor) to `<job>.pid`. A command killed by the
 * supervisor comes back as rc 137 with timedOut.
 */
export async function runInJob(ctx: ModuleContext, job: Job, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  const stdin = opts.stdin === undefined ? '' : Buffer.from(opts.stdin).toString('utf8');
  const { stdin: _ignored, ...rest } = opts;
  const launch = await ctx.run(
    buildScript(
      shVars({ job: job.file }),
      `printf '%s' ${quote(command)} > "$job.sh" && printf '%s' ${quote(stdin)} > "$job.in" || _d_fail "could not write $job.sh"`,
      'rm -f -- "$job.rc" "$job.pid"',
      // setsid: its own session and process group, so the supervisor can kill the whole tree
      String.raw`if command -v setsid >/dev/null 2>&1; then _d_s=setsid; else _d_s=; fi
( trap '' HUP; exec $_d_s /bin/sh -c 'echo $$ > "$1.pid"; /bin/sh "$1.sh" < "$1.in" > "$1.out" 2> "$1.err"; echo $? > "$1.rc.tmp"; mv -f -- "$1.rc.tmp" "$1.rc"' _ "$job" ) </dev/null >/dev/null 2>&1 &
_d_emit launched 1`,
    ),
    rest,
  );
  const lf = parseOutput(launch.stdout).fields;
  if (!lf.launched) return { rc: launch.rc || 1, stdout: '', stderr: lf.failed ?? launch.stderr, durationMs: Date.now() - started };
  const check = buildScript(
    shVars({ job: job.file }),
    String.raw`if [ -e "$job.rc" ]; then _d_emit rc "$(cat "$job.rc")"; elif [ ! -e "$job.running" ]; then _d_emit killed 1; fi`,
  );
  for (let attempt = 0; ; attempt++) {
    await sleep(backoff(attempt));
    const f = parseOutput((await ctx.run(check)).stdout).fields;
    if (f.rc === undefined && !f.killed) continue;
    const [out, err] = await Promise.all([ctx.conn.getFile(`${job.file}.out`), ctx.conn.getFile(`${job.file}.err`)]);
    await ctx.run(`rm -f -- ${['sh', 'in', 'out', 'err', 'rc', 'pid'].map((x) => quote(`${job.file}.${x}`)).join(' ')}`);
    const killed = f.rc === undefined;
    return { rc: killed ? 137 : Number(f.rc), stdout: out.toString('utf8'), stderr: err.toString('utf8'), timedOut: killed || undefined, durationMs: Date.now() - started };
  }
}

/**
 * Write the module's result as the job's final state, unless the supervisor already wrote
 * "Timeout exceeded" (the `.running` marker is gone then).
 */
export async function finishJob(ctx: ModuleContext, job: Job, result: ModuleResult): Promise<void> {
  await ctx.run(
    buildScript(
      shVars({ job: job.file }),
      String.raw`[ -e "$job.running" ] || exit 0
cat > "$job.tmp" && mv -f -- "$job.tmp" "$job"; rm -f -- "$job.running"`,
    ),
    // the module's own JSON: stdout_lines/stderr_lines are the action's, added when it is read
    { stdin: dumps(Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'stdout_lines' && k !== 'stderr_lines'))) },
  );
}

/** async_status (action + module): the job's state, or its file erased in cleanup mode. */
export async function jobStatus(ctx: ModuleContext, jid: string, mode: 'status' | 'cleanup'): Promise<ModuleResult> {
  const dir = asyncDir(ctx);
  const r = await ctx.run(
    buildScript(
      dirLines(dir),
      shVars({ jid, mode }),
      String.raw`f="$d/$jid"; _d_emit dir "$d"; _d_emit file "$f"
[ -e "$f" ] || { _d_emit missing 1; exit 0; }
if [ "$mode" = cleanup ]; then rm -f -- "$f"; exit 0; fi
printf '%s\n' __DROVER_BODY__; cat -- "$f"`,
    ),
  );
  const { fields, body } = parseOutput(r.stdout);
  const file = fields.file ?? `${dir}/${jid}`;
  const expanded = fields.dir ?? dir;
  // what the async_status action puts in before the module's answer is merged over it
  const action: ModuleResult = {
    started: mode === 'cleanup' ? 0 : 1, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], ansible_job_id: jid,
    ...(mode === 'cleanup' ? { erased: file } : { results_file: file }),
  };
  // the action passes the dir ~-expanded (_remote_expand_user)
  const invocation = { module_args: { _async_dir: expanded, jid, mode } };
  if (r.rc !== 0) return { ...action, failed: true, msg: r.stderr.trim() || `async_status failed (rc ${r.rc})` };
  if (fields.missing) return { ...action, failed: true, msg: 'could not find job', ansible_job_id: jid, started: 1, finished: 1, invocation };
  if (mode === 'cleanup') return { ...action, ansible_job_id: jid, erased: file, invocation };
  let data: unknown;
  try {
    data = JSON.parse(body ?? '');
  } catch {
    // not written yet: the job is running
    if (!body) return { ...action, results_file: file, ansible_job_id: jid, started: 1, finished: 0, invocation };
    return { ...action, failed: true, results_file: file, ansible_job_id: jid, msg: `Could not parse job output: ${body}`, started: 1, finished: 1, invocation };
  }
  const out = { ...(data as Record<string, unknown>) };
  if (!('started' in out)) {
    out.finished = 1;
    out.ansible_job_id = jid;
  } else if (!('finished' in out)) out.finished = 0;
  if (out.invocation === undefined) out.invocation = invocation;
  // _execute_module splits stdout/stderr into lines when the module did not
  for (const k of ['stdout', 'stderr'] as const) {
    if (typeof out[k] === 'string' && out[`${k}_lines`] === undefined) out[`${k}_lines`] = splitLines(out[k]);
  }
  return { ...action, ...out };
}
