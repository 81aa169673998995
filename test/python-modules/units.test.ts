// Unit tests of the Python path's pieces against ansible-core 2.14's rules: the import scanner
// (ModuleDepFinder's view, optional imports inside blocks), module styles
// (module_common._find_module_utils), the payload's module_utils closure, the reading of module
// output (_filter_non_json_lines, _parse_returned_data, async_wrapper) and the distro map's fuzzy
// version match.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImports, absoluteModule } from '../../engine/python/imports.js';
import { buildPayload, moduleStyle, PayloadError } from '../../engine/python/payload.js';
import { filterNonJsonLines, parseAsyncOutput, parseModuleOutput } from '../../engine/python/result.js';
import { fuzzyMatch } from '../../engine/python/interpreter.js';
import { tempDir } from '../support/tmp.js';

const CORE = '/usr/lib/python3/dist-packages/ansible';
const work = tempDir('drover-pyunits-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('scanImports', () => {
  it('finds from-imports (also parenthesised over lines), plain imports and relative ones; nested ones are optional', () => {
    const src = [
      'from ansible.module_utils.basic import AnsibleModule',
      'from ansible.module_utils.common.text.converters import (',
      '    to_text,  # a comment (with a parenthesis',
      '    to_native as n,',
      ')',
      'import ansible.module_utils.six as six, os',
      'from ..module_utils.helper import shout',
      'x = "from ansible.module_utils.fake import nothing"',
      'try:',
      '    from ansible.module_utils.maybe import thing',
      'except ImportError:',
      '    pass',
      '"""',
      'from ansible.module_utils.in_docstring import x',
      '"""',
    ].join('\n');
    expect(scanImports(src)).toEqual([
      { module: 'ansible.module_utils.basic', names: ['AnsibleModule'], optional: false },
      { module: 'ansible.module_utils.common.text.converters', names: ['to_text', 'to_native'], optional: false },
      { module: 'ansible.module_utils.six', names: [], optional: false },
      { module: 'os', names: [], optional: false },
      { module: '..module_utils.helper', names: ['shout'], optional: false },
      { module: 'ansible.module_utils.maybe', names: ['thing'], optional: true },
    ]);
  });

  it('resolves relative imports against the importing package', () => {
    expect(absoluteModule('..module_utils.greet', 'ansible_collections.ns.coll.plugins.modules')).toBe('ansible_collections.ns.coll.plugins.module_utils.greet');
    expect(absoluteModule('.', 'ansible.module_utils.facts')).toBe('ansible.module_utils.facts');
    expect(absoluteModule('.x', 'a')).toBe('a.x');
  });
});

describe('moduleStyle', () => {
  const style = (text: string | Buffer) => moduleStyle(Buffer.isBuffer(text) ? text : Buffer.from(text)).style;
  it('classifies as module_common does', () => {
    expect(style('from ansible.module_utils.basic import *\n')).toBe('new');
    expect(style('import ansible.module_utils.basic\n')).toBe('new');
    expect(style('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>\n')).toBe('new');
    expect(style('from ..module_utils.x import y\n')).toBe('new');
    expect(style('#!/bin/sh\n# WANT_JSON\n')).toBe('non_native_want_json');
    expect(style('#!/usr/bin/python\nargs = "<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"\n')).toBe('jsonargs');
    expect(style('#!/bin/sh\necho {}\n')).toBe('old');
    expect(style(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toBe('binary');
    expect(moduleStyle(Buffer.from('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>\n')).source.toString()).toBe('from ansible.module_utils.basic import *\n');
  });
});

describe.skipIf(!existsSync(join(CORE, 'module_utils', 'basic.py')))('buildPayload', () => {
  const src = { moduleUtilsDirs: [] as string[], ansibleCore: CORE, collectionRoots: [] };
  const ref = (name: string) => ({ path: join(work, `${name}.py`), name, fqcn: name });

  it("holds the module, basic and everything basic imports, with each package's __init__.py", () => {
    writeFileSync(join(work, 'm.py'), 'from ansible.module_utils.basic import AnsibleModule\n');
    const p = buildPayload(ref('m'), Buffer.from('from ansible.module_utils.basic import AnsibleModule\n'), src);
    expect(p.fqn).toBe('ansible.modules.m');
    const files = [...p.files.keys()];
    for (const f of ['ansible/modules/m.py', 'ansible/__init__.py', 'ansible/module_utils/__init__.py', 'ansible/module_utils/basic.py', 'ansible/module_utils/six/__init__.py', 'ansible/module_utils/common/__init__.py', 'ansible/module_utils/common/text/converters.py', 'ansible/module_utils/parsing/convert_bool.py']) {
      expect(files).toContain(f);
    }
    // only what is imported: no unrelated module_utils
    expect(files).not.toContain('ansible/module_utils/urls.py');
    expect(files.length).toBeLessThan(120);
  });

  it('takes module_utils from a role folder first, follows its imports, and names a missing one', () => {
    const mu = join(work, 'module_utils');
    rmSync(mu, { recursive: true, force: true });
    writeFileSync(join(work, 'n.py'), '');
    const dirs = { ...src, moduleUtilsDirs: [mu] };
    mkdirSync(mu);
    writeFileSync(join(mu, 'mine.py'), 'from ansible.module_utils.urls import open_url\n');
    const p = buildPayload(ref('n'), Buffer.from('from ansible.module_utils.mine import x\n'), dirs);
    expect([...p.files.keys()]).toEqual(expect.arrayContaining(['ansible/module_utils/mine.py', 'ansible/module_utils/urls.py']));
    expect(() => buildPayload(ref('n'), Buffer.from('from ansible.module_utils.not_there import x\n'), dirs)).toThrow(PayloadError);
    expect(() => buildPayload(ref('n'), Buffer.from('try:\n    from ansible.module_utils.not_there import x\nexcept ImportError:\n    pass\n'), dirs)).not.toThrow();
  });
});

describe('module output', () => {
  const res = (stdout: string, stderr = '', rc = 0) => ({ stdout, stderr, rc, durationMs: 1 });

  it('drops junk around the JSON and warns about junk after it only', () => {
    expect(filterNonJsonLines('motd\n{"a": 1}\n')).toEqual({ json: '{"a": 1}', warnings: [] });
    expect(filterNonJsonLines('{"a": 1}\nbye\n')).toEqual({ json: '{"a": 1}', warnings: ['Module invocation had junk after the JSON data: bye'] });
    expect(() => filterNonJsonLines('no json')).toThrow('No start of json char found');
  });

  it('reports output that is not JSON as MODULE FAILURE, with the interpreter hint when it is missing', () => {
    expect(parseModuleOutput(res('oops', 'Traceback (most recent call last):\nX', 1), '/usr/bin/python3', () => undefined)).toEqual({
      failed: true, module_stdout: 'oops', module_stderr: 'Traceback (most recent call last):\nX', exception: 'Traceback (most recent call last):\nX',
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', rc: 1,
    });
    const missing = parseModuleOutput(res('', '/bin/sh: 1: /usr/bin/python9: not found\n', 127), '/usr/bin/python9', () => undefined);
    expect(missing.msg).toBe('The module failed to execute correctly, you probably need to set the interpreter.\nSee stdout/stderr for the exact error');
  });

  it("reads an async job's output as async_wrapper: junk warnings and stderr in the result", () => {
    expect(parseAsyncOutput(res('x\n{"changed": false}\ny\n', 'err'), 'cmd')).toEqual({ changed: false, warnings: ['Module invocation had junk after the JSON data: y'], stderr: 'err' });
    expect(parseAsyncOutput(res('nothing', 'boom'), 'cmd')).toMatchObject({ failed: 1, cmd: 'cmd', data: 'nothing', stderr: 'boom' });
  });
});

describe('interpreter discovery', () => {
  it("matches a distribution's version as _version_fuzzy_match does", () => {
    const redhat = { '6': '/usr/bin/python', '8': '/usr/libexec/platform-python', '9': '/usr/bin/python3' };
    expect(fuzzyMatch('8', redhat)).toBe('/usr/libexec/platform-python');
    expect(fuzzyMatch('7', redhat)).toBe('/usr/bin/python');
    expect(fuzzyMatch('8.6', redhat)).toBe('/usr/libexec/platform-python');
    expect(fuzzyMatch('12', { '8': '/usr/bin/python', '10': '/usr/bin/python3' })).toBe('/usr/bin/python3');
    expect(fuzzyMatch('5', redhat)).toBe('/usr/bin/python');
  });
});
