// Differential syntax check: the fixture corpus must be accepted / rejected by loadPlaybook the
// same way `ansible-playbook --syntax-check` does (ansible part skipped when it is not installed).
// Each bad fixture names the expected message fragment and line on its first line.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PlaybookError } from '../../engine/errors/index.js';
import { loadPlaybook, type LoadOptions } from '../../engine/playbook/index.js';
import { ansibleEnv, hasAnsible, lookups, mapLimit, moduleInfo } from './helpers.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, 'fixtures/syntax');
const HELPERS = new Set(['ok.yml', 'ok-play.yml']);

/** `{{ name }}` → the variable's value: enough for the corpus's templated import paths. */
export const renderStatic: LoadOptions['renderStatic'] = (text, vars = {}) =>
  text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
    if (!(name in vars)) throw new Error(`'${name}' is undefined`);
    return String(vars[name]);
  });

const options: LoadOptions = { moduleInfo, renderStatic, lookups };

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yml') && !HELPERS.has(f))
    .sort();
}

/** `# expect: <message> @ [file:]<line> [exit N]`: exit 4 (a parser error) unless named. */
function expectation(file: string): { text: string; file?: string; line?: number; exit: number } {
  const first = readFileSync(file, 'utf8').split('\n')[0];
  const m = /^# expect: (.*?)(?: @ (?:(\S+):)?(\d+))?(?: exit (\d+))?$/.exec(first);
  if (!m) throw new Error(`${file}: first line must be "# expect: <message> @ <line>"`);
  return { text: m[1], file: m[2], line: m[3] ? Number(m[3]) : undefined, exit: m[4] ? Number(m[4]) : 4 };
}

function loadError(file: string): PlaybookError | undefined {
  try {
    loadPlaybook(file, options);
    return undefined;
  } catch (e) {
    if (e instanceof PlaybookError) return e;
    throw e;
  }
}

async function ansibleAccepts(file: string): Promise<boolean> {
  try {
    await run('ansible-playbook', ['-i', 'localhost,', '--syntax-check', file], { env: ansibleEnv, cwd: ROOT });
    return true;
  } catch {
    return false;
  }
}

describe('syntax corpus: drover', () => {
  it.each(files('good'))('accepts good/%s', (name) => {
    expect(loadError(join(ROOT, 'good', name))?.describe()).toBeUndefined();
  });

  it.each([...files('bad').map((f) => ['bad', f]), ...files('stricter').map((f) => ['stricter', f])])(
    'rejects %s/%s with file:line and message',
    (dir, name) => {
      const file = join(ROOT, dir, name);
      const want = expectation(file);
      const err = loadError(file);
      expect(err, 'expected a PlaybookError').toBeInstanceOf(PlaybookError);
      expect(err!.message).toContain(want.text);
      expect(err!.exitCode).toBe(want.exit);
      expect(err!.pos?.file).toBe(want.file ? join(ROOT, dir, want.file) : file);
      if (want.line !== undefined) {
        expect(err!.pos?.line).toBe(want.line);
        expect(err!.describe()).toMatch(new RegExp(`^${err!.pos!.file!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${want.line}(:\\d+)?: `));
      }
    },
  );
});

describe.skipIf(!hasAnsible)('syntax corpus: same verdict as ansible-playbook --syntax-check', () => {
  const cases = [
    ...files('good').map((f) => ['good', f, true] as const),
    ...files('bad').map((f) => ['bad', f, false] as const),
  ];
  it('matches on every fixture', async () => {
    const verdicts = await mapLimit(cases, 12, async ([dir, name, good]) => {
        const file = join(ROOT, dir, name);
        const ansible = await ansibleAccepts(file);
        const drover = loadError(file) === undefined;
      return { case: `${dir}/${name}`, ansible, drover, expected: good };
    });
    const mismatches = verdicts.filter((v) => v.ansible !== v.drover || v.drover !== v.expected);
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('stricter fixtures: ansible defers these checks to run time, drover rejects at load', async () => {
    for (const name of files('stricter')) {
      expect(await ansibleAccepts(join(ROOT, 'stricter', name))).toBe(true);
    }
  }, 60_000);
});
