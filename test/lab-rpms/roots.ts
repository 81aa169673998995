// Test helpers: the lab repositories (built once per machine, cached by content hash) and fresh
// dnf install roots pointing at them, optionally with /bin/sh and a recording lab-event command
// so the packages' scriptlet events can be checked. Tests skip when rpm/dnf/createrepo_c or root
// are missing.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCachedRepos, repoFileText, type BuiltRepos } from '../../engine/lab/rpms/build.js';
import type { RepoId } from '../../engine/lab/rpms/catalog.js';
import { tempDir } from '../support/tmp.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why the RPM tests cannot run here, or undefined when they can. */
export function rpmSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (dnf installs into temp roots)';
  for (const c of ['rpm', 'rpmbuild', 'createrepo_c', 'dnf']) if (!has(c)) return `Debian package for ${c} is not installed`;
  return undefined;
}

let repos: Promise<BuiltRepos> | undefined;

/** The lab repositories, built on first use. */
export function labRepos(): Promise<BuiltRepos> {
  return (repos ??= buildCachedRepos());
}

export interface TestRoot {
  dir: string;
  /** Lines the packages' scriptlets sent to lab-event (when made with events: true). */
  events(): string[];
  /** `rpm -qa` of the root as "name-version-release" lines, sorted. */
  installed(): string[];
  yumConf(): string;
  cleanup(): void;
}

/** Copy /bin/dash and its libraries in, so rpm can exec lab-event inside the root. */
function addShell(dir: string): void {
  const libs = spawnSync('ldd', ['/bin/dash'], { encoding: 'utf8' }).stdout.match(/\/\S+/g) ?? [];
  for (const f of ['/bin/dash', ...libs]) {
    mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    copyFileSync(f, path.join(dir, f));
  }
  mkdirSync(path.join(dir, 'usr/local/bin'), { recursive: true });
  writeFileSync(path.join(dir, 'usr/local/bin/lab-event'), '#!/bin/dash\necho "$@" >> /lab-events.log\n');
  chmodSync(path.join(dir, 'usr/local/bin/lab-event'), 0o755);
}

export async function makeRoot(opts: { enabled?: RepoId[]; events?: boolean; yumConf?: string } = {}): Promise<TestRoot> {
  const built = await labRepos();
  const dir = tempDir('drover-root-');
  mkdirSync(path.join(dir, 'etc/yum.repos.d'), { recursive: true });
  writeFileSync(path.join(dir, 'etc/yum.conf'), opts.yumConf ?? '[main]\ngpgcheck=0\nclean_requirements_on_remove=0\n');
  writeFileSync(path.join(dir, 'etc/yum.repos.d/lab.repo'), repoFileText(built, opts.enabled));
  if (opts.events) addShell(dir);
  const read = (f: string) => {
    try {
      return readFileSync(path.join(dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    dir,
    events: () => read('lab-events.log').split('\n').filter(Boolean),
    installed: () =>
      spawnSync('rpm', ['--root', dir, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\\n'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .sort(),
    yumConf: () => read('etc/yum.conf'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Run dnf by hand in a root (as an operator would), returning rc and output. */
export function dnfIn(root: TestRoot, ...args: string[]): { rc: number; out: string } {
  const r = spawnSync('dnf', ['-y', `--installroot=${root.dir}`, `--config=${root.dir}/etc/yum.conf`, `--setopt=reposdir=${root.dir}/etc/yum.repos.d`, '--releasever=7Server', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  return { rc: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
