// swapoff (drover module; Ansible has none — the OpenShift node upgrade runs `swapoff -a` and
// comments out swap in /etc/fstab): turn off every active swap area and comment out the swap
// lines of fstab so it stays off after a reboot. Idempotent: ok when nothing is active and no
// swap line is left; check mode reports what it would do; --diff shows the fstab change.
import { planAttrs } from '../engine/modules-sdk/attrs.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { readText, saveText } from './lib/textfile.js';

/** Active swap areas from /proc/swaps (the header line skipped). */
export function parseSwaps(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** Comment out uncommented fstab lines whose type (third field) is swap. */
export function commentSwapLines(fstab: string): { text: string; commented: string[] } {
  const commented: string[] = [];
  const text = fstab
    .split('\n')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      if (l.trim().startsWith('#') || f.length < 3 || f[2] !== 'swap') return l;
      commented.push(l);
      return `#${l}`;
    })
    .join('\n');
  return { text, commented };
}

/** Script: list active swaps, and turn them off unless checking. */
export function swapScript(swapsFile: string, apply: boolean): string {
  return buildScript(
    `s=${quote(swapsFile)}`,
    `[ -r "$s" ] && sed 1d "$s" | while read -r dev _rest; do _d_emit active "$dev"; done`,
    apply ? `if [ -r "$s" ] && [ "$(sed 1d "$s" | wc -l)" -gt 0 ]; then _d_e=$(swapoff -a 2>&1) || _d_emit error "$_d_e"; _d_emit left "$(sed 1d "$s" | wc -l)"; fi` : ':',
  );
}

const swapoff: ModuleDefinition = {
  name: 'swapoff',
  description: 'Disable swap now (swapoff -a) and at boot (comment out fstab swap lines)',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      fstab: { type: 'string', default: '/etc/fstab' },
      backup: { type: 'boolean', default: false },
    },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const fstab = String(args.fstab);
    const r = await ctx.run(swapScript('/proc/swaps', !ctx.check));
    const { fields, lists } = parseOutput(r.stdout);
    if (fields.error !== undefined) return { changed: false, failed: true, msg: `swapoff -a failed: ${fields.error}` };
    if (fields.left !== undefined && fields.left !== '0') return { changed: false, failed: true, msg: `swap is still active after swapoff -a (${fields.left} area(s))` };
    const active = lists.active ?? [];
    const read = await readText(ctx, fstab);
    if (read.failed !== undefined) return { changed: false, failed: true, msg: read.failed };
    const edit = read.exists ? commentSwapLines(read.content) : { text: '', commented: [] };
    const res: ModuleResult = { changed: active.length > 0 || edit.commented.length > 0, swaps_disabled: active, fstab_lines_commented: edit.commented };
    if (edit.commented.length) {
      const attrs = planAttrs({}, true);
      if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
      const saved = await saveText(ctx, { path: fstab, content: edit.text, changed: true, attrs, backup: !!args.backup });
      if (saved.failed !== undefined) return { changed: false, failed: true, msg: saved.failed };
      if (saved.backupFile) res.backup_file = saved.backupFile;
      if (ctx.diff) res.diff = { before: read.content, after: edit.text, before_header: fstab, after_header: fstab };
    }
    return res;
  },
};

export default swapoff;
