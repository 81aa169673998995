// The common end of copy and template: put rendered/read content at dest (see writefile.ts) and
// shape Ansible's result (checksum, md5sum, stat keys, backup_file, diff).
import { createHash } from 'node:crypto';
import { hasAttrs, type AttrPlan } from '../../engine/modules-sdk/attrs.js';
import { fileResultKeys } from '../../engine/modules-sdk/facts.js';
import type { ModuleContext, ModuleResult } from '../../engine/modules-sdk/types.js';
import { writeContent, type WriteRequest } from '../../engine/modules-sdk/writefile.js';

export interface DeliverRequest extends Omit<WriteRequest, 'wantDiff'> {
  /** after_header of the diff (the source's name). */
  srcLabel: string;
  /** `src` key of the result (copy from a file). */
  srcKey?: string;
  /**
   * The content is sent as a file (copy with `content`, template): a changed result names the
   * remote temporary file it was moved from, as the action plugins' `src` does.
   */
  transferred?: boolean;
}

/** ~/.ansible/tmp/ansible-tmp-<time>-<pid>-<random>/source on the target (remote_tmp's default). */
async function remoteTmpSource(ctx: ModuleContext): Promise<string> {
  const env = ctx.vars.ansible_env as Record<string, unknown> | undefined;
  let home = typeof env?.HOME === 'string' ? env.HOME : '';
  if (!home) home = (await ctx.run('echo ~')).stdout.trim();
  const rand = String(Math.floor(Math.random() * 1e15)).padStart(15, '0');
  return `${home}/.ansible/tmp/ansible-tmp-${(Date.now() / 1000).toFixed(7)}-${process.pid}-${rand}/source`;
}

export function sha1(b: Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

function isBinary(b: Buffer): boolean {
  return b.subarray(0, 8192).includes(0);
}

/** Ansible refuses a validate command without %s. */
export function checkValidate(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (!String(v).includes('%s')) return `validate must contain %s: ${v}`;
  return undefined;
}

export async function deliver(ctx: ModuleContext, req: DeliverRequest): Promise<ModuleResult> {
  const out = await writeContent(ctx, { ...req, wantDiff: ctx.diff });
  if (out.failed !== undefined) return { changed: false, failed: true, msg: out.failed, dest: out.dest };
  const res: ModuleResult = { changed: false, dest: out.dest };
  if (req.srcKey !== undefined) res.src = req.srcKey;
  if (out.skippedExisting) {
    res.msg = 'file already exists';
    return res;
  }
  if (req.transferred && out.contentChanged && !ctx.check) res.src = await remoteTmpSource(ctx);
  if (ctx.check && out.contentChanged) {
    // the copy/template action plugin returns only this in check mode when the content differs
    const predicted: ModuleResult = { changed: true };
    const full = await deliverResult(ctx, req, out, res);
    if (full.diff) predicted.diff = full.diff;
    return predicted;
  }
  return deliverResult(ctx, req, out, res);
}

async function deliverResult(ctx: ModuleContext, req: DeliverRequest, out: Awaited<ReturnType<typeof writeContent>>, res: ModuleResult): Promise<ModuleResult> {
  const checksum = req.content ? sha1(req.content) : out.checksum;
  if (checksum) res.checksum = checksum;
  res.changed = out.contentChanged || out.attrsChanged;
  const st = out.after ?? out.before;
  if (st && !(ctx.check && out.contentChanged && !out.before)) Object.assign(res, fileResultKeys(st, 'file'));
  if (out.contentChanged && req.content) res.md5sum = createHash('md5').update(req.content).digest('hex');
  if (!out.contentChanged) res.path = out.dest;
  if (out.backupFile) res.backup_file = out.backupFile;
  if (ctx.diff) {
    if (out.contentChanged) {
      const d: Record<string, unknown> = { after_header: req.srcLabel };
      if (req.content && isBinary(req.content)) d.dst_binary = 1;
      d.before = out.diffSkipped ?? (out.before ? (out.oldContent ?? '') : '');
      if (out.before) d.before_header = out.dest;
      d.after = req.content ? (isBinary(req.content) ? '' : req.content.toString('utf8')) : '';
      res.diff = [d];
    } else if (out.attrsDiff && hasAttrs(req.attrs as AttrPlan)) {
      res.diff = { before: { path: out.dest, ...out.attrsDiff.before }, after: { path: out.dest, ...out.attrsDiff.after } };
    }
  }
  return res;
}
