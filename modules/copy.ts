// ansible.builtin.copy: put `content` or a controller file/directory (`src`, looked up in files/)
// at `dest` — or copy a file already on the target (remote_src) — changing it only when the bytes
// differ; mode/owner/group, backup, force, validate; diff of the old and new content.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { planAttrs, type AttrPlan } from '../engine/modules-sdk/attrs.js';
import { chmodArg, formatMode, parseMode } from '../engine/modules-sdk/mode.js';
import { quote } from '../engine/modules-sdk/quote.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { checkValidate, deliver } from './lib/deliver.js';
import { findNeedle, needleNotFound } from '../engine/search/needle.js';
import { jsonDumps } from '../engine/template/pydump.js';
import { isMapping, pyStr } from '../engine/template/python.js';

function contentBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  // the copy action writes a dict or list content as json.dumps() text, anything else as str()
  // (a YAML date as 2020-01-02, True as True)
  return Buffer.from(Array.isArray(v) || isMapping(v) ? jsonDumps(v) : pyStr(v), 'utf8');
}

/** Copy a controller directory tree: one directory script, then each file. */
async function copyTree(ctx: ModuleContext, args: Record<string, unknown>, local: string, attrs: AttrPlan): Promise<ModuleResult> {
  const src = String(args.src);
  let dest = String(args.dest);
  if (!src.endsWith('/')) dest = path.posix.join(dest, path.basename(local));
  const dirs: string[] = [];
  const files: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(local, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        dirs.push(r);
        await walk(r);
      } else files.push(r);
    }
  };
  await walk('');
  let changed = false;
  const wanted = [dest, ...dirs.map((d) => path.posix.join(dest, d))];
  const missing = await ctx.run(wanted.map((d) => `[ -d ${quote(d)} ] || echo ${quote(d)}`).join('\n'));
  const toMake = missing.stdout.split('\n').filter(Boolean);
  if (toMake.length) {
    changed = true;
    if (!ctx.check) {
      const dm = parseMode(args.directory_mode);
      const chmod = (d: string) => (dm && typeof dm !== 'string' ? ` && chmod ${quote(chmodArg(dm))} ${quote(d)}` : '');
      const r = await ctx.run(toMake.map((d) => `mkdir -p ${quote(d)}${chmod(d)}`).join(' && '));
      if (r.rc !== 0) return { changed: false, failed: true, msg: r.stderr.trim() || `could not create ${dest}` };
    }
  }
  for (const f of files) {
    const raw = await fs.readFile(path.join(local, f));
    const content = args.decrypt === false ? raw : (ctx.unvault?.(raw, path.join(local, f)) ?? raw);
    const res = await deliver(ctx, {
      dest: path.posix.join(dest, f),
      content,
      attrs,
      force: args.force !== false,
      backup: !!args.backup,
      makeParents: ctx.check,
      srcLabel: path.join(local, f),
    });
    if (res.failed) return res;
    changed ||= !!res.changed;
  }
  return { changed, dest, src: local };
}

const copy: ModuleDefinition = {
  name: 'copy',
  description: 'Copy files to remote locations',
  supportsCheckMode: true,
  supportsDiff: true,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string' },
      content: {},
      dest: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      backup: { type: 'boolean', default: false },
      force: { type: 'boolean', default: true, 'x-aliases': ['thirsty'] },
      remote_src: { type: 'boolean', default: false },
      directory_mode: { type: ['string', 'integer'] },
      follow: { type: 'boolean', default: false },
      local_follow: { type: 'boolean', default: true },
      validate: { type: 'string' },
      decrypt: { type: 'boolean', default: true },
      checksum: { type: 'string' },
      unsafe_writes: { type: 'boolean', default: false },
    },
    required: ['dest'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const dest = String(args.dest);
    if (args.src !== undefined && args.content !== undefined) return { changed: false, failed: true, msg: 'src and content are mutually exclusive' };
    if (args.src === undefined && args.content === undefined) return { changed: false, failed: true, msg: 'src (or content) is required' };
    const bad = checkValidate(args.validate);
    if (bad) return { changed: false, failed: true, msg: bad };
    const preserve = args.mode === 'preserve';
    const attrs = planAttrs(preserve ? { ...args, mode: undefined } : args, true);
    if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
    const common = { attrs, force: args.force !== false, backup: !!args.backup, validate: args.validate as string | undefined };

    if (args.content !== undefined) {
      if (dest.endsWith('/')) return { changed: false, failed: true, msg: 'can not use content with a dir as dest' };
      return deliver(ctx, { ...common, dest, content: contentBuffer(args.content), srcLabel: 'dynamically generated', transferred: true });
    }
    const src = String(args.src);
    if (args.remote_src) {
      if (preserve) return { changed: false, failed: true, msg: 'mode=preserve is not supported with remote_src' };
      const d = dest.endsWith('/') ? dest + path.posix.basename(src) : dest;
      return deliver(ctx, { ...common, dest: d, remoteSrc: src, basename: path.posix.basename(src), remoteChecksum: true, srcLabel: src, srcKey: src });
    }
    const local = findNeedle(ctx.searchPaths, 'files', src);
    if (!local) return { changed: false, failed: true, msg: needleNotFound(ctx.searchPaths, 'files', src) };
    const st = await fs.stat(local);
    if (preserve) attrs.mode = { kind: 'octal', value: st.mode & 0o7777 };
    if (st.isDirectory()) return copyTree(ctx, args, local, attrs);
    const raw = await fs.readFile(local);
    // decrypt (default yes): a vault-encrypted source is copied as its plaintext
    const content = args.decrypt === false ? raw : (ctx.unvault?.(raw, local) ?? raw);
    const base = path.basename(local);
    const toDir = dest.endsWith('/');
    return deliver(ctx, {
      ...common,
      dest: toDir ? dest + base : dest,
      basename: base,
      makeParents: toDir,
      content,
      srcLabel: local,
      srcKey: local,
      newMode: preserve ? formatMode(st.mode) : undefined,
    });
  },
};

export default copy;
