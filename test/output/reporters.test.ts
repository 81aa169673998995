// Which output a run gets: flags, DROVER_OUTPUT, ANSIBLE_STDOUT_CALLBACK, the terminal, NO_COLOR.
import { describe, expect, it } from 'vitest';
import { chooseOutput, createOutput } from '../../engine/output/reporters.js';
import { JsonDocReporter, JsonLinesReporter } from '../../engine/output/json.js';
import { PlainReporter } from '../../engine/output/plain.js';
import { DroverError } from '../../engine/errors/index.js';

const tty = { stdoutIsTTY: true, env: {} };
const pipe = { stdoutIsTTY: false, env: {} };

describe('chooseOutput', () => {
  it('live on a terminal, plain otherwise or with --no-live', () => {
    expect(chooseOutput(tty).mode).toBe('live');
    expect(chooseOutput(pipe).mode).toBe('plain');
    expect(chooseOutput({ ...tty, noLive: true }).mode).toBe('plain');
    expect(chooseOutput({ ...tty, env: { TERM: 'dumb' } }).mode).toBe('plain');
    expect(chooseOutput({ ...tty, flag: 'live', noLive: true }).mode).toBe('plain');
    expect(chooseOutput({ ...tty, env: { CI: 'true' } }).mode).toBe('plain');
    expect(chooseOutput({ ...tty, env: { CI: '0' } }).mode).toBe('live');
  });

  it('--output beats DROVER_OUTPUT beats stdout_callback', () => {
    expect(chooseOutput({ ...tty, flag: 'json', setting: 'plain', settingExplicit: true }).mode).toBe('json');
    expect(chooseOutput({ ...tty, setting: 'json', settingExplicit: true, stdoutCallback: 'json' }).mode).toBe('json');
    expect(chooseOutput({ ...tty, setting: 'auto', settingExplicit: false, stdoutCallback: 'json' }).mode).toBe('json-doc');
    expect(chooseOutput({ ...pipe, stdoutCallback: 'default' }).mode).toBe('plain');
  });

  it('rejects unknown formats with exit code 5', () => {
    expect(() => chooseOutput({ ...tty, flag: 'yaml' })).toThrow(DroverError);
    try {
      chooseOutput({ ...tty, setting: 'xml', settingExplicit: true });
    } catch (e) {
      expect((e as DroverError).exitCode).toBe(5);
    }
  });

  it('colour unless NO_COLOR (non-empty) or ANSIBLE_NOCOLOR', () => {
    expect(chooseOutput(tty).color).toBe(true);
    expect(chooseOutput({ ...tty, env: { NO_COLOR: '1' } }).color).toBe(false);
    expect(chooseOutput({ ...tty, env: { NO_COLOR: '' } }).color).toBe(true);
    expect(chooseOutput({ ...tty, env: { ANSIBLE_NOCOLOR: 'true' } }).color).toBe(false);
  });

  it('builds the matching reporters', async () => {
    const out = () => undefined;
    expect((await createOutput({ choice: { mode: 'plain', color: false }, out, verbosity: 0 })).reporters[0]).toBeInstanceOf(PlainReporter);
    expect((await createOutput({ choice: { mode: 'json', color: false }, out, verbosity: 0 })).reporters[0]).toBeInstanceOf(JsonLinesReporter);
    const doc = await createOutput({ choice: { mode: 'json-doc', color: false }, out, verbosity: 0 });
    expect(doc.reporters[0]).toBeInstanceOf(JsonDocReporter);
    expect(doc.prompt).toBeUndefined();
  });
});
