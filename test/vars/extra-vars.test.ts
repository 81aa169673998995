import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DroverError, OptionsError } from '../../engine/errors/index.js';
import { loadExtraVars, parseExtraVarsArg } from '../../engine/vars/extra-vars.js';
import { tempDir } from '../support/tmp.js';

describe('extra vars', () => {
  it('parses YAML and JSON documents', () => {
    expect(parseExtraVarsArg('{"a": 1, "b": [1, 2]}')).toEqual({ a: 1, b: [1, 2] });
    expect(parseExtraVarsArg('{z: yamlflow, t: yes}')).toEqual({ z: 'yamlflow', t: true });
  });
  it('reads YAML as Ansible does: y/n stay strings, ON is a boolean', () => {
    expect(parseExtraVarsArg('{a: n, b: y, c: ON, d: No}')).toEqual({ a: 'n', b: 'y', c: true, d: false });
  });
  it('k=v goes through the task splitter: strings, quotes removed, escapes decoded', () => {
    expect(parseExtraVarsArg('a=x\\ny b="q\\tq" c=n d=1')).toEqual({ a: 'x\ny', b: 'q\tq', c: 'n', d: '1' });
  });
  it('a document that is neither JSON nor YAML exits 4 with the line', () => {
    try {
      parseExtraVarsArg('{a: [');
      expect.unreachable();
    } catch (e) {
      expect((e as DroverError).exitCode).toBe(4);
      expect((e as Error).message).toContain('Syntax Error while loading YAML');
    }
  });
  it('duplicate keys in @file warn with the mapping position', () => {
    const dir = tempDir('ev-');
    writeFileSync(join(dir, 'd.yml'), 'a: 1\nb: 2\na: 3\n');
    const warnings: string[] = [];
    expect(loadExtraVars(['@d.yml'], dir, { warn: (m) => warnings.push(m) })).toEqual({ a: 3, b: 2 });
    expect(warnings).toEqual([`While constructing a mapping from ${join(dir, 'd.yml')}, line 1, column 1, found a duplicate dict key (a). Using last defined value only.`]);
  });
  it('loads @file and lets later -e win', () => {
    const dir = tempDir('ev-');
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
