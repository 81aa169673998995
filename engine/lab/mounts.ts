// Mounting and unmounting many lab mount points at once. A 1,000-host lab has 4,000 mounts; one
// `mount` process per mount point costs a fork and an exec each (tens of seconds on a busy
// 2-core machine), and a shell script holding them all passed as an argument hits the kernel's
// 128 KiB limit per argument (E2BIG) from ~200 hosts on. So the list goes on stdin to one
// python3 process calling mount(2)/umount2(2) through libc, with a /bin/sh script on stdin as the
// fallback when python3 is missing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { quote } from '../modules-sdk/quote.js';

export type MountOp =
  | { op: 'mount'; source: string; target: string; fstype: 'overlay' | 'proc'; data?: string }
  | { op: 'bind'; source: string; target: string }
  | { op: 'umount'; target: string };

const PY = `
import ctypes, json, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
b = lambda s: None if s is None else s.encode()
bad = []
for o in json.load(sys.stdin):
    k = o['op']
    if k == 'umount':
        r = libc.umount2(b(o['target']), 0)
        if r != 0:
            r = libc.umount2(b(o['target']), 2)  # MNT_DETACH: lazily, when busy
    elif k == 'bind':
        r = libc.mount(b(o['source']), b(o['target']), None, 4096, None)  # MS_BIND
    else:
        r = libc.mount(b(o['source']), b(o['target']), b(o['fstype']), 0, b(o.get('data')))
    if r != 0:
        bad.append('%s %s: %s' % (k, o['target'], os.strerror(ctypes.get_errno())))
sys.stderr.write(''.join(x + '\\n' for x in bad))
sys.exit(1 if bad else 0)
`;

/** The same operations as shell commands (the fallback, and readable in error messages). */
export function mountShell(ops: MountOp[]): string {
  return ops
    .map((o) => {
      if (o.op === 'umount') return `umount ${quote(o.target)} 2>/dev/null || umount -l ${quote(o.target)} || bad=1`;
      if (o.op === 'bind') return `mount --bind ${quote(o.source)} ${quote(o.target)} || bad=1`;
      return `mount -t ${o.fstype}${o.data ? ` -o ${quote(o.data)}` : ''} ${quote(o.source)} ${quote(o.target)} || bad=1`;
    })
    .concat('exit ${bad:-0}')
    .join('\n');
}

function feed(cmd: string, args: string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    c.stdin.end(input);
  });
}

/** Run the operations in order; failures are collected (every op is tried), then thrown unless `tolerate`. */
export async function runMounts(ops: MountOp[], opts: { tolerate?: boolean } = {}): Promise<string> {
  if (!ops.length) return '';
  const r = existsSync('/usr/bin/python3') ? await feed('/usr/bin/python3', ['-c', PY], JSON.stringify(ops)) : await feed('/bin/sh', ['-s'], mountShell(ops));
  if (r.code !== 0 && !opts.tolerate) throw new Error(`mount failed:\n${r.stderr.split('\n').slice(0, 10).join('\n')}`);
  return r.stderr;
}
