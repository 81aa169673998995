// ansible.builtin.tempfile: create a temporary file or directory on the host as Python's
// mkstemp/mkdtemp do (prefix + 8 random characters + suffix, created exclusively, 0600 / 0700),
// in `path` or the host's temporary directory (gettempdir: $TMPDIR, $TEMP, $TMP, /tmp, ...).
import { randomInt } from 'node:crypto';
import { posix } from 'node:path';
import { quote } from '../engine/modules-sdk/quote.js';
import { pathInfoLines, withPathInfo } from '../engine/modules-sdk/pathinfo.js';
import { buildScript, parseOutput, shVars } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pyRepr } from '../engine/template/python.js';

/** tempfile._RandomNameSequence's alphabet and length. */
const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const NAME_LEN = 8;
/** Names tried before giving up (Python tries TMP_MAX = 10000; a clash is already rare). */
const ATTEMPTS = 16;

/** errno → Python's strerror and the OSError subclass it raises. */
const ERRNO: Record<string, [string, string]> = {
  '2': ['No such file or directory', 'FileNotFoundError'],
  '13': ['Permission denied', 'PermissionError'],
  '17': ['File exists', 'FileExistsError'],
  '20': ['Not a directory', 'NotADirectoryError'],
};

export function randomName(): string {
  let s = '';
  for (let i = 0; i < NAME_LEN; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

/**
 * The script: resolve the directory (~ and relative paths as Python's abspath sees them),
 * then create the first free candidate with O_EXCL (noclobber) or mkdir, which both fail
 * when the name exists; emits path=, or errno= and at= for the failure.
 */
export function tempfileScript(o: { dir?: string; state: 'file' | 'directory'; names: string[] }): string {
  return buildScript(
    shVars({ d: o.dir ?? '', state: o.state }),
    String.raw`_d_home d
if [ -z "$d" ]; then
  for c in "$TMPDIR" "$TEMP" "$TMP" /tmp /var/tmp /usr/tmp "$PWD"; do
    if [ -n "$c" ] && [ -d "$c" ] && [ -w "$c" ]; then d=$c; break; fi
  done
fi
case "$d" in /*) ;; *) d="$PWD/$d";; esac
umask 077
for p in ${o.names.map((n) => `"$d"/${n}`).join(' ')}; do
  if [ "$state" = directory ]; then mkdir -- "$p" 2>/dev/null && break; else (set -C; : > "$p") 2>/dev/null && break; fi
  if [ -e "$p" ] || [ -h "$p" ]; then continue; fi
  _d_emit at "$p"
  if [ ! -e "$d" ]; then _d_fail 2; elif [ ! -d "$d" ]; then _d_fail 20; else _d_fail 13; fi
done
if [ ! -e "$p" ]; then _d_emit at "$d"; _d_fail 17; fi
_d_emit path "$p"
${pathInfoLines('"$p"')}`,
  );
}

const tempfile: ModuleDefinition = {
  name: 'tempfile',
  description: 'Creates temporary files and directories',
  supportsCheckMode: false,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      state: { type: 'string', enum: ['file', 'directory'], default: 'file' },
      path: { type: 'string' },
      prefix: { type: 'string', default: 'ansible.' },
      suffix: { type: 'string', default: '' },
    },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const state = args.state === 'directory' ? 'directory' : 'file';
    const prefix = String(args.prefix ?? 'ansible.');
    const suffix = String(args.suffix ?? '');
    // the name parts are quoted one by one so that prefix/suffix stay literal
    const names = Array.from({ length: ATTEMPTS }, () => quote(prefix + randomName() + suffix));
    const r = await ctx.run(tempfileScript({ dir: args.path === undefined || args.path === null ? undefined : String(args.path), state, names }));
    const { fields } = parseOutput(r.stdout);
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() || 'tempfile: the script failed' };
    if (fields.failed !== undefined) {
      const at = posix.normalize(fields.at ?? '');
      const [text, type] = ERRNO[fields.failed] ?? ['Error', 'OSError'];
      const msg = fields.failed === '17' ? `[Errno 17] No usable temporary ${state} name found` : `[Errno ${fields.failed}] ${text}: ${pyRepr(at)}`;
      // fail_json(exception=format_exc()): the traceback's last line is what tells the cause
      return { changed: false, failed: true, msg, exception: `Traceback (most recent call last):\n${type}: ${msg}\n` };
    }
    return withPathInfo({ changed: true, path: posix.normalize(fields.path) }, fields.path_info);
  },
};

export default tempfile;
