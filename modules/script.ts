// ansible.builtin.script: copy a controller script (looked up in files/) to the target and run
// it with its arguments — creates/removes, chdir, executable — in one trip: the wrapper checks
// creates/removes, writes the script (sent on stdin) into a private temp dir, runs it with stdin
// closed, and removes it. Check mode runs nothing: changed when creates/removes allow a run,
// skipped otherwise (as Ansible's action plugin).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { quote, shlexSplit } from '../engine/modules-sdk/quote.js';
import { splitLines } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { findNeedle, needleNotFound } from '../engine/search/needle.js';

const SKIP = '__DROVER_SCRIPT_SKIP__';

export interface ScriptPlan {
  /** Raw command line with the script's name replaced by its remote path. */
  command: string;
  remoteDir: string;
  remotePath: string;
}

/** Split `script.sh args...` and decide the remote names; the token keeps temp dirs apart. */
export function planScript(raw: string, token: string): { local: string; plan: ScriptPlan } {
  const parts = shlexSplit(raw.trim());
  if (!parts.length) throw new Error('script requires a path to a local script');
  const remoteDir = `/tmp/.drover-script-${token}`;
  const remotePath = `${remoteDir}/${path.basename(parts[0])}`;
  // as Ansible: the first occurrence of the script's name is replaced, the rest stays shell text
  const command = raw.trim().replace(parts[0], quote(remotePath));
  return { local: parts[0], plan: { command, remoteDir, remotePath } };
}

/** The wrapper script (the user's script comes on stdin). */
export function wrapperScript(p: ScriptPlan, o: { creates?: string; removes?: string; chdir?: string; executable?: string; check: boolean }): string {
  const lines = [
    o.creates ? `[ -e ${quote(o.creates)} ] && { printf '%s:%s\\n' ${SKIP} ${quote(`${o.creates} exists, matching creates option`)} >&2; exit 0; }` : '',
    o.removes ? `[ -e ${quote(o.removes)} ] || { printf '%s:%s\\n' ${SKIP} ${quote(`${o.removes} does not exist, matching removes option`)} >&2; exit 0; }` : '',
  ];
  if (o.check) return [...lines, 'exit 0'].filter(Boolean).join('\n') + '\n';
  const dir = quote(p.remoteDir);
  return (
    [
      ...lines,
      `(umask 077 && mkdir ${dir}) || exit 1`,
      `cat > ${quote(p.remotePath)} && chmod 700 ${quote(p.remotePath)} || { rm -rf ${dir}; exit 1; }`,
      o.chdir ? `cd ${quote(o.chdir)} || { rm -rf ${dir}; exit 1; }` : '',
      `${o.executable ? quote(o.executable) + ' ' : ''}${p.command} < /dev/null`,
      `_rc=$?; rm -rf ${dir}; exit $_rc`,
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

const script: ModuleDefinition = {
  name: 'script',
  description: 'Runs a local script on a remote node after transferring it',
  freeForm: true,
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      _raw_params: { type: 'string' },
      cmd: { type: 'string' },
      creates: { type: 'string' },
      removes: { type: 'string' },
      chdir: { type: 'string' },
      executable: { type: 'string' },
      decrypt: { type: 'boolean', default: true },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['_raw_params', 'cmd']],
  },
  async run(args, ctx) {
    const raw = (args.cmd ?? args._raw_params) as string | undefined;
    if (!raw || !String(raw).trim()) return { changed: false, failed: true, msg: 'script requires a path to a local script (free form or cmd)' };
    const chdir = args.chdir as string | undefined;
    if (chdir && !chdir.startsWith('/')) return { changed: false, failed: true, msg: `chdir ${chdir} must be an absolute path for a Unix-aware remote node` };
    let planned: ReturnType<typeof planScript>;
    try {
      planned = planScript(String(raw), randomBytes(8).toString('hex'));
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message };
    }
    const local = findNeedle(ctx.searchPaths, 'files', planned.local);
    if (!local) return { changed: false, failed: true, msg: needleNotFound(ctx.searchPaths, 'files', planned.local) };
    const content = await fs.readFile(local);
    const opts = { creates: args.creates as string | undefined, removes: args.removes as string | undefined, chdir, executable: args.executable as string | undefined };
    const r = await ctx.run(wrapperScript(planned.plan, { ...opts, check: ctx.check }), { stdin: ctx.check ? '' : content });
    const skip = new RegExp(`^${SKIP}:(.*)\\n?$`).exec(r.stderr);
    if (skip) return { changed: false, skipped: true, msg: skip[1] };
    if (ctx.check) {
      if (opts.creates || opts.removes) return { changed: true };
      return { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    }
    const res = { changed: true, rc: r.rc, stdout: r.stdout, stderr: r.stderr, stdout_lines: splitLines(r.stdout), stderr_lines: splitLines(r.stderr) };
    if (r.rc !== 0) return { ...res, failed: true, msg: 'non-zero return code' };
    return res;
  },
};

export default script;
