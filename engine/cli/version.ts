// drover's version, read from the package.json that ships next to the code (dist/ or sources),
// so `drover --version` never drifts from the published package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfigFile } from '../config/settings.js';

/** Walk up from this file to the drover package.json. */
export function droverVersion(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'drover' && json.version) return json.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/** What `drover --version` (and `drover adhoc --version`, as `ansible --version`) prints. */
export function versionText(): string {
  return `drover ${droverVersion()} (ansible-core 2.14 compatible)\n  config file = ${findConfigFile() ?? 'None'}\n  node version = ${process.version}\n`;
}
