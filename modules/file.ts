// ansible.builtin.file: make a path a file, directory, symlink or hard link, touch or remove it,
// and set mode/owner/group (optionally recursively). One script inspects the path, applies the
// wanted state (unless check mode) and reports before/after stats; the result is built here.
import { attrChange, attrVars, hasAttrs, planAttrs, predictAttrs, SH_ATTRS, type AttrPlan } from '../engine/modules-sdk/attrs.js';
import { fileResultKeys, parseStat, type FileStat } from '../engine/modules-sdk/facts.js';
import { buildScript, parseOutput, shVars } from '../engine/modules-sdk/script.js';
import { quote } from '../engine/modules-sdk/quote.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { FILE_SH, parentChain, timeSpec, timestampEpoch } from './lib/file-shell.js';

const STATES = ['absent', 'directory', 'file', 'hard', 'link', 'touch'];

export interface FileFacts {
  prev: string;
  state: string;
  failed?: string;
  structural: boolean;
  oldSrc?: string;
  st0?: FileStat;
  st1?: FileStat;
  fin?: FileStat;
  umask?: number;
  recurseChanged: boolean;
  recurseEntries: FileStat[];
  timesApplied: boolean;
}

/** Parse the file script's output. */
export function parseFileOutput(stdout: string): FileFacts {
  const { fields, lists } = parseOutput(stdout);
  return {
    prev: fields.prev ?? 'absent',
    state: fields.state ?? fields.prev ?? 'file',
    failed: fields.failed,
    structural: fields.changed === '1',
    oldSrc: fields.old_src,
    st0: parseStat(fields.st0),
    st1: parseStat(fields.st1),
    fin: parseStat(fields.fin),
    umask: fields.umask ? parseInt(fields.umask, 8) : undefined,
    recurseChanged: fields.recurse_changed === '1',
    recurseEntries: (lists.rentry ?? []).map((l) => parseStat(l)).filter((s): s is FileStat => !!s),
    timesApplied: fields.times === '1',
  };
}

export function fileScript(args: Record<string, unknown>, attrs: AttrPlan, check: boolean): string {
  const state = (args.state as string | undefined) ?? '';
  const touchDefault = state === 'touch' ? 'now' : 'preserve';
  const path = String(args.path);
  return buildScript(
    SH_ATTRS,
    FILE_SH,
    shVars({
      p: path,
      state,
      src: (args.src as string | undefined) ?? '',
      force: !!args.force,
      follow: args.follow !== false,
      recurse: !!args.recurse,
      check,
      mt: timeSpec(args.modification_time, touchDefault),
      at: timeSpec(args.access_time, touchDefault),
    }),
    attrVars(attrs),
    // an absolute mode: skip chmod when it is there; without special bits, new directories get it from the umask
    shVars({
      a_oct: attrs.mode?.kind === 'octal' ? attrs.mode.value : '',
      a_dumask: attrs.mode?.kind === 'octal' && (attrs.mode.value & ~0o777) === 0 ? (0o777 & ~attrs.mode.value).toString(8).padStart(3, '0') : '',
      st1: '',
    }),
    `set -- ${parentChain(path).map(quote).join(' ')}`,
    'd_main "$@"',
  );
}

function buildResult(args: Record<string, unknown>, attrs: AttrPlan, f: FileFacts, check: boolean, diffOn: boolean): ModuleResult {
  const path = String(args.path);
  const key = ['link', 'hard', 'touch'].includes(f.state) ? 'dest' : 'path';
  if (f.failed !== undefined) {
    const r: ModuleResult = { changed: false, failed: true, msg: f.failed, path };
    if (/is absent, cannot continue/.test(f.failed)) r.state = 'absent';
    return r;
  }
  const diff = { before: { path } as Record<string, unknown>, after: { path } as Record<string, unknown> };
  if (f.prev !== f.state) {
    diff.before.state = f.prev;
    diff.after.state = f.state;
  }
  if (f.oldSrc !== undefined) {
    diff.before.src = f.oldSrc;
    diff.after.src = args.src;
  }
  let changed = f.structural || f.recurseChanged || f.timesApplied;
  if (f.state !== 'absent' && f.st0 && hasAttrs(attrs)) {
    const a = attrChange(attrs, f.st0, f.st1, check, f.umask);
    if (a.changed) {
      changed = true;
      Object.assign(diff.before, a.before);
      Object.assign(diff.after, a.after);
    }
  }
  if (check && f.recurseEntries.length && hasAttrs(attrs)) {
    const entryAttrs: AttrPlan = { ...attrs, follow: false };
    for (const e of f.recurseEntries) {
      if (e.type === 'link' && !attrs.owner && !attrs.group) continue;
      const p = predictAttrs(entryAttrs, e, f.umask);
      if (p.mode !== e.mode || p.owner !== e.owner || p.group !== e.group) changed = true;
    }
  }
  const res: ModuleResult = { changed, [key]: path };
  if (f.state === 'link' || f.state === 'hard') res.src = args.src;
  if (f.state === 'absent') res.state = 'absent';
  else if (f.fin) Object.assign(res, fileResultKeys(f.fin, f.state === 'hard' ? 'hard' : undefined));
  if (diffOn) res.diff = diff;
  return res;
}

const file: ModuleDefinition = {
  name: 'file',
  description: 'Manage files and file properties',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', 'x-aliases': ['dest', 'name'] },
      state: { type: 'string', enum: STATES },
      src: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      recurse: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      follow: { type: 'boolean', default: true },
      modification_time: { type: 'string' },
      modification_time_format: { type: 'string', enum: ['%Y%m%d%H%M.%S'] },
      access_time: { type: 'string' },
      access_time_format: { type: 'string', enum: ['%Y%m%d%H%M.%S'] },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const attrs = planAttrs(args, args.follow !== false);
    const path = String(args.path);
    if (typeof attrs === 'string') {
      return { changed: false, failed: true, msg: attrs, details: `bad symbolic permission for mode: ${args.mode}`, path };
    }
    for (const k of ['modification_time', 'access_time']) {
      const v = args[k];
      if (v !== undefined && v !== 'now' && v !== 'preserve' && timestampEpoch(String(v)) === undefined) {
        return { changed: false, failed: true, msg: `Error while obtaining timestamp for time ${v} using format %Y%m%d%H%M.%S` };
      }
    }
    const r = await ctx.run(fileScript(args, attrs, ctx.check));
    const facts = parseFileOutput(r.stdout);
    if (r.rc !== 0 && facts.failed === undefined) {
      return { changed: false, failed: true, rc: r.rc, msg: (r.stderr || r.stdout).trim() || `rc=${r.rc}`, path };
    }
    if (facts.st0) {
      // Explicit timestamps: changed when they differ from the ones the path had.
      for (const [k, cur] of [
        ['modification_time', facts.st0.mtime],
        ['access_time', facts.st0.atime],
      ] as const) {
        const want = args[k] !== undefined ? timestampEpoch(String(args[k])) : undefined;
        if (want !== undefined && cur !== undefined && Math.floor(cur) !== want) facts.timesApplied = true;
      }
    }
    return buildResult(args, attrs, facts, ctx.check, ctx.diff);
  },
};

export default file;
