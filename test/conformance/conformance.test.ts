// Conformance with ansible-core 2.14's own integration targets (../shared/conformance), run by
// the shared run.sh. In CI: the fixed CI_SUBSET, drover only (each of them passes with
// ansible-playbook here, measured in the full run). `npm run conformance`: every target, both
// tools. Either way the pass count is printed and a known-passing target that fails fails the
// test; the full run also lists targets that pass now and are not in PASSING yet.
// README.md's table must name every listed target that is not in PASSING, with its reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI_SUBSET, PASSING } from './status.js';
import { listedTargets, REPO_ROOT, runTargets } from './targets.js';

const FULL = process.env.CONFORMANCE_FULL === '1';

/** Targets named in the first column of README.md's table rows. */
function tableTargets(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of readFileSync(join(REPO_ROOT, 'test', 'conformance', 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)) rows.set(m[1], m[2].trim());
  return rows;
}

describe('ansible-core 2.14 integration targets', () => {
  it('every listed target passes or has a row with its reason in test/conformance/README.md', () => {
    const table = tableTargets();
    const missing = listedTargets().filter((t) => !PASSING.includes(t) && !table.has(t));
    expect(missing, 'targets neither passing nor explained in the README table').toEqual([]);
    const stale = [...table.keys()].filter((t) => PASSING.includes(t));
    expect(stale, 'README rows for targets that pass now').toEqual([]);
    expect(CI_SUBSET.filter((t) => !PASSING.includes(t)), 'CI subset targets must be known to pass').toEqual([]);
  });

  it(FULL ? 'full run: every known-passing target still passes' : 'CI subset: every target still passes with drover', async () => {
    const targets = FULL ? listedTargets() : CI_SUBSET;
    // two run.sh at once (each with its own scratch folder): the targets are mostly process
    // start-up, so two shards keep both cores busy and halve the wall time; results in list order
    const shards = [0, 1].map((k) => targets.filter((_, i) => i % 2 === k));
    const runs = await Promise.all(shards.map((s) => runTargets(s, { only: FULL ? 'both' : 'drover' })));
    const results = runs.flatMap((r) => r.results).sort((a, b) => targets.indexOf(a.name) - targets.indexOf(b.name));
    const logs = runs.map((r) => r.logs).filter(Boolean).join('\n');
    expect(results.map((r) => r.name)).toEqual(targets);
    const passed = results.filter((r) => r.drover === 'PASS').map((r) => r.name);
    if (FULL) {
      const baseline = results.filter((r) => r.ansible === 'PASS').length;
      console.log(`conformance: drover passes ${passed.length} of the ${baseline} targets ansible-playbook passes (${results.length} listed)`);
      const fresh = passed.filter((t) => !PASSING.includes(t));
      if (fresh.length) console.log(`passing now, not yet in PASSING: ${fresh.join(' ')}`);
      const failedAnsible = results.filter((r) => r.ansible !== 'PASS').map((r) => r.name);
      if (failedAnsible.length) console.log(`ansible-playbook itself fails here: ${failedAnsible.join(' ')}`);
    } else {
      console.log(`conformance (CI subset, drover only): ${passed.length}/${targets.length} pass; ${PASSING.length} of ${listedTargets().length} listed targets are known to pass (npm run conformance for the full run)`);
    }
    const lost = PASSING.filter((t) => targets.includes(t) && !passed.includes(t));
    expect(lost, `known-passing targets that fail now:\n${logs}`).toEqual([]);
  }, FULL ? 4 * 3600_000 : 1800_000);
});
