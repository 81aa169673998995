// The fast tier (`npm run test:unit`): the test files that need no root, lab, sshd or ansible
// (test/support/tiers.ts decides), with the full suite's build step, clean-up check and skip guard.
import { defineConfig } from 'vitest/config';
import full from './vitest.config.js';
import { unitTestFiles } from './test/support/tiers.js';

// Not mergeConfig: it would append to the full suite's include instead of replacing it.
export default defineConfig({ ...full, test: { ...full.test, include: unitTestFiles(import.meta.dirname) } });
