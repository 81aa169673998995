// ansible.builtin.assemble: concatenate the fragments of a directory (sorted by name, optionally
// filtered by a regex, separated by a delimiter) into dest, replacing it only when the result
// differs. One trip reads every fragment (on the target, or on the controller with
// remote_src=false), assembleFragments() joins them, writeContent() puts the result in place.
// Fragments are treated as UTF-8 text. Like Ansible's module it does not support check mode.
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { planAttrs } from '../engine/modules-sdk/attrs.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { writeContent } from '../engine/modules-sdk/writefile.js';
import { checkValidate, sha1 } from './lib/deliver.js';
import { compilePy } from './lib/pyre.js';
import { findNeedle, needleNotFound } from '../engine/search/needle.js';

export interface Fragment {
  name: string;
  content: string;
}

/** Python's codecs.escape_decode for the delimiter: \n \t \\ \' \xNN and octal escapes. */
export function escapeDecode(s: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (all, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return simple[e] ?? all;
  });
}

/** assemble_from_fragments(): sorted, regexp-filtered, hidden skipped on request, delimited. */
export function assembleFragments(frags: Fragment[], o: { delimiter?: string; regexp?: string; ignoreHidden?: boolean }): string {
  const re = o.regexp !== undefined ? compilePy(o.regexp) : undefined;
  const sorted = [...frags].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  let out = '';
  let delimitMe = false;
  let addNewline = false;
  for (const f of sorted) {
    if (re && !re.test(f.name)) continue;
    if (o.ignoreHidden && f.name.startsWith('.')) continue;
    if (addNewline) out += '\n';
    if (delimitMe && o.delimiter) {
      const d = escapeDecode(o.delimiter);
      out += d;
      if (!d.endsWith('\n')) out += '\n';
    }
    out += f.content;
    delimitMe = true;
    addNewline = !f.content.endsWith('\n');
  }
  return out;
}

/** Script printing "<token> <name>" then the content, for every regular file of a directory. */
export function fragmentsScript(dir: string, token: string): string {
  return buildScript(
    `d=${quote(dir)}; t=${quote(token)}`,
    `[ -e "$d" ] || _d_fail "Source ($d) does not exist"`,
    `[ -d "$d" ] || _d_fail "Source ($d) is not a directory"`,
    `_d_emit ok 1`,
    `for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do [ -f "$f" ] || continue; printf '\\n%s %s\\n' "$t" "\${f##*/}"; cat -- "$f"; done`,
  );
}

export function parseFragments(stdout: string, token: string): Fragment[] {
  return stdout
    .split(`\n${token} `)
    .slice(1)
    .map((part) => {
      const nl = part.indexOf('\n');
      return { name: part.slice(0, nl), content: part.slice(nl + 1) };
    });
}

async function localFragments(dir: string): Promise<Fragment[]> {
  const out: Fragment[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if ((await fs.stat(full)).isFile()) out.push({ name: e.name, content: await fs.readFile(full, 'utf8') });
  }
  return out;
}

const assemble: ModuleDefinition = {
  name: 'assemble',
  description: 'Assemble configuration files from fragments',
  supportsCheckMode: false,
  supportsDiff: false,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string' },
      dest: { type: 'string' },
      delimiter: { type: 'string' },
      backup: { type: 'boolean', default: false },
      remote_src: { type: 'boolean', default: true },
      regexp: { type: 'string' },
      ignore_hidden: { type: 'boolean', default: false },
      validate: { type: 'string' },
      decrypt: { type: 'boolean', default: true },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      unsafe_writes: { type: 'boolean', default: false },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const src = String(args.src);
    const dest = String(args.dest);
    const bad = checkValidate(args.validate);
    if (bad) return { changed: false, failed: true, msg: bad };
    const attrs = planAttrs(args, true);
    if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
    let frags: Fragment[];
    if (args.remote_src === false) {
      const local = findNeedle(ctx.searchPaths, 'files', src);
      if (!local) return { changed: false, failed: true, msg: needleNotFound(ctx.searchPaths, 'files', src) };
      if (!(await fs.stat(local)).isDirectory()) return { changed: false, failed: true, msg: `Source (${src}) is not a directory` };
      frags = await localFragments(local);
    } else {
      const token = `__DROVER_FRAG_${Date.now().toString(36)}__`;
      const r = await ctx.run(fragmentsScript(src, token));
      const { fields } = parseOutput(r.stdout.split(`\n${token} `)[0]);
      if (fields.failed !== undefined) return { changed: false, failed: true, msg: fields.failed };
      if (r.rc !== 0 || fields.ok !== '1') return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() || 'could not read fragments' };
      frags = parseFragments(r.stdout, token);
    }
    let text: string;
    try {
      text = assembleFragments(frags, { delimiter: args.delimiter as string | undefined, regexp: args.regexp as string | undefined, ignoreHidden: !!args.ignore_hidden });
    } catch (e) {
      return { changed: false, failed: true, msg: `Invalid Regexp (${(e as Error).message}) in "${String(args.regexp)}"` };
    }
    const content = Buffer.from(text, 'utf8');
    const w = await writeContent(ctx, { dest, content, attrs, backup: !!args.backup, validate: args.validate as string | undefined });
    if (w.failed !== undefined) return { changed: false, failed: true, msg: w.failed, src, dest };
    const res: ModuleResult = {
      changed: w.contentChanged || w.attrsChanged,
      src,
      dest,
      checksum: sha1(content),
      md5sum: createHash('md5').update(content).digest('hex'),
      msg: 'OK',
    };
    if (w.backupFile) res.backup_file = w.backupFile;
    return res;
  },
};

export default assemble;
