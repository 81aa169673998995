// The bad-input corpus against drover (no ansible needed): every case ends with a clear error that
// names the file and line at fault and says what is wrong, exits as ansible-playbook 2.14 exits
// (recorded in ansible-results.json; documented differences in expected.ts), never as an internal
// error, and makes no connection to the case's host (a TCP listener counting connections).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from './corpus.js';
import { KNOWN_DIFFERENCES, RESULTS_FILE, type AnsibleResults } from './expected.js';
import { namesLine, runDrover } from './run.js';

const CASES = buildCorpus();
const ANSIBLE = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as AnsibleResults;

describe('bad-input corpus', () => {
  it('has at least 200 cases with unique ids, each with a recorded ansible-playbook exit code', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(CASES.filter((c) => ANSIBLE[c.id] === undefined).map((c) => c.id)).toEqual([]);
    expect(Object.keys(KNOWN_DIFFERENCES).filter((id) => !CASES.some((c) => c.id === id))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runDrover(c);
    const why = `${c.id}: rc ${r.rc}\n${r.out.slice(0, 3000)}`;
    expect(r.connections, `${why}\nconnected to the host`).toBe(0);
    expect(r.out, why).not.toMatch(/Unexpected Exception|this is probably a bug/);
    const known = KNOWN_DIFFERENCES[c.id];
    if (!known?.unclear) expect(r.out, why).toMatch(c.says);
    if (c.at && !known?.noLine) expect(namesLine(r.out, c.at), `${why}\nshould name ${c.at.file} line ${c.at.line}`).toBe(true);
    expect(r.rc, why).toBe(known?.droverRc ?? ANSIBLE[c.id]?.rc);
  }, 60_000);
});
