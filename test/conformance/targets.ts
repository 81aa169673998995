// The shared ansible-core 2.14 integration targets (../shared/conformance/ansible-2.14-targets):
// where they are, how run.sh is called and read, and which targets drover is known to pass.
// PASSING is measured (npm run conformance prints the list to paste); a target leaves it only
// with a row in README.md's table saying why it does not pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.js';
import { adhocShimDir } from './adhoc-shim.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared conformance folder: $DROVER_CONFORMANCE_DIR, ../shared/conformance beside the clone, /work/shared/conformance. */
export function conformanceDir(): string {
  const candidates = [process.env.DROVER_CONFORMANCE_DIR, join(REPO_ROOT, '..', 'shared', 'conformance'), '/work/shared/conformance'];
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(join(c as string, 'ansible-2.14-targets', 'run.sh')));
  if (!found) throw new Error(`the shared conformance material is missing: looked for ansible-2.14-targets/run.sh in ${candidates.filter(Boolean).join(', ')} (set DROVER_CONFORMANCE_DIR)`);
  return found;
}

/** Every target of targets.txt, in its order. */
export function listedTargets(dir = conformanceDir()): string[] {
  return readFileSync(join(dir, 'ansible-2.14-targets', 'targets.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[0]);
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';
export interface TargetResult {
  name: string;
  ansible: Verdict;
  drover: Verdict;
}

/** run.sh's lines "NAME ansible=X drover=Y". */
export function parseRunOutput(text: string): TargetResult[] {
  const out: TargetResult[] = [];
  for (const m of text.matchAll(/^(\S+) ansible=(PASS|FAIL|SKIP) drover=(PASS|FAIL|SKIP)/gm)) {
    out.push({ name: m[1], ansible: m[2] as Verdict, drover: m[3] as Verdict });
  }
  return out;
}

export interface RunOptions {
  /** both (default) or drover only (then drover runs whatever ansible would say). */
  only?: 'both' | 'drover';
  timeoutSec?: number;
  /** Called with each result line as it comes. */
  onResult?: (r: TargetResult) => void;
}

/** Run run.sh on `targets` with this checkout's bin/drover; resolves with every result. */
export function runTargets(targets: string[], opts: RunOptions = {}): Promise<{ results: TargetResult[]; logs: string }> {
  const dir = conformanceDir();
  const work = tempDir('drover-conformance-');
  // the targets' own temporary files (the tempfile target's ansible.* files...) stay in the work folder
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  // ad-hoc `ansible` goes to `drover adhoc` in the drover run (adhoc-shim.ts)
  const path = `${adhocShimDir()}:${process.env.PATH ?? ''}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, WORK: work, TMPDIR: tmp, TIMEOUT: String(opts.timeoutSec ?? 300) };
  delete env.CI;
  if (opts.only === 'drover') Object.assign(env, { ONLY: 'drover', ALWAYS_DROVER: '1' });
  return new Promise((res, rej) => {
    const child = spawn(join(dir, 'ansible-2.14-targets', 'run.sh'), [join(REPO_ROOT, 'bin', 'drover'), ...targets], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let pending = '';
    child.stdout.on('data', (b: Buffer) => {
      text += b.toString();
      pending += b.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const r of parseRunOutput(lines.join('\n'))) opts.onResult?.(r);
    });
    child.stderr.on('data', (b: Buffer) => (text += b.toString()));
    child.on('error', rej);
    child.on('close', () => {
      const results = parseRunOutput(text);
      // keep the failing targets' drover logs for the report, then drop the scratch folder
      const logs = results
        .filter((r) => r.drover === 'FAIL')
        .map((r) => {
          const f = join(work, 'logs', `${r.name}.drover.log`);
          return existsSync(f) ? `==== ${r.name}\n${readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}` : '';
        })
        .join('\n');
      rmSync(work, { recursive: true, force: true });
      res({ results, logs });
    });
  });
}
