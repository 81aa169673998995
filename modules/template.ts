// ansible.builtin.template: render a controller template (looked up in templates/) with the
// task's variables via ctx.render, then deliver it like copy: changed only when the bytes differ.
import { promises as fs } from 'node:fs';
import { planAttrs } from '../engine/modules-sdk/attrs.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { checkValidate, deliver } from './lib/deliver.js';
import { templateVars } from './lib/template-vars.js';
import { findNeedle, needleNotFound } from '../engine/search/needle.js';

const NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n', '\n': '\n', '\r': '\r', '\r\n': '\r\n' };

const template: ModuleDefinition = {
  name: 'template',
  description: 'Template a file out to a target host',
  supportsCheckMode: true,
  supportsDiff: true,
  supportsAsync: false,
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
      output_encoding: { type: 'string', enum: ['utf-8', 'utf8', 'UTF-8'], default: 'utf-8' },
      unsafe_writes: { type: 'boolean', default: false },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const src = String(args.src);
    const bad = checkValidate(args.validate);
    if (bad) return { changed: false, failed: true, msg: bad };
    const attrs = planAttrs(args, true);
    if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
    const local = findNeedle(ctx.searchPaths, 'templates', src);
    if (!local) return { changed: false, failed: true, msg: needleNotFound(ctx.searchPaths, 'templates', src) };
    let text: string;
    try {
      const source = await fs.readFile(local);
      // the template action reads its source with decrypt=True: a vaulted template is rendered as its plaintext
      const rendered = ctx.render((ctx.unvault?.(source, local) ?? source).toString('utf8'), templateVars(src, local, String(args.dest)));
      text = typeof rendered === 'string' ? rendered : String(rendered);
    } catch (e) {
      return { changed: false, failed: true, msg: `AnsibleError: ${(e as Error).message}` };
    }
    const nl = NEWLINES[String(args.newline_sequence ?? '\\n')] ?? '\n';
    if (nl !== '\n') text = text.replace(/\r?\n/g, nl);
    const dest = String(args.dest);
    const base = local.split('/').pop()!;
    return deliver(ctx, {
      dest: dest.endsWith('/') ? dest + base : dest,
      basename: base,
      content: Buffer.from(text, 'utf8'),
      attrs,
      force: args.force !== false,
      backup: !!args.backup,
      validate: args.validate as string | undefined,
      srcLabel: local,
    });
  },
};

export default template;
