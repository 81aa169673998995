// Vault both ways against ansible-vault / ansible-playbook 2.14: files and strings ansible-vault
// encrypts (format 1.1 and 1.2 with a vault id) open in drover, files and strings `drover vault`
// writes open in ansible-vault, and a playbook with an encrypted vars file, encrypted group_vars,
// an inline !vault value and lookup('unvault') gives the same output under both tools. A wrong
// password and a corrupt HMAC stop the run before any task, naming the file and the vault id.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth } from '../modules/helpers/differential.js';
import { tempDir } from '../modules/helpers.js';
import { Vault, loadVault } from '../../engine/vault/secrets.js';

const DROVER = path.resolve(__dirname, '../../bin/drover');
const t = tempDir('drover-vault-diff-');
writeFileSync(t.p('pw'), 'first password\n');
writeFileSync(t.p('pw2'), 'second\n');
writeFileSync(t.p('wrong'), 'not it\n');
// an executable password file is run; its stdout is the password
writeFileSync(t.p('pw-script'), '#!/bin/sh\necho second\n');
chmodSync(t.p('pw-script'), 0o755);

function run(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, { cwd: t.dir, encoding: 'utf8', input, env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const drover = (...args: string[]) => run(process.execPath, [DROVER, ...args]);
const ansibleVault = (...args: string[]) => run('ansible-vault', args);

const PLAIN = 'user: admin\npassword: "p@ss: w0rd"\nlist: [1, 2]\nunicode: "héllo ✓"\n';
const ID_CASES: { label: string; flags: string[]; header: string }[] = [
  { label: 'format 1.1 (no vault id)', flags: ['--vault-password-file', 'pw'], header: '$ANSIBLE_VAULT;1.1;AES256' },
  { label: 'format 1.2 (vault id dev)', flags: ['--vault-id', 'dev@pw'], header: '$ANSIBLE_VAULT;1.2;AES256;dev' },
];

afterAll(() => t.cleanup());

describe.skipIf(!hasAnsible)('vault files and strings vs ansible-vault 2.14', () => {
  for (const c of ID_CASES) {
    it(`ansible-vault encrypts, drover decrypts: ${c.label}`, () => {
      const f = `a-${c.flags[1].replace(/\W/g, '')}.yml`;
      writeFileSync(t.p(f), PLAIN);
      expect(ansibleVault('encrypt', ...c.flags, f).status).toBe(0);
      expect(readFileSync(t.p(f), 'utf8').split('\n')[0]).toBe(c.header);
      const view = drover('vault', 'view', ...c.flags, f);
      expect(view.stderr).toBe('');
      expect(view.stdout).toBe(PLAIN);
      expect(drover('vault', 'decrypt', ...c.flags, f).status).toBe(0);
      expect(readFileSync(t.p(f), 'utf8')).toBe(PLAIN);
    });

    it(`drover encrypts, ansible-vault decrypts: ${c.label}`, () => {
      const f = `d-${c.flags[1].replace(/\W/g, '')}.yml`;
      writeFileSync(t.p(f), PLAIN);
      expect(drover('vault', 'encrypt', ...c.flags, f).status).toBe(0);
      const text = readFileSync(t.p(f), 'utf8');
      expect(text.split('\n')[0]).toBe(c.header);
      // hex body in 80 columns, final newline, as format_vaulttext_envelope
      expect(text.split('\n').slice(1, -2).every((l) => /^[0-9a-f]{80}$/.test(l))).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      const view = ansibleVault('view', ...c.flags, f);
      expect(view.status).toBe(0);
      expect(view.stdout).toBe(PLAIN);
    });

    it(`encrypt_string both ways: ${c.label}`, () => {
      const fromAnsible = ansibleVault('encrypt_string', ...c.flags, 's3cr3t value', '--name', 'token');
      const fromDrover = drover('vault', 'encrypt_string', ...c.flags, 's3cr3t value', '--name', 'token');
      expect(fromDrover.status).toBe(0);
      const shape = (s: string) => s.replace(/[0-9a-f]{2,80}/g, 'HEX');
      expect(shape(fromDrover.stdout)).toBe(shape(fromAnsible.stdout));
      writeFileSync(t.p('s-ansible.yml'), fromAnsible.stdout + '\n');
      writeFileSync(t.p('s-drover.yml'), fromDrover.stdout + '\n');
      const args = ['-i', 'localhost,', 'localhost', '-m', 'debug', '-a', 'var=token', ...c.flags];
      expect(run('ansible', [...args, '-e', '@s-drover.yml']).stdout).toContain('"token": "s3cr3t value"');
      const pb = `- hosts: localhost\n  gather_facts: false\n  vars_files: [s-ansible.yml]\n  tasks:\n    - debug: var=token\n`;
      writeFileSync(t.p('s.yml'), pb);
      expect(drover('playbook', '--no-live', '-i', 'localhost,', ...c.flags, 's.yml').stdout).toContain('"token": "s3cr3t value"');
    });
  }

  it('drover inventory --list shows an inline !vault value as ansible-inventory does: its ciphertext, not the secret', () => {
    const inline = ansibleVault('encrypt_string', '--vault-id', 'dev@pw', 'inv-secret', '--name', 'token').stdout;
    writeFileSync(t.p('inv.yml'), `all:\n  hosts:\n    h1:\n      plain: 1\n  vars:\n    ${inline.replace(/\n/g, '\n    ')}\n`);
    const a = run('ansible-inventory', ['-i', 'inv.yml', '--list', '--vault-id', 'dev@pw']);
    const d = drover('inventory', '-i', 'inv.yml', '--list', '--vault-id', 'dev@pw');
    expect(d.status).toBe(0);
    expect(d.stdout).toBe(a.stdout);
    expect(d.stdout).toContain('"__ansible_vault": "$ANSIBLE_VAULT;1.2;AES256;dev\\n');
    expect(d.stdout).not.toContain('inv-secret');
  });

  it('rekey to a new vault id opens in ansible-vault with the new password only', () => {
    writeFileSync(t.p('r.yml'), PLAIN);
    expect(ansibleVault('encrypt', '--vault-password-file', 'pw', 'r.yml').status).toBe(0);
    expect(drover('vault', 'rekey', '--vault-password-file', 'pw', '--new-vault-id', 'prod@pw2', 'r.yml').status).toBe(0);
    expect(readFileSync(t.p('r.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(ansibleVault('view', '--vault-id', 'prod@pw2', 'r.yml').stdout).toBe(PLAIN);
    expect(ansibleVault('view', '--vault-password-file', 'pw', 'r.yml').status).not.toBe(0);
  });

  it('tries the secret of the vaulttext id first, then the others (VaultLib order)', async () => {
    const vault = await loadVault({ vaultIds: ['a@wrong', 'dev@pw'], cwd: t.dir });
    writeFileSync(t.p('o.yml'), PLAIN);
    expect(ansibleVault('encrypt', '--vault-id', 'dev@pw', 'o.yml').status).toBe(0);
    expect(vault.decrypt(readFileSync(t.p('o.yml'), 'utf8'), 'o.yml').vaultId).toBe('dev');
    // with vault_id_match only the named secret may decrypt
    const strict = new Vault([{ id: 'other', password: Buffer.from('first password') }], true);
    expect(() => strict.decrypt(readFileSync(t.p('o.yml'), 'utf8'), 'o.yml')).toThrow(/Decryption failed.*o\.yml.*vault id: dev/);
  });
});

describe.skipIf(!hasAnsible)('a playbook with vaulted content vs ansible-playbook 2.14', () => {
  const dir = t.p('pb');
  mkdirSync(path.join(dir, 'group_vars'), { recursive: true });
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const enc = (file: string, text: string, ...flags: string[]) => {
    writeFileSync(path.join(dir, file), text);
    const r = spawnSync('ansible-vault', ['encrypt', ...flags, file], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  writeFileSync(path.join(dir, 'pw'), 'first password\n');
  writeFileSync(path.join(dir, 'pw-script'), '#!/bin/sh\necho second\n');
  chmodSync(path.join(dir, 'pw-script'), 0o755);
  enc('secrets.yml', 'db_password: hunter2\nport: 5432\n', '--vault-password-file', 'pw');
  enc('group_vars/all.yml', 'from_group_vars: gv-secret\n', '--vault-id', 'prod@pw-script');
  enc('files/blob.txt', 'line one\nline two\n', '--vault-password-file', 'pw');
  mkdirSync(path.join(dir, 'templates'), { recursive: true });
  // the file and template lookups decrypt too (DataLoader._get_file_contents)
  enc('templates/hello.j2', 'Unvaulted {{ db_password }}!\n', '--vault-password-file', 'pw');
  const inline = spawnSync('ansible-vault', ['encrypt_string', '--vault-id', 'prod@pw-script', 'inline-secret', '--name', 'api_key'], { cwd: dir, encoding: 'utf8' }).stdout;
  writeFileSync(path.join(dir, 'pb.yml'), `- hosts: localhost
  gather_facts: false
  vars_files: [secrets.yml]
  vars:
    ${inline.replace(/\n/g, '\n    ')}
  tasks:
    - debug: var=db_password
    - debug: msg="{{ api_key }} {{ port + 1 }} {{ from_group_vars }}"
    - debug: msg="{{ lookup('unvault', 'blob.txt') }}"
    - debug: msg="{{ lookup('file', 'blob.txt') }} / {{ lookup('template', 'hello.j2') }}"
    # only a !vault value is vault_encrypted (not text that looks like one), through set_fact too
    - set_fact:
        copied: "{{ api_key }}"
        kept: ${inline.replace(/\n/g, '\n    ').replace('api_key: ', '')}
        lookalike: "$ANSIBLE_VAULT;1.1;AES256"
    - debug: msg="{{ api_key is vault_encrypted }} {{ copied is vault_encrypted }} {{ kept is vault_encrypted }} {{ lookalike is vault_encrypted }} {{ api_key | type_debug }} {{ kept | type_debug }}"
    - assert:
        that: [api_key == 'inline-secret', "lookup('unvault', 'blob.txt') == 'line one\\nline two\\n'"]
`);
  const flags = ['--vault-password-file', 'pw', '--vault-id', 'prod@pw-script'];

  it('prints the same output and exit code', () => {
    const runs = runPlaybookBoth('pb.yml', { cwd: dir, args: flags });
    expect(runs.drover.stderr).toBe('');
    expect(runs.ansible.status).toBe(0);
    expect(runs.drover.status).toBe(0);
    expect(comparableOutput(runs.drover.stdout, [dir])).toBe(comparableOutput(runs.ansible.stdout, [dir]));
    expect(runs.drover.stdout).toContain('"db_password": "hunter2"');
    expect(runs.ansible.stdout).toContain('"msg": "True False True False AnsibleVaultEncryptedUnicode AnsibleVaultEncryptedUnicode"');
  }, 120_000);

  it('copy (decrypt default yes, decrypt=no) and template sources: the same files under both tools', () => {
    mkdirSync(path.join(dir, 'templates'), { recursive: true });
    enc('templates/t.j2', 'port is {{ port }}\n', '--vault-password-file', 'pw');
    writeFileSync(path.join(dir, 'cp.yml'), `- hosts: localhost
  gather_facts: false
  vars_files: [secrets.yml]
  tasks:
    - copy: {src: blob.txt, dest: "{{ lookup('env', 'OUT') }}/plain.txt"}
    - copy: {src: blob.txt, dest: "{{ lookup('env', 'OUT') }}/still-vaulted.txt", decrypt: false}
    - template: {src: t.j2, dest: "{{ lookup('env', 'OUT') }}/t.txt"}
`);
    const outs: Record<string, string> = { ansible: path.join(dir, 'out-ansible'), drover: path.join(dir, 'out-drover') };
    for (const o of Object.values(outs)) mkdirSync(o, { recursive: true });
    const runs = runPlaybookBoth('cp.yml', { cwd: dir, args: [...flags, '-c', 'local'], envFor: (tool) => ({ ANSIBLE_VAULT_IDENTITY_LIST: '', OUT: outs[tool] }) });
    expect(runs.ansible.stdout + runs.ansible.stderr).not.toMatch(/fatal|ERROR/);
    expect(runs.ansible.status).toBe(0);
    expect(runs.drover.status).toBe(0);
    for (const f of ['plain.txt', 'still-vaulted.txt', 't.txt']) expect(readFileSync(path.join(outs.drover, f), 'utf8')).toBe(readFileSync(path.join(outs.ansible, f), 'utf8'));
    expect(readFileSync(path.join(outs.drover, 'plain.txt'), 'utf8')).toBe('line one\nline two\n');
    expect(readFileSync(path.join(outs.drover, 't.txt'), 'utf8')).toBe('port is 5432\n');
    expect(readFileSync(path.join(outs.drover, 'still-vaulted.txt'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  }, 120_000);

  it('no decrypted value in -v output, JSON events or the log file, except where debug prints it', () => {
    writeFileSync(path.join(dir, 'leak.yml'), `- hosts: localhost
  gather_facts: false
  vars_files: [secrets.yml]
  tasks:
    - command: echo {{ db_password }} {{ api_key }}
      vars:
        ${inline.replace(/\n/g, '\n        ')}
    - debug: var=db_password
`);
    const log = path.join(dir, 'run.log');
    const base = ['playbook', '-i', 'localhost,', '-c', 'local', ...flags, '--log-file', log];
    const plain = drover(...base, '--no-live', '-vvv', path.join(dir, 'leak.yml'));
    const json = drover(...base, '--output', 'json', path.join(dir, 'leak.yml'));
    expect(plain.status).toBe(0);
    expect(json.status).toBe(0);
    const commandPart = (s: string) => s.slice(0, s.indexOf('TASK [debug]'));
    expect(plain.stdout).toContain('"stdout": "******** ********"');
    expect(commandPart(plain.stdout)).not.toMatch(/hunter2|inline-secret/);
    expect(plain.stdout).toContain('"db_password": "hunter2"');
    const events = json.stdout.split('\n').filter((l) => l.includes('"host.result"'));
    expect(events.length).toBe(2);
    expect(events[0]).not.toMatch(/hunter2|inline-secret/);
    expect(events[0]).toContain('********');
    expect(readFileSync(log, 'utf8').split('TASK [debug]')[0]).not.toMatch(/hunter2|inline-secret/);
  }, 120_000);

  it('a wrong password stops both before any task; drover names the file and the vault id', () => {
    writeFileSync(path.join(dir, 'wrong'), 'nope\n');
    const runs = runPlaybookBoth('pb.yml', { cwd: dir, args: ['--vault-password-file', 'wrong', '--vault-id', 'prod@pw-script'] });
    expect(runs.ansible.status).toBe(1);
    expect(runs.drover.status).toBe(1);
    for (const r of [runs.ansible, runs.drover]) {
      expect(r.stdout).not.toContain('TASK [');
      expect(r.stderr).toMatch(/Decryption failed \(no vault secrets were found that could decrypt\) on \S*secrets\.yml/);
    }
    expect(runs.drover.stderr).toContain('vault id: default');
  }, 120_000);

  it('a corrupt HMAC is a clear error that runs nothing', () => {
    const text = readFileSync(path.join(dir, 'secrets.yml'), 'utf8');
    const lines = text.split('\n');
    const body = Buffer.from(lines.slice(1).join(''), 'hex').toString('latin1').split('\n');
    body[1] = body[1].replace(/^./, (ch) => (ch === '0' ? '1' : '0'));
    const bad = Buffer.from(body.join('\n'), 'latin1').toString('hex');
    writeFileSync(path.join(dir, 'bad.yml'), `${lines[0]}\n${bad.match(/.{1,80}/g)?.join('\n')}\n`);
    writeFileSync(path.join(dir, 'bad-pb.yml'), '- hosts: localhost\n  gather_facts: false\n  vars_files: [bad.yml]\n  tasks:\n    - debug: msg=ran\n');
    const r = drover('playbook', '--no-live', '-i', 'localhost,', '--vault-password-file', path.join(dir, 'pw'), '--vault-id', `prod@${path.join(dir, 'pw-script')}`, path.join(dir, 'bad-pb.yml'));
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('TASK [');
    expect(r.stderr).toMatch(/Decryption failed .* on \S*bad\.yml \(vault id: default/);
    expect(r.stderr).not.toContain('hunter2');
  });
});
