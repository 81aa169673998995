// Pure RPM helpers for the package modules: parsing `rpm -qa` output, rpm's version comparison,
// Ansible's NEVR parsing of a package spec, diffing two installed sets (how the modules decide
// `changed`) and parsing dnf's transaction table (what check mode and download_only report).

export interface RpmPkg {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
}

/** `rpm -qa --qf` format: one tab-separated line per package, epoch 0 when unset. */
export const RPM_QA_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{0}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

export function parseRpmQa(text: string): RpmPkg[] {
  const out: RpmPkg[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length !== 5 || !f[0] || f[0] === 'gpg-pubkey') continue;
    out.push({ name: f[0], epoch: parseInt(f[1], 10) || 0, version: f[2], release: f[3], arch: f[4] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || compareEvr(a, b));
}

/** "[E:]V-R" with the epoch only when non-zero (as dnf prints it). */
export function evrString(p: Pick<RpmPkg, 'epoch' | 'version' | 'release'>): string {
  return `${p.epoch ? `${p.epoch}:` : ''}${p.version}-${p.release}`;
}

/** dnf's str(package): name-[E:]V-R.arch. */
export function nevraString(p: RpmPkg): string {
  return `${p.name}-${evrString(p)}.${p.arch}`;
}

/** rpm's rpmvercmp(): segments of digits or letters, ~ sorts before everything, ^ after the end. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const isAlnum = (c: string) => /[A-Za-z0-9]/.test(c);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const digit = /[0-9]/.test(a[i]);
    const re = digit ? /^[0-9]+/ : /^[A-Za-z]+/;
    const sa = re.exec(a.slice(i))?.[0] ?? '';
    const sb = re.exec(b.slice(j))?.[0] ?? '';
    if (sb === '') return digit ? 1 : -1;
    i += sa.length;
    j += sb.length;
    if (digit) {
      const na = sa.replace(/^0+/, '');
      const nb = sb.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
      if (na !== nb) return na > nb ? 1 : -1;
    } else if (sa !== sb) return sa > sb ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareEvr(a: Pick<RpmPkg, 'epoch' | 'version' | 'release'>, b: Pick<RpmPkg, 'epoch' | 'version' | 'release'>): number {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  return rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

const ARCHES = new Set(['noarch', 'x86_64', 'i686', 'i386', 'aarch64', 'ppc64le', 'ppc64', 's390x', 'armv7hl', 'src']);

/** Split "name.arch" when the suffix is a known arch. */
export function splitArch(spec: string): { base: string; arch?: string } {
  const i = spec.lastIndexOf('.');
  if (i > 0 && ARCHES.has(spec.slice(i + 1))) return { base: spec.slice(0, i), arch: spec.slice(i + 1) };
  return { base: spec };
}

/** Ansible's _packagename_dict: a spec with at least name-version-release, else undefined. */
export function parseNevrSpec(spec: string): { name: string; epoch: number; version: string; release: string; arch?: string } | undefined {
  const s = spec.endsWith('.rpm') ? spec.slice(0, -4) : spec;
  const { base, arch } = splitArch(s);
  const m = /^(\S+)-(?:(\d*):)?(.*)-(~?\w+[\w.+]*)$/.exec(base);
  if (!m || !m[3] || !/^\d/.test(m[3].split('.')[0])) return undefined;
  // Python's re.match is greedy from the left like this regex; the release group is the last "-" part.
  return { name: m[1], epoch: parseInt(m[2] || '0', 10), version: m[3], release: m[4], arch };
}

/** fnmatch-style glob (*, ?, [..]) as dnf applies to package specs. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function isGlob(spec: string): boolean {
  return /[*?[]/.test(spec);
}

export interface InstalledDiff {
  installed: RpmPkg[];
  removed: RpmPkg[];
  upgraded: { from: RpmPkg; to: RpmPkg }[];
  downgraded: { from: RpmPkg; to: RpmPkg }[];
}

/** What changed between two `rpm -qa` snapshots (by name and arch). */
export function diffInstalled(before: RpmPkg[], after: RpmPkg[]): InstalledDiff {
  const key = (p: RpmPkg) => `${p.name}.${p.arch}`;
  const group = (list: RpmPkg[]) => {
    const m = new Map<string, RpmPkg[]>();
    for (const p of list) m.set(key(p), [...(m.get(key(p)) ?? []), p]);
    return m;
  };
  const b = group(before);
  const a = group(after);
  const d: InstalledDiff = { installed: [], removed: [], upgraded: [], downgraded: [] };
  for (const k of new Set([...b.keys(), ...a.keys()])) {
    const olds = (b.get(k) ?? []).filter((o) => !(a.get(k) ?? []).some((n) => compareEvr(o, n) === 0));
    const news = (a.get(k) ?? []).filter((n) => !(b.get(k) ?? []).some((o) => compareEvr(o, n) === 0));
    if (olds.length === 1 && news.length === 1) {
      (compareEvr(news[0], olds[0]) > 0 ? d.upgraded : d.downgraded).push({ from: olds[0], to: news[0] });
    } else {
      d.removed.push(...olds);
      d.installed.push(...news);
    }
  }
  return d;
}

export function diffIsEmpty(d: InstalledDiff): boolean {
  return !d.installed.length && !d.removed.length && !d.upgraded.length && !d.downgraded.length;
}

export type TxAction = 'install' | 'upgrade' | 'downgrade' | 'reinstall' | 'remove';

export interface TxEntry {
  action: TxAction;
  name: string;
  arch: string;
  evr: string;
  repo: string;
}

const SECTIONS: [RegExp, TxAction][] = [
  [/^Installing( dependencies| weak dependencies)?:$/, 'install'],
  [/^Upgrading( dependencies)?:$/, 'upgrade'],
  [/^Downgrading( dependencies)?:$/, 'downgrade'],
  [/^Reinstalling:$/, 'reinstall'],
  [/^Removing( dependent packages| unused dependencies)?:$/, 'remove'],
];

/**
 * The transaction table dnf prints before asking (or with --assumeno / --downloadonly). Entries
 * are read as a token stream (name arch evr repo size unit) so lines wrapped on narrow terminals
 * still parse; "replacing" sub-lines (obsoletes) are skipped.
 */
export function parseTransaction(out: string): TxEntry[] {
  const entries: TxEntry[] = [];
  let action: TxAction | undefined;
  let tokens: string[] = [];
  const flush = () => {
    while (tokens.length >= 4) {
      const [name, arch, evr, repo] = tokens;
      tokens = tokens.slice(4);
      // size: "7.4 k" or "72" (bytes, no unit)
      if (tokens.length && /^[\d.]+$/.test(tokens[0])) tokens.shift();
      if (tokens.length && /^[kMGT]$/.test(tokens[0])) tokens.shift();
      if (action) entries.push({ action, name, arch, evr, repo });
    }
    tokens = [];
  };
  for (const line of out.split('\n')) {
    // Entries (and their wrapped continuations) are indented; headers and summaries are not.
    if (/^\s+\S/.test(line) && action) {
      const t = line.trim();
      if (!/^replacing\s/.test(t)) tokens.push(...t.split(/\s+/));
      continue;
    }
    flush();
    action = SECTIONS.find(([re]) => re.test(line.trim()))?.[1];
  }
  flush();
  return entries;
}

/** Parse "[E:]V-R" from the table into the RpmPkg fields. */
export function parseEvr(evr: string): { epoch: number; version: string; release: string } {
  const m = /^(?:(\d+):)?(.*)-([^-]*)$/.exec(evr);
  if (!m) return { epoch: 0, version: evr, release: '' };
  return { epoch: parseInt(m[1] ?? '0', 10), version: m[2], release: m[3] };
}
