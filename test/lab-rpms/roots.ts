// Test helpers: the lab repositories (built once per machine, cached by content hash) and fresh
// dnf install roots pointing at them. Tests skip when rpm/dnf/createrepo_c or root are missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The root's rpm database directory (rpm's %_dbpath below the root). */
  dbDir: string;
  /** `rpm -qa` of the root as "name-version-release" lines, sorted. */
  installed(): string[];
  yumConf(): string;
  cleanup(): void;
}

export async function makeRoot(opts: { enabled?: RepoId[]; yumConf?: string } = {}): Promise<TestRoot> {
  const built = await labRepos();
  const dir = tempDir('drover-root-');
  mkdirSync(path.join(dir, 'etc/yum.repos.d'), { recursive: true });
  writeFileSync(path.join(dir, 'etc/yum.conf'), opts.yumConf ?? '[main]\ngpgcheck=0\nclean_requirements_on_remove=0\n');
  writeFileSync(path.join(dir, 'etc/yum.repos.d/lab.repo'), repoFileText(built, opts.enabled));
  const read = (f: string) => {
    try {
      return readFileSync(path.join(dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    dir,
    dbDir: path.join(dir, spawnSync('rpm', ['--eval', '%_dbpath'], { encoding: 'utf8' }).stdout.trim()),
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
