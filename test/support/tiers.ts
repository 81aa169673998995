// Which test files form the fast tier (`npm run test:unit`): those that need no root, no lab, no
// sshd and no ansible. Decided from the file and the test helpers it imports (transitively), by the
// probes those use, so a new test file lands in the right tier without being listed anywhere.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What a test needs beyond Node: the probes the suite's helpers use for root, lab, sshd, ansible. */
const NEEDS_HOST =
  /ansible-playbook|ansible-inventory|ansible-vault|ansible-doc|hasAnsible|ansibleMissing|ansibleAvailable|import ansible|from ansible|labSkipReason|startSshd|canRunSshd|getuid|unshare|HAVE_ETCD|rpmSkipReason|\bPYTHON\b|python3|runPlaybookWith/;

const IMPORT = /from '(\.{1,2}\/[^']+)'/g;

function needsHost(file: string, root: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (NEEDS_HOST.test(text)) return true;
  for (const m of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
    // Only the suite's own helpers: engine code is what the tests test, not what they need.
    if (relative(root, target).startsWith('test/') && needsHost(existsTs(target), root, seen)) return true;
  }
  return false;
}

function existsTs(p: string): string {
  try {
    readFileSync(p);
    return p;
  } catch {
    return p.replace(/\.ts$/, '.tsx');
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'fixtures' ? [] : testFiles(join(dir, e.name))) : /\.test\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The fast tier's test files, relative to the repository root. */
export function unitTestFiles(root: string): string[] {
  return testFiles(join(root, 'test'))
    .filter((f) => !needsHost(f, root, new Set()))
    .map((f) => relative(root, f))
    .sort();
}
