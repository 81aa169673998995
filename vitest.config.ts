import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The live-view tests emulate a terminal; ink switches to last-frame-only output when it sees
    // CI in the environment (is-in-ci, read at import), so the tests run as if outside CI.
    env: { CI: '0', CONTINUOUS_INTEGRATION: '0' },
  },
});
