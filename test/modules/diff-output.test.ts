// `--diff` output: engine/output/diff.ts against Python's own difflib.unified_diff (what Ansible's
// callback uses) on generated before/after texts, and Ansible's _get_diff framing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatDiff, unifiedDiff } from '../../engine/output/diff.js';

const PY = `import difflib,json,sys
cases=json.load(sys.stdin)
print(json.dumps([''.join(difflib.unified_diff(a.splitlines(True),b.splitlines(True),'before: x','after: x',n=3)) for a,b in cases]))`;

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('unified diff as Python difflib prints it', () => {
  it('matches difflib.unified_diff on 300 generated edits', () => {
    const r = rng(7);
    const cases: [string, string][] = [];
    for (let c = 0; c < 300; c++) {
      const a = Array.from({ length: Math.floor(r() * (c % 10 === 0 ? 400 : 30)) }, () => `l${Math.floor(r() * 8)}`);
      const b = a.flatMap((l) => (r() < 0.15 ? [] : r() < 0.15 ? [l, `n${Math.floor(r() * 5)}`] : r() < 0.1 ? ['x'] : [l]));
      cases.push([a.map((l) => l + '\n').join(''), b.map((l) => l + '\n').join('')]);
    }
    const py = spawnSync('python3', ['-c', PY], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const want = JSON.parse(py.stdout) as string[];
    const got = cases.map(([a, b]) => unifiedDiff(a.match(/[^\n]*\n/g) ?? [], b.match(/[^\n]*\n/g) ?? [], 'before: x', 'after: x'));
    expect(got.filter((g, i) => g !== want[i]).length).toBe(0);
    expect(want.filter((w) => w !== '').length).toBeGreaterThan(200);
  });

  it('frames before/after like Ansible: headers, no-newline marker, dict sides as JSON', () => {
    expect(formatDiff({ before: 'a\nb\n', after: 'a\nc', before_header: '/f', after_header: '/f' })).toBe(
      '--- before: /f\n+++ after: /f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n\n',
    );
    expect(formatDiff({ before: { path: '/d', state: 'absent' }, after: { path: '/d', state: 'directory' } })).toBe(
      '--- before\n+++ after\n@@ -1,4 +1,4 @@\n {\n     "path": "/d",\n-    "state": "absent"\n+    "state": "directory"\n }\n\n',
    );
    expect(formatDiff([{ before: 'same\n', after: 'same\n' }, { prepared: 'p\n' }])).toBe('p\n');
  });
});
