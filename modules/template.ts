// ansible.builtin.template: render a controller template (looked up in templates/) with the
// task's variables as the template action plugin does (text only, the template_* variables,
// the Jinja options of the task), then deliver it like copy: changed only when the bytes differ.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { planAttrs } from '../engine/modules-sdk/attrs.js';
import { formatMode } from '../engine/modules-sdk/mode.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { checkValidate, deliver } from './lib/deliver.js';
import { findNeedle, needleNotFound } from '../engine/search/needle.js';
import { newlineSequence } from '../engine/template/environment.js';
import { encodeText } from './lib/encoding.js';

const JINJA_OPTIONS = ['variable_start_string', 'variable_end_string', 'block_start_string', 'block_end_string', 'comment_start_string', 'comment_end_string'] as const;

const template: ModuleDefinition = {
  name: 'template',
  description: 'Template a file out to a target host',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string' },
      dest: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      backup: { type: 'boolean', default: false },
      force: { type: 'boolean', default: true },
      validate: { type: 'string' },
      follow: { type: 'boolean', default: false },
      newline_sequence: { type: 'string', enum: ['\\n', '\\r', '\\r\\n', '\n', '\r', '\r\n'], default: '\\n' },
      output_encoding: { type: 'string', default: 'utf-8' },
      trim_blocks: { type: 'boolean', default: true },
      lstrip_blocks: { type: 'boolean', default: false },
      ...Object.fromEntries(JINJA_OPTIONS.map((k) => [k, { type: 'string' }])),
      unsafe_writes: { type: 'boolean', default: false },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const src = String(args.src);
    const bad = checkValidate(args.validate);
    if (bad) return { changed: false, failed: true, msg: bad };
    // mode=preserve: the template file's own permissions ('0%03o' % S_IMODE(st_mode))
    const preserve = args.mode === 'preserve';
    const attrs = planAttrs(preserve ? { ...args, mode: undefined } : args, true);
    if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
    const local = findNeedle(ctx.searchPaths, 'templates', src);
    if (!local) return { changed: false, failed: true, msg: needleNotFound(ctx.searchPaths, 'templates', src) };
    const srcMode = preserve ? (await fs.stat(local)).mode : 0;
    if (preserve) attrs.mode = { kind: 'octal', value: srcMode & 0o7777 };
    const dest = String(args.dest);
    let content: Buffer;
    try {
      const env: Record<string, unknown> = {
        newline_sequence: newlineSequence(args.newline_sequence ?? '\\n') ?? '\n',
        trim_blocks: args.trim_blocks !== false,
        lstrip_blocks: args.lstrip_blocks === true,
      };
      for (const k of JINJA_OPTIONS) env[k] = args[k];
      const file = { path: src, fullpath: local, dest };
      const source = await fs.readFile(local);
      // the template action reads its source with decrypt=True: a vaulted template is rendered as its plaintext
      const text = (ctx.unvault?.(source, local) ?? source).toString('utf8');
      const rendered = ctx.renderTemplate(text, { env, file, searchPaths: [...ctx.searchPaths, dirname(local)] });
      content = encodeText(typeof rendered === 'string' ? rendered : String(rendered), String(args.output_encoding || 'utf-8'));
    } catch (e) {
      // the action plugin's "%s: %s" % (type(e).__name__, e)
      const type = (e as { pythonType?: string }).pythonType ?? 'AnsibleError';
      return { changed: false, failed: true, msg: `${type}: ${(e as Error).message}` };
    }
    const base = local.split('/').pop()!;
    return deliver(ctx, {
      dest: dest.endsWith('/') ? dest + base : dest,
      basename: base,
      content,
      attrs,
      force: args.force !== false,
      backup: !!args.backup,
      validate: args.validate as string | undefined,
      srcLabel: local,
      transferred: true,
      newMode: preserve ? formatMode(srcMode) : undefined,
    });
  },
};

export default template;
