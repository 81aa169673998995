// Custom action plugins (a playbook's or role's action_plugins/): in Ansible an action plugin of a
// task's name is used before any module of that name. drover runs such a plugin's run() in a
// Python worker (action-worker.ts) with the task's args and variables, and answers what the plugin
// asks of its host (action_bridge.py): `_execute_module` runs the module through drover (native, or
// over the module protocol), and the connection's exec_command/put_file/fetch_file go over the
// host's drover connection, so ansible-core's own ActionBase helpers (_low_level_execute_command,
// _make_tmp_path, _transfer_data, ...) work as they do under ansible-playbook.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PythonException } from '../errors/index.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../modules-sdk/types.js';
import type { ModuleInfo } from '../playbook/context.js';
import type { PluginDirs } from '../search/plugin-dirs.js';
import { findCollection, parseFqcr } from '../search/collections.js';
import type { Task } from '../playbook/types.js';
import { decodeValue, encodeValue } from '../template/pyplugins/codec.js';
import type { Connection } from '../transport/types.js';
import type { ActionWorkers, Question } from './action-worker.js';
import type { ModuleCatalog } from './catalog.js';
import type { CollectionMeta } from '../search/collection-meta.js';

/** An action plugin file and its fully qualified name. */
export interface ActionRef {
  path: string;
  fqcn: string;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

export class ActionPlugins {
  constructor(
    private readonly dirs: PluginDirs,
    private readonly workers: ActionWorkers,
    private readonly modules: ModuleCatalog,
  ) {
    this.meta = modules.finder.meta;
  }

  private readonly meta: CollectionMeta;

  /**
   * The action plugin a task name resolves to, as Ansible's action loader finds it: a legacy name
   * (short or ansible.legacy.) in the action_plugins/ folders; ns.coll.name in that collection's
   * plugins/action/ after its runtime.yml `plugin_routing.action` redirects; a short name in each
   * collection of the task's `collections:` first.
   */
  find(action: string, collections: readonly string[] = [], depth = 0): ActionRef | undefined {
    if (depth > 10) return undefined;
    const legacy = (n: string) => {
      const path = this.dirs.find('action', n);
      return path ? { path, fqcn: `ansible.legacy.${n}` } : undefined;
    };
    if (action.startsWith('ansible.legacy.')) return legacy(action.slice('ansible.legacy.'.length));
    const fq = parseFqcr(action);
    if (fq) return fq.namespace === 'ansible' && fq.collection === 'builtin' ? undefined : this.inCollection(`${fq.namespace}.${fq.collection}`, fq.resource, depth);
    if (action.includes('.')) return undefined;
    for (const c of collections) {
      if (c === 'ansible.legacy' || c === 'ansible.builtin') break;
      const hit = this.inCollection(c, action, depth);
      if (hit) return hit;
    }
    return legacy(action);
  }

  private inCollection(collection: string, name: string, depth: number): ActionRef | undefined {
    const redirect = this.meta.routing(collection, 'action', name)?.redirect;
    if (typeof redirect === 'string') return this.find(redirect, [], depth + 1);
    const [ns, coll] = collection.split('.');
    const dir = ns && coll ? findCollection(this.meta.o.roots, ns, coll) : undefined;
    const path = dir ? join(dir, 'plugins', 'action', ...name.split('.')) + '.py' : undefined;
    return path && existsSync(path) ? { path, fqcn: `${collection}.${name}` } : undefined;
  }

  /**
   * The loader's view (TaskExecutor._get_action_handler_with_module_context): a module whose
   * routing entry names an `action_plugin` runs through that plugin; else an action plugin of the
   * task's name. A bridged action takes any arguments (the plugin checks its own).
   */
  info(action: string, collections: readonly string[] = []): ModuleInfo | undefined {
    const mod = this.modules.finder.find(action, collections);
    const modFq = mod && parseFqcr(mod.fqcn) ? mod.fqcn : undefined;
    const viaModule = modFq ? this.meta.routing(modFq.split('.').slice(0, 2).join('.'), 'modules', modFq.split('.').slice(2).join('.'))?.action_plugin : undefined;
    const handler = typeof viaModule === 'string' ? this.find(viaModule) : undefined;
    const hit = handler ?? this.find(action, collections);
    if (!hit) return undefined;
    const fqcn = handler ? modFq! : hit.fqcn;
    const file = { path: hit.path, name: fqcn.split('.').pop()!, fqcn, kind: 'action' as const, handler: hit.fqcn, ...(modFq ? { module: modFq } : {}) };
    return { freeForm: false, file };
  }

  /** The action plugin a task runs: the one found at load time, else resolved now (templated actions). */
  module(action: string, task?: Task): ModuleDefinition | undefined {
    // the task's own action was resolved at load time (with its collections: list)
    const ref = task && action === task.action ? task.moduleFile : this.info(action)?.file;
    if (ref?.kind !== 'action') return undefined;
    const { path } = ref;
    const handler = ref.handler ?? ref.fqcn;
    // a legacy plugin loads by its short name (Ansible's own plugins of the name would shadow ansible.legacy.X)
    const name = handler.startsWith('ansible.legacy.') ? handler.slice('ansible.legacy.'.length) : handler;
    const taskAction = ref.module ?? (task && action === task.action ? (task.rawAction ?? action) : action);
    return {
      name,
      description: `custom action plugin ${path} (run by a Python worker)`,
      schema: { type: 'object' },
      opaqueArgs: true,
      supportsCheckMode: true,
      supportsDiff: true,
      supportsAsync: false,
      controllerOnly: true,
      run: (args, ctx) => this.run(name, path, taskAction, args, ctx),
    };
  }

  private async run(name: string, path: string, taskAction: string, args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
    const req = {
      op: 'action',
      name,
      path,
      task_action: taskAction,
      args: JSON.stringify(encodeValue(args, false)),
      check: ctx.check,
      diff: ctx.diff,
      host: ctx.host,
      connection: text(ctx.vars.ansible_connection),
      shell_type: text(ctx.vars.ansible_shell_type),
      executable: text(ctx.vars.ansible_shell_executable),
      connection_dirs: this.dirs.get('connection'),
    };
    let conns: { become?: Connection; plain?: Connection } = {};
    const connection = async (become: boolean): Promise<Connection> => {
      if (!ctx.connect) throw new Error(`the action plugin ${path} has no connection to ${ctx.host}`);
      const key = become ? 'become' : 'plain';
      return (conns[key] ??= await ctx.connect({ become }));
    };
    const reply = await this.workers.run(req, (q) => this.answer(q, ctx, connection));
    conns = {};
    if (reply.error === undefined) return decodeValue(reply.value ?? '{}', () => undefined) as ModuleResult;
    const type = reply.type ?? 'Exception';
    if (type.startsWith('ansible.errors.')) throw new Error(reply.error);
    throw new PythonException(reply.error, reply.traceback ?? `Traceback (most recent call last):\n  File "${path}"\n${type.split('.').pop()}: ${reply.error}\n`);
  }

  /** One question of the running plugin (action_bridge.py's protocol). */
  private async answer(q: Question, ctx: ModuleContext, connection: (become: boolean) => Promise<Connection>): Promise<Record<string, unknown>> {
    switch (q.ask) {
      case 'var': {
        const n = String(q.name);
        const v = ctx.vars[n];
        return v === undefined ? { defined: false } : { defined: true, value: JSON.stringify(encodeValue(v, false)) };
      }
      case 'names':
        return { names: [] };
      case 'module': {
        const result = await this.runModule(String(q.name), decodeValue(String(q.args ?? '{}'), () => undefined) as Record<string, unknown>, ctx, q, connection);
        return { value: JSON.stringify(encodeValue(result, false)) };
      }
      case 'exec': {
        const conn = await connection(q.sudoable !== false);
        const r = await conn.exec(String(q.cmd), { stdin: typeof q.in_data === 'string' ? q.in_data : undefined, signal: ctx.signal });
        return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
      }
      case 'put': {
        const conn = await connection(true);
        await conn.putFile(String(q.dest), readFileSync(String(q.src)));
        return {};
      }
      case 'fetch': {
        const conn = await connection(true);
        writeFileSync(String(q.dest), await conn.getFile(String(q.src)));
        return {};
      }
      default:
        return { error: `drover cannot answer an action plugin's '${q.ask}'` };
    }
  }

  /** ActionBase._execute_module: the named module on the task's host, with the task's context. */
  private async runModule(name: string, args: Record<string, unknown>, ctx: ModuleContext, q: Question, connection: (become: boolean) => Promise<Connection>): Promise<ModuleResult> {
    // ansible's shell action is the command module with _uses_shell; drover's shell module is that
    let modName = name;
    let modArgs = args;
    if (args._uses_shell !== undefined && /^(ansible\.(builtin|legacy)\.)?command$/.test(name)) {
      const { _uses_shell: shell, ...rest } = args;
      modArgs = rest;
      if (shell) modName = name.replace(/command$/, 'shell');
    }
    const mod = this.modules.byName(modName);
    if (!mod) return { failed: true, msg: `The module ${name} was not found in configured module paths` };
    const check = typeof q.check === 'boolean' ? q.check : ctx.check;
    if (check && !mod.supportsCheckMode) return { changed: false, skipped: true, msg: `remote module (${mod.name}) does not support check mode` };
    if (mod.controllerOnly) return mod.run(modArgs, { ...ctx, check });
    const conn = await connection(true);
    return mod.run(modArgs, { ...ctx, check, diff: typeof q.diff === 'boolean' ? q.diff : ctx.diff, conn, connect: undefined });
  }
}
