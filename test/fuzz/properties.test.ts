// Property-based fuzzing (fast-check) of the parsers drover shares with Ansible: whatever the input,
// they return or raise their own error type (never a TypeError, RangeError or stack overflow), and
// return quickly (no hang). ansible-sample.test.ts checks their answers against ansible-core.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DroverError } from '../../engine/errors/index.js';
import { parseIni } from '../../engine/inventory/ini.js';
import { Inventory } from '../../engine/inventory/inventory.js';
import { iniValue, literalEval } from '../../engine/inventory/literal.js';
import { parseKv, SplitError } from '../../engine/playbook/splitter.js';
import { Templar } from '../../engine/template/index.js';
import { iniText, iniValueText, kvString, template, TEMPLATE_VARS } from './arbitraries.js';

// A fixed seed: the same inputs on every run (a failure reproduces); FUZZ_SEED explores others.
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const QUICK_MS = 2_000;

/** Runs f, which may throw only an expected error type, and must finish within QUICK_MS. */
function calm(f: () => unknown, expected: (e: unknown) => boolean): void {
  const t = Date.now();
  try {
    f();
  } catch (e) {
    if (!expected(e)) throw e;
  }
  expect(Date.now() - t).toBeLessThan(QUICK_MS);
}

describe('fuzzing: no crash, no hang', () => {
  it('key=value splitter', () => {
    fc.assert(fc.property(kvString, (s) => calm(() => parseKv(s), (e) => e instanceof SplitError)), { seed: SEED, numRuns: RUNS });
  });

  it('Python-literal parser (and INI value typing)', () => {
    fc.assert(
      fc.property(iniValueText, (s) => {
        calm(() => literalEval(s), () => false);
        calm(() => iniValue(s), () => false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('INI inventory parser', () => {
    fc.assert(fc.property(iniText, (text) => calm(() => parseIni(new Inventory(), text, 'fuzz.ini', 'fuzz.ini'), (e) => e instanceof DroverError)), { seed: SEED, numRuns: RUNS });
  });

  it('template layer', () => {
    const templar = new Templar();
    fc.assert(fc.property(template, (t) => calm(() => templar.render(t, TEMPLATE_VARS), (e) => e instanceof DroverError)), { seed: SEED, numRuns: RUNS });
  });
});
