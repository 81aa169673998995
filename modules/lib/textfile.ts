// Read-edit-write for modules that edit a text file on the target (blockinfile, replace, sysctl,
// swap's fstab): one trip reads stat + content, the edit is a pure function here, and one more
// trip writes it back (or, in check mode, only compares) through writeContent — so backup,
// validate, atomic move and mode/owner/group handling stay the same as lineinfile's.
import { hasAttrs, type AttrPlan } from '../../engine/modules-sdk/attrs.js';
import { parseStat } from '../../engine/modules-sdk/facts.js';
import { parseOutput } from '../../engine/modules-sdk/script.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { writeContent } from '../../engine/modules-sdk/writefile.js';
import { readScript } from '../lineinfile.js';

export const ATTR_MSG = 'ownership, perms or SE linux context changed';

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
