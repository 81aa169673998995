// ansible.posix.sysctl: keep `name=value` in a sysctl file (present/absent, ansible's rewrite rules:
// every line for the key becomes `name=value`, a missing key is appended) and, when the file
// changed and reload=yes, load it with `sysctl -p FILE`; sysctl_set=yes also sets the running
// value. Kernel values are only touched when /proc/sys is writable: in a container (or a lab host)
// a read-only /proc/sys means the file is managed and `reload_skipped` says why nothing was loaded.
import { planAttrs } from '../engine/modules-sdk/attrs.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { toolMissingMessage } from '../engine/modules-sdk/tools.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { readText, saveText } from './lib/textfile.js';

/** ansible's value normalisation: booleans to 0/1, whitespace runs to one space. */
export function normValue(v: unknown): string {
  if (v === true) return '1';
  if (v === false) return '0';
  const s = String(v).trim();
  if (/^(yes|true|on)$/i.test(s)) return '1';
  if (/^(no|false|off)$/i.test(s)) return '0';
  return s.split(/\s+/).join(' ');
}

/** The file's value for a key (last assignment wins), or undefined. */
export function fileValue(text: string, name: string): string | undefined {
  let v: string | undefined;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith(';') || !t.includes('=')) continue;
    const i = t.indexOf('=');
    if (t.slice(0, i).trim() === name) v = normValue(t.slice(i + 1));
  }
  return v;
}

/** Rewrite the file: replace (or drop) each assignment of `name`, append when missing. */
export function editSysctl(text: string, name: string, value: string | undefined, present: boolean): string {
  const out: string[] = [];
  let seen = false;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const line of lines) {
    const t = line.trim();
    const i = t.indexOf('=');
    if (t && !t.startsWith('#') && !t.startsWith(';') && i > 0 && t.slice(0, i).trim() === name) {
      seen = true;
      if (present) out.push(`${name}=${value}`);
      continue;
    }
    out.push(line);
  }
  if (present && !seen) out.push(`${name}=${value}`);
  return out.length ? out.join('\n') + '\n' : '';
}

/** Script: is /proc/sys/<key> writable, its current value, and (when asked) set or reload. */
export function kernelScript(name: string, o: { set?: string; reloadFile?: string; ignoreErrors: boolean }): string {
  const proc = `/proc/sys/${name.replace(/\./g, '/')}`;
  return buildScript(
    `k=${quote(name)}; f=${quote(proc)}`,
    `command -v sysctl >/dev/null 2>&1 && _d_emit sysctl 1`,
    `if [ -e "$f" ]; then _d_emit current "$(sysctl -e -n "$k" 2>/dev/null || cat "$f")"; fi`,
    // access(W_OK) fails with EROFS on a read-only /proc/sys, even for root
    `if [ -w "$f" ]; then _d_emit writable 1; else _d_emit writable 0; exit 0; fi`,
    // setting or reloading needs the tool; ignoreerrors is about the file's entries, not about it
    o.set !== undefined || o.reloadFile !== undefined ? `command -v sysctl >/dev/null 2>&1 || _d_fail ${quote(toolMissingMessage('sysctl'))}` : ':',
    o.set !== undefined ? `v=${quote(o.set)}; _d_e=$(sysctl -w "$k=$v" 2>&1) || _d_emit set_error "$_d_e"` : ':',
    o.reloadFile !== undefined ? `_d_e=$(sysctl ${o.ignoreErrors ? '-e ' : ''}-p ${quote(o.reloadFile)} 2>&1) || _d_emit reload_error "$_d_e"` : ':',
  );
}

const sysctl: ModuleDefinition = {
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  description: 'Manage entries in sysctl.conf',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', 'x-aliases': ['key'] },
      value: { type: ['string', 'number', 'boolean'], 'x-aliases': ['val'] },
      state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
      reload: { type: 'boolean', default: true },
      sysctl_file: { type: 'string', default: '/etc/sysctl.conf' },
      sysctl_set: { type: 'boolean', default: false },
      ignoreerrors: { type: 'boolean', default: false },
    },
    required: ['name'],
    additionalProperties: false,
    'x-required-if': [['state', 'present', ['value']]],
  },
  async run(args, ctx) {
    const name = String(args.name).trim();
    const present = args.state !== 'absent';
    const value = args.value === undefined || args.value === null ? undefined : normValue(args.value);
    if (present && value === undefined) return { changed: false, failed: true, msg: 'value is required with state=present' };
    const file = String(args.sysctl_file);
    const read = await readText(ctx, file);
    if (read.failed !== undefined) return { changed: false, failed: true, msg: read.failed };
    const after = editSysctl(read.content, name, value, present);
    const fileChanged = after !== read.content;
    const attrs = planAttrs({}, true);
    if (typeof attrs === 'string') return { changed: false, failed: true, msg: attrs };
    const res: ModuleResult = { changed: fileChanged };
    if (ctx.diff) res.diff = { before: read.content, after, before_header: file, after_header: file };
    const wantSet = present && !!args.sysctl_set;
    const wantReload = fileChanged && args.reload !== false;
    // first look (and in check mode only look): a missing sysctl fails before the file changes,
    // as Ansible's module fails at its start (get_bin_path required)
    const probe = wantSet || wantReload ? parseOutput((await ctx.run(kernelScript(name, { ignoreErrors: !!args.ignoreerrors }))).stdout).fields : {};
    const current = probe.current === undefined ? undefined : normValue(probe.current);
    const setNeeded = wantSet && current !== value;
    const acts = probe.writable === '1' && (setNeeded || wantReload);
    if (acts && probe.sysctl !== '1') return { changed: false, failed: true, msg: toolMissingMessage('sysctl') };
    if (fileChanged) {
      const saved = await saveText(ctx, { path: file, content: after, changed: true, attrs, makeParents: true, newMode: '0644' });
      if (saved.failed !== undefined) return { changed: false, failed: true, msg: saved.failed };
    }
    if (!wantSet && !wantReload) return res;
    if (probe.writable !== '1') {
      if (setNeeded || wantReload) res.reload_skipped = '/proc/sys is not writable on this host; only the file was managed';
      return res;
    }
    if (setNeeded) res.changed = true;
    if (ctx.check) return res;
    const act = parseOutput(
      (await ctx.run(kernelScript(name, { set: setNeeded ? value : undefined, reloadFile: wantReload ? file : undefined, ignoreErrors: !!args.ignoreerrors }))).stdout,
    ).fields;
    if (act.failed !== undefined) return { ...res, changed: false, failed: true, msg: act.failed };
    if (act.set_error) return { ...res, failed: true, msg: `setting ${name} failed: ${act.set_error}` };
    if (act.reload_error && !args.ignoreerrors) return { ...res, failed: true, msg: `Failed to reload sysctl: ${act.reload_error}` };
    return res;
  },
};

export default sysctl;
