// The script plugin: an executable source is run with `--list` (and `--host NAME` per host when
// its answer has no _meta.hostvars), as ansible-core's script.py does. A failing script's stderr
// is part of the failure; a script that succeeds but writes to stderr has it shown as an
// [ERROR] (always_show_stderr). Unlike Ansible, a script that hangs is killed after a timeout.
import { accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Inventory } from '../inventory.js';
import { loadVarsText } from '../yaml-load.js';
import { applyListJson } from './list-json.js';
import { PluginParseError, type InventoryPlugin, type PluginContext } from './types.js';
import { readableFile } from './config.js';

function hasShebang(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(2);
      return readSync(fd, buf, 0, 2, 0) === 2 && buf.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Ran {
  stdout: Buffer;
  stderr: string;
  status: number | null;
}

function run(path: string, args: string[], ctx: PluginContext): Ran {
  const r = spawnSync(path, args, { cwd: ctx.cwd, env: ctx.env, timeout: ctx.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 30 });
  const cmd = [path, ...args].join(' ');
  if (r.error) {
    const err = r.error as NodeJS.ErrnoException;
    if (err.code === 'ETIMEDOUT') throw new PluginParseError(`Inventory script (${path}) did not finish within ${ctx.timeoutMs / 1000} seconds (${cmd})`);
    throw new PluginParseError(`problem running ${cmd} (${describeSpawnError(err, path)})`);
  }
  return { stdout: r.stdout, stderr: r.stderr.toString('utf8'), status: r.status };
}

/** Python's OSError text for the common cases, e.g. "[Errno 13] Permission denied: '/x'". */
function describeSpawnError(e: NodeJS.ErrnoException, path: string): string {
  const known: Record<string, [number, string]> = { EACCES: [13, 'Permission denied'], ENOENT: [2, 'No such file or directory'], ENOEXEC: [8, 'Exec format error'] };
  const k = e.code ? known[e.code] : undefined;
  return k ? `[Errno ${k[0]}] ${k[1]}: '${path}'` : e.message;
}

function decode(buf: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    throw new PluginParseError(`Inventory ${path} contained characters that cannot be interpreted as UTF-8: ${(e as Error).message}`);
  }
}

function hostVars(path: string, host: string, ctx: PluginContext): unknown {
  const r = run(path, ['--host', host], ctx);
  const out = decode(r.stdout, path);
  // script.py compares the bytes answer with '' (never equal), so a blank answer loads as None
  // and fails as "expected dictionary"; the answer may be YAML as well as JSON (loader.load)
  try {
    return loadVarsText(out, path, ctx.yaml);
  } catch {
    throw new PluginParseError(`could not parse post variable response: ${[path, '--host', host].join(' ')}, ${out}`);
  }
}

async function parse(inv: Inventory, source: string, ctx: PluginContext): Promise<void> {
  const path = resolve(ctx.cwd, source);
  const r = run(path, ['--list'], ctx);
  let err = r.stderr;
  if (err && !err.endsWith('\n')) err += '\n';
  if (r.status !== 0) throw new PluginParseError(`Inventory script (${path}) had an execution error: ${err} `);
  const text = decode(r.stdout, path);
  let processed: unknown;
  try {
    processed = JSON.parse(text);
  } catch (e) {
    throw new PluginParseError(`failed to parse executable inventory script results from ${path}: ${(e as Error).message}\n${err}`);
  }
  if (err && ctx.showScriptStderr) inv.errors.push(err);
  if (processed === null || typeof processed !== 'object' || Array.isArray(processed)) {
    throw new PluginParseError(`failed to parse executable inventory script results from ${path}: needs to be a json dict\n${err}`);
  }
  applyListJson(inv, processed, path, (host) => hostVars(path, host, ctx));
}

export const scriptPlugin: InventoryPlugin = {
  name: 'script',
  verify: (source, ctx) => {
    const path = resolve(ctx.cwd, source);
    return readableFile(path) && (executable(path) || hasShebang(path));
  },
  parse,
};
