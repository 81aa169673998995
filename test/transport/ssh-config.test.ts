// ssh option resolution as OpenSSH does it: argument parsing, config files (Host/Match/Include,
// first value wins), Ansible's command-line order (inventory vars before ssh args before config).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearSshConfigCache, parseJumpList, parseSshArgs, resolveTarget, shellSplit } from '../../engine/transport/ssh-config.js';
import { cliOptions, targetOf } from '../../engine/transport/ssh-connect.js';
import type { ConnectionSpec } from '../../engine/transport/types.js';
import { tempDir } from '../support/tmp.js';

function config(text: string, extra: Record<string, string> = {}): string {
  const dir = tempDir('drover-sshcfg-');
  for (const [name, body] of Object.entries(extra)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  writeFileSync(join(dir, 'config'), text.replace(/@DIR@/g, dir));
  clearSshConfigCache();
  return join(dir, 'config');
}

const spec = (over: Partial<ConnectionSpec>): ConnectionSpec => ({ host: 'h', connection: 'ssh', address: 'h', hostKeyChecking: true, timeoutSec: 10, ...over });

describe('ssh arguments', () => {
  it('splits like a shell and reads -o in all its spellings', () => {
    expect(shellSplit(`-o ProxyCommand="ssh -W %h:%p -q bastion" -o'User=x y'`)).toEqual(['-o', 'ProxyCommand=ssh -W %h:%p -q bastion', '-oUser=x y']);
    const a = parseSshArgs(`-C -o ControlMaster=auto -oPort=2200 -o "User bob" -o ProxyJump=j1,j2:2222 -i ~/k -p 33 -l carol -J x -F /tmp/cfg -tt`);
    expect(a.configFile).toBe('/tmp/cfg');
    expect(a.options).toEqual([
      ['controlmaster', 'auto'], ['port', '2200'], ['user', 'bob'], ['proxyjump', 'j1,j2:2222'],
      ['identityfile', '~/k'], ['port', '33'], ['user', 'carol'], ['proxyjump', 'x'],
    ]);
  });

  it('parses ProxyJump lists', () => {
    expect(parseJumpList('alice@b1:2200,[::1]:22,ssh://b3,b4')).toEqual([
      { user: 'alice', host: 'b1', port: 2200 }, { user: undefined, host: '::1', port: 22 },
      { user: undefined, host: 'b3', port: undefined }, { user: undefined, host: 'b4', port: undefined },
    ]);
    expect(parseJumpList('none')).toEqual([]);
  });
});

describe('ssh config files', () => {
  it('first obtained value wins, across Host blocks with wildcards and negation', () => {
    const f = config(`
Port 2000
Host web-* !web-admin
  HostName %h.internal
  User deploy
Host web-1
  HostName ignored.example
  Port 2201
  IdentityFile ~/.ssh/web1
Host *
  User fallback
  Port 22
  IdentityFile ~/.ssh/all
  StrictHostKeyChecking accept-new
`);
    const t = resolveTarget('web-1', [], f);
    expect([t.hostname, t.port, t.user, t.strictHostKeyChecking]).toEqual(['web-1.internal', 2000, 'deploy', 'accept-new']);
    expect(t.identityFiles.map((p) => p.split('/').pop())).toEqual(['web1', 'all']); // IdentityFile accumulates
    const admin = resolveTarget('web-admin', [], f);
    expect([admin.hostname, admin.user]).toEqual(['web-admin', 'fallback']);
  });

  it('gives the command line (Ansible vars, then ssh args) precedence over the file', () => {
    const f = config('Host *\n  User fromconfig\n  Port 2222\n  ProxyJump cfgjump\n');
    const s = spec({ user: 'invuser', commonArgs: `-F ${f} -o User=argsuser -o Port=1 -o ProxyCommand="nc %h %p"` });
    const t = targetOf(s);
    expect([t.user, t.port, t.proxyJump, t.proxyCommand]).toEqual(['invuser', 1, undefined, 'nc h 1']);
    // without ansible_user / ansible_port the ssh args win, and the config file fills the rest
    const t2 = targetOf(spec({ commonArgs: `-F ${f} -o User=argsuser` }));
    expect([t2.user, t2.port, t2.proxyJump]).toEqual(['argsuser', 2222, [{ user: undefined, host: 'cfgjump', port: undefined }]]);
    expect(cliOptions(spec({ port: 2201, privateKeyFile: '/k', user: 'u', commonArgs: '-o Port=9' })).options).toEqual([
      ['port', '2201'], ['identityfile', '/k'], ['user', 'u'], ['port', '9'],
    ]);
  });

  it('follows Include (in a Host block only when it matches) and Match host/originalhost/user', () => {
    const f = config(
      `Host special
  Include @DIR@/conf.d/*.conf
Match originalhost db* user admin
  Port 5000
Match host *.lan
  ProxyJump gw
Host *
  User admin
`,
      { 'conf.d/a.conf': 'HostName special.lan\nPort 4000\n' },
    );
    const s = resolveTarget('special', [], f);
    expect([s.hostname, s.port, s.proxyJump?.[0].host]).toEqual(['special.lan', 4000, 'gw']);
    const other = resolveTarget('other', [], f);
    expect([other.hostname, other.port]).toEqual(['other', 22]);
    // Match user is evaluated with the User known at that point: from the command line here
    expect(resolveTarget('db1', [['user', 'admin']], f).port).toBe(5000);
    expect(resolveTarget('db1', [['user', 'bob']], f).port).toBe(22);
  });

  it('lets ProxyJump and ProxyCommand compete: whichever comes first', () => {
    const f = config('Host a\n  ProxyCommand nc %h %p\nHost *\n  ProxyJump j\n');
    expect(resolveTarget('a', [], f).proxyJump).toBeUndefined();
    expect(resolveTarget('b', [], f).proxyJump).toEqual([{ user: undefined, host: 'j', port: undefined }]);
    expect(resolveTarget('a', [['proxyjump', 'none']], f).proxyCommand).toBeUndefined();
  });
});
