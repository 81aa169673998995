// Address allocation across labs that run at the same time (tests run in parallel): each lab
// takes whole 127.0.X.0/24 blocks (254 hosts each), recorded as files in a machine-wide
// directory under a lock, and released by `lab down` (or reclaimed once the lab's directory is gone).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HOSTS_PER_BLOCK = 254;

export function allocDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DROVER_LAB_ALLOC_DIR || '/run/drover/lab-alloc';
}

/** The address of the i-th host (0-based) of a lab holding `blocks`. */
export function hostAddress(blocks: number[], i: number): string {
  const block = blocks[Math.floor(i / HOSTS_PER_BLOCK)];
  if (block === undefined) throw new Error(`host index ${i} is beyond the lab's ${blocks.length} address blocks`);
  return `127.0.${block}.${(i % HOSTS_PER_BLOCK) + 1}`;
}

/** Pick `count` free third octets (1..254, contiguous when possible); pure. */
export function pickBlocks(used: Set<number>, count: number, start = 1 + Math.floor(Math.random() * 200)): number[] {
  const free: number[] = [];
  for (let k = 0; k < 254; k++) {
    const b = ((start - 1 + k) % 254) + 1;
    if (!used.has(b)) free.push(b);
  }
  if (free.length < count) throw new Error(`not enough free lab addresses: need ${count} blocks of 254, ${free.length} free`);
  for (let k = 0; k + count <= free.length; k++) {
    if (free[k + count - 1] - free[k] === count - 1) return free.slice(k, k + count);
  }
  return free.slice(0, count);
}

async function withLock<T>(dir: string, fn: () => T): Promise<T> {
  const lock = join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (attempt > 600) throw new Error(`timed out waiting for the lab allocation lock ${lock}`);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

interface AllocFile {
  dir: string;
  blocks: number[];
}

/** Reserve address blocks for the lab in `labDir` (which must already exist). */
export async function allocateBlocks(labDir: string, hosts: number, env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  const dir = allocDir(env);
  mkdirSync(dir, { recursive: true });
  const need = Math.max(1, Math.ceil(hosts / HOSTS_PER_BLOCK));
  return withLock(dir, () => {
    const used = new Set<number>();
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const a = JSON.parse(readFileSync(join(dir, f), 'utf8')) as AllocFile;
        if (!existsSync(a.dir)) {
          rmSync(join(dir, f), { force: true }); // the lab is gone: reclaim
          continue;
        }
        if (a.dir === labDir) continue;
        a.blocks.forEach((b) => used.add(b));
      } catch {
        /* a half-written file from a crashed writer: ignore */
      }
    }
    const blocks = pickBlocks(used, need);
    writeFileSync(join(dir, `${allocKey(labDir)}.json`), JSON.stringify({ dir: labDir, blocks } satisfies AllocFile));
    return blocks;
  });
}

export async function releaseBlocks(labDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const dir = allocDir(env);
  if (!existsSync(dir)) return;
  await withLock(dir, () => rmSync(join(dir, `${allocKey(labDir)}.json`), { force: true }));
}

function allocKey(labDir: string): string {
  return labDir.replace(/[^A-Za-z0-9._-]/g, '_');
}
