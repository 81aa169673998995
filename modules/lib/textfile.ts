// Read-edit-write for modules that edit a text file on the target (blockinfile, replace, sysctl,
// swap's fstab): one trip reads stat + content, the edit is a pure function here, and one more
// trip writes it back (or, in check mode, only compares) through writeContent — so backup,
// validate, atomic move and mode/owner/group handling stay the same as lineinfile's.
import { hasAttrs, planAttrs, type AttrPlan } from '../../engine/modules-sdk/attrs.js';
import { parseStat } from '../../engine/modules-sdk/facts.js';
import { quote } from '../../engine/modules-sdk/quote.js';
import { BODY_MARKER, buildScript, parseOutput } from '../../engine/modules-sdk/script.js';
import type { ModuleContext, ModuleResult } from '../../engine/modules-sdk/types.js';
import { writeContent } from '../../engine/modules-sdk/writefile.js';
import { checkValidate } from './deliver.js';

export const ATTR_MSG = 'ownership, perms or SE linux context changed';

/** Schema properties every text-editing module (lineinfile, blockinfile, replace) has. */
export const TEXTFILE_PROPERTIES: Record<string, unknown> = {
  path: { type: 'string', 'x-aliases': ['dest', 'destfile', 'name'] },
  backup: { type: 'boolean', default: false },
  validate: { type: 'string' },
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string' },
  group: { type: 'string' },
  unsafe_writes: { type: 'boolean', default: false },
};

/** Script printing the file's stat then its content (after the body marker). */
export function readScript(path: string): string {
  return buildScript(
    `p=${quote(path)}`,
    `if [ -d "$p" ]; then _d_fail "Destination $p is a directory !"; fi`,
    `_d_emit st "$(_d_stat "$p" L)"`,
    `if [ -f "$p" ]; then [ -r "$p" ] || _d_fail "Destination $p is not readable"; printf '%s\\n' ${quote(BODY_MARKER)}; cat -- "$p"; fi`,
  );
}

/** The checks before an edit: `validate` has %s, and mode/owner/group make an attribute plan. */
export function editAttrs(args: Record<string, unknown>): AttrPlan | { fail: ModuleResult } {
  const bad = checkValidate(args.validate);
  if (bad) return { fail: { changed: false, failed: true, msg: bad } };
  const attrs = planAttrs(args, true);
  if (typeof attrs === 'string') return { fail: { changed: false, failed: true, msg: attrs } };
  return attrs;
}

/**
 * editAttrs(), then readText() of args.path, as blockinfile and replace do: a directory or
 * unreadable file fails with rc 256 ("Path … is a directory !").
 */
export async function openText(
  ctx: ModuleContext,
  args: Record<string, unknown>,
): Promise<{ fail: ModuleResult } | { path: string; attrs: AttrPlan; read: ReadOutcome }> {
  const path = String(args.path);
  const attrs = editAttrs(args);
  if ('fail' in attrs) return attrs;
  const read = await readText(ctx, path);
  if (read.failed !== undefined) {
    const msg = /is a directory/.test(read.failed) ? `Path ${path} is a directory !` : read.failed;
    return { fail: { changed: false, failed: true, rc: 256, msg } };
  }
  return { path, attrs, read };
}

export interface ReadOutcome {
  failed?: string;
  rc?: number;
  exists: boolean;
  content: string;
}

/** Read a text file's content; a directory or unreadable file is a failure, a missing file is not. */
export async function readText(ctx: ModuleContext, path: string): Promise<ReadOutcome> {
  const r = await ctx.run(readScript(path));
  const { fields, body } = parseOutput(r.stdout);
  if (fields.failed !== undefined) return { failed: fields.failed, exists: true, content: '' };
  if (r.rc !== 0) return { failed: r.stderr.trim() || `rc=${r.rc}`, rc: r.rc, exists: false, content: '' };
  return { exists: parseStat(fields.st) !== undefined, content: body ?? '' };
}

/** Python's bytes.splitlines(True): lines keep their \n, \r\n or \r. */
export function splitLinesKeep(text: string): string[] {
  const out: string[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(text.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export interface SaveOptions {
  path: string;
  content: string;
  /** The content changed (write it); when false only attributes are applied. */
  changed: boolean;
  attrs: AttrPlan;
  backup?: boolean;
  validate?: string;
  makeParents?: boolean;
  /** Mode for a new file (sysctl.d files). */
  newMode?: string;
}

export interface SaveOutcome {
  failed?: string;
  backupFile?: string;
  attrsChanged: boolean;
  attrsDiff?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/** Write the edited content (when changed) and apply attributes; check mode only predicts. */
export async function saveText(ctx: ModuleContext, o: SaveOptions): Promise<SaveOutcome> {
  if (!o.changed && !hasAttrs(o.attrs)) return { attrsChanged: false };
  const w = await writeContent(ctx, {
    dest: o.path,
    content: Buffer.from(o.content, 'utf8'),
    attrs: o.attrs,
    backup: o.backup,
    validate: o.validate,
    makeParents: o.makeParents,
    newMode: o.newMode,
  });
  if (w.failed !== undefined) return { failed: w.failed, attrsChanged: false };
  return { backupFile: w.backupFile, attrsChanged: w.attrsChanged && !!w.before, attrsDiff: w.attrsDiff };
}

/** Ansible's check_file_attrs(): append the attribute message and mark changed. */
export function withAttrMsg(changed: boolean, msg: string, attrsChanged: boolean): { changed: boolean; msg: string } {
  if (!attrsChanged) return { changed, msg };
  return { changed: true, msg: changed ? `${msg} and ${ATTR_MSG}` : ATTR_MSG };
}
