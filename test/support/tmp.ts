// Temporary directories for tests, removed when the test file ends (test/support/cleanup-setup.ts
// runs removeTempDirs in an afterAll of every file), so one `npm test` leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Per test file (each file runs in its own module graph), so no state crosses files.
const created: string[] = [];

/** mkdtemp under the temporary directory, registered for removal at the end of the file. */
export function tempDir(prefix: string, parent: string = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  created.push(dir);
  return dir;
}

/** The async form of tempDir, for harnesses that create many directories concurrently. */
export async function tempDirAsync(prefix: string, parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir made in this file (an sshd or lab may still hold a file: force). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
