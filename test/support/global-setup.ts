// Vitest globalSetup: build dist/ once before any test file runs and fail the run loudly when the
// build fails (many tests run bin/drover, which runs dist/; a stale or broken build must not pass or
// skip them), and give the run a private temporary directory that must be empty at the end, so a
// test or drover itself leaving temporary files behind fails the run instead of filling /tmp.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Compiles engine/ and modules/ into dist/ (incremental: a no-op build takes seconds). */
export function buildOnce(root: string = ROOT): void {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    const output = `${x.stdout ?? ''}${x.stderr ?? ''}`.trim() || x.message;
    throw new Error(`the build failed (tsc -p tsconfig.build.json), so no test runs against a stale dist/:\n${output}`);
  }
}

/** Entries of the shared temporary directory that look like drover's or its tests' leftovers. */
function droverEntries(dir: string): Set<string> {
  return new Set(readdirSync(dir).filter((n) => /drover/.test(n)));
}

export default function setup(): () => void {
  // A vitest run nested in a test (suite-guards.test.ts) inherits the outer run's fresh build.
  if (process.env.DROVER_TEST_BUILT !== ROOT) buildOnce();
  process.env.DROVER_TEST_BUILT = ROOT;
  const shared = tmpdir();
  const before = droverEntries(shared);
  // Every test worker, and every drover or ansible child it spawns, inherits TMPDIR.
  const runTmp = mkdtempSync(join(shared, 'vitest-run-'));
  process.env.TMPDIR = runTmp;
  return () => {
    const problems: string[] = [];
    const left = readdirSync(runTmp);
    if (left.length) problems.push(`left in the run's temporary directory ${runTmp}: ${left.join(', ')}`);
    rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
    // Paths that ignore TMPDIR (a module's /tmp on a local host) are only attributable to this run
    // when nothing else runs beside it, as in CI.
    if (/^(1|true)$/i.test(process.env.CI ?? '')) {
      const added = [...droverEntries(shared)].filter((n) => !before.has(n));
      if (added.length) problems.push(`new drover entries in ${shared}: ${added.join(', ')}`);
    }
    if (problems.length) {
      process.stderr.write(`\nThe tests did not clean up after themselves:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  };
}
