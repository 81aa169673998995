// CI profile of the side-by-side benchmark (issue 8): `mixed` on a fresh lab of BENCH_HOSTS hosts
// (default 50, as the issue asks) with drover, the raw ssh2 floor and ansible-playbook through
// test/bench/run.mjs. It asserts correctness only — the tools print the same recap and leave the
// same files on every host — and prints the timing table and ratios; speed is never asserted here.
// ansible-playbook gets a budget (ANSIBLE_BUDGET_S): on a loaded CI machine 50 hosts took it from
// ~250 s (idle) to ~950 s (load 13); past the budget its row says TIMEOUT, the ratio is printed as a
// bound, and drover is checked against the raw floor's host state and the expected recap instead.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { labSkipReason, ROOT } from '../lab/helpers.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 50);
const ANSIBLE_BUDGET_S = Number(process.env.BENCH_ANSIBLE_BUDGET ?? 900);

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
  rows: { tool: string; check?: string; recapTotals?: string; digest?: string; exit?: number; wall?: number; timedOut?: number }[];
  ratios: Record<string, { wall?: number; cpu?: number; atMost?: boolean }>;
}

describe.skipIf(skip !== undefined)('benchmark profile: mixed, drover vs ansible-playbook and the raw floor', () => {
  it(`gives the same recap and host state as ansible-playbook and raw on ${HOSTS} hosts`, async () => {
    const dir = tempDir('drover-bench-ci-');
    const json = join(dir, 'out.json');
    const args = [join(ROOT, 'test', 'bench', 'run.mjs'), '--scenario', 'mixed', '--hosts', String(HOSTS), '--tools', 'drover,raw,ansible', '--tool-timeout', String(ANSIBLE_BUDGET_S), '--json', json, '--csv', join(dir, 'bench.csv')];
    let stdout = '';
    try {
      // TMPDIR: run.mjs keeps its work folder for inspection, and a tool it stops leaves its own
      // temporary files; both land in this test's folder, removed with it
      const env = { ...process.env, TMPDIR: dir };
      stdout = (await run(process.execPath, args, { maxBuffer: 1 << 24, timeout: (ANSIBLE_BUDGET_S + 300) * 1000, killSignal: 'SIGTERM', env })).stdout;
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
    const expected = `${HOSTS}h ok=${HOSTS * 10} ch=${HOSTS * 4} f=0 s=0 u=0`;
    expect(byTool.drover.exit).toBe(0);
    expect(byTool.drover.recapTotals).toBe(expected);
    // every tool's host state equals the reference's (ansible when it finished, else drover's)
    expect(byTool.raw.digest).toBe(byTool.drover.digest);
    if (byTool.ansible.timedOut) {
      console.log(`ansible-playbook stopped after its ${ANSIBLE_BUDGET_S} s budget: its ratio is a bound`);
      expect(out.ratios.ansible.atMost).toBe(true);
      expect(out.rows.map((r) => `${r.tool}: ${r.check}`)).toEqual(['drover: ok', 'raw: ok', `ansible: TIMEOUT: stopped after ${ANSIBLE_BUDGET_S} s, not checked`]);
    } else {
      expect(byTool.ansible.exit).toBe(0);
      expect(byTool.ansible.recapTotals).toBe(expected);
      expect(byTool.drover.digest).toBe(byTool.ansible.digest);
      expect(out.rows.map((r) => `${r.tool}: ${r.check}`)).toEqual(['drover: ok', 'raw: ok', 'ansible: ok']);
      expect(out.ratios.ansible.cpu).toBeGreaterThan(0);
    }
    expect(out.ratios.raw.wall).toBeGreaterThan(0);
  }, (ANSIBLE_BUDGET_S + 360) * 1000);
});
