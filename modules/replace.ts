// ansible.builtin.replace: replace every match of a Python regex (MULTILINE) in a file, optionally
// only in the section after/before other regexes (DOTALL). The edit is the pure replaceIn();
// reading and writing back go through lib/textfile.ts (backup, validate, attributes).
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { translatePattern } from '../engine/template/regex.js';
import { compilePy, pySubn } from './lib/pyre.js';
import { openText, saveText, TEXTFILE_PROPERTIES, withAttrMsg } from './lib/textfile.js';

export interface ReplaceOutcome {
  /** Undefined when after/before did not match (nothing to do). */
  content?: string;
  count: number;
  changed: boolean;
  /** The after/before section pattern, when it did not match. */
  sectionMissing?: string;
}

/** ansible's replace main(): section selection, then re.subn over it. */
export function replaceIn(contents: string, p: { regexp: string; replace: string; after?: string; before?: string }): ReplaceOutcome {
  let pattern = '';
  if (p.after && p.before) pattern = `${p.after}(?P<subsection>.*?)${p.before}`;
  else if (p.after) pattern = `${p.after}(?P<subsection>.*)`;
  else if (p.before) pattern = `(?P<subsection>.*)${p.before}`;
  let section = contents;
  let start = 0;
  let end = contents.length;
  if (pattern) {
    // the `d` flag gives the subsection group's offsets, as Python's match.start('subsection')
    const t = translatePattern(pattern, { dotall: true });
    const m = new RegExp(t.source, t.flags + 'd').exec(contents);
    const at = m?.indices?.groups?.subsection;
    if (!m || !at) return { count: 0, changed: false, sectionMissing: pattern };
    [start, end] = at;
    section = contents.slice(start, end);
  }
  const [replaced, count] = pySubn(section, compilePy(p.regexp, { multiline: true }, true), p.replace);
  if (count === 0 || replaced === section) return { count, changed: false };
  return { content: contents.slice(0, start) + replaced + contents.slice(end), count, changed: true };
}

const replace: ModuleDefinition = {
  name: 'replace',
  description: 'Replace all instances of a particular string in a file using a back-referenced regular expression',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      ...TEXTFILE_PROPERTIES,
      regexp: { type: 'string' },
      replace: { type: 'string', default: '' },
      after: { type: 'string' },
      before: { type: 'string' },
      encoding: { type: 'string', default: 'utf-8' },
    },
    required: ['path', 'regexp'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const opened = await openText(ctx, args);
    if ('fail' in opened) return opened.fail;
    const { path, attrs, read } = opened;
    if (!read.exists) return { changed: false, failed: true, rc: 257, msg: `Path ${path} does not exist !` };
    let out: ReplaceOutcome;
    try {
      out = replaceIn(read.content, {
        regexp: String(args.regexp),
        replace: String(args.replace ?? ''),
        after: args.after as string | undefined,
        before: args.before as string | undefined,
      });
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message };
    }
    const res: ModuleResult = { rc: 0 };
    // after/before did not match: Ansible stops here, before any attribute handling
    if (out.sectionMissing) return { rc: 0, changed: false, msg: `Pattern for before/after params did not match the given file: ${out.sectionMissing}` };
    if (out.changed && ctx.diff) res.diff = { before_header: path, before: read.content, after_header: path, after: out.content };
    const saved = await saveText(ctx, {
      path,
      content: out.content ?? read.content,
      changed: out.changed,
      attrs,
      backup: !!args.backup,
      validate: args.validate as string | undefined,
    });
    if (saved.failed !== undefined) return { changed: false, failed: true, msg: saved.failed };
    if (saved.backupFile) res.backup_file = saved.backupFile;
    const { changed, msg } = withAttrMsg(out.changed, out.changed ? `${out.count} replacements made` : '', saved.attrsChanged);
    return { ...res, changed, msg };
  },
};

export default replace;
