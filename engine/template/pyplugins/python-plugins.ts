// The run's Python filter, test and lookup plugins: the PluginSource a Templar asks for names drover
// lacks natively. One worker process (plugin_worker.py) serves the whole run; it starts on the first
// name asked for and loads plugins with ansible-core's loaders, from the folders add_all_plugin_dirs
// collected (PluginDirs, sent as they grow), ansible.cfg's paths, collections and ansible-core.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginDirs } from '../../search/plugin-dirs.js';
import { FilterError } from '../compile-expr.js';
import { LookupError, PluginError, type LookupPlugin } from '../lookups/types.js';
import type { PluginSource } from '../plugin-source.js';
import { pythonTruthy } from '../python.js';
import type { FilterSpec, Kwargs, TestSpec } from '../registry.js';
import type { Runtime } from '../runtime.js';
import { UndefinedError } from '../undefined.js';
import { SyncLineProcess } from './bridge.js';
import { decodeValue, encodeValue } from './codec.js';

type Kind = 'filter' | 'test' | 'lookup';
const KINDS: Kind[] = ['filter', 'test', 'lookup'];

interface Reply {
  fatal?: string;
  found?: boolean;
  path?: string | null;
  value?: string;
  error?: string;
  type?: string;
  /** The Python traceback of an exception a plugin raised. */
  traceback?: string;
  ask?: 'var' | 'names';
  name?: string;
}

export interface PythonPluginOptions {
  /** The folders add_all_plugin_dirs collected so far (read again before each request). */
  dirs: PluginDirs;
  /** The worker's cwd (ansible-core reads ansible.cfg from here, as ansible-playbook would). */
  cwd: string;
  /** Its environment: ANSIBLE_* settings drover resolved (collections, *_plugins paths). */
  env: NodeJS.ProcessEnv;
  /** The controller's Python (default: Debian's /usr/bin/python3, where its ansible-core lives, else python3). */
  python?: string;
}

/** plugin_worker.py beside this file (sources) or in the repository's engine/ (from dist/). */
export function workerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'plugin_worker.py'), resolve(here, '../../../../engine/template/pyplugins/plugin_worker.py')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** How a running plugin reads the caller's variables (a lookup's `variables`, an action's task_vars). */
export interface VarAnswers {
  /** The value (templated) or undefined when not defined. */
  get(name: string): unknown;
  names(): string[];
  /** The value holds unsafe data. */
  unsafe?(name: string): boolean;
}

function runtimeVars(rt: Runtime): VarAnswers {
  return {
    get: (name) => (rt.vars(name) === undefined ? undefined : rt.lookupVar(name)),
    names: () => rt.vars.names?.() ?? [],
    unsafe: (name) => rt.isUnsafeVar(name),
  };
}

function answerVar(name: string, vars: VarAnswers | undefined): { defined: boolean; value?: string } {
  const v = vars?.get(name);
  if (v === undefined) return { defined: false };
  return { defined: true, value: JSON.stringify(encodeValue(v, vars?.unsafe?.(name) ?? false)) };
}

export class PythonPlugins implements PluginSource {
  private proc: SyncLineProcess | undefined;
  private unavailable: string | undefined;
  private sentDirs = '';
  private readonly found = new Map<string, string | null | false>();

  constructor(private readonly opts: PythonPluginOptions) {}

  /** Why Python plugins cannot run in this run (no python3, no ansible-core), once one was asked for. */
  get unavailableReason(): string | undefined {
    return this.unavailable;
  }

  filter(name: string): FilterSpec | undefined {
    const path = this.has('filter', name);
    if (path === undefined) return undefined;
    return { fn: (v, args, kwargs, rt) => this.call('filter', name, path, [v, ...(args as unknown[])], kwargs, rt) };
  }

  test(name: string): TestSpec | undefined {
    const path = this.has('test', name);
    if (path === undefined) return undefined;
    return { fn: (v, args, kwargs, rt) => pythonTruthy(this.call('test', name, path, [v, ...(args as unknown[])], kwargs, rt)) };
  }

  lookup(name: string): LookupPlugin | undefined {
    const path = this.has('lookup', name);
    if (path === undefined) return undefined;
    return { run: (terms, call) => this.call('lookup', name, path, terms, call.kwargs, call.rt) as unknown[] };
  }

  close(): void {
    this.proc?.close();
    this.proc = undefined;
  }

  /** The plugin's path when the worker knows the name (null: found, path unknown), else undefined. */
  private has(kind: Kind, name: string): string | null | undefined {
    const key = `${kind}:${name}`;
    const known = this.found.get(key);
    if (known !== undefined) return known === false ? undefined : known;
    const reply = this.request({ op: 'has', kind, name });
    if (!reply?.found) {
      this.found.set(key, false);
      return undefined;
    }
    const path = reply.path ?? null;
    this.found.set(key, path);
    return path;
  }

  private start(): SyncLineProcess | undefined {
    if (this.proc || this.unavailable) return this.proc;
    try {
      const proc = new SyncLineProcess(this.opts.python ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'), [workerScript()], { cwd: this.opts.cwd, env: this.opts.env });
      const hello = JSON.parse(proc.readLine()) as Reply;
      if (hello.fatal) {
        this.unavailable = hello.fatal;
        proc.close();
        return undefined;
      }
      this.proc = proc;
    } catch (e) {
      this.unavailable = `the Python plugin worker did not start: ${(e as Error).message}`;
    }
    return this.proc;
  }

  /** One request; a plugin's questions about variables are answered by `vars` meanwhile. */
  private request(req: Record<string, unknown>, vars?: VarAnswers): Reply | undefined {
    const proc = this.start();
    if (!proc) return undefined;
    const dirs = JSON.stringify(Object.fromEntries(KINDS.map((k) => [k, this.opts.dirs.get(k)])));
    if (dirs !== this.sentDirs) {
      proc.writeLine(JSON.stringify({ op: 'dirs', dirs: JSON.parse(dirs) as unknown }));
      proc.readLine();
      this.sentDirs = dirs;
      this.found.clear();
    }
    proc.writeLine(JSON.stringify(req));
    for (;;) {
      const reply = JSON.parse(proc.readLine()) as Reply;
      if (reply.ask === 'var') proc.writeLine(JSON.stringify(answerVar(String(reply.name), vars)));
      else if (reply.ask === 'names') proc.writeLine(JSON.stringify({ names: vars?.names() ?? [] }));
      else return reply;
    }
  }

  private call(kind: Kind, name: string, path: string | null, args: unknown, kwargs: Kwargs, rt: Runtime): unknown {
    const req = {
      op: 'call',
      kind,
      name,
      args: JSON.stringify(encodeValue(args, rt.unsafe)),
      kwargs: JSON.stringify(encodeValue(kwargs, rt.unsafe)),
    };
    const reply = this.request(req, runtimeVars(rt));
    if (!reply) throw new PluginError(this.unavailable ?? 'the Python plugin worker is not available');
    if (reply.error === undefined) return decodeValue(reply.value ?? 'null', () => rt.markUnsafe());
    throw this.failure(kind, name, path, reply);
  }

  /**
   * The plugin's exception as Ansible reports it: an AnsibleError's own text; any other exception
   * as `Class: text` with the plugin's file (Ansible shows a traceback).
   */
  private failure(kind: Kind, name: string, path: string | null, reply: Reply): Error {
    const type = reply.type ?? 'Exception';
    const msg = reply.error ?? '';
    if (type === 'AnsibleUndefinedVariable') return new UndefinedError(msg);
    const ansibleError = type.startsWith('ansible.errors.');
    // the task's file:line is added by the task's error report (templar.ts's guard)
    const detail = `${kind} plugin '${name}'${path ? ` (${path})` : ''}`;
    if (kind === 'lookup') {
      if (type === 'ansible.errors.AnsibleLookupError') return new LookupError(msg);
      return new PluginError(ansibleError ? msg : `${msg} [${detail}]`, type);
    }
    return new FilterError(ansibleError ? msg : `${type.split('.').pop()}: ${msg} [${detail}]`);
  }
}

/** The settings drover resolved, as the ANSIBLE_* variables ansible-core's loaders read in the worker. */
export function pluginWorkerEnv(base: NodeJS.ProcessEnv, s: { collections: string[]; filter: string[]; test: string[]; lookup: string[] }): NodeJS.ProcessEnv {
  return {
    ...base,
    ANSIBLE_COLLECTIONS_PATH: s.collections.join(':'),
    ANSIBLE_FILTER_PLUGINS: s.filter.join(':'),
    ANSIBLE_TEST_PLUGINS: s.test.join(':'),
    ANSIBLE_LOOKUP_PLUGINS: s.lookup.join(':'),
    PYTHONDONTWRITEBYTECODE: '1',
  };
}
