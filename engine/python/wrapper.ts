// The programs that carry a module to the host. New-style Python: an AnsiballZ-equivalent
// wrapper fed to the interpreter on stdin (as Ansible's pipelining does) that unpacks the payload
// into a folder named by its content hash (kept: later runs send only the arguments), hands the arguments to ansible.module_utils.basic (_ANSIBLE_ARGS)
// and runs the module with runpy as __main__ — written for Python 2.6+ and 3. Other styles
// (old-style key=value, WANT_JSON, JSONARGS, binary): a /bin/sh script that writes the module and
// its args file to a fresh folder under remote_tmp and runs `interpreter module args`, as
// ActionBase._execute_module does without pipelining.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { quote } from '../modules-sdk/quote.js';
import type { Payload } from './payload.js';

/** The content hash of a payload: the name of its cached copy on a host. */
export function payloadHash(payload: Payload): string {
  const h = createHash('sha256').update(payload.fqn);
  for (const [k, v] of [...payload.files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update('\0' + k + '\0').update(v);
  return h.digest('hex').slice(0, 32);
}

/** Exit code of a stub wrapper whose cached payload is gone from the host: send the full one. */
export const PAYLOAD_MISSING_RC = 97;
export const PAYLOAD_MISSING_MARK = 'DROVER_PAYLOAD_MISSING';

/**
 * Python source of the new-style wrapper. `params` is the JSON text {"ANSIBLE_MODULE_ARGS": ...}
 * (ASCII). The payload is unpacked once per host into <remote_tmp>/drover-payloads/<hash> (its
 * compiled .pyc files stay there too); with `stub` the wrapper carries no payload and exits
 * PAYLOAD_MISSING_RC when that folder is not there.
 */
export function pythonWrapper(payload: Payload, params: string, opts: { stub?: boolean; hash?: string } = {}): string {
  let zipped = '';
  if (!opts.stub) {
    const files: Record<string, string> = {};
    for (const [k, v] of payload.files) files[k] = v.toString('latin1');
    zipped = deflateSync(Buffer.from(JSON.stringify(files), 'utf8'), { level: 6 }).toString('base64');
  }
  return `# -*- coding: utf-8 -*-
_ANSIBALLZ_WRAPPER = True
def _ansiballz_main():
    import os
    import os.path
    try:
        os.getcwd()
    except OSError:
        try:
            os.chdir(os.path.expanduser('~'))
        except OSError:
            os.chdir('/')
    import sys
    sys.path = [p for p in sys.path if p not in ('', '.')]
    import base64
    import json
    import runpy
    import shutil
    import zlib
    PAYLOAD = ${JSON.stringify(zipped)}
    PARAMS = ${JSON.stringify(params)}
    args = json.loads(PARAMS)
    margs = args['ANSIBLE_MODULE_ARGS']
    base = os.path.expanduser(os.path.expandvars(margs.get('_ansible_remote_tmp') or '~/.ansible/tmp'))
    lib = os.path.join(base, 'drover-payloads', ${JSON.stringify(opts.hash ?? payloadHash(payload))})
    def unpack(root):
        files = json.loads(zlib.decompress(base64.b64decode(PAYLOAD)).decode('utf-8'))
        for rel, data in files.items():
            dest = os.path.join(root, rel)
            folder = os.path.dirname(dest)
            if not os.path.isdir(folder):
                os.makedirs(folder, 448)
            f = open(dest, 'wb')
            try:
                f.write(data.encode('latin-1'))
            finally:
                f.close()
    private_lib = False
    if not os.path.isdir(lib):
        if not PAYLOAD:
            print(${JSON.stringify(PAYLOAD_MISSING_MARK)})
            sys.exit(${PAYLOAD_MISSING_RC})
        # unpacked beside, then renamed: a concurrent run never sees half a payload
        staging = '%s.%s' % (lib, os.getpid())
        try:
            unpack(staging)
            try:
                os.rename(staging, lib)
            except OSError:
                shutil.rmtree(staging, True)
        except (OSError, IOError):
            # remote_tmp not writable for this user (become): a private copy, removed afterwards
            import tempfile
            shutil.rmtree(staging, True)
            lib = tempfile.mkdtemp(prefix='ansible_payload_')
            private_lib = True
            unpack(lib)
    # the action's remote tmp dir (_ansible_tmpdir), made here as Ansible's _make_tmp_path names it
    action_tmp = None
    if margs.get('_ansible_tmpdir') is None:
        import random
        import time
        try:
            if not os.path.isdir(base):
                os.makedirs(base, 448)
            action_tmp = os.path.join(base, 'ansible-tmp-%s-%s-%s' % (time.time(), os.getpid(), random.randint(0, 2**48)))
            os.mkdir(action_tmp, 448)
            margs['_ansible_tmpdir'] = action_tmp
            PARAMS = json.dumps(args)
        except OSError:
            action_tmp = None
    if sys.version_info >= (3,) and not isinstance(PARAMS, bytes):
        PARAMS = PARAMS.encode('utf-8')
    try:
        sys.path.insert(0, lib)
        from ansible.module_utils import basic
        basic._ANSIBLE_ARGS = PARAMS
        runpy.run_module(mod_name=${JSON.stringify(payload.fqn)}, init_globals=dict(_module_fqn=${JSON.stringify(payload.fqn)}, _modlib_path=lib), run_name='__main__', alter_sys=True)
        print('{"msg": "New-style module did not handle its own exit", "failed": true}')
        sys.exit(1)
    finally:
        if action_tmp and not margs.get('_ansible_keep_remote_files'):
            shutil.rmtree(action_tmp, True)
        if private_lib:
            shutil.rmtree(lib, True)
if __name__ == '__main__':
    _ansiballz_main()
`;
}

/** The shell form of a remote_tmp ('~/x' → "$HOME"/x, so the shell expands it). */
function shellPath(p: string): string {
  return p === '~' ? '"$HOME"' : p.startsWith('~/') ? `"$HOME"/${quote(p.slice(2))}` : quote(p);
}

/**
 * The /bin/sh script for a module file that is not new-style Python: the module arrives on stdin
 * and is written to `<remote_tmp>/ansible-tmp-XXXX/<name>` with its args file beside it.
 * `interpreter` is the shebang's command line (empty for a binary, which runs directly).
 */
export function fileModuleScript(name: string, interpreter: string, args: string | undefined, remoteTmp: string, keep: boolean): string {
  const run = `${interpreter ? interpreter + ' ' : ''}"$d"/${quote(name)}${args === undefined ? '' : ' "$d"/args'}`;
  return [
    `umask 77; mkdir -p ${shellPath(remoteTmp)} 2>/dev/null; d=$(mktemp -d ${shellPath(remoteTmp)}/ansible-tmp-XXXXXXXXXX) || exit 1`,
    `cat > "$d"/${quote(name)} || exit 1`,
    args === undefined ? '' : `printf '%s' ${quote(args)} > "$d"/args || exit 1`,
    `chmod u+x "$d"/${quote(name)}`,
    `${run} </dev/null; rc=$?`,
    keep ? '' : 'rm -rf "$d" >/dev/null 2>&1',
    'exit $rc',
  ].filter(Boolean).join('\n');
}

/** The interpreter line of a module's shebang, split as Ansible's _extract_interpreter does. */
export function shebangOf(source: Buffer): { interpreter: string; args: string[] } | undefined {
  const first = source.subarray(0, 512).toString('latin1').split('\n')[0];
  if (!first.startsWith('#!')) return undefined;
  const parts = first.slice(2).trim().split(/\s+/);
  return parts[0] ? { interpreter: parts[0], args: parts.slice(1) } : undefined;
}
