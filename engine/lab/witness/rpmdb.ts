// The lab's own view of package changes: it watches each host's rpm database (the files under
// /var/lib/rpm) from outside the host and, once a change has settled and no rpm transaction holds
// the database lock, lists the packages with the machine's rpm and records `package.changed` for
// every name whose installed versions differ. So whatever changed the packages (drover's dnf
// module, ansible-playbook's python dnf, `rpm -i` typed over ssh) is recorded alike, and nothing
// on the host knows the lab is watching. Run by the front process (front.ts).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** name -> installed version-release strings (several for install-only packages such as kernels). */
export type PackageSet = Map<string, string[]>;

export interface PackageChange {
  name: string;
  /** version-release before; "" when the package was not installed. */
  from: string;
  /** version-release after; "" when the package was removed. */
  to: string;
}

/** Parse `rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n'`. */
export function parsePackageList(text: string): PackageSet {
  const set: PackageSet = new Map();
  for (const line of text.split('\n')) {
    const [name, vr] = line.split('\t');
    if (!name || !vr || name === 'gpg-pubkey') continue;
    const list = set.get(name) ?? [];
    list.push(vr);
    set.set(name, list);
  }
  for (const list of set.values()) list.sort();
  return set;
}

/**
 * What changed between two package lists, by name in sorted order. A name with one version on each
 * side is one change from -> to; otherwise every version that left is a removal and every one that
 * came is an install (install-only packages keep several).
 */
export function diffPackages(before: PackageSet, after: PackageSet): PackageChange[] {
  const out: PackageChange[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(name) ?? [];
    const a = after.get(name) ?? [];
    if (b.join('\n') === a.join('\n')) continue;
    if (b.length <= 1 && a.length <= 1) {
      out.push({ name, from: b[0] ?? '', to: a[0] ?? '' });
      continue;
    }
    for (const v of b.filter((x) => !a.includes(x))) out.push({ name, from: v, to: '' });
    for (const v of a.filter((x) => !b.includes(x))) out.push({ name, from: '', to: v });
  }
  return out;
}

const QF = '%{NAME}\\t%{VERSION}-%{RELEASE}\\n';

/** The packages in an rpm database directory, read with the machine's rpm (never inside the host). */
export function readPackages(dbDir: string): Promise<PackageSet> {
  return new Promise((resolve, reject) => {
    execFile('rpm', ['--dbpath', dbDir, '-qa', '--qf', QF], { encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`rpm -qa in ${dbDir}: ${stderr.trim() || err.message}`));
      else resolve(parsePackageList(stdout));
    });
  });
}

/** Whether an rpm transaction holds the database lock: a POSIX lock on `.rpm.lock`'s inode in /proc/locks. */
export function transactionRunning(dbDir: string, locks: string = readLocks()): boolean {
  let ino: number;
  try {
    ino = statSync(join(dbDir, '.rpm.lock')).ino;
  } catch {
    return false;
  }
  return locks.split('\n').some((l) => / POSIX +ADVISORY +WRITE /.test(l) && l.split(/\s+/)[5]?.endsWith(`:${ino}`));
}

function readLocks(): string {
  try {
    return readFileSync('/proc/locks', 'utf8');
  } catch {
    return '';
  }
}

/** Size and mtime of the database files: reading the database rewrites only the WAL index, which is left out. */
function signature(dbDir: string): string {
  return ['rpmdb.sqlite', 'rpmdb.sqlite-wal', 'Packages', 'Packages.db']
    .map((f) => {
      try {
        const s = statSync(join(dbDir, f));
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join(' ');
}

/** How long the database must stay quiet before it is read (a dnf transaction writes in bursts). */
export const SETTLE_MS = 150;

/**
 * One host's watcher. `record` appends the events with `at`, the time of the database's last write
 * before the change was read (when the transaction ended, not when the lab got round to it); errors
 * go to `log`.
 */
export class RpmWitness {
  private known: PackageSet = new Map();
  private sig = '';
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private running: Promise<void> = Promise.resolve();
  private lastWrite = new Date();

  constructor(
    private readonly dbDir: string,
    private readonly record: (changes: PackageChange[], at: Date) => void,
    private readonly log: (msg: string) => void,
  ) {}

  /** Take the current packages as the baseline (no events), then watch. */
  async start(): Promise<void> {
    if (!existsSync(this.dbDir)) return;
    this.sig = signature(this.dbDir);
    // a fresh host has no database yet: nothing to read (saves a process per host at lab up)
    if (/[^- ]/.test(this.sig)) this.known = await readPackages(this.dbDir).catch(() => new Map());
    this.watcher = watch(this.dbDir, () => this.poke());
    this.watcher.on('error', (e) => this.log(`rpm watch ${this.dbDir}: ${e.message}`));
  }

  private poke(): void {
    this.lastWrite = new Date();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(false), SETTLE_MS);
  }

  /** Compare now; `waitForLock` (a flush) waits for a running transaction instead of coming back later. */
  check(waitForLock: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.running = this.running.then(() => this.compare(waitForLock)).catch((e: Error) => this.log(e.message));
    return this.running;
  }

  private async compare(waitForLock: boolean): Promise<void> {
    if (!existsSync(this.dbDir)) return;
    for (let i = 0; transactionRunning(this.dbDir); i++) {
      if (!waitForLock) {
        this.timer = setTimeout(() => void this.check(false), SETTLE_MS);
        return;
      }
      if (i > 600) throw new Error(`rpm database ${this.dbDir} stayed locked for a minute`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const sig = signature(this.dbDir);
    if (sig === this.sig) return;
    const at = this.lastWrite;
    const now = await readPackages(this.dbDir);
    const changes = diffPackages(this.known, now);
    this.known = now;
    this.sig = signature(this.dbDir);
    if (changes.length) this.record(changes, at);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
