// The dnf/yum/package modules' logic, kept free of I/O: Ansible's per-spec decisions (what is
// already installed, when a newer version blocks a downgrade, latest = upgrade or install),
// the dnf command lines, the two shell scripts (query, then act) and the result built from
// what rpm reports before and after. Decisions are written down in engine/lab/rpms/README.md.
import { quote } from '../../engine/modules-sdk/quote.js';
import { buildScript, shVars } from '../../engine/modules-sdk/script.js';
import type { ModuleResult } from '../../engine/modules-sdk/types.js';
import {
  compareEvr,
  diffInstalled,
  diffIsEmpty,
  globToRegExp,
  isGlob,
  nevraString,
  parseEvr,
  parseNevrSpec,
  parseRpmQa,
  parseTransaction,
  RPM_QA_FORMAT,
  splitArch,
  type InstalledDiff,
  type RpmPkg,
  type TxEntry,
} from './rpm-nevra.js';

export interface PkgArgs {
  name: string[];
  state: 'present' | 'latest' | 'absent';
  enablerepo: string[];
  disablerepo: string[];
  exclude: string[];
  disable_excludes?: string;
  update_cache: boolean;
  download_only: boolean;
  download_dir?: string;
  allow_downgrade: boolean;
  installroot?: string;
  conf_file?: string;
  disable_gpg_check: boolean;
  releasever?: string;
  autoremove: boolean;
  update_only: boolean;
  nobest: boolean;
  skip_broken: boolean;
  install_weak_deps: boolean;
  cacheonly: boolean;
  allowerasing: boolean;
}

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v])
    .flatMap((x) => String(x).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** Normalise validated module arguments (aliases already resolved by the SDK). */
export function normalisePkgArgs(a: Record<string, unknown>): PkgArgs {
  const names = list(a.name);
  const raw = a.state as string | undefined;
  const state = raw === 'absent' || raw === 'removed' ? 'absent' : raw === 'latest' ? 'latest' : raw === undefined && a.autoremove && !names.length ? 'absent' : 'present';
  return {
    name: names,
    state,
    enablerepo: list(a.enablerepo),
    disablerepo: list(a.disablerepo),
    exclude: list(a.exclude),
    disable_excludes: (a.disable_excludes as string | undefined) || undefined,
    update_cache: !!a.update_cache,
    download_only: !!a.download_only,
    download_dir: (a.download_dir as string | undefined) || undefined,
    allow_downgrade: !!a.allow_downgrade,
    installroot: (a.installroot as string | undefined) || undefined,
    conf_file: (a.conf_file as string | undefined) || undefined,
    disable_gpg_check: !!a.disable_gpg_check,
    releasever: (a.releasever as string | undefined) || undefined,
    autoremove: !!a.autoremove,
    update_only: !!a.update_only,
    nobest: !!a.nobest,
    skip_broken: !!a.skip_broken,
    install_weak_deps: a.install_weak_deps !== false,
    cacheonly: !!a.cacheonly,
    allowerasing: !!a.allowerasing,
  };
}

export type Verb = 'install' | 'upgrade' | 'remove' | 'makecache' | 'autoremove';

export interface DnfCommand {
  verb: Verb;
  specs: string[];
}

export interface DnfPlan {
  commands: DnfCommand[];
  /** Notes for `results` (update_only skips). */
  notes: string[];
}

/** Ansible's _is_installed: the spec names an installed package (name, name.arch or full NEVR). */
export function isInstalled(spec: string, installed: RpmPkg[]): boolean {
  const nevr = parseNevrSpec(spec);
  if (nevr) {
    return installed.some(
      (p) => p.name === nevr.name && compareEvr(p, nevr) === 0 && (!nevr.arch || p.arch === nevr.arch),
    );
  }
  const { base, arch } = splitArch(spec);
  return installed.some((p) => p.name === base && (!arch || p.arch === arch));
}

/** Ansible's _is_newer_version_installed: only for specs with a full name-version-release. */
export function isNewerInstalled(spec: string, installed: RpmPkg[]): boolean {
  const nevr = parseNevrSpec(spec);
  if (!nevr) return false;
  const cur = installed.find((p) => p.name === nevr.name);
  return !!cur && compareEvr(cur, nevr) > 0;
}

/** Which dnf commands a task needs, given what is installed. */
export function planDnf(a: PkgArgs, installed: RpmPkg[]): DnfPlan {
  const notes: string[] = [];
  const commands: DnfCommand[] = [];
  if (!a.name.length) {
    if (a.state === 'absent' && a.autoremove) commands.push({ verb: 'autoremove', specs: [] });
    else if (a.update_cache) commands.push({ verb: 'makecache', specs: [] });
    return { commands, notes };
  }
  if (a.state === 'absent') return { commands: [{ verb: 'remove', specs: a.name }], notes };
  if (a.state === 'latest' && a.name.length === 1 && a.name[0] === '*') return { commands: [{ verb: 'upgrade', specs: [] }], notes };
  const install: string[] = [];
  const upgrade: string[] = [];
  for (const spec of a.name) {
    const newer = isNewerInstalled(spec, installed);
    const inst = isInstalled(spec, installed);
    if (a.update_only) {
      if (inst || (isGlob(spec) && installed.some((p) => globToRegExp(spec).test(p.name)))) upgrade.push(spec);
      else notes.push(`Packages providing ${spec} not installed due to update_only specified`);
      continue;
    }
    if (newer) {
      if (a.allow_downgrade) install.push(spec);
    } else if (inst) {
      if (a.state === 'latest') upgrade.push(spec);
    } else install.push(spec);
  }
  if (install.length) commands.push({ verb: 'install', specs: install });
  if (upgrade.length) commands.push({ verb: 'upgrade', specs: upgrade });
  return { commands, notes };
}

/** Options shared by every dnf command of the task (root and config are added by the script). */
export function dnfOptions(a: PkgArgs, check: boolean): string[] {
  const o: string[] = [check ? '--assumeno' : '-y'];
  if (a.releasever) o.push(`--releasever=${a.releasever}`);
  for (const r of a.disablerepo) o.push(`--disablerepo=${r}`);
  for (const r of a.enablerepo) o.push(`--enablerepo=${r}`);
  for (const x of a.exclude) o.push(`--exclude=${x}`);
  if (a.disable_excludes) o.push(`--disableexcludes=${a.disable_excludes}`);
  if (a.disable_gpg_check) o.push('--nogpgcheck');
  if (a.update_cache && a.name.length) o.push('--refresh');
  if (!a.install_weak_deps) o.push('--setopt=install_weak_deps=False');
  if (a.nobest) o.push('--nobest');
  if (a.skip_broken) o.push('--skip-broken');
  if (a.cacheonly) o.push('--cacheonly');
  if (a.allowerasing) o.push('--allowerasing');
  // yum (EL7) never removed unused dependencies on `remove`; Ansible sets this from autoremove.
  o.push(`--setopt=clean_requirements_on_remove=${a.autoremove ? 'True' : 'False'}`);
  if (a.download_only) {
    o.push('--downloadonly');
    if (a.download_dir) o.push(`--downloaddir=${a.download_dir}`);
  }
  return o;
}

/**
 * Shell prologue: the install root (module argument, else /, as Ansible's dnf module) and dnf's
 * root/config options in "$@". /etc/yum.conf of the root
 * is the configuration when present, as on the EL7 hosts the lab simulates (excluders edit it).
 */
const ROOT_SH = String.raw`root=${'$'}{root_arg:-/}
set --
if [ "$root" != / ]; then
  set -- "$@" "--installroot=$root"
  [ -d "$root/etc/yum.repos.d" ] && set -- "$@" "--setopt=reposdir=$root/etc/yum.repos.d"
fi
if [ -n "$conf_arg" ]; then set -- "$@" "--config=$conf_arg"
elif [ -f "${'$'}{root%/}/etc/yum.conf" ]; then set -- "$@" "--config=${'$'}{root%/}/etc/yum.conf"; fi
if command -v dnf >/dev/null 2>&1; then pm=dnf; elif command -v yum >/dev/null 2>&1; then pm=yum; else _d_fail 'Could not find dnf or yum on the host'; fi
_d_emit root "$root"
qa() { printf '@@drover:%s@@\n' "$1"; rpm --root "$root" -qa --qf ${quote(RPM_QA_FORMAT)} 2>/dev/null; }`;

function rootVars(a: PkgArgs): string {
  return shVars({ root_arg: a.installroot ?? '', conf_arg: a.conf_file ?? '' });
}

/** Round trip 1: where the root is, and what it has installed. */
export function queryScript(a: PkgArgs): string {
  return buildScript(rootVars(a), ROOT_SH, 'qa before');
}

/** Round trip 2: run the commands (stopping at the first failure unless checking), then list again. */
export function actScript(a: PkgArgs, plan: DnfPlan, check: boolean): string {
  const opts = dnfOptions(a, check).map(quote).join(' ');
  const cmds = plan.commands.map((c, i) => {
    const verb = c.verb === 'upgrade' && !c.specs.length ? 'upgrade' : c.verb;
    return `LC_ALL=C LANG=C "$pm" "$@" ${opts} ${verb} ${c.specs.map(quote).join(' ')} >"$_o" 2>"$_e"; rc=$?
printf '@@drover:cmd%s %s@@\\n' ${i} "$rc"; cat "$_o"; printf '\\n@@drover:err@@\\n'; cat "$_e"; printf '\\n'
${check ? '' : 'if [ "$rc" -ne 0 ]; then qa after; rm -f "$_o" "$_e"; exit 0; fi'}`;
  });
  return buildScript(rootVars(a), ROOT_SH, '_o=$(mktemp) && _e=$(mktemp) || _d_fail "mktemp failed"', ...cmds, 'qa after', 'rm -f "$_o" "$_e"');
}

export interface CmdOutput {
  index: number;
  rc: number;
  stdout: string;
  stderr: string;
}

export interface ScriptOutput {
  root?: string;
  failed?: string;
  before?: RpmPkg[];
  after?: RpmPkg[];
  cmds: CmdOutput[];
}

/** Split a script's output into its @@drover:...@@ sections. */
export function parseScriptOutput(stdout: string): ScriptOutput {
  const out: ScriptOutput = { cmds: [] };
  let cur: { kind: string; lines: string[] } = { kind: 'head', lines: [] };
  const finish = () => {
    const text = cur.lines.join('\n');
    const m = /^cmd(\d+) (\d+)$/.exec(cur.kind);
    if (cur.kind === 'head') {
      for (const l of cur.lines) {
        const f = /^(root|failed)=(.*)$/.exec(l);
        if (f) out[f[1] as 'root' | 'failed'] = f[2];
      }
    } else if (cur.kind === 'before' || cur.kind === 'after') out[cur.kind] = parseRpmQa(text);
    else if (m) out.cmds.push({ index: Number(m[1]), rc: Number(m[2]), stdout: text, stderr: '' });
    else if (cur.kind === 'err' && out.cmds.length) out.cmds[out.cmds.length - 1].stderr = text.replace(/\n$/, '');
  };
  for (const line of stdout.split('\n')) {
    const m = /^@@drover:(.+)@@$/.exec(line);
    if (m) {
      finish();
      cur = { kind: m[1], lines: [] };
    } else cur.lines.push(line);
  }
  finish();
  return out;
}

export interface Changes {
  installed: string[];
  removed: string[];
  upgraded: string[];
  downgraded: string[];
}

/** Ansible-style `results` lines and a `changes` summary from the rpm before/after diff. */
export function changesFromDiff(d: InstalledDiff): { results: string[]; changes: Changes } {
  const installs = [...d.installed, ...d.upgraded.map((u) => u.to), ...d.downgraded.map((u) => u.to)];
  const removes = [...d.removed, ...d.upgraded.map((u) => u.from), ...d.downgraded.map((u) => u.from)];
  return {
    results: [...installs.map((p) => `Installed: ${nevraString(p)}`), ...removes.map((p) => `Removed: ${nevraString(p)}`)],
    changes: {
      installed: d.installed.map(nevraString),
      removed: d.removed.map(nevraString),
      upgraded: d.upgraded.map((u) => nevraString(u.to)),
      downgraded: d.downgraded.map((u) => nevraString(u.to)),
    },
  };
}

/** The same summary predicted from dnf's transaction table (check mode, download_only). */
export function diffFromTransaction(entries: TxEntry[], installed: RpmPkg[]): InstalledDiff {
  const after = installed.map((p) => ({ ...p }));
  for (const e of entries) {
    const pkg: RpmPkg = { name: e.name, arch: e.arch, ...parseEvr(e.evr) };
    const idx = after.findIndex((p) => p.name === e.name && p.arch === e.arch);
    if (e.action === 'remove') {
      const i = after.findIndex((p) => p.name === e.name && p.arch === e.arch && compareEvr(p, pkg) === 0);
      if (i >= 0) after.splice(i, 1);
    } else if (e.action === 'install' || idx < 0) after.push(pkg);
    else after[idx] = pkg;
  }
  return diffInstalled(installed, after);
}

/** Turn dnf's complaint into Ansible's wording. */
function failure(cmd: DnfCommand, out: CmdOutput): ModuleResult {
  const text = `${out.stderr}\n${out.stdout}`;
  const unmatched = [...text.matchAll(/^No match for argument: (.*)$/gm)].map((m) => m[1].trim());
  const errLine = /^Error: ?(.*)$/m.exec(out.stderr)?.[1] ?? '';
  const problems = /Problem( \d+)?: /.test(text) ? text.slice(text.search(/Problem( \d+)?: /)).trim() : '';
  let msg: string;
  if (problems) msg = `Depsolve Error occurred: ${problems}`;
  else if (cmd.verb === 'install' || cmd.verb === 'upgrade') msg = 'Failed to install some of the specified packages';
  else msg = `Unknown Error occurred: ${errLine || out.stderr.trim() || `rc=${out.rc}`}`;
  return {
    changed: false,
    failed: true,
    msg,
    rc: out.rc || 1,
    results: [],
    failures: unmatched.length ? unmatched.map((s) => `${s} - No package ${s} available.`) : [errLine || out.stderr.trim()].filter(Boolean),
  };
}

/** The module result from the act script's output. */
export function buildPkgResult(a: PkgArgs, plan: DnfPlan, before: RpmPkg[], out: ScriptOutput, check: boolean): ModuleResult {
  if (out.failed) return { changed: false, failed: true, msg: out.failed, rc: 1, results: [] };
  const predicted = check || a.download_only;
  let diff: InstalledDiff = { installed: [], removed: [], upgraded: [], downgraded: [] };
  for (const [i, c] of plan.commands.entries()) {
    const o = out.cmds.find((x) => x.index === i);
    if (!o) return { changed: false, failed: true, msg: `dnf ${c.verb} did not run`, rc: 1, results: [] };
    const aborted = check && o.rc === 1 && /Operation aborted/.test(o.stderr + o.stdout) && !/^Error:/m.test(o.stderr);
    if (o.rc !== 0 && !aborted) return failure(c, o);
    if (predicted) {
      const d = diffFromTransaction(parseTransaction(o.stdout), before);
      diff = {
        installed: [...diff.installed, ...d.installed],
        removed: [...diff.removed, ...d.removed],
        upgraded: [...diff.upgraded, ...d.upgraded],
        downgraded: [...diff.downgraded, ...d.downgraded],
      };
    }
  }
  if (!predicted) diff = diffInstalled(before, out.after ?? before);
  const { results, changes } = changesFromDiff(diff);
  const changed = !diffIsEmpty(diff);
  const res: ModuleResult = { changed, msg: '', rc: 0, results: [...plan.notes, ...results], changes };
  if (a.download_only) res.results = results.filter((r) => r.startsWith('Installed: ')).map((r) => r.replace('Installed: ', 'Downloaded: '));
  if (!changed) res.msg = plan.commands.some((c) => c.verb === 'makecache') ? 'Metadata cache created' : 'Nothing to do';
  else if (check) res.msg = 'Check mode: No changes made, but would have if not in check mode';
  return res;
}
