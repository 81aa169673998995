// Retry files, as ansible-playbook writes them when retry_files_enabled is on: after a run
// with failed or unreachable hosts, PLAYBOOK.retry (one host per line) goes next to the
// playbook or into retry_files_save_path, and `--limit @PLAYBOOK.retry` runs just those again
// (the inventory pattern code reads @file limits).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { HostStats } from './stats.js';

/**
 * Hosts to retry: any failure or unreachability left in the recap, plus `unfinished` (an
 * interrupted run's hosts that had not finished their play), sorted like Ansible.
 */
export function retryHosts(stats: Record<string, HostStats>, unfinished: string[] = []): string[] {
  const hosts = new Set([...Object.keys(stats).filter((h) => stats[h].failed > 0 || stats[h].unreachable > 0), ...unfinished]);
  return [...hosts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Where Ansible puts the retry file of a playbook. */
export function retryFilePath(playbook: string, savePath?: string): string {
  const name = basename(playbook, extname(playbook));
  return join(savePath ? resolve(savePath) : dirname(resolve(playbook)), `${name}.retry`);
}

/**
 * Write the retry file when there is something to retry; returns its path, or undefined
 * (nothing failed, or the file could not be written: Ansible then only warns).
 */
export function writeRetryFile(
  playbook: string,
  stats: Record<string, HostStats>,
  opts: { savePath?: string; warn?: (m: string) => void; unfinished?: string[] } = {},
): string | undefined {
  const hosts = retryHosts(stats, opts.unfinished);
  if (!hosts.length) return undefined;
  const file = retryFilePath(playbook, opts.savePath);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, hosts.map((h) => `${h}\n`).join(''));
    return file;
  } catch (e) {
    opts.warn?.(`Could not create retry file '${file}'. The error was: ${(e as Error).message}`);
    return undefined;
  }
}
