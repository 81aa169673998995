import { defineConfig } from 'vitest/config';
import { unitTestFiles } from './test/support/tiers.js';

// DROVER_TEST_TIER=unit (`npm run test:unit`): the fast tier, the test files that need no root, lab,
// sshd or ansible (test/support/tiers.ts decides), with the same build step, clean-up check and guard.
const unitTier = process.env.DROVER_TEST_TIER === 'unit';

export default defineConfig({
  test: {
    include: unitTier ? unitTestFiles(import.meta.dirname) : ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Builds dist/ once (failing the run when the build fails) and checks no temporary files are left.
    globalSetup: ['test/support/global-setup.ts'],
    // Removes each file's tempDir() directories when the file ends.
    setupFiles: ['test/support/cleanup-setup.ts'],
    // In CI as root, a skip not listed in test/support/documented-skips.ts fails the run.
    reporters: ['default', './test/support/skip-guard.ts'],
    // The live-view tests emulate a terminal; ink switches to last-frame-only output when it sees
    // CI in the environment (is-in-ci, read at import), so the tests run as if outside CI.
    env: { CI: '0', CONTINUOUS_INTEGRATION: '0' },
  },
});
