// ansible-core's `unarchive` action plugin (plugins/action/unarchive.py of 2.14) in front of its
// unarchive module file: Ansible always runs the module through it. It turns the deprecated `copy`
// into `remote_src`, skips when `creates` exists on the host, requires `dest` to be an existing
// directory there and - for a controller-side archive (remote_src: no, the default) - finds the
// archive in the task's files/ search path (decrypted when vaulted), sends it to a fresh
// ansible-tmp-* folder under remote_tmp as `source`, runs the module with `src` pointing at it and
// removes the folder. The checks and the transfer are one trip to the host.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { quote } from '../modules-sdk/quote.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../modules-sdk/types.js';
import { toBool } from '../executor/truthy.js';
import { findNeedle, needleNotFound } from '../search/needle.js';

/** The task names (as written) that ansible-core's unarchive action plugin serves. */
const NAMES = new Set(['unarchive', 'ansible.builtin.unarchive', 'ansible.legacy.unarchive']);

export function isUnarchiveAction(written: string): boolean {
  return NAMES.has(written);
}

/** The /bin/sh form of a remote path whose leading ~ the host's shell expands (as _remote_expand_user). */
function remotePath(p: string): string {
  return p === '~' ? '"$HOME"' : p.startsWith('~/') ? `"$HOME"/${quote(p.slice(2))}` : quote(p);
}

/**
 * The host side of the action: creates check, dest check, and (with `upload`) a private folder
 * under remote_tmp receiving the archive on stdin. Prints one line: SKIP, NODIR:<dest>, or
 * OK:<dest> last, after TMP:<tmpdir> when uploading.
 */
export function prepareScript(o: { creates?: string; dest: string; upload: boolean; remoteTmp: string }): string {
  return [
    o.creates ? `if [ -e ${remotePath(o.creates)} ]; then printf 'SKIP\\n'; exit 0; fi` : '',
    `d=${remotePath(o.dest)}`,
    `if [ ! -d "$d" ]; then printf 'NODIR:%s\\n' "$d"; exit 0; fi`,
    o.upload
      ? [
          `umask 77; mkdir -p ${remotePath(o.remoteTmp)} 2>/dev/null`,
          `t=$(mktemp -d ${remotePath(o.remoteTmp)}/ansible-tmp-XXXXXXXXXX) || exit 1`,
          'cat > "$t"/source || { rm -rf "$t"; exit 1; }',
          `printf 'TMP:%s\\nOK:%s\\n' "$t" "$d"`,
        ].join('\n')
      : `printf 'OK:%s\\n' "$d"`,
  ].filter(Boolean).join('\n');
}

/** AnsibleActionFail's result: its traceback.format_exc() outside an except block. */
const fail = (msg: string): ModuleResult => ({ failed: true, msg, exception: 'NoneType: None\n' });

async function runAction(module: ModuleDefinition, args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const a = { ...args };
  let remoteSrc = toBool(a.remote_src ?? false);
  if ('copy' in a) {
    if ('remote_src' in a) return fail("parameters are mutually exclusive: ('copy', 'remote_src')");
    remoteSrc = !toBool(a.copy);
    delete a.copy;
    a.remote_src = remoteSrc;
  }
  const src = a.src as string | undefined | null;
  const dest = a.dest as string | undefined | null;
  if (src === undefined || src === null || dest === undefined || dest === null) return fail('src (or content) and dest are required');
  let archive: Buffer | undefined;
  if (!remoteSrc) {
    const wanted = String(src) === '~' || String(src).startsWith('~/') ? homedir() + String(src).slice(1) : String(src);
    const local = findNeedle(ctx.searchPaths, 'files', wanted);
    if (!local) {
      // raised from _find_needle's AnsibleFileNotFound: the traceback's last line is that error
      const msg = needleNotFound(ctx.searchPaths, 'files', wanted);
      return { failed: true, msg, exception: `Traceback (most recent call last):\n  File "ansible/plugins/action/unarchive.py", in run\nansible.errors.AnsibleFileNotFound: ${msg}\n` };
    }
    const raw = readFileSync(local);
    archive = a.decrypt === false || a.decrypt === 'no' ? raw : (ctx.unvault?.(raw, local) ?? raw);
  }
  delete a.decrypt;
  const remoteTmp = String(ctx.vars.ansible_remote_tmp === undefined || ctx.vars.ansible_remote_tmp === null ? '~/.ansible/tmp' : ctx.render(String(ctx.vars.ansible_remote_tmp)));
  const creates = a.creates === undefined || a.creates === null || a.creates === '' ? undefined : String(a.creates);
  const prep = await ctx.run(prepareScript({ creates, dest: String(dest), upload: !remoteSrc, remoteTmp }), archive ? { stdin: archive } : {});
  const lines = prep.stdout.trim().split('\n');
  const line = lines.pop() ?? '';
  if (line === 'SKIP') return { skipped: true, msg: `skipped, since ${creates} exists` };
  if (line.startsWith('NODIR:')) return fail(`dest '${line.slice('NODIR:'.length)}' must be an existing dir`);
  if (prep.rc !== 0 || !line.startsWith('OK:')) return fail(`failed to prepare the archive's transfer: ${(prep.stderr || prep.stdout).trim()}`);
  const tmp = lines.find((l) => l.startsWith('TMP:'))?.slice('TMP:'.length);
  if (tmp) a.src = `${tmp}/source`;
  try {
    return await module.run(a, ctx);
  } finally {
    if (tmp) await ctx.run(`rm -rf ${quote(tmp)} >/dev/null 2>&1`);
  }
}

/** The unarchive module file behind its action plugin. */
export function unarchiveAction(module: ModuleDefinition): ModuleDefinition {
  return {
    ...module,
    description: `${module.description}, behind ansible-core's unarchive action (controller-side archives are sent first)`,
    // ActionBase's default: the unarchive action plugin does not run as an async job
    supportsAsync: false,
    run: (args, ctx) => runAction(module, args, ctx),
  };
}
