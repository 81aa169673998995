// `drover playbook` in this process (like test/lab/helpers.ts's playbook) with the time each task
// took, for profiling the module lab tests: MODLAB_TIMING=1 prints every run's total and its
// slowest tasks to stderr.
import { playbookCommand } from '../../engine/cli/playbook-cmd.js';
import type { CliResult } from '../lab/helpers.js';

export interface TimedResult extends CliResult {
  ms: number;
  /** [task header, ms until the next header or the end] in run order. */
  tasks: [string, number][];
}

export async function timedPlaybook(label: string, args: string[], env: Record<string, string> = { DROVER_OUTPUT: 'plain' }): Promise<TimedResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let stdout = '';
  const t0 = Date.now();
  const marks: [string, number][] = [];
  let code: number;
  let stderr = '';
  try {
    code = await playbookCommand(args, (s) => {
      for (const m of s.matchAll(/^(TASK|PLAY) \[(.*)\]/gm)) marks.push([`${m[1]} ${m[2]}`, Date.now()]);
      stdout += s;
    });
  } catch (e) {
    code = -1;
    stderr = String((e as Error).stack ?? e);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const end = Date.now();
  const tasks = marks.map(([n, t], i): [string, number] => [n, (marks[i + 1]?.[1] ?? end) - t]);
  if (process.env.MODLAB_TIMING) {
    const slow = [...tasks].sort((a, b) => b[1] - a[1]).slice(0, 8);
    process.stderr.write(`[timing] ${label}: ${end - t0} ms, ${tasks.length} headers; slowest: ${slow.map(([n, ms]) => `${n} ${ms}`).join(' | ')}\n`);
  }
  return { code, stdout, stderr, ms: end - t0, tasks };
}
