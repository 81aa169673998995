// CI profile of the side-by-side benchmark (issue 8): `mixed` on a fresh lab of BENCH_HOSTS hosts
// (default 10; CI time is scarce) with drover and ansible-playbook through test/bench/run.mjs.
// It asserts correctness only — both tools print the same recap and leave the same files on every
// host — and prints the timing table and ratios; speed is never asserted here.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, labSkipReason, ROOT } from '../lab/helpers.js';

const run = promisify(execFile);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 10);

function skipReason(): string | undefined {
  const lab = labSkipReason();
  if (lab) return lab;
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'ansible-playbook missing (Debian package ansible-core)';
  }
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`skipping the benchmark profile: ${skip}`);

interface Out {
  meta: { busy: boolean; load: number };
  rows: { tool: string; check?: string; recapTotals?: string; digest?: string; exit?: number; wall?: number }[];
  ratios: Record<string, { wall?: number; cpu?: number }>;
}

describe.skipIf(skip !== undefined)('benchmark profile: mixed, drover vs ansible-playbook', () => {
  it(`gives the same recap and host state as ansible-playbook on ${HOSTS} hosts`, async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'drover-bench-ci-'));
    const json = join(dir, 'out.json');
    const args = [join(ROOT, 'test', 'bench', 'run.mjs'), '--scenario', 'mixed', '--hosts', String(HOSTS), '--tools', 'ansible,drover', '--json', json, '--csv', join(dir, 'bench.csv')];
    let stdout = '';
    try {
      stdout = (await run(process.execPath, args, { maxBuffer: 1 << 24, timeout: 560_000, killSignal: 'SIGTERM' })).stdout;
    } catch (e) {
      // run.mjs exits 1 on a mismatch (its table says which check failed); on the timeout it
      // gets SIGTERM, stops the tool and tears its lab down
      stdout = (e as { stdout?: string }).stdout ?? String(e);
    }
    console.log(stdout);
    // run.mjs takes its lab down, also when stopped; if it was killed before that finished, do it here
    const lab = /^lab (\S+): \d+ hosts up/m.exec(stdout)?.[1];
    if (lab && existsSync(join(process.env.DROVER_LAB_DIR ?? '/var/lib/drover/labs', lab))) {
      await run(process.execPath, [join(ROOT, 'bin', 'drover'), 'lab', 'down', lab], { timeout: 300_000 }).catch((e: unknown) => console.error(`lab down ${lab}: ${String(e)}`));
    }
    // no JSON: run.mjs was stopped (the budget above) or failed before its table
    if (!existsSync(json)) throw new Error(`run.mjs wrote no results (stopped after its budget or failed); its output:\n${stdout}`);
    const out = JSON.parse(readFileSync(json, 'utf8')) as Out;
    const byTool = Object.fromEntries(out.rows.map((r) => [r.tool, r]));
    expect(byTool.ansible.exit).toBe(0);
    expect(byTool.ansible.recapTotals).toBe(`${HOSTS}h ok=${HOSTS * 10} ch=${HOSTS * 4} f=0 s=0 u=0`);
    expect(byTool.drover.recapTotals).toBe(byTool.ansible.recapTotals);
    expect(byTool.drover.digest).toBe(byTool.ansible.digest);
    expect(out.rows.map((r) => `${r.tool}: ${r.check}`)).toEqual(['ansible: ok', 'drover: ok']);
    expect(out.ratios.ansible.wall).toBeGreaterThan(0);
  }, 600_000); // ~40 s on an idle 2-core box; more than 280 s at load 30 (ansible alone)
});
