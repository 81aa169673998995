// `drover config list`: values with their origin, from defaults, ansible.cfg and the environment.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configCommand } from '../../engine/cli/config-cmd.js';
import { droverVersion } from '../../engine/cli/version.js';
import { tempDir } from '../support/tmp.js';

function list(args: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  let out = '';
  expect(configCommand(['list', ...args], (s) => (out += s), env, cwd)).toBe(0);
  return out;
}

describe('drover config list', () => {
  const dir = tempDir('drover-cfg-');
  writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nforks = 20\nlog_path = /var/log/drover.log\n[privilege_escalation]\nbecome = yes\n[drover]\noutput = json\n');
  const env = { HOME: dir };

  it('shows each value and where it came from', () => {
    const out = list([], env, dir);
    expect(out.split('\n')[0]).toBe(`config file = ${join(dir, 'ansible.cfg')}`);
    expect(out).toMatch(new RegExp(`^forks +\\= 20  \\(${join(dir, 'ansible.cfg').replace(/[/.]/g, '\\$&')} \\[defaults\\] forks\\)$`, 'm'));
    expect(out).toMatch(/^become += true {2}\(.*\[privilege_escalation\] become\)$/m);
    expect(out).toMatch(/^output += json {2}\(.*\[drover\] output\)$/m);
    expect(out).toMatch(/^timeout += 10 {2}\(default\)$/m);
  });

  it('environment beats ansible.cfg; --only-changed and --json', () => {
    const out = list(['--only-changed'], { ...env, ANSIBLE_FORKS: '3', DROVER_OUTPUT: 'plain' }, dir);
    expect(out).toMatch(/^forks += 3 {2}\(env: ANSIBLE_FORKS\)$/m);
    expect(out).toMatch(/^output += plain {2}\(env: DROVER_OUTPUT\)$/m);
    expect(out).not.toMatch(/^timeout/m);
    const json = JSON.parse(list(['--json'], env, dir)) as { settings: { name: string; value: unknown; origin: string }[] };
    expect(json.settings.find((s) => s.name === 'log_path')).toMatchObject({ value: '/var/log/drover.log' });
  });

  it('rejects other actions', () => {
    expect(() => configCommand(['dump'], () => undefined, env, dir)).toThrow(/only "list"/);
  });

  it('--version comes from package.json', () => {
    expect(droverVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
