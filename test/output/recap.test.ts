import { describe, expect, it } from 'vitest';
import { PlainReporter, banner, pyJson } from '../../engine/output/plain.js';
import { RunStats, recapHosts, recapLine } from '../../engine/output/stats.js';

describe('recap format', () => {
  it('matches Ansible byte for byte', () => {
    const s = { ok: 6, changed: 2, unreachable: 0, failed: 0, skipped: 1, rescued: 1, ignored: 1 };
    expect(recapLine('h01', s)).toBe('h01                        : ok=6    changed=2    unreachable=0    failed=0    skipped=1    rescued=1    ignored=1   ');
  });
  it('banners are 80 columns', () => {
    expect(banner('PLAY RECAP')).toBe('PLAY RECAP ' + '*'.repeat(69));
    expect(banner('x'.repeat(90))).toBe('x'.repeat(90) + ' ***');
  });
  it('sorts hosts by name and folds counters', () => {
    const st = new RunStats();
    st.increment('web2', 'ok');
    st.increment('Web1', 'failed');
    st.increment('web10', 'changed');
    expect(recapHosts(st.snapshot())).toEqual(['Web1', 'web10', 'web2']);
    const lines: string[] = [];
    const r = new PlainReporter((t) => lines.push(t));
    r.handle({ kind: 'recap', stats: st.snapshot() });
    expect(lines.join('')).toContain('web2                       : ok=1 ');
  });
  it('prints results as Python json.dumps(sort_keys=True)', () => {
    expect(pyJson({ msg: 'boom', changed: false, n: [1, 2] })).toBe('{"changed": false, "msg": "boom", "n": [1, 2]}');
    expect(pyJson({ a: {} })).toBe('{"a": {}}');
  });
});
