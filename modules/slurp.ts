// ansible.builtin.slurp: return a remote file's content base64-encoded. The bytes travel as an
// `od` hex dump (POSIX, binary-safe through a text channel) and are re-encoded here.
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

export function slurpScript(src: string): string {
  return buildScript(
    `p=${quote(src)}`,
    `[ -e "$p" ] || _d_fail "file not found: $p"`,
    `[ -d "$p" ] && _d_fail "source is a directory and must be a file: $p"`,
    `[ -r "$p" ] || _d_fail "file is not readable: $p"`,
    `printf 'od=\\n'; od -An -v -tx1 -- "$p" || _d_fail "unable to slurp file: $p"`,
  );
}

/** Turn `od -An -v -tx1` output back into bytes. */
export function parseOd(text: string): Buffer {
  const hex = text.replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(hex, 'hex');
}

const slurp: ModuleDefinition = {
  name: 'slurp',
  description: 'Slurps a file from remote nodes',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: { src: { type: 'string', 'x-aliases': ['path'] } },
    required: ['src'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const src = String(args.src);
    const r = await ctx.run(slurpScript(src));
    const { fields } = parseOutput(r.stdout);
    if (fields.failed !== undefined) return { changed: false, failed: true, msg: fields.failed };
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() };
    const at = r.stdout.indexOf('od=\n');
    const data = parseOd(at >= 0 ? r.stdout.slice(at + 4) : '');
    return { changed: false, content: data.toString('base64'), encoding: 'base64', source: src };
  },
};

export default slurp;
