// File attributes (mode, owner, group) shared by file, copy, template and lineinfile: the shell
// that applies them inside a module's script, and the pure comparison that says whether they
// changed (from before/after stats) or would change (check mode, predicted from the before stat).
import { ownerMatches, type FileStat } from './facts.js';
import { applyMode, chmodArg, formatMode, parseMode, type ModeSpec } from './mode.js';
import { shVars } from './script.js';

export interface AttrPlan {
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  /** Follow symlinks when setting attributes (file's `follow`); false uses chown -h and skips chmod on links. */
  follow: boolean;
}

/** Read mode/owner/group from module arguments; a string is an error message (bad mode). */
export function planAttrs(args: Record<string, unknown>, follow = true): AttrPlan | string {
  const mode = parseMode(args.mode);
  if (typeof mode === 'string') return mode;
  const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
  return { mode, owner: str(args.owner), group: str(args.group), follow };
}

export function hasAttrs(p: AttrPlan): boolean {
  return p.mode !== undefined || p.owner !== undefined || p.group !== undefined;
}

/**
 * Shell function `_d_attrs PATH`: chown, chgrp, then chmod (chown may clear setuid bits), each
 * only when asked; a failure prints failed=... and ends the script.
 */
export const SH_ATTRS = String.raw`_d_attrs() {
  if [ -n "$a_owner" ]; then _d_e=$(chown $a_h -- "$a_owner" "$1" 2>&1) || _d_fail "chown failed: $_d_e"; fi
  if [ -n "$a_group" ]; then _d_e=$(chgrp $a_h -- "$a_group" "$1" 2>&1) || _d_fail "chgrp failed: $_d_e"; fi
  if [ -n "$a_mode" ]; then
    if [ -n "$a_h" ] && [ -h "$1" ]; then :; else _d_e=$(chmod -- "$a_mode" "$1" 2>&1) || _d_fail "chmod failed: $_d_e"; fi
  fi
}
`;

/** The shell variables _d_attrs reads. */
export function attrVars(p: AttrPlan): string {
  return shVars({
    a_mode: p.mode ? chmodArg(p.mode) : '',
    a_owner: p.owner ?? '',
    a_group: p.group ?? '',
    a_h: p.follow ? '' : '-h',
  });
}

export interface AttrState {
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
}

/** What `st` would look like after applying `p` (check mode). Unknown ids stay as the names asked for. */
export function predictAttrs(p: AttrPlan, st: FileStat, umask = 0o022): AttrState {
  const out: AttrState = { mode: st.mode, uid: st.uid, gid: st.gid, owner: st.owner, group: st.group };
  if (p.mode && !(st.type === 'link' && !p.follow)) out.mode = applyMode(p.mode, st.mode, st.type === 'directory', umask);
  if (p.owner && !ownerMatches(p.owner, st.owner, st.uid)) {
    out.owner = p.owner;
    out.uid = /^\d+$/.test(p.owner) ? Number(p.owner) : -1;
  }
  if (p.group && !ownerMatches(p.group, st.group, st.gid)) {
    out.group = p.group;
    out.gid = /^\d+$/.test(p.group) ? Number(p.group) : -1;
  }
  return out;
}

export interface AttrDiff {
  changed: boolean;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Compare attributes before and after: Ansible's diff entries (mode as "0644", owner/group as ids). */
export function diffAttrs(before: AttrState, after: AttrState): AttrDiff {
  const d: AttrDiff = { changed: false, before: {}, after: {} };
  if ((before.mode & 0o7777) !== (after.mode & 0o7777)) {
    d.before.mode = formatMode(before.mode);
    d.after.mode = formatMode(after.mode);
    d.changed = true;
  }
  if (before.uid !== after.uid || before.owner !== after.owner) {
    d.before.owner = before.uid;
    d.after.owner = after.uid >= 0 ? after.uid : after.owner;
    d.changed = true;
  }
  if (before.gid !== after.gid || before.group !== after.group) {
    d.before.group = before.gid;
    d.after.group = after.gid >= 0 ? after.gid : after.group;
    d.changed = true;
  }
  return d;
}

/** Attribute change between two stats, or predicted from `before` in check mode. */
export function attrChange(p: AttrPlan, before: FileStat, after: FileStat | undefined, check: boolean, umask?: number): AttrDiff {
  const b: AttrState = { mode: before.mode, uid: before.uid, gid: before.gid, owner: before.owner, group: before.group };
  if (check || !after) return diffAttrs(b, predictAttrs(p, before, umask));
  return diffAttrs(b, { mode: after.mode, uid: after.uid, gid: after.gid, owner: after.owner, group: after.group });
}

/** Parse `umask` output ("0022") to a number. */
export function parseUmask(s: string | undefined): number {
  return s && /^[0-7]+$/.test(s.trim()) ? parseInt(s.trim(), 8) : 0o022;
}
