// Builds the variable scope of a task on a host from the precedence table (engine/vars/scope.ts):
// inventory vars come cached from the inventory, host memory from the run state, play-level
// layers are computed once per play and host, and magic variables are live getters.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { loadVarsText } from '../inventory/yaml-load.js';
import { PlaybookError } from '../errors/index.js';
import { roleDisplayName, type Block, type CommonKeywords, type Play, type Task } from '../playbook/types.js';
import { taskSearchStack } from '../search/needle.js';
import { OPAQUE, VarScope, type Layer, type VarLookup } from '../vars/scope.js';
import { OMIT } from '../executor/task-executor.js';
import type { RunContext } from './context.js';

/** One enclosing level of a task: the play, a block, an include or a role. */
export interface Frame {
  node: CommonKeywords;
  /** Per-host variables this level adds (include loop item, include params). */
  hostVars?: Map<string, Layer>;
  /** Variables this level adds for every host (include_tasks `vars:`). */
  params?: Layer;
}

const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' };

export class PlayVariables {
  private readonly varsFilesCache = new Map<string, Layer>();
  private readonly perHostVarsFiles = new Map<string, Layer>();
  readonly promptAnswers: Record<string, unknown> = {};
  private batch: string[] = [];
  private readonly hostvarsProxy: Record<string, unknown>;

  constructor(
    private readonly ctx: RunContext,
    private readonly play: Play,
    readonly playHostsAll: string[],
    private readonly playbookDir: string,
  ) {
    this.hostvarsProxy = this.makeHostvars();
  }

  setBatch(batch: string[]): void {
    this.batch = batch;
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
    const firstSource = srcs.length ? resolve(this.ctx.options.cwd, srcs[0]) : undefined;
    return {
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
      inventory_dir: firstSource && !firstSource.includes(',') ? (existsSync(firstSource) && !firstSource.endsWith('/') ? dirname(firstSource) : firstSource) : undefined,
      inventory_file: firstSource,
      ansible_inventory_sources: srcs.map((s) => resolve(this.ctx.options.cwd, s)),
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
      ansible_play_name: this.play.name ?? '',
      ansible_check_mode: this.ctx.options.check,
      ansible_diff_mode: this.ctx.options.diff,
      ansible_verbosity: this.ctx.options.verbosity,
      ansible_forks: this.ctx.options.forks,
      ansible_limit: this.ctx.options.limit,
      ansible_run_tags: this.ctx.options.tags.only.length ? this.ctx.options.tags.only : ['all'],
      ansible_skip_tags: this.ctx.options.tags.skip,
      ansible_version: ANSIBLE_VERSION,
      ansible_playbook_python: '/usr/bin/python3',
      omit: OMIT,
    };
  }

  /** hostvars: a lazy mapping host → that host's variables (no play or task layers, as Ansible). */
  private makeHostvars(): Record<string, unknown> {
    const cache = new Map<string, Record<string, unknown>>();
    const view = (host: string) => {
      let v = cache.get(host);
      if (!v) {
        v = scopeObject(this.hostScope(host));
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

  /** Host-level scope: inventory, facts, include_vars, set_fact/register, extra vars, magic. */
  hostScope(host: string): VarScope {
    const mem = this.ctx.state.memory(host);
    return new VarScope(
      {
        inventory: this.ctx.inventory.hostVars(host),
        facts: mem.facts,
        include_vars: mem.includeVars,
        host_facts: mem.hostFacts,
        extra_vars: this.ctx.options.extraVars,
        magic: this.magic(host),
      },
      this.renderer,
    );
  }

  private readonly renderer = (value: unknown, lookup: VarLookup, opts?: { keepUnsafe?: boolean }) => this.ctx.templar.render(value, lookup, opts);

  /** The full scope of a task on a host. */
  taskScope(host: string, frames: Frame[], task: Task | Block | undefined): VarScope {
    const mem = this.ctx.state.memory(host);
    const role = task?.origin.role;
    const blockVars: Layer[] = [];
    const includeParams: Layer[] = [];
    for (const f of frames.slice(1)) {
      if (f.node.vars) blockVars.push(f.node.vars);
      if (f.params) includeParams.push(f.params);
      const hv = f.hostVars?.get(host);
      if (hv) includeParams.push(hv);
    }
    const magic: Layer[] = [this.magic(host)];
    if (role) magic.push({ role_name: role.name, role_path: role.path, ansible_role_name: roleDisplayName(role), ansible_collection_name: role.collection ?? null });
    if (task) magic.push({ ansible_search_path: taskSearchStack(task.origin) });
    return new VarScope(
      {
        role_defaults: role?.defaults,
        inventory: this.ctx.inventory.hostVars(host),
        facts: mem.facts,
        play_vars: [this.play.vars ?? {}, this.promptAnswers],
        vars_files: this.varsFiles(host),
        role_vars: role?.vars,
        block_vars: blockVars,
        task_vars: task?.kind === 'task' ? task.vars : undefined,
        include_vars: mem.includeVars,
        host_facts: mem.hostFacts,
        role_params: role?.params,
        include_params: includeParams,
        extra_vars: this.ctx.options.extraVars,
        magic,
      },
      this.renderer,
    );
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
    for (const entry of this.play.vars_files) {
      const choices = Array.isArray(entry) ? entry : [entry];
      let loaded: Layer | undefined;
      const tried: string[] = [];
      for (const choice of choices) {
        const name = String(this.ctx.templar.render(choice, scope, { file: this.play.origin.pos.file, line: this.play.origin.pos.line, what: 'vars_files' }));
        const path = isAbsolute(name) ? name : join(this.playbookDir, name);
        tried.push(path);
        if (existsSync(path)) {
          loaded = this.loadVarsFile(path);
          break;
        }
      }
      if (!loaded) {
        throw new PlaybookError(`vars file ${tried.map((t) => basename(t)).join(', ')} was not found (looked for ${tried.join(', ')})`, this.play.origin.pos);
      }
      merged = { ...merged, ...loaded };
    }
    this.perHostVarsFiles.set(host, merged);
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

/** A read-only object view of a scope whose properties render on access. */
export function scopeObject(scope: VarScope): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, k) => (k === OPAQUE ? true : typeof k === 'string' ? scope.get(k) : undefined),
    has: (_t, k) => typeof k === 'string' && scope.has(k),
    ownKeys: () => scope.names(),
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && scope.has(k) ? { enumerable: true, configurable: true, value: scope.get(k) } : undefined,
  });
}
