// ansible.builtin.blockinfile: keep a block of lines between two marker lines in a file — insert
// it (at EOF/BOF or after/before the last line matching a regex), update it, or remove it.
// The edit is the pure editBlock() (ansible 2.14's algorithm); the file trip is lib/textfile.ts.
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { compilePy } from './lib/pyre.js';
import { openText, saveText, splitLinesKeep, TEXTFILE_PROPERTIES, withAttrMsg } from './lib/textfile.js';

export interface BlockParams {
  block: string;
  marker: string;
  markerBegin: string;
  markerEnd: string;
  present: boolean;
  insertafter?: string;
  insertbefore?: string;
}

/** The new content, given the old one (null when the file does not exist). */
export function editBlock(original: string | null, p: BlockParams): string {
  const lines = original === null ? [] : splitLinesKeep(original);
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insertre =
    insertafter !== undefined && insertafter !== 'EOF'
      ? compilePy(insertafter)
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? compilePy(insertbefore)
        : undefined;
  const marker0 = p.marker.replace(/\{mark\}/g, p.markerBegin) + '\n';
  const marker1 = p.marker.replace(/\{mark\}/g, p.markerEnd) + '\n';
  let blocklines: string[] = [];
  if (p.present && p.block) {
    const block = p.block.endsWith('\n') ? p.block : p.block + '\n';
    blocklines = [marker0, ...splitLinesKeep(block), marker1];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertre) {
      if (insertre.flags.includes('m') && original !== null) {
        // a (?m) pattern is searched in the whole text; the block goes at that line
        const m = insertre.exec(original);
        if (m) {
          const upTo = insertafter !== undefined ? m.index + m[0].length : m.index;
          n0 = (original.slice(0, upTo).match(/\n/g) ?? []).length;
        }
      } else {
        lines.forEach((line, i) => {
          if (insertre.test(line)) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blocklines);
  return lines.join('');
}

const blockinfile: ModuleDefinition = {
  name: 'blockinfile',
  description: 'Insert/update/remove a text block surrounded by marker lines',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      ...TEXTFILE_PROPERTIES,
      state: { type: 'string', enum: ['absent', 'present'], default: 'present' },
      marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK' },
      block: { type: 'string', default: '', 'x-aliases': ['content'] },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      create: { type: 'boolean', default: false },
      marker_begin: { type: 'string', default: 'BEGIN' },
      marker_end: { type: 'string', default: 'END' },
    },
    required: ['path'],
    additionalProperties: false,
    'x-mutually-exclusive': [['insertbefore', 'insertafter']],
  },
  async run(args, ctx) {
    const present = args.state !== 'absent';
    const opened = await openText(ctx, args);
    if ('fail' in opened) return opened.fail;
    const { path, attrs, read } = opened;
    if (!read.exists) {
      if (!args.create) return { changed: false, failed: true, rc: 257, msg: `Path ${path} does not exist !` };
      if (!present) return { changed: false, msg: `File ${path} not present` };
    }
    const original = read.exists ? read.content : null;
    let result: string;
    try {
      result = editBlock(original, {
        block: String(args.block ?? ''),
        marker: String(args.marker),
        markerBegin: String(args.marker_begin),
        markerEnd: String(args.marker_end),
        present,
        insertafter: args.insertafter as string | undefined,
        insertbefore: args.insertbefore as string | undefined,
      });
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message };
    }
    let changed = original !== result;
    let msg = !changed ? '' : original === null ? 'File created' : present && args.block ? 'Block inserted' : 'Block removed';
    const diff = { before: ctx.diff && original ? original : '', after: ctx.diff ? result : '', before_header: `${path} (content)`, after_header: `${path} (content)` };
    const saved = await saveText(ctx, {
      path,
      content: result,
      changed,
      attrs,
      backup: !!args.backup && read.exists,
      validate: args.validate as string | undefined,
      makeParents: true,
    });
    if (saved.failed !== undefined) return { changed: false, failed: true, msg: saved.failed };
    if (ctx.check && !read.exists) return { changed, msg, diff };
    ({ changed, msg } = withAttrMsg(changed, msg, saved.attrsChanged));
    const attrDiff = { ...(saved.attrsDiff ?? {}), before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` };
    const res: ModuleResult = { changed, msg, diff: [diff, attrDiff] };
    if (saved.backupFile) res.backup_file = saved.backupFile;
    return res;
  },
};

export default blockinfile;
