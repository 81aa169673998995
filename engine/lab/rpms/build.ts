// Builds the lab's yum repositories from the catalogue: rpmbuild for every spec (a few rpmbuild
// processes in parallel, several specs each), then createrepo_c per repository. The result is
// cached by a hash of the spec texts, so a second call (another test file, another run) costs a
// stat; the first costs a few seconds. Output: <outDir>/<repo-id>/{*.rpm,repodata/}.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CATALOG, REPO_IDS, type RepoId, type SourcePkg } from './catalog.js';
import { specText, stageName, type StagedFile } from './spec.js';

const run = promisify(execFile);

/** Bump when the build itself (not the specs) changes in a way that alters the output. */
const BUILDER_VERSION = 2;
const STAMP = '.drover-rpms.json';

export interface BuildOptions {
  /** Parallel rpmbuild processes (default: twice the CPUs, at most 6: rpmbuild mostly waits on its children). */
  concurrency?: number;
  /** Rebuild even when the stamp matches. */
  force?: boolean;
  /** Catalogue to build (default: CATALOG). */
  catalog?: SourcePkg[];
}

export interface BuiltRepos {
  /** Directory holding one sub-directory per repository. */
  root: string;
  hash: string;
  repos: Record<RepoId, string>;
  /** True when nothing had to be built. */
  cached: boolean;
}

/** Every entry any version of each excluder adds: a newer excluder must drop the older one's entries. */
export function excluderFamilies(catalog: SourcePkg[]): Record<string, string[]> {
  const fam: Record<string, Set<string>> = {};
  for (const s of catalog) for (const p of s.packages) if (p.excludes) for (const e of p.excludes) (fam[p.name] ??= new Set()).add(e);
  return Object.fromEntries(Object.entries(fam).map(([k, v]) => [k, [...v].sort()]));
}

export interface SpecFile {
  src: SourcePkg;
  file: string;
  text: string;
  staged: StagedFile[];
  /** File names rpmbuild will produce. */
  rpms: string[];
}

/** The spec files of a catalogue (pure). */
export function specFiles(catalog: SourcePkg[] = CATALOG): SpecFile[] {
  const fam = excluderFamilies(catalog);
  return catalog.map((src) => ({
    src,
    file: `${src.name}-${src.version}-${src.release}.spec`,
    ...specText(src, fam),
    rpms: src.packages.map((p) => `${p.name}-${src.version}-${src.release}.noarch.rpm`),
  }));
}

/** Content hash of what buildRepos would produce. */
export function catalogHash(catalog: SourcePkg[] = CATALOG): string {
  const h = createHash('sha256').update(`v${BUILDER_VERSION}\n`);
  for (const s of specFiles(catalog)) h.update(`${s.src.repo}\n${s.file}\n${s.text}\n`);
  return h.digest('hex').slice(0, 16);
}

function repoPaths(root: string): Record<RepoId, string> {
  return Object.fromEntries(REPO_IDS.map((r) => [r, path.join(root, r)])) as Record<RepoId, string>;
}

function stampMatches(dir: string, hash: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(dir, STAMP), 'utf8')).hash === hash;
  } catch {
    return false;
  }
}

const RPMBUILD_DEFINES = [
  '__os_install_post %{nil}',
  '__spec_install_post %{nil}',
  '_build_id_links none',
  'debug_package %{nil}',
  '_binary_payload w1.gzdio',
  '_buildhost drover-lab',
  // No unpackaged-file check: the specs list their files exactly (AutoReqProv: no in each spec
  // turns the dependency generators off; defining __find_requires here would turn them back on).
  '__check_files %{nil}',
];

async function rpmbuild(specs: SpecFile[], work: string, rpmDir: string): Promise<void> {
  const top = path.join(work, 'top');
  mkdirSync(top, { recursive: true });
  const files = specs.map((s) => {
    const stage = path.join(top, 'SOURCES', stageName(s.src));
    for (const f of s.staged) {
      const dest = path.join(stage, f.path);
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(dest, f.content, { mode: parseInt(f.mode, 8) });
    }
    const f = path.join(work, s.file);
    writeFileSync(f, s.text);
    return f;
  });
  const defs = [...RPMBUILD_DEFINES, `_topdir ${top}`, `_rpmdir ${rpmDir}`].flatMap((d) => ['--define', d]);
  await run('rpmbuild', ['-bb', '--quiet', ...defs, ...files], { maxBuffer: 16 << 20 });
}

/**
 * Build (or reuse) the lab repositories in outDir. Safe to call from several processes at once:
 * each builds in a private directory and renames it into place; the loser keeps the winner's.
 */
export async function buildRepos(outDir: string, opts: BuildOptions = {}): Promise<BuiltRepos> {
  const catalog = opts.catalog ?? CATALOG;
  const hash = catalogHash(catalog);
  const root = path.resolve(outDir);
  if (!opts.force && stampMatches(root, hash)) return { root, hash, repos: repoPaths(root), cached: true };

  const work = `${root}.tmp-${process.pid}-${Date.now()}`;
  const stage = path.join(work, 'out');
  try {
    const specs = specFiles(catalog);
    const n = Math.max(1, Math.min(opts.concurrency ?? Math.min(cpus().length * 2, 6), specs.length));
    const chunks: SpecFile[][] = Array.from({ length: n }, () => []);
    specs.forEach((s, i) => chunks[i % n].push(s));
    await Promise.all(chunks.map((c, i) => rpmbuild(c, path.join(work, `b${i}`), path.join(work, 'rpms'))));
    const built = path.join(work, 'rpms', 'noarch');
    for (const r of REPO_IDS) mkdirSync(path.join(stage, r), { recursive: true });
    for (const s of specs) for (const f of s.rpms) renameSync(path.join(built, f), path.join(stage, s.src.repo, f));
    const left = readdirSync(built);
    if (left.length) throw new Error(`rpmbuild produced unexpected files: ${left.join(', ')}`);
    await Promise.all(REPO_IDS.map((r) => run('createrepo_c', ['-q', '--no-database', path.join(stage, r)])));
    writeFileSync(path.join(stage, STAMP), JSON.stringify({ hash, builder: BUILDER_VERSION }) + '\n');
    mkdirSync(path.dirname(root), { recursive: true });
    if (existsSync(root) && !stampMatches(root, hash)) rmSync(root, { recursive: true, force: true });
    try {
      renameSync(stage, root);
    } catch (e) {
      // Another process finished first: use its result when it is the same build.
      if (!stampMatches(root, hash)) throw e;
    }
    return { root, hash, repos: repoPaths(root), cached: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Build once per machine into a content-addressed cache (default $XDG_CACHE_HOME/drover/lab-rpms/<hash>,
 * ~/.cache when unset): a cache outlives runs, so it does not belong in the temporary directory.
 */
export function buildCachedRepos(opts: BuildOptions & { cacheDir?: string } = {}): Promise<BuiltRepos> {
  const base = opts.cacheDir ?? path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'drover', 'lab-rpms');
  return buildRepos(path.join(base, catalogHash(opts.catalog ?? CATALOG)), opts);
}

/** Repositories a fresh lab host starts with: RHEL, extras, fast-datapath and OpenShift 3.7. */
export const DEFAULT_ENABLED: RepoId[] = ['rhel-7-server-rpms', 'rhel-7-server-extras-rpms', 'rhel-7-fast-datapath-rpms', 'rhel-7-server-ose-3.7-rpms'];

/** A yum.repos.d file defining every lab repository (file:// URLs), `enabled` ones switched on. */
export function repoFileText(built: Pick<BuiltRepos, 'repos'>, enabled: readonly RepoId[] = DEFAULT_ENABLED): string {
  return REPO_IDS.map(
    (r) => `[${r}]\nname=${r} (drover lab)\nbaseurl=file://${built.repos[r]}\nenabled=${enabled.includes(r) ? 1 : 0}\ngpgcheck=0\nmetadata_expire=0\n`,
  ).join('\n');
}
