// Builds the variable scope of a task on a host from the precedence table (engine/vars/scope.ts):
// inventory vars come cached from the inventory, host memory from the run state, play-level
// layers are computed once per play and host, and magic variables are live getters.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadVarsText } from '../inventory/yaml-load.js';
import { DroverError, ExitCode, PlaybookError, REMOTE_SRC_HINT, TemplateError } from '../errors/index.js';
import { roleDisplayName, type Block, type CommonKeywords, type Play, type Task } from '../playbook/types.js';
import { findNeedle, needleCandidates, searchPathVar, taskSearchStack } from '../search/needle.js';
import { combineVars } from '../vars/combine.js';
import { OPAQUE, VarScope, type Layer, type VarLookup } from '../vars/scope.js';
import { OMIT } from '../executor/task-executor.js';
import type { RunContext } from './context.js';
import { RoleVars } from './role-vars.js';
import { connectionVars, includeParams, type Frame } from './task-vars.js';

export type { Frame } from './task-vars.js';


const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' };

export class PlayVariables {
  private readonly varsFilesCache = new Map<string, Layer>();
  private readonly perHostVarsFiles = new Map<string, Layer>();
  readonly promptAnswers: Record<string, unknown> = {};
  private batch: string[] = [];
  private readonly hostvarsProxy: Record<string, unknown>;
  private readonly roleVars: RoleVars;
  /** hash_behaviour=merge: dictionaries combine across layers. */
  private readonly merge: boolean;

  constructor(
    private readonly ctx: RunContext,
    private readonly play: Play,
    readonly playHostsAll: string[],
    private readonly playbookDir: string,
  ) {
    this.hostvarsProxy = this.makeHostvars();
    this.merge = ctx.options.hashBehaviour === 'merge';
    this.roleVars = new RoleVars(play.roleState, this.merge, ctx.options.privateRoleVars === true);
  }

  setBatch(batch: string[]): void {
    this.batch = batch;
  }

  /**
   * Reads the play's vars_files for the hosts starting a batch, as Ansible's first (implicit)
   * task of a play does: a missing or broken file stops the run before any task, even in a play
   * with none.
   */
  loadVarsFiles(hosts: string[]): void {
    for (const h of this.active(hosts)) this.varsFiles(h);
  }

  private active(hosts: string[]): string[] {
    const { failed, unreachable } = this.ctx.state;
    return hosts.filter((h) => !failed.has(h) && !unreachable.has(h));
  }

  private readonly magicLayers = new Map<string, Layer>();

  /**
   * Magic variables of one host; play lists are getters so they follow failures live. Built
   * once per play and host (a task's scope is built several times per host): the rest only
   * depends on the run's options and the play.
   */
  magic(host: string): Layer {
    let layer = this.magicLayers.get(host);
    if (!layer) {
      layer = this.buildMagic(host);
      this.magicLayers.set(host, layer);
    }
    return layer;
  }

  private buildMagic(host: string): Layer {
    // The getters below run later, on a different `this`; keep the runner reachable.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const inv = this.ctx.inventory;
    const srcs = this.ctx.options.inventorySources;
    // a host list (`-i 'a,b'`) is kept as given, paths are made absolute (InventoryManager)
    const source = (s: string) => (s.includes(',') && !existsSync(resolve(this.ctx.options.cwd, s)) ? s : resolve(this.ctx.options.cwd, s));
    const firstSource = srcs.length ? source(srcs[0]) : undefined;
    const hostList = firstSource !== undefined && firstSource === srcs[0] && firstSource.includes(',');
    const layer: Record<string, unknown> = {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      get groups() {
        return inv.groupsMap();
      },
      get group_names() {
        return inv.groupNames(host);
      },
      hostvars: this.hostvarsProxy,
      playbook_dir: this.playbookDir,
      // 2.14 stores None for a host list's folder, which templates as the text "None"
      inventory_dir: hostList ? 'None' : firstSource && !firstSource.includes(',') ? (existsSync(firstSource) && !firstSource.endsWith('/') ? dirname(firstSource) : firstSource) : undefined,
      inventory_file: firstSource,
      ansible_inventory_sources: srcs.map(source),
      get ansible_play_hosts_all() {
        return self.playHostsAll;
      },
      get ansible_play_hosts() {
        return self.active(self.playHostsAll);
      },
      get ansible_play_batch() {
        return self.active(self.batch);
      },
      get play_hosts() {
        return self.active(self.batch);
      },
      // Play.get_name(): the name, else the host patterns joined
      ansible_play_name: this.play.name ?? (Array.isArray(this.play.hosts) ? this.play.hosts.join(',') : String(this.play.hosts ?? '')),

      ansible_check_mode: this.ctx.options.check,
      ansible_diff_mode: this.ctx.options.diff,
      ansible_verbosity: this.ctx.options.verbosity,
      ansible_forks: this.ctx.options.forks,
      ansible_run_tags: this.ctx.options.tags.only.length ? this.ctx.options.tags.only : ['all'],
      ansible_skip_tags: this.ctx.options.tags.skip,
      ansible_version: ANSIBLE_VERSION,
      ansible_playbook_python: '/usr/bin/python3',
      omit: OMIT,
    };
    // load_options_vars: ansible_limit exists only when --limit was given
    if (this.ctx.options.limit !== undefined && this.ctx.options.limit !== null) layer.ansible_limit = this.ctx.options.limit;
    // role_names and friends follow the play's roles (include_role public: true adds to them)
    for (const k of ['role_names', 'ansible_role_names', 'ansible_play_role_names', 'ansible_dependent_role_names']) {
      Object.defineProperty(layer, k, { get: () => this.roleVars.names()[k], enumerable: true });
    }
    return layer;
  }

  /** hostvars: a lazy mapping host → that host's variables (no play or task layers, as Ansible). */
  private makeHostvars(): Record<string, unknown> {
    const cache = new Map<string, Record<string, unknown>>();
    const view = (host: string) => {
      let v = cache.get(host);
      if (!v) {
        v = scopeObject(this.hostScope(host, true), false, true);
        cache.set(host, v);
      }
      return v;
    };
    const inv = this.ctx.inventory;
    const known = (h: string) => inv.hosts.has(h) || h === 'localhost';
    return new Proxy({} as Record<string, unknown>, {
      get: (_t, k) => (k === OPAQUE ? true : typeof k === 'string' && known(k) ? view(k) : undefined),
      has: (_t, k) => typeof k === 'string' && known(k),
      ownKeys: () => [...inv.hosts.keys()],
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === 'string' && known(k) ? { enumerable: true, configurable: true, value: view(k) } : undefined,
    });
  }

  /**
   * Host-level scope: inventory, facts, include_vars, set_fact/register, extra vars, magic.
   * `forHostvars`: the view hostvars[host] gives (get_vars with no play and include_hostvars off):
   * no hostvars of its own, which would also make printing it endless, and no play variables.
   */
  hostScope(host: string, forHostvars = false): VarScope {
    const mem = this.ctx.state.memory(host);
    return new VarScope(
      {
        inventory: this.ctx.inventory.hostVars(host),
        facts: mem.facts,
        include_vars: mem.includeVars,
        host_facts: mem.hostFacts,
        extra_vars: this.ctx.options.extraVars,
        magic: forHostvars ? withoutPlayMagic(this.magic(host)) : this.magic(host),
      },
      this.renderer,
      undefined,
      { merge: this.merge },
    );
  }

  private readonly renderer = (value: unknown, lookup: VarLookup, opts?: { keepUnsafe?: boolean }) => this.ctx.templar.render(value, lookup, opts);

  /** The full scope of a task on a host (VariableManager.get_vars with play, host and task). */
  taskScope(host: string, frames: Frame[], task: Task | Block | undefined, withDelegate = true): VarScope {
    const mem = this.ctx.state.memory(host);
    const role = task?.origin.role;
    const roles = this.roleVars.layers(role);
    // Task.get_vars(): enclosing blocks' and includes' vars, then the task's, one level
    let taskVars: Layer[] = [];
    for (const f of frames.slice(1)) if (f.node.vars) taskVars.push(f.node.vars);
    if (task?.kind === 'task' && task.vars) taskVars.push(task.vars);
    let params = includeParams(frames.slice(1), task, host);
    if (this.merge) {
      // inside a level Ansible updates dictionaries (|=); combine_vars only between levels
      taskVars = [Object.assign({}, ...taskVars) as Layer];
      params = [Object.assign({}, ...params) as Layer];
    }
    const magic: Layer[] = [this.magic(host)];
    if (role) magic.push({ role_name: role.name, role_path: role.path, ansible_role_name: roleDisplayName(role), ansible_collection_name: role.collection ?? null });
    if (task) {
      // the task's `environment` keyword: every level's value, the play's first
      const env = [...frames.map((f) => f.node.environment), (task as CommonKeywords).environment].filter((e) => e !== undefined && e !== null);
      magic.push({ environment: env });
    }
    const layers = {
      role_defaults: roles.defaults,
      inventory: this.ctx.inventory.hostVars(host),
      facts: mem.facts,
      play_vars: this.merge ? { ...this.play.vars, ...this.promptAnswers } : [this.play.vars ?? {}, this.promptAnswers],
      vars_files: this.varsFiles(host),
      role_vars: roles.vars,
      task_vars: taskVars,
      include_vars: mem.includeVars,
      host_facts: mem.hostFacts,
      role_params: roles.params,
      include_params: params,
      extra_vars: this.ctx.options.extraVars,
      magic,
    };
    // `vars` is get_vars()'s result as it stands before the task executor adds its own variables
    // (ansible_search_path, connection settings); ansible_delegated_vars comes after it too
    let inner: VarScope | undefined;
    const options = { merge: this.merge };
    const vars = { get vars() {
      return scopeObject((inner ??= new VarScope(layers, renderer, undefined, options)), true);
    } };
    const renderer = this.renderer;
    const late: Layer[] = [vars];
    if (task) late.push({ ansible_search_path: searchPathVar(taskSearchStack(task.origin), this.playbookDir) });
    if (withDelegate && task?.kind === 'task') {
      const delegate = task.delegate_to ?? [...frames].reverse().find((f) => f.node.delegate_to !== undefined)?.node.delegate_to;
      if (delegate !== undefined && delegate !== null) late.push(this.delegatedVars(host, frames, task, delegate));
    }
    return new VarScope(
      {
        ...layers,
        // connection variables only fill names no layer sets, so they go under everything
        role_defaults: [connectionVars(this.ctx.options, host, frames, task), ...roles.defaults],
        magic: [...magic, ...late],
      },
      renderer,
      undefined,
      options,
    );
  }

  /**
   * ansible_delegated_vars (VariableManager._get_delegated_vars): the delegate's variables for
   * the task, keyed by its name, with inventory_hostname still the original host. Lazy: most
   * tasks never read it.
   */
  private delegatedVars(host: string, frames: Frame[], task: Task, delegate: unknown): Layer {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    let value: Record<string, unknown> | undefined;
    return {
      get ansible_delegated_vars() {
        if (!value) {
          const name = String(self.ctx.templar.render(delegate, self.taskScope(host, frames, task, false)));
          const known = self.ctx.inventory.hosts.has(name) || name === 'localhost';
          const scope = known ? self.taskScope(name, frames, task, false) : self.taskScope(host, frames, task, false);
          value = { [name]: scopeObject(scope.with({ inventory_hostname: host, ansible_delegated_host: name })) };
        }
        return value;
      },
    };
  }

  /** vars_files of the play for a host: names are templated per host, files parsed once. */
  private varsFiles(host: string): Layer | undefined {
    if (!this.play.vars_files.length) return undefined;
    const cached = this.perHostVarsFiles.get(host);
    if (cached) return cached;
    const scope = new VarScope(
      {
        inventory: this.ctx.inventory.hostVars(host),
        facts: this.ctx.state.memory(host).facts,
        play_vars: [this.play.vars ?? {}, this.promptAnswers],
        extra_vars: this.ctx.options.extraVars,
        magic: this.magic(host),
      },
      this.renderer,
    );
    let merged: Record<string, unknown> = {};
    // A name naming a variable not known yet (a fact before gathering) skips the file for now, and
    // the next task tries again, as VariableManager.get_vars does until facts are gathered.
    let complete = true;
    const gathered = Boolean(this.ctx.state.memory(host).facts.module_setup);
    files: for (const entry of this.play.vars_files) {
      const choices = Array.isArray(entry) ? entry : [entry];
      let loaded: Layer | undefined;
      const tried: string[] = [];
      for (const choice of choices) {
        let name: string;
        try {
          name = String(this.ctx.templar.render(choice, scope, { file: this.play.origin.pos.file, line: this.play.origin.pos.line, what: 'vars_files' }));
        } catch (e) {
          if (!(e instanceof TemplateError && e.undefinedVariable) || gathered) throw e;
          complete = false;
          continue files;
        }
        // DataLoader.path_dwim_relative_stack(play.get_search_path(), 'vars', name)
        const stack = [this.play.origin.baseDir];
        tried.push(...needleCandidates(stack, 'vars', name));
        const path = findNeedle(stack, 'vars', name);
        if (path) {
          loaded = this.loadVarsFile(path);
          break;
        }
      }
      if (!loaded) {
        const item = Array.isArray(entry) ? `[${entry.map((e) => `'${String(e)}'`).join(', ')}]` : String(entry);
        // AnsibleFileNotFound: a plain AnsibleError (exit 1), with the places searched
        throw new DroverError(
          `vars file ${item} was not found\nCould not find file on the Ansible Controller.\n${REMOTE_SRC_HINT}\nSearched in: ${tried.join(', ')}`,
          { pos: this.play.origin.pos, exitCode: ExitCode.ERROR },
        );
      }
      merged = combineVars(merged, loaded, this.merge);
    }
    if (complete) this.perHostVarsFiles.set(host, merged);
    return merged;
  }

  private loadVarsFile(path: string): Layer {
    const hit = this.varsFilesCache.get(path);
    if (hit) return hit;
    const data = loadVarsText(readFileSync(path, 'utf8'), path, { ...this.ctx.loadOptions.yaml, error: (m, pos) => new PlaybookError(m, pos) });
    if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
      throw new PlaybookError(`vars file ${path} must contain a mapping`, { file: path });
    }
    const layer = (data ?? {}) as Layer;
    this.varsFilesCache.set(path, layer);
    return layer;
  }
}

/**
 * A read-only object view of a scope whose properties render on access, or, `raw`, hold the
 * values as written (the `vars` dictionary, which 2.14 hands to templates untemplated).
 */
export function scopeObject(scope: VarScope, raw = false, lenient = false): Record<string, unknown> {
  // `lenient`: HostVarsVars templates with fail_on_undefined=False, giving the raw value back
  const get = (k: string) => {
    try {
      return scope.get(k);
    } catch (e) {
      if (lenient && e instanceof TemplateError && e.undefinedVariable) return scope.rawValue(k);
      throw e;
    }
  };
  const value = (k: string) => (raw ? scope.rawValue(k) : get(k));
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, k) => (k === OPAQUE ? true : typeof k === 'string' ? value(k) : undefined),
    has: (_t, k) => typeof k === 'string' && scope.has(k),
    ownKeys: () => scope.names(),
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && scope.has(k) ? { enumerable: true, configurable: true, value: value(k) } : undefined,
  });
}

/** Magic variables that need a play (or are hostvars itself): absent from hostvars[host]. */
const PLAY_MAGIC = new Set([
  'hostvars', 'ansible_play_hosts_all', 'ansible_play_hosts', 'ansible_play_batch', 'play_hosts', 'ansible_play_name',
  'role_names', 'ansible_role_names', 'ansible_play_role_names', 'ansible_dependent_role_names',
]);

function withoutPlayMagic(layer: Layer): Layer {
  const descriptors = Object.getOwnPropertyDescriptors(layer);
  for (const k of PLAY_MAGIC) delete descriptors[k];
  return Object.defineProperties({}, descriptors) as Layer;
}
