// The run log: Ansible's log_path line format, appended, no_log and hidden input kept out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogFileReporter, asctime, stampLines } from '../../engine/output/log-file.js';
import { tempDir } from '../support/tmp.js';

describe('run log file', () => {
  it('stamps lines like Python logging', () => {
    const d = new Date(2026, 11, 1, 8, 3, 4, 5);
    expect(asctime(d)).toBe('2026-12-01 08:03:04,005');
    expect(stampLines('\nTASK [x] ***\nok: [h]\n', 'P | ')).toBe('P | TASK [x] ***\nP | ok: [h]\n');
  });

  it('appends the plain output with timestamps, without secrets', () => {
    const dir = tempDir('drover-log-');
    const path = join(dir, 'sub', 'drover.log');
    const now = () => new Date(2026, 11, 1, 9, 0, 0, 0);
    const r = new LogFileReporter(path, { now, pid: 42, user: 'ops' });
    r.handle({ kind: 'play.start', name: 'web', pattern: 'web', hosts: ['a'], strategy: 'linear', serial: undefined });
    r.handle({ kind: 'task.start', taskId: 1, name: 'Set password', action: 'command', handler: false });
    r.handle({ kind: 'host.result', taskId: 1, host: 'a', status: 'failed', result: { censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: false }, ignored: false });
    r.handle({ kind: 'task.start', taskId: 2, name: 'Ask', action: 'pause', handler: false });
    r.handle({ kind: 'host.result', taskId: 2, host: 'a', status: 'ok', result: { echo: false, user_input: 'hunter2' }, ignored: false, verboseAlways: true });
    r.close();
    const text = readFileSync(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('2026-12-01 09:00:00,000 p=42 u=ops n=drover | PLAY [web] ' + '*'.repeat(69));
    expect(lines.every((l) => l.startsWith('2026-12-01 09:00:00,000 p=42 u=ops n=drover | '))).toBe(true);
    expect(text).toContain("fatal: [a]: FAILED! => {\"censored\": \"the output has been hidden");
    expect(text).not.toContain('hunter2');
    // appends
    const r2 = new LogFileReporter(path, { now, pid: 43, user: 'ops' });
    r2.handle({ kind: 'warning', message: 'second run' });
    r2.close();
    expect(readFileSync(path, 'utf8').startsWith(text)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('p=43 u=ops n=drover | [WARNING]: second run');
  });

  it('warns and runs on when the log cannot be written', () => {
    const dir = tempDir('drover-log-');
    writeFileSync(join(dir, 'file'), '');
    const warnings: string[] = [];
    const r = new LogFileReporter(join(dir, 'file', 'x.log'), { warn: (m) => warnings.push(m) });
    r.handle({ kind: 'warning', message: 'x' });
    r.close();
    expect(warnings[0]).toMatch(/is not writeable and we cannot create it/);
  });
});
