// Shell completion scripts, exercised in the real shells: bash's completion function is called
// with COMP_WORDS set; zsh's with _arguments/_describe replaced by printers (no terminal).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashCompletion, flagsFromUsage, zshCompletion } from '../../engine/cli/completion.js';
import { PLAYBOOK_USAGE } from '../../engine/cli/playbook-cmd.js';
import { tempDir } from '../support/tmp.js';

const has = (sh: string) => spawnSync(sh, ['-c', 'true']).status === 0;
const dir = tempDir('drover-comp-');
writeFileSync(join(dir, 'site.yml'), '');
writeFileSync(join(dir, 'notes.txt'), '');

describe('completion', () => {
  it('reads every flag back from the help text', () => {
    const flags = flagsFromUsage(PLAYBOOK_USAGE);
    expect(flags.find((f) => f.long === 'inventory')).toMatchObject({ short: 'i', value: 'SRC' });
    expect(flags.find((f) => f.long === 'no-live')).toMatchObject({ value: undefined });
    expect(flags.length).toBe(PLAYBOOK_USAGE.split('\n').filter((l) => l.startsWith('  -')).length);
  });

  it.runIf(has('bash'))('bash completes commands, flags, values and playbooks', () => {
    const script = join(dir, 'drover.bash');
    writeFileSync(script, bashCompletion());
    const t = (...w: string[]) => {
      const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${w.map((x) => `'${x}'`).join(' ')}); COMP_CWORD=${w.length - 1}; _drover; echo "\${COMPREPLY[*]}"`], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim();
    };
    expect(t('drover', 'pl')).toBe('playbook');
    expect(t('drover', 'playbook', '--no')).toBe('--no-live');
    expect(t('drover', 'playbook', '--output', 'json')).toBe('json json-doc');
    expect(t('drover', 'playbook', '')).toBe('site.yml');
    expect(t('drover', 'inventory', '--output', 'no')).toBe('notes.txt');
    expect(t('drover', 'completion', '')).toBe('bash zsh');
    expect(t('drover', 'config', '')).toBe('list');
    expect(t('drover', 'lab', 'st')).toBe('status');
    expect(t('drover', 'doc', '--l')).toBe('--list');
  });

  it.runIf(has('zsh'))('zsh script parses and offers the flags of each command', () => {
    const script = join(dir, '_drover');
    writeFileSync(script, zshCompletion());
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
    const run = (words: string[], current: number) =>
      spawnSync('zsh', ['-f', '-c', `_arguments() { print -rl -- "$@" }; _describe() { print -r -- "describe: \${(P)\${@[-1]}}" }; compdef() { :; }; source ${script}; words=(${words.join(' ')}); CURRENT=${current}; _drover`], { encoding: 'utf8' });
    const pb = run(['drover', 'playbook', '--out'], 3);
    expect(pb.stdout).toContain('--output[auto (live view on a terminal), live, plain, json (event lines) or json-doc (one document)]:FORMAT:(auto live plain json json-doc)');
    expect(pb.stdout).toContain('*:playbook:_files -g "*.y(a|)ml"');
    expect(run(['drover', 'c'], 2).stdout).toMatch(/describe: .*config:show settings/);
  });
});
