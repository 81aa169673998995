import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../engine/errors/index.js';
import { loadExtraVars, parseExtraVarsArg } from '../../engine/vars/extra-vars.js';
import { parseKv, splitArgs } from '../../engine/vars/kv.js';

describe('parseKv / splitArgs', () => {
  it('keeps quoted words and jinja blocks together', () => {
    expect(splitArgs(`a=1 b='x y' c="{{ foo | default('a b') }}" d`)).toEqual(['a=1', "b='x y'", `c="{{ foo | default('a b') }}"`, 'd']);
    expect(splitArgs('msg={{ a }} {{ b }}')).toEqual(['msg={{ a }}', '{{ b }}']);
  });
  it('returns strings only and collects bare words into _raw_params', () => {
    expect(parseKv('a=1 c=true d=[1,2] b="hello world" f=k=v g= junk')).toEqual({
      a: '1', c: 'true', d: '[1,2]', b: 'hello world', f: 'k=v', g: '', _raw_params: 'junk',
    });
  });
  it('free-form keeps everything but the few command options in _raw_params', () => {
    expect(parseKv('echo a=b chdir=/tmp creates=/x', true)).toEqual({ _raw_params: 'echo a=b', chdir: '/tmp', creates: '/x' });
  });
  it('rejects unbalanced quotes', () => {
    expect(() => splitArgs(`a='x`)).toThrow(/unbalanced quotes/);
  });
});

describe('extra vars', () => {
  it('parses YAML and JSON documents', () => {
    expect(parseExtraVarsArg('{"a": 1, "b": [1, 2]}')).toEqual({ a: 1, b: [1, 2] });
    expect(parseExtraVarsArg('{z: yamlflow, t: yes}')).toEqual({ z: 'yamlflow', t: true });
  });
  it('loads @file and lets later -e win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-'));
    writeFileSync(join(dir, 'v.yml'), 'a: 1\nb: two\n');
    expect(loadExtraVars(['@v.yml', 'b=three', '{"c": true}'], dir)).toEqual({ a: 1, b: 'three', c: true });
  });
  it('rejects a path without @ with exit code 5', () => {
    try {
      parseExtraVarsArg('./vars.yml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OptionsError);
      expect((e as OptionsError).exitCode).toBe(5);
      expect((e as Error).message).toContain("Please prepend extra_vars filename './vars.yml' with '@'");
    }
  });
  it('rejects documents that are not mappings', () => {
    expect(() => parseExtraVarsArg('[1, 2]')).toThrow(/could not be made into a dictionary/);
  });
  it('names the file for a missing @file', () => {
    expect(() => parseExtraVarsArg('@/nonexistent/x.yml')).toThrow(/x\.yml/);
  });
});
