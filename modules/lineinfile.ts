// ansible.builtin.lineinfile: make sure a line is in a file (replacing the line a regexp or
// search_string matches, or inserting after/before a match, at BOF or EOF), or that matching
// lines are gone. Reads the file in one trip, edits here, writes back only when it changed.
import { hasAttrs } from '../engine/modules-sdk/attrs.js';
import { parseStat } from '../engine/modules-sdk/facts.js';
import { parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { writeContent } from '../engine/modules-sdk/writefile.js';
import { ensureAbsent, ensurePresent, readLines, type EditResult } from './lib/lineedit.js';
import { editAttrs, readScript, TEXTFILE_PROPERTIES } from './lib/textfile.js';

const ATTR_MSG = 'ownership, perms or SE linux context changed';

const lineinfile: ModuleDefinition = {
  name: 'lineinfile',
  description: 'Manage lines in text files',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      ...TEXTFILE_PROPERTIES,
      state: { type: 'string', enum: ['absent', 'present'], default: 'present' },
      regexp: { type: 'string', 'x-aliases': ['regex'] },
      search_string: { type: 'string' },
      line: { type: 'string', 'x-aliases': ['value'] },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      backrefs: { type: 'boolean', default: false },
      create: { type: 'boolean', default: false },
      firstmatch: { type: 'boolean', default: false },
    },
    required: ['path'],
    additionalProperties: false,
    'x-mutually-exclusive': [
      ['insertbefore', 'insertafter'],
      ['regexp', 'search_string'],
      ['backrefs', 'search_string'],
    ],
  },
  async run(args, ctx) {
    const path = String(args.path);
    const present = args.state !== 'absent';
    const str = (k: string) => (args[k] === undefined || args[k] === null ? undefined : String(args[k]));
    const line = str('line');
    if (present && args.backrefs && args.regexp === undefined) return { changed: false, failed: true, msg: 'regexp is required with backrefs=true' };
    if (present && line === undefined) return { changed: false, failed: true, msg: 'line is required with state=present' };
    if (!present && line === undefined && args.regexp === undefined && args.search_string === undefined) {
      return { changed: false, failed: true, msg: 'one of line, search_string, or regexp is required with state=absent' };
    }
    const attrs = editAttrs(args);
    if ('fail' in attrs) return attrs.fail;
    const warnings = emptyPatternWarning(str('regexp'), str('search_string'));

    const r = await ctx.run(readScript(path));
    const { fields, body } = parseOutput(r.stdout);
    if (fields.failed !== undefined) return { changed: false, failed: true, msg: fields.failed };
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() };
    const exists = parseStat(fields.st) !== undefined;
    if (!exists) {
      if (!present) return { changed: false, msg: 'file not present' };
      if (!args.create) return { changed: false, failed: true, rc: 257, msg: `Destination ${path} does not exist !` };
    }
    const before = body ?? '';
    let edit: EditResult;
    try {
      edit = present
        ? ensurePresent(readLines(before), {
            line: line!,
            regexp: str('regexp'),
            search_string: str('search_string'),
            insertafter: str('insertafter'),
            insertbefore: str('insertbefore'),
            backrefs: !!args.backrefs,
            firstmatch: !!args.firstmatch,
          })
        : ensureAbsent(readLines(before), { line, regexp: str('regexp'), search_string: str('search_string') });
    } catch (e) {
      return { changed: false, failed: true, msg: `bad regular expression: ${(e as Error).message}` };
    }
    const after = edit.lines.join('');
    let changed = edit.changed;
    let msg = edit.msg;
    let backup = '';
    const attrDiff: Record<string, unknown> = {};
    if (changed || hasAttrs(attrs)) {
      const w = await writeContent(ctx, {
        dest: path,
        content: Buffer.from(after, 'utf8'),
        attrs,
        backup: !!args.backup && exists,
        validate: str('validate'),
        makeParents: !!args.create,
      });
      if (w.failed !== undefined) return { changed: false, failed: true, msg: w.failed };
      if (w.backupFile) backup = w.backupFile;
      if (w.attrsChanged && exists) {
        msg = changed ? `${msg} and ${ATTR_MSG}` : ATTR_MSG;
        changed = true;
        Object.assign(attrDiff, { before: w.attrsDiff?.before, after: w.attrsDiff?.after });
      }
    }
    const res: ModuleResult = { changed, msg, backup, ...(warnings.length ? { warnings } : {}) };
    if (!present) res.found = edit.found;
    if (ctx.diff) {
      const content = { before, after, before_header: `${path} (content)`, after_header: `${path} (content)` };
      res.diff = [content, { ...attrDiff, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` }];
    }
    return res;
  },
};

/** module.warn() for a pattern that matches every line. */
function emptyPatternWarning(regexp: string | undefined, searchString: string | undefined): string[] {
  if (regexp !== '' && searchString !== '') return [];
  const what = regexp === '' ? 'regular expression' : 'search string';
  let msg = `The ${what} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
  if (regexp === '') msg += " If this is desired, use '^' to match every line in the file and avoid this warning.";
  return [msg];
}

export default lineinfile;
