// Plugs the lab repositories into every `drover lab` host (picked up by lab.ts from
// engine/lab/<part>/lab-setup.ts): the built repositories copied to /var/lib/drover-repos, a
// /etc/yum.repos.d/redhat.repo naming them as subscription-manager would (3.7 enabled), an EL7
// /etc/yum.conf that dnf also reads (/etc/dnf/dnf.conf links to it, so the excluders' exclude=
// applies to hand-run dnf), and rpm's database in /var/lib/rpm (Debian's rpm defaults to ~/.rpmdb).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCachedRepos, DEFAULT_ENABLED, repoFileText, type BuiltRepos } from './build.js';
import { REPO_IDS, type RepoId } from './catalog.js';

/** Where the repositories live inside a lab host. */
export const HOST_REPO_DIR = '/var/lib/drover-repos';
/** The repo file subscription-manager owns on RHEL; the simulated one flips enabled= in it. */
export const HOST_REPO_FILE = '/etc/yum.repos.d/redhat.repo';

export const HOST_YUM_CONF = '[main]\ngpgcheck=0\nclean_requirements_on_remove=0\ninstallonly_limit=3\nkeepcache=0\n';

let built: Promise<BuiltRepos> | undefined;

/**
 * Copy a built repository into a host as hard links (the repositories are never written to, and a
 * 1,000-host lab would otherwise copy ~100 files per host); a plain copy across file systems.
 */
function linkTree(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dest, e.name);
    if (e.isDirectory()) linkTree(from, to);
    else {
      try {
        linkSync(from, to);
      } catch {
        cpSync(from, to);
      }
    }
  }
}

/** Write the package-management files of one host root (pure file work; repos already built). */
export function installRepos(root: string, repos: BuiltRepos, enabled: readonly RepoId[] = DEFAULT_ENABLED): void {
  const dest = join(root, HOST_REPO_DIR);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const r of REPO_IDS) linkTree(repos.repos[r], join(dest, r));
  const inHost = { repos: Object.fromEntries(REPO_IDS.map((r) => [r, `${HOST_REPO_DIR}/${r}`])) as Record<RepoId, string> };
  mkdirSync(join(root, 'etc/yum.repos.d'), { recursive: true });
  writeFileSync(join(root, HOST_REPO_FILE), repoFileText(inHost, enabled));
  if (!existsSync(join(root, 'etc/yum.conf'))) writeFileSync(join(root, 'etc/yum.conf'), HOST_YUM_CONF);
  mkdirSync(join(root, 'etc/dnf'), { recursive: true });
  rmSync(join(root, 'etc/dnf/dnf.conf'), { force: true });
  symlinkSync('../yum.conf', join(root, 'etc/dnf/dnf.conf'));
  mkdirSync(join(root, 'etc/rpm'), { recursive: true });
  writeFileSync(join(root, 'etc/rpm/macros'), '%_dbpath /var/lib/rpm\n');
  for (const d of ['var/lib/rpm', 'var/lib/dnf', 'var/cache/dnf', 'var/log']) mkdirSync(join(root, d), { recursive: true });
}

let missingTools: string[] | undefined;

/** Debian tools the repositories need, missing ones listed (the lab then has no RPM repos). Looked up once per process (setupHost runs per host). */
export function missingRpmTools(): string[] {
  missingTools ??= ['rpmbuild', 'createrepo_c', 'dnf'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
  return missingTools;
}

let warned = false;

/**
 * RHEL 7 hosts have `yum`; Debian only ships dnf, whose command line yum's commands share, except
 * `yum swap`: yum 3 matches each spec against name, name-version, ... of every package (the guide's
 * `yum swap docker-* docker-*1.12.6`), dnf takes one package per spec, so swap runs as a dnf shell.
 */
export const YUM_WRAPPER = String.raw`#!/bin/sh
# drover lab: yum on a simulated RHEL 7 host is dnf, except "yum swap REMOVE INSTALL", which keeps
# yum 3's meaning (seed 001 6.5: yum swap docker-* docker-*1.12.6 -y): each spec is a glob matched
# against every package's name, name.arch, name-version, name-version-release(.arch) (dnf's swap
# takes one package per spec), and the removals and installs run as one dnf shell transaction.
[ "$1" = swap ] || exec dnf "$@"
shift
set -f
opts= rm_spec= in_spec= n=0
for a do
  case $a in
    --) ;;
    -*) opts="$opts $a" ;;
    *) n=$((n + 1)); if [ $n = 1 ]; then rm_spec=$a; else in_spec=$a; fi ;;
  esac
done
if [ $n != 2 ]; then echo 'Error: the lab simulates yum swap REMOVE-PATTERN INSTALL-PATTERN only' >&2; exit 1; fi
match() {
  while read -r name ver rel arch; do
    for form in "$name" "$name.$arch" "$name-$ver" "$name-$ver-$rel" "$name-$ver-$rel.$arch"; do
      case $form in $1) echo "$name-$ver-$rel.$arch"; break ;; esac
    done
  done
}
rm_list=$(rpm -qa --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' | match "$rm_spec" | sort -u)
in_list=$(dnf repoquery -q $opts --qf '%{name} %{version} %{release} %{arch}' 2>/dev/null | match "$in_spec" | sort -u)
if [ -z "$rm_list" ]; then echo "No Match for argument: $rm_spec" >&2; exit 1; fi
if [ -z "$in_list" ]; then echo "No Match for argument: $in_spec" >&2; exit 1; fi
script=$(mktemp /tmp/yum-swap.XXXXXX) || exit 1
trap 'rm -f "$script"' EXIT
printf 'remove %s\ninstall %s\nrun\n' "$(echo $rm_list)" "$(echo $in_list)" > "$script"
out=$(dnf shell -y $opts "$script" 2>&1); rc=$?
# dnf shell exits 0 even when it cannot resolve the transaction (it lists the problems, then
# "Nothing to do"): judge by the outcome, the test transaction passing or the packages installed.
case " $opts " in
  *tsflags=test*) case $out in *'Transaction test succeeded'*) ;; *) rc=1 ;; esac ;;
  *) for p in $in_list; do rpm -q "$p" >/dev/null 2>&1 || { out="$out
Error: $p is not installed after the swap"; rc=1; }; done ;;
esac
if [ $rc = 0 ]; then printf '%s\n' "$out"; else printf '%s\n' "$out" >&2; fi
exit $rc
`;

export async function setupHost(ctx: { root: string; usrUpper?: string }): Promise<void> {
  const missing = missingRpmTools();
  if (missing.length) {
    // A lab without OpenShift packages is still useful (ssh, etcd, services): say so once, go on.
    if (!warned) process.stderr.write(`drover lab: no RPM repositories (missing ${missing.join(', ')}: Debian packages rpm, createrepo-c, dnf)\n`);
    warned = true;
    return;
  }
  installRepos(ctx.root, await (built ??= buildCachedRepos()));
  const bin = join(ctx.usrUpper ?? join(ctx.root, 'usr'), 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'yum'), YUM_WRAPPER, { mode: 0o755 });
}
