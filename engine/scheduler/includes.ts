// include_tasks / include_role / import_* reached at run time: resolved per host and loop item,
// grouped like Ansible's IncludedFile, "included:" lines first, then the included tasks walked
// for the hosts of each group (hook files are announced as hooks).
import { lookupStack } from '../search/needle.js';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DroverError, PlaybookError, isInternalError } from '../errors/index.js';
import { loopItems } from '../executor/loops.js';
import { errorResult } from '../executor/result-shapes.js';
import { loopOverlay, loopSettings } from '../executor/loop-control.js';
import { dropOmitted } from '../executor/task-executor.js';
import { toBool } from '../executor/truthy.js';
import { loadRole, loadTaskFile } from '../playbook/index.js';
import type { CommonKeywords, Item, Task } from '../playbook/types.js';
import type { PlayRunner } from './play-runner.js';
import type { Frame } from './variables.js';
import { conditionsOf, type KeywordFn, type Walk } from './walk.js';

/**
 * How deep includes may nest at run time. Ansible has no bound (a file including itself runs until
 * memory or the stack runs out); a clear failure at the including task is what a user needs.
 */
const MAX_INCLUDE_DEPTH = 100;

/** Marks "no loop" in the include item list (undefined can be a real item). */
const NO_ITEM = Symbol('no item');

interface IncludeGroup {
  target: string;
  hosts: string[];
  itemVars: Map<string, Record<string, unknown>>;
  args: Record<string, unknown>;
  label: unknown;
  hasItem: boolean;
}

/**
 * include_tasks / include_role, resolved per host (and per loop item) at run time. Hosts that
 * include the same file with the same arguments and item share one inclusion, as Ansible's
 * IncludedFile does; every "included:" line is printed before any included task runs.
 */
export async function runInclude(r: PlayRunner, task: Task, allHosts: string[], w: Walk, keyword: KeywordFn): Promise<void> {
  const { ctx } = r;
  ctx.emit({ kind: 'task.start', taskId: task.id, name: ctx.taskTitle(task), action: task.action, handler: Boolean(w.handler), file: task.origin.pos.file, line: task.origin.pos.line });
  // run_once on an include: only the first host includes the file (and runs what it holds)
  const runOnce = allHosts.length > 1 && toBool(r.renderKw(keyword('run_once'), r.vars.taskScope(allHosts[0], w.frames, task)));
  const hosts = runOnce ? allHosts.slice(0, 1) : allHosts;
  if (w.frames.filter((f) => 'hostVars' in f).length >= MAX_INCLUDE_DEPTH) {
    const e = new PlaybookError(`include nesting deeper than ${MAX_INCLUDE_DEPTH} levels (recursive include of ${String(task.args.file ?? task.args._raw_params ?? task.args.name ?? '')}?)`, task.origin.pos);
    return includeFailed(r, task, hosts, e, w, keyword);
  }
  const isRole = task.action.endsWith('_role');
  const where = {
    file: task.origin.pos.file, line: task.origin.pos.line, what: `task '${ctx.taskTitle(task)}'`,
    searchPaths: lookupStack(r.searchPaths(task)), warn: (message: string) => ctx.emit({ kind: 'warning', message }),
  };
  const groups = new Map<string, IncludeGroup>();
  const hookVar = /\{\{\s*([A-Za-z_]\w*_hook)\b/.exec(String(task.args._raw_params ?? task.args.file ?? ''))?.[1];
  const lc = task.loop_control ?? {};
  for (const h of hosts) {
    const scope = r.vars.taskScope(h, w.frames, task);
    let included = 0;
    let ownResult: Record<string, unknown> | undefined;
    try {
      let items: unknown[];
      try {
        items = task.loop !== undefined ? loopItems(ctx.templar, task, scope, where) : [NO_ITEM];
      } catch (e) {
        // as TaskExecutor: a loop that does not render is an error only if the task is not skipped
        if (conditionsOf(task, w.frames).every((c) => ctx.templar.evaluateCondition(c, scope, where))) throw e;
        items = [];
      }
      for (let i = 0; i < items.length; i++) {
        const overlay = items[i] === NO_ITEM ? {} : loopOverlay(items, i, loopSettings(task.loop_control, (v) => ctx.templar.render(v, scope)));
        const s = scope.with(overlay);
        if (!conditionsOf(task, w.frames).every((c) => ctx.templar.evaluateCondition(c, s, where))) continue;
        included++;
        const args = dropOmitted(ctx.templar.render(task.args, s, where) as Record<string, unknown>);
        const target = isRole ? String(args.name ?? args.role) : resolveTaskFile(r, String(args.file ?? args._raw_params ?? ''), task);
        if (items[i] === NO_ITEM) ownResult = includeResult(args, isRole);
        const label = items[i] === NO_ITEM ? undefined : lc.label !== undefined ? ctx.templar.render(lc.label, s) : items[i];
        const key = JSON.stringify([target, args, items[i] === NO_ITEM ? null : { ...overlay, ansible_loop: undefined }]);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { target, hosts: [], itemVars: new Map(), args, label, hasItem: items[i] !== NO_ITEM }));
        g.hosts.push(h);
        if (items[i] !== NO_ITEM) g.itemVars.set(h, overlay);
      }
    } catch (e) {
      includeFailed(r, task, [h], e, w, keyword);
      continue;
    }
    if (!included) {
      ctx.stats.increment(h, 'skipped');
      const result = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
      if (task.register) ctx.state.setHostFacts(h, { [task.register]: result });
      ctx.emit({ kind: 'host.result', taskId: task.id, host: h, status: 'skipped', result, ignored: false });
    } else {
      if (ownResult) ctx.emit({ kind: 'include.result', taskId: task.id, host: h, result: ownResult });
      // 2.14 counts one ok per included file (per loop item); include_role counts nothing
      if (!isRole) ctx.stats.increment(h, 'ok', included);
    }
  }
  const loaded: { g: IncludeGroup; items: Item[] }[] = [];
  for (const g of groups.values()) {
    try {
      if (isRole) {
        const role = loadRole(g.target, ctx.loadOptions, r.playbookDir, {}, {
          tasks_from: g.args.tasks_from as string | undefined, vars_from: g.args.vars_from as string | undefined,
          defaults_from: g.args.defaults_from as string | undefined, handlers_from: g.args.handlers_from as string | undefined,
          collections: r.play.collections, parentRole: task.origin.role, vars: task.vars,
        }, r.play.roleState);
        for (const hd of role.handlers) if (!r.play.handlers.includes(hd)) r.play.handlers.push(hd);
        // public: true makes the role one of the play's roles (its defaults and vars for every task)
        const roles = r.play.roleState?.playRoles;
        if (toBool(g.args.public ?? false) && roles && !roles.includes(role.role)) roles.push(role.role);
        loaded.push({ g, items: role.tasks });
      } else {
        ctx.emit({ kind: 'include', file: g.target, hosts: g.hosts, hook: Boolean(hookVar), item: g.hasItem ? { label: g.label } : undefined });
        loaded.push({ g, items: loadTaskFile(g.target, ctx.loadOptions, { role: task.origin.role, playbookDir: r.playbookDir, roles: r.play.roleState, handlers: Boolean(w.handler) }) });
      }
    } catch (e) {
      if (e instanceof PlaybookError && /could not find or access|could not be found|was not found/i.test(e.message)) {
        includeFailed(r, task, g.hosts, e, w, keyword);
        continue;
      }
      throw e;
    }
  }
  for (const { g, items } of loaded) {
    const active = g.hosts.filter((h) => r.active(h));
    if (!active.length) continue;
    if (hookVar) for (const h of active) ctx.emit({ kind: 'hook.start', host: h, file: g.target, hookVar });
    const apply = (g.args.apply ?? {}) as CommonKeywords;
    const applyTags = apply.tags === undefined ? undefined : ([] as unknown[]).concat(apply.tags).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean);
    const applyWhen = apply.when === undefined ? undefined : ([] as unknown[]).concat(apply.when);
    // the include's vars are include params; an old-style include's k=v are task vars
    const frame: Frame = { node: { ...apply, vars: task.argVars, when: applyWhen, tags: applyTags }, params: task.vars, hostVars: g.itemVars };
    if (isRole && task.origin.role) frame.parentRole = task.origin.role;
    await r.walk(items, active, { ...w, frames: [...w.frames, frame] });
  }
}

/**
 * TaskExecutor._execute's result for an include: include_tasks names its file (as written) and the
 * other arguments, include_role its arguments; `changed` false as every ok result.
 */
function includeResult(args: Record<string, unknown>, isRole: boolean): Record<string, unknown> {
  if (isRole) return { changed: false, include_args: args };
  const { file, _raw_params: raw, ...rest } = args;
  return { changed: false, include: file ?? raw, include_args: rest };
}

/** An include whose file could not be read fails its hosts (as Ansible's failed includes). */
function includeFailed(r: PlayRunner, task: Task, hosts: string[], e: unknown, w: Walk, keyword: KeywordFn): void {
  if (!(e instanceof Error)) throw e;
  // a drover bug as ansible-core reports an unexpected exception; else the include's own failure
  const result = isInternalError(e) ? errorResult(e) : { failed: true, changed: false, msg: e instanceof DroverError ? e.describe() : e.message };
  for (const h of hosts) r.fold(task, h, { status: 'failed', result }, w, keyword, [h]);
}

function resolveTaskFile(r: PlayRunner, name: string, task: Task): string {
  if (isAbsolute(name)) return name;
  const candidates = [join(task.origin.baseDir, name)];
  // DataLoader.path_dwim_relative(role path, 'tasks', name, is_role=True): tasks/NAME, then the
  // role's folder itself (a handler's `include_tasks: tasks/x.yml`)
  if (task.origin.role) candidates.push(join(task.origin.role.path, 'tasks', name), join(task.origin.role.path, name));
  candidates.push(join(r.playbookDir, name));
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}
