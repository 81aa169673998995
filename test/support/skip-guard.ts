// Vitest reporter: in CI running as root (where bin/setup has installed everything the suite needs),
// a skipped test is a test that silently stopped testing, so any skip not listed in
// documented-skips.ts (and the README) fails the run. Elsewhere it only prints what was skipped.
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { isDocumentedSkip } from './documented-skips.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface Skipped {
  file: string;
  name: string;
}

/** The skipped tests no documented skip accounts for. */
export function unexpectedSkips(skipped: readonly Skipped[]): Skipped[] {
  return skipped.filter((s) => !isDocumentedSkip(s.file, s.name));
}

export default class SkipGuard implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped: Skipped[] = [];
    for (const m of modules) {
      const file = relative(ROOT, m.moduleId);
      for (const t of m.children.allTests()) if (t.result().state === 'skipped') skipped.push({ file, name: t.fullName });
    }
    const strict = /^(1|true)$/i.test(process.env.CI ?? '') && process.getuid?.() === 0;
    const bad = unexpectedSkips(skipped);
    if (!bad.length) return;
    const list = bad.slice(0, 40).map((s) => `  ${s.file} > ${s.name}`).join('\n') + (bad.length > 40 ? `\n  ... and ${bad.length - 40} more` : '');
    if (strict) {
      process.stderr.write(`\n${bad.length} test(s) skipped in CI as root without a documented reason (test/support/documented-skips.ts):\n${list}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`\n${bad.length} test(s) skipped (missing root, tools or an opt-in; CI as root fails on these):\n${list}\n`);
    }
  }
}
