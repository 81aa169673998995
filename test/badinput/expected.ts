// What the bad-input corpus is checked against: ansible-playbook 2.14's exit code per case, recorded
// in ansible-results.json (ANSIBLE_RECORD=1 npx vitest run test/badinput/differential.test.ts), and
// the cases where drover deliberately exits differently, each with its reason.
import { join } from 'node:path';

export const RESULTS_FILE = join(import.meta.dirname, 'ansible-results.json');

export type AnsibleResults = Record<string, { rc: number; connections: number }>;

export interface KnownDifference {
  /** drover's exit code where it differs from ansible-playbook's, and why. */
  droverRc?: number;
  why?: string;
  /** A gap to fix: drover's message does not name the line yet. */
  noLine?: true;
  /** A gap to fix: drover's message does not say what is wrong (see `says`). */
  unclear?: true;
}

const INVENTORY =
  "drover stops on a malformed inventory source with its file:line (exit 1); ansible-playbook only warns 'Unable to parse ... as an inventory source' and runs against no host (exit 0)";
const ANSIBLE_CRASHES = 'ansible-playbook crashes (unexpected exception, exit 250: RecursionError, undecodable bytes); drover reports a parse error (exit 4)';
const ANSIBLE_LOOPS = 'ansible-playbook includes forever (killed after 200 s); drover fails the task past 100 nested includes (exit 2)';
// Decided case by case (debug msg+var, debug/fail unknown option, assert without `that`, pause
// seconds: abc): each task can never succeed, and ansible-playbook only finds out when it reaches
// it, after the play's earlier tasks have changed hosts. drover checks every native module's
// literal arguments when loading, so bad input stops the run before any host is touched.
const CHECKED_AT_LOAD = "deliberate: drover rejects a native module's bad literal arguments when the playbook loads (exit 4), before any host is touched; ansible-playbook fails the task when it runs (exit 2), after the tasks before it have run";
const ALIAS_BOMB = 'ansible-playbook expands nested YAML aliases without bound (killed after 200 s); drover refuses past 10,000 (exit 4)';

// From a run of both tools over the whole corpus; differential.test.ts re-checks a sample live.
export const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  'ini-1': { droverRc: 1, why: INVENTORY },
  'ini-2': { droverRc: 1, why: INVENTORY },
  'ini-3': { droverRc: 1, why: INVENTORY },
  'ini-4': { droverRc: 1, why: INVENTORY },
  'ini-5': { droverRc: 1, why: INVENTORY },
  'ini-6': { droverRc: 1, why: INVENTORY },
  'ini-7': { droverRc: 1, why: INVENTORY },
  'ini-8': { droverRc: 1, why: INVENTORY },
  'ini-9': { droverRc: 1, why: INVENTORY },
  'ini-10': { droverRc: 1, why: INVENTORY },
  'ini-11': { droverRc: 1, why: INVENTORY },
  'ini-12': { droverRc: 1, why: INVENTORY },
  'ini-13': { droverRc: 1, why: INVENTORY },
  'ini-14': { droverRc: 1, why: INVENTORY },
  'ini-15': { droverRc: 1, why: INVENTORY },
  'ini-16': { droverRc: 1, why: INVENTORY },
  'ini-17': { droverRc: 1, why: INVENTORY },
  'ini-18': { droverRc: 1, why: INVENTORY },
  'ini-19': { droverRc: 1, why: INVENTORY },
  'ini-20': { droverRc: 1, why: INVENTORY },
  'ini-21': { droverRc: 1, why: INVENTORY },
  'ini-deep-1': { droverRc: 1, why: INVENTORY },
  'ini-deep-2': { droverRc: 1, why: INVENTORY },
  'ini-deep-3': { droverRc: 1, why: INVENTORY },
  'ini-deep-4': { droverRc: 1, why: INVENTORY },
  'ini-deep-5': { droverRc: 1, why: INVENTORY },
  'ini-deep-6': { droverRc: 1, why: INVENTORY },
  'ini-deep-7': { droverRc: 1, why: INVENTORY },
  'ini-deep-8': { droverRc: 1, why: INVENTORY },
  'ini-deep-9': { droverRc: 1, why: INVENTORY },
  'ini-deep-10': { droverRc: 1, why: INVENTORY },
  'ini-deep-11': { droverRc: 1, why: INVENTORY },
  'ini-deep-12': { droverRc: 1, why: INVENTORY },
  'ini-deep-13': { droverRc: 1, why: INVENTORY },
  'ini-deep-14': { droverRc: 1, why: INVENTORY },
  'ini-deep-15': { droverRc: 1, why: INVENTORY },
  'ini-deep-16': { droverRc: 1, why: INVENTORY },
  'ini-deep-17': { droverRc: 1, why: INVENTORY },
  'ini-deep-18': { droverRc: 1, why: INVENTORY },
  'ini-deep-19': { droverRc: 1, why: INVENTORY },
  'ini-deep-20': { droverRc: 1, why: INVENTORY },
  'ini-deep-21': { droverRc: 1, why: INVENTORY },
  'args-debug-msg-and-var': { droverRc: 4, why: CHECKED_AT_LOAD },
  'args-debug-unknown-arg': { droverRc: 4, why: CHECKED_AT_LOAD },
  'args-fail-unknown': { droverRc: 4, why: CHECKED_AT_LOAD },
  'args-assert-missing-that': { droverRc: 4, why: CHECKED_AT_LOAD },
  'args-pause-bad': { droverRc: 4, why: CHECKED_AT_LOAD },
  'e-binary-file': { droverRc: 4, why: ANSIBLE_CRASHES },
  'recursive-import-tasks-self': { droverRc: 4, why: ANSIBLE_CRASHES },
  'recursive-import-tasks-cycle': { droverRc: 4, why: ANSIBLE_CRASHES },
  'recursive-import-playbook-self': { droverRc: 4, why: ANSIBLE_CRASHES },
  'recursive-import-playbook-cycle': { droverRc: 4, why: ANSIBLE_CRASHES },
  'recursive-include-tasks-self': { droverRc: 2, why: ANSIBLE_LOOPS },
  'recursive-include-tasks-cycle': { droverRc: 2, why: ANSIBLE_LOOPS },
  'huge-binary-playbook': { droverRc: 4, why: ANSIBLE_CRASHES },
  'huge-binary-inventory': { droverRc: 1, why: INVENTORY },
  'huge-binary-vars-file': { droverRc: 4, why: ANSIBLE_CRASHES },
  'huge-binary-task-file': { droverRc: 4, why: ANSIBLE_CRASHES },
  'huge-utf16-playbook': { droverRc: 4, why: ANSIBLE_CRASHES },
  'huge-deep-nesting': { droverRc: 4, why: ANSIBLE_CRASHES },
  'huge-huge-inventory-bad-last': { droverRc: 1, why: INVENTORY },
  'recursive-yaml-alias-bomb': { droverRc: 4, why: ALIAS_BOMB },
};
