import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameCommand, MarkerReader } from '../../engine/transport/framing.js';
import { quote as shQuote } from '../../engine/modules-sdk/quote.js';
import { entryMatches, hostKeyName, keyTypeOfBlob, parseKnownHosts, verifyHostKey } from '../../engine/transport/known-hosts.js';
import { createHmac } from 'node:crypto';

describe('framing', () => {
  it('quotes every value for the remote shell', () => {
    expect(shQuote(`a'b $x`)).toBe(`'a'"'"'b $x'`);
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(`it's $HOME \`x\` "q"`)}`]).toString()).toBe(`it's $HOME \`x\` "q"`);
  });

  it('a framed command run by a real sh yields separate stdout, stderr and rc', () => {
    const token = '__T_1__';
    const text = frameCommand({ command: "printf 'no newline'; echo err >&2; exit 3", token, env: { X: "a'b" } });
    const out = execFileSync('/bin/sh', ['-c', text + 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = new MarkerReader(Buffer.from('\n' + token), true);
    // feed in small chunks to exercise the marker search across chunk borders
    for (let i = 0; i < out.length; i += 3) reader.push(out.subarray(i, i + 3));
    expect(reader.done).toBe(true);
    expect(reader.payload?.toString()).toBe('no newline');
    expect(reader.rc).toBe(3);
  });

  it('exports environment values literally and refuses names the shell would run', () => {
    const token = '__T_2__';
    const hostile = "a'b; touch /pwned-drover #\n$(id) `id` \\ end";
    const text = frameCommand({ command: 'printf %s "$X"', token, env: { X: hostile, _y2: 'ok' } });
    const out = execFileSync('/bin/sh', ['-c', text + 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = new MarkerReader(Buffer.from('\n' + token), true);
    reader.push(out);
    expect(reader.payload?.toString()).toBe(hostile);
    expect(existsSync('/pwned-drover')).toBe(false);
    for (const bad of ['A B', '1X', 'X-Y', 'X;touch /pwned-drover;Y', 'X=Y', '']) {
      expect(() => frameCommand({ command: 'true', token, env: { [bad]: 'v' } }), bad).toThrow(/invalid environment variable name/);
    }
  });

  it('finds the end marker whatever the chunking: one chunk, every split point, byte by byte', () => {
    const marker = Buffer.from('\n__T_9__');
    const payload = Buffer.from('x'.repeat(40) + '\n__T_8__ not this one\ny');
    const stream = Buffer.concat([payload, marker, Buffer.from(' 7\n')]);
    const check = (chunks: Buffer[]) => {
      const reader = new MarkerReader(marker, true);
      for (const c of chunks) reader.push(c);
      expect(reader.done).toBe(true);
      expect(reader.payload?.toString()).toBe(payload.toString());
      expect(reader.rc).toBe(7);
    };
    check([stream]);
    for (let i = 1; i < stream.length; i++) check([stream.subarray(0, i), stream.subarray(i)]);
    check([...stream].map((b) => Buffer.from([b])));
  });

  it('feeds stdin data and keeps cwd/env inside the subshell', () => {
    const token = '__T_2__';
    const script =
      frameCommand({ command: 'cat; cd /tmp; export LEAK=1', token, stdin: Buffer.from('line1\nline2') }) +
      frameCommand({ command: 'pwd; echo "leak=${LEAK:-}"', token: '__T_3__' });
    const out = execFileSync('/bin/sh', ['-c', script], { env: { HOME: '/', PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(out).toContain('line1\nline2\n__T_2__ 0');
    expect(out).toContain('/\nleak=\n\n__T_3__ 0');
  });
});

describe('known_hosts', () => {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 4, 1, 2, 3, 4])]);
  const b64 = blob.toString('base64');
  it('reads the key type from a blob and names hosts like OpenSSH', () => {
    expect(keyTypeOfBlob(blob)).toBe('ssh-ed25519');
    expect(hostKeyName('h', 22)).toBe('h');
    expect(hostKeyName('127.0.0.5', 2222)).toBe('[127.0.0.5]:2222');
  });
  it('accepts a matching plain, wildcard or hashed entry', () => {
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('[10.0.0.1]:2222').digest('base64');
    const entries = parseKnownHosts(`# c\nweb*.example.com ssh-ed25519 ${b64}\n|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}\n`, 'kh');
    expect(verifyHostKey(entries, 'web1.example.com', 22, blob, ['kh']).status).toBe('ok');
    expect(verifyHostKey(entries, '10.0.0.1', 2222, blob, ['kh']).status).toBe('ok');
    expect(verifyHostKey(entries, 'db1', 22, blob, ['kh']).status).toBe('unknown');
  });
  it('refuses a changed key and a revoked key, honours negation', () => {
    const other = Buffer.from(blob);
    other[other.length - 1] = 9;
    const entries = parseKnownHosts(`h1,!h2 ssh-ed25519 ${b64}\n@revoked h3 ssh-ed25519 ${b64}\nh3 ssh-ed25519 ${b64}\n`, 'kh');
    const changed = verifyHostKey(entries, 'h1', 22, other, ['kh']);
    expect(changed.status).toBe('changed');
    expect(changed.status !== 'ok' && changed.message).toContain('kh:1');
    expect(entryMatches(entries[0], 'h2')).toBe(false);
    expect(verifyHostKey(entries, 'h3', 22, blob, ['kh']).status).toBe('revoked');
    const unknown = verifyHostKey(entries, 'h9', 22, blob, ['kh']);
    expect(unknown.status !== 'ok' && unknown.message).toMatch(/ssh-keyscan -p 22 h9 >> kh/);
  });
  it('matches names case-insensitively like the glob regex, with and without wildcards, also when repeated', () => {
    const entries = parseKnownHosts(`[127.0.0.5]:2222 ssh-ed25519 ${b64}\nWeb1.Example.COM ssh-ed25519 ${b64}\nk?.lab,db-*.lab ssh-ed25519 ${b64}\n`, 'kh');
    for (let round = 0; round < 2; round++) {
      expect(entryMatches(entries[0], '[127.0.0.5]:2222')).toBe(true);
      expect(entryMatches(entries[0], '[127.0.0.5]:22222')).toBe(false);
      expect(entryMatches(entries[0], '127.0.0.5')).toBe(false);
      expect(entryMatches(entries[1], 'web1.example.com')).toBe(true);
      expect(entryMatches(entries[1], 'web1xexample.com')).toBe(false); // '.' is literal
      expect(entryMatches(entries[2], 'K1.LAB')).toBe(true);
      expect(entryMatches(entries[2], 'db-7.lab')).toBe(true);
      expect(entryMatches(entries[2], 'db.lab')).toBe(false);
    }
    // the regex's case folding (no unicode flag) never maps a non-ASCII letter to ASCII: KELVIN SIGN is not k
    const kelvin = parseKnownHosts(`k1.lab ssh-ed25519 ${b64}\n`, 'kh');
    expect(entryMatches(kelvin[0], '\u212a1.lab')).toBe(false);
    expect(entryMatches(kelvin[0], 'K1.lab')).toBe(true);
  });
});
