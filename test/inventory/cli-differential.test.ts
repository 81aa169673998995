// Differential test of `drover inventory` against `ansible-inventory` as whole programs: the same
// command line, working directory and environment, and stdout, stderr and the exit code must be
// identical. Covers what the data comparison in differential.test.ts cannot see: the [WARNING]s
// and [ERROR]s of unparseable sources and failing plugins, the INVENTORY_*UNPARSED* settings,
// -e with constructed's use_extra_vars, and the --yaml/--toml inventory layouts.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansiblePython } from './ansible.js';
import { tempDir } from '../support/tmp.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DROVER = resolve(HERE, '..', '..', 'bin', 'drover');
const MSG = join(HERE, 'messages');
const CORPUS = join(HERE, 'corpus');

interface Case {
  name: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

const m = (f: string) => join(MSG, f);

const CASES: Case[] = [
  { name: 'a failing script: its stderr in the warning, then the ini attempt', args: ['-i', m('failing.sh'), '--graph'] },
  { name: 'a script that succeeds with stderr: shown as [ERROR]', args: ['-i', m('noisy.sh'), '--graph'] },
  { name: 'a script whose answer is not a dict', args: ['-i', m('notadict.sh'), '--graph'] },
  { name: 'an empty plugin config with only constructed enabled, unparsed is failed', args: ['-i', m('empty.yml'), '--list'], env: { ANSIBLE_INVENTORY_ENABLED: 'constructed', ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True' } },
  { name: 'a missing source with any-unparsed-is-failed', args: ['-i', '/nonexistent/drover-inv', '-i', m('static.yml'), '--graph'], env: { ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'True' } },
  { name: 'a missing source next to a good one', args: ['-i', '/nonexistent/drover-inv', '-i', m('static.yml'), '--graph'] },
  { name: 'constructed strict: an undefined variable fails the source', args: ['-i', m('static.yml'), '-i', m('strict.yml'), '--graph'] },
  { name: 'constructed lenient: hosts without the variable are skipped', args: ['-i', m('static.yml'), '-i', m('lenient.yml'), '--list'] },
  { name: 'constructed use_extra_vars sees -e', args: ['-i', m('static.yml'), '-i', m('extra.yml'), '--list', '-e', 'who=ops'] },
  { name: 'keyed group with default_value and trailing_separator', args: ['-i', m('static.yml'), '-i', m('mutual.yml'), '--graph'] },
  { name: 'a plugin nobody provides', args: ['-i', m('unknown.yml'), '--graph'] },
  { name: 'host_list keeps ranges literal by default', args: ['-i', 'web[1:3],db1', '--graph'] },
  { name: 'advanced_host_list when enabled', args: ['-i', 'web[1:3]:2222,db[a:b],', '--list'], env: { ANSIBLE_INVENTORY_ENABLED: 'host_list,advanced_host_list' } },
  { name: 'script --list --yaml', args: ['-i', 'inventory.py', '--list', '--yaml'], cwd: join(CORPUS, 'script-meta') },
  { name: 'script --list --toml', args: ['-i', 'inventory.py', '--list', '--toml'], cwd: join(CORPUS, 'script-meta') },
  { name: 'script --host --yaml', args: ['-i', 'inventory.py', '--host', 'd2', '--yaml'], cwd: join(CORPUS, 'script-meta') },
  { name: 'constructed --list --yaml --export', args: ['-i', 'static.yml', '-i', 'constructed.yml', '--list', '--yaml', '--export'], cwd: join(CORPUS, 'constructed-keyed') },
  { name: 'constructed --list --toml', args: ['-i', 'static.yml', '-i', 'constructed.yml', '--list', '--toml'], cwd: join(CORPUS, 'constructed-keyed') },
  { name: 'generator --list --toml --export', args: ['-i', 'generator.yml', '--list', '--toml', '--export'], cwd: join(CORPUS, 'generator-layers') },
  { name: 'mixed sources --graph --vars', args: ['-i', 'static/hosts', '-i', 'extra.sh', '-i', 'edge1,edge2', '-i', 'constructed.yaml', '--graph', '--vars'], cwd: join(CORPUS, 'mixed-sources') },
  { name: 'a directory of sources --list --yaml', args: ['-i', 'inv', '--list', '--yaml'], cwd: join(CORPUS, 'dir-plugins') },
  // PyYAML's dumper: anchors for shared values, dates, floats, folding, quoting and escapes
  ...[['--list', '--yaml'], ['--list', '--yaml', '--export'], ['--host', 'web1', '--yaml'], ['--host', 'db1', '--yaml'], ['--graph', '--vars']].map((a) => ({
    name: `dump-scalars ${a.join(' ')}`,
    args: ['-i', 'hosts.yml', ...a],
    cwd: join(CORPUS, 'dump-scalars'),
  })),
  // which values are one object for several hosts (anchors), with hash_behaviour replace and merge
  { name: 'dump-identity --list --yaml', args: ['-i', 'hosts.ini', '-i', 'constructed.yml', '--list', '--yaml'], cwd: join(CORPUS, 'dump-identity') },
  { name: 'dump-identity --list --yaml --export', args: ['-i', 'hosts.ini', '-i', 'constructed.yml', '--list', '--yaml', '--export'], cwd: join(CORPUS, 'dump-identity') },
  { name: 'dump-identity merged --list --yaml', args: ['-i', 'hosts.ini', '--list', '--yaml'], cwd: join(CORPUS, 'dump-identity'), env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' } },
  { name: 'dump-identity merged --list -e', args: ['-i', 'hosts.ini', '--list', '-e', '{"md": {"x": {"e": 3}}}'], cwd: join(CORPUS, 'dump-identity'), env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' } },
  // toml.dumps: its scalars, and the TypeError of a list that mixes tables and numbers
  { name: 'dump-scalars --host web1 --toml', args: ['-i', 'hosts.yml', '--host', 'web1', '--toml'], cwd: join(CORPUS, 'dump-scalars') },
  { name: 'dump-scalars --list --toml: a value TOML cannot hold', args: ['-i', 'hosts.yml', '--list', '--toml'], cwd: join(CORPUS, 'dump-scalars') },
  { name: 'toml.dumps mangles \\x escapes', args: ['-i', m('toml-mangled.yml'), '--list', '--toml'] },
  { name: 'toml.dumps fails on a string that starts with an escape', args: ['-i', m('toml-crash.yml'), '--list', '--toml'] },
  { name: 'toml.dumps sees a table twice: circular reference', args: ['-i', m('toml-circular.yml'), '--list', '--toml'] },
  // the toml inventory plugin
  ...[['--list'], ['--list', '--yaml'], ['--list', '--toml'], ['--list', '--export', '--yaml'], ['--graph', '--vars'], ['--host', 'range1', '--toml']].map((a) => ({
    name: `toml inventory ${a.join(' ')}`,
    args: ['-i', join(CORPUS, 'toml-plugin', 'hosts.toml'), ...a],
  })),
  { name: 'toml inventory: a plugin config is refused', args: ['-i', m('plugin-config.toml'), '--graph'] },
  { name: 'toml inventory: hosts must be a table', args: ['-i', m('badhosts.toml'), '--graph'] },
  { name: 'toml inventory: arrays of one type', args: ['-i', m('mixed.toml'), '--graph'] },
  { name: 'toml inventory: an inline table cannot be dumped as YAML', args: ['-i', m('inline.toml'), '--list', '--yaml'] },
  { name: 'toml inventory: only the toml plugin enabled', args: ['-i', m('inline.toml'), '--list'], env: { ANSIBLE_INVENTORY_ENABLED: 'toml' } },
];

function run(argv: string[], c: Case) {
  const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_DEPRECATION_WARNINGS: '0', ...c.env };
  const r = spawnSync(argv[0], [...argv.slice(1), ...c.args], { cwd: c.cwd ?? MSG, env, encoding: 'utf8', timeout: 120_000 });
  return { rc: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!ansiblePython())('drover inventory = ansible-inventory 2.14: output, messages, exit codes', () => {
  it('has a built drover', () => {
    expect(existsSync(resolve(HERE, '..', '..', 'dist'))).toBe(true);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const theirs = run(['ansible-inventory'], c);
      const ours = run([process.execPath, DROVER, 'inventory'], c);
      expect(ours).toEqual(theirs);
    });
  }
});

describe.skipIf(!ansiblePython())('facts cached by an earlier run (jsonfile): constructed sees them, host vars show them', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('drover-factcache-');
    // one restricted key only: clean_facts warns in set order, which Python randomises
    writeFileSync(join(dir, 's1'), JSON.stringify({ ansible_distribution: 'Debian', ansible_os_family: 'Debian', ansible_ssh_port: 2200, ansible_ssh_host_key_rsa_public: 'AAAA', ansible_local: { app: { v: 1 } }, _ansible_no_log: false, nested: { _ansible_x: 1, y: [1.5, 'z'] } }));
    writeFileSync(join(dir, 's2'), JSON.stringify({ ansible_distribution: 'Fedora', ansible_os_family: 'RedHat' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: dir });
  it('--graph', () => {
    const c: Case = { name: 'fact cache', args: ['-i', m('static.yml'), '-i', m('cached.yml'), '--graph'], env: env() };
    const theirs = run(['ansible-inventory'], c);
    expect(theirs.stdout).toContain('@os_Debian');
    expect(run([process.execPath, DROVER, 'inventory'], c)).toEqual(theirs);
  });
  for (const a of [['--list'], ['--host', 's1'], ['--host', 's1', '--yaml'], ['--list', '--yaml'], ['--list', '--toml'], ['--graph', '--vars'], ['--list', '--export']]) {
    it(`without constructed: ${a.join(' ')}`, () => {
      const c: Case = { name: 'fact cache', args: ['-i', m('static.yml'), ...a], env: env() };
      const theirs = run(['ansible-inventory'], c);
      if (a[0] !== '--list' || a.length === 1) expect(theirs.stdout + theirs.stderr).toMatch(/Debian|ansible_ssh_port/);
      expect(run([process.execPath, DROVER, 'inventory'], c)).toEqual(theirs);
    });
  }
  it('inject_facts_as_vars off: only ansible_local, for every host', () => {
    const c: Case = { name: 'fact cache', args: ['-i', m('static.yml'), '--list'], env: { ...env(), ANSIBLE_INJECT_FACT_VARS: 'False' } };
    const theirs = run(['ansible-inventory'], c);
    expect(theirs.stdout).toContain('ansible_local');
    expect(run([process.execPath, DROVER, 'inventory'], c)).toEqual(theirs);
  });
});

describe.skipIf(!ansiblePython())('the inventory cache options of a builtin plugin are not read (2.14: no builtin plugin is Cacheable)', () => {
  it('--graph, and no cache written', () => {
    const c: Case = { name: 'cache options', args: ['-i', m('static.yml'), '-i', m('cache-options.yml'), '--graph'] };
    const theirs = run(['ansible-inventory'], c);
    expect(theirs.stdout).toContain('@sized');
    expect(run([process.execPath, DROVER, 'inventory'], c)).toEqual(theirs);
    expect(existsSync('/nonexistent/drover-inventory-cache')).toBe(false);
  });
});

describe('a plugin that needs ansible-inventory, without it', () => {
  it('says what is needed', () => {
    const r = spawnSync(process.execPath, [DROVER, 'inventory', '-i', m('unknown.yml'), '--graph'], { cwd: MSG, env: { ...process.env, PATH: '/nonexistent/drover-no-ansible' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Display wraps at 80 columns, after a hyphen too: where depends on the checkout's path
    expect(r.stderr.replace(/-\s+/g, '-').replace(/\s+/g, ' ')).toContain("inventory plugin 'example.missing.nothing' is not built into drover; install ansible-core (and the collection that provides 'example.missing.nothing') so that 'ansible-inventory' is on PATH");
  });
});
