// Shared helpers for the playbook loader tests: a fake module table and temporary playbook trees.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PlaybookError } from '../../engine/errors/index.js';
import { loadPlaybook, type LoadOptions } from '../../engine/playbook/index.js';
import { isLookup } from '../../engine/template/index.js';
import { tempDir } from '../support/tmp.js';

const FREE_FORM = new Set(['command', 'shell', 'raw', 'script', 'set_fact', 'include_vars', 'add_host', 'group_by']);
const KNOWN = new Set([
  ...FREE_FORM, 'debug', 'fail', 'assert', 'copy', 'file', 'template', 'ping', 'pause', 'wait_for', 'stat',
  'service', 'systemd', 'yum', 'dnf', 'lineinfile', 'uri', 'setup', 'slurp', 'fetch', 'async_status',
]);

/** A small module table: copy requires dest, debug rejects msg+var together. */
export const moduleInfo: LoadOptions['moduleInfo'] = (name) => {
  if (!KNOWN.has(name)) return undefined;
  return {
    freeForm: FREE_FORM.has(name),
    validate: (args) => {
      if (name === 'copy' && !('dest' in args)) return 'missing required arguments: dest';
      if (name === 'debug' && 'msg' in args && 'var' in args) return 'parameters are mutually exclusive: msg|var';
      return null;
    },
  };
};

/** The loader consults the real lookup registry, as the CLI does. */
export const lookups: LoadOptions['lookups'] = isLookup;

export const opts: LoadOptions = { moduleInfo, lookups };

/** Write files (path → content) under a fresh temporary directory; returns the directory. */
export function writeTree(files: Record<string, string>): string {
  const root = tempDir('drover-pb-');
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** Is ansible-playbook on PATH? */
export const hasAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Environment for quiet, deterministic ansible-playbook runs. */
export const ansibleEnv = {
  ...process.env,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
  ANSIBLE_DEPRECATION_WARNINGS: 'False',
  ANSIBLE_SYSTEM_WARNINGS: 'False',
  ANSIBLE_RETRY_FILES_ENABLED: 'False',
  ANSIBLE_ROLES_PATH: '/nonexistent-drover-roles',
  PYTHONHASHSEED: '0',
};

/** Map with at most `limit` promises in flight (ansible-playbook runs are heavy). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Write `files` (must include `site.yml` unless `entry` names another) and load the playbook. */
export function loadTree(files: Record<string, string>, entry = 'site.yml', options: LoadOptions = opts) {
  const root = writeTree(files);
  return { root, pb: loadPlaybook(join(root, entry), options) };
}

/** Tasks of the first play of a one-play playbook whose `tasks:` body is given. */
export function tasksOf(body: string, extra: Record<string, string> = {}) {
  const { pb, root } = loadTree({ 'site.yml': `- hosts: all\n  tasks:\n${indent(body, 4)}`, ...extra });
  return { tasks: pb.plays[0].tasks, play: pb.plays[0], root };
}

export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l.trim() ? pad + l : l))
    .join('\n');
}

/** The PlaybookError a load throws (fails the test when none). */
export function loadFails(files: Record<string, string>, entry = 'site.yml', options: LoadOptions = opts): PlaybookError {
  try {
    loadTree(files, entry, options);
  } catch (e) {
    if (e instanceof PlaybookError) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}
