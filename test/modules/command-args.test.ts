// command/shell arguments as data: what 2.14's command module refuses before running anything
// (with rc 256 and its always-returned keys), and what runs for each form on a local connection.
import { mkdirSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCommandGiven, commandArgs } from '../../engine/modules-sdk/command.js';
import { runModule, tempDir } from './helpers.js';

const GIVEN: [string | undefined, unknown, string | undefined][] = [
  [undefined, undefined, 'no command given'],
  ['   ', undefined, 'no command given'],
  [undefined, [], 'no command given'],
  ['echo a', ['echo', 'b'], 'only command or argv can be given, not both'],
  ['echo a', undefined, undefined],
  [undefined, ['echo'], undefined],
];

describe('checkCommandGiven', () => {
  for (const [line, argv, msg] of GIVEN) {
    it(`${JSON.stringify(line)} + ${JSON.stringify(argv)} → ${msg ?? 'runs'}`, () => {
      const r = checkCommandGiven(line, argv);
      if (msg === undefined) return expect(r).toBeUndefined();
      expect(r).toEqual({ changed: false, failed: true, msg, rc: 256, cmd: null, start: null, end: null, delta: null, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] });
    });
  }
});

describe('commandArgs', () => {
  it('takes the line as given (options were split off by the loader, before templating)', () => {
    expect(commandArgs({ _raw_params: 'pwd chdir=/etc\n' }).line).toBe('pwd chdir=/etc\n');
    expect(commandArgs({ cmd: 'ls', chdir: '/tmp', stdin_add_newline: false }).options).toMatchObject({ chdir: '/tmp', stdinAddNewline: false, stripEmptyEnds: true });
  });
});

const RUNS: { name: string; mod: string; args: Record<string, unknown>; want: Record<string, unknown> }[] = [
  { name: 'command ignores executable and warns', mod: 'command', args: { _raw_params: 'echo hi', executable: '/bogus' }, want: { stdout: 'hi', warnings: ["As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '/bogus'."] } },
  { name: 'shell runs executable', mod: 'shell', args: { _raw_params: 'echo $0', executable: '/bin/bash' }, want: { stdout: '/bin/bash' } },
  { name: 'shell takes argv, quoted', mod: 'shell', args: { argv: ['echo', 'a b', '$HOME'] }, want: { stdout: 'a b $HOME', cmd: ['echo', 'a b', '$HOME'] } },
  { name: 'a rendered option word stays in the command', mod: 'command', args: { _raw_params: 'echo chdir=/x' }, want: { stdout: 'chdir=/x', cmd: ['echo', 'chdir=/x'] } },
  { name: 'a missing program: cmd as run_command reports it', mod: 'command', args: { argv: ['/drover-no-such-program', 'a b'] }, want: { failed: true, rc: 2, cmd: "/drover-no-such-program 'a b'", msg: "[Errno 2] No such file or directory: b'/drover-no-such-program'" } },
];

describe('command/shell on a local connection', () => {
  for (const c of RUNS) {
    it(c.name, async () => expect(await runModule(c.mod, c.args)).toMatchObject(c.want));
  }

  it('chdir goes to the physical directory, as os.chdir does ($PWD has no symlink)', async () => {
    const t = tempDir();
    try {
      mkdirSync(t.p('real/sub'), { recursive: true });
      symlinkSync(t.p('real'), t.p('link'));
      expect(await runModule('shell', { _raw_params: 'echo "$PWD"', chdir: t.p('link/sub') })).toMatchObject({ stdout: t.p('real/sub') });
    } finally {
      t.cleanup();
    }
  });
});
