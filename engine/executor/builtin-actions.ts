// Actions that run inside the engine rather than on a host: set_fact, include_vars, add_host,
// group_by and fact gathering. They return Ansible's result keys; the scheduler applies the side
// effects (new facts, new hosts and groups) when it folds the result (result-vars.ts says which
// variable layer an action's facts go to).
import type { ModuleResult } from '../modules-sdk/types.js';
import type { VarScope } from '../vars/scope.js';
import { gatherFacts } from '../../modules/setup.js';
import { connectionSource } from './connection-source.js';
import { includeVars } from './include-vars.js';
import { setFact } from './set-fact.js';
import type { ExecutorServices, TaskInvocation } from './types.js';

const BUILTINS = new Set(['set_fact', 'include_vars', 'add_host', 'group_by', 'setup', 'gather_facts']);

export function isBuiltinAction(action: string): boolean {
  return BUILTINS.has(action);
}

interface BuiltinContext {
  svc: ExecutorServices;
  inv: TaskInvocation;
  scope: VarScope;
  delegatedTo?: string;
}

export async function builtinAction(action: string, args: Record<string, unknown>, ctx: BuiltinContext): Promise<ModuleResult> {
  switch (action) {
    case 'set_fact':
      return setFact(args, { templar: ctx.svc.templar, scope: ctx.scope, jinja2Native: ctx.svc.settings.jinja2Native === true });
    case 'include_vars':
      return includeVars(args, {
        task: ctx.inv.task,
        searchPaths: ctx.inv.searchPaths,
        current: (name) => ctx.scope.get(name),
        hashBehaviour: ctx.svc.settings.hashBehaviour ?? 'replace',
        yaml: ctx.svc.settings.yaml,
        warn: (message) => ctx.svc.emit({ kind: 'warning', message }),
      });
    case 'add_host': {
      const name = (args.name ?? args.hostname ?? args.host) as string | undefined;
      if (!name) return { failed: true, msg: 'add_host requires name (or hostname/host)' };
      const g = args.groups ?? args.group ?? args.groupname;
      const groups = g === undefined ? [] : Array.isArray(g) ? g.map(String) : String(g).split(',').map((s) => s.trim()).filter(Boolean);
      const hostVars: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(args)) {
        if (!['name', 'hostname', 'host', 'groups', 'group', 'groupname'].includes(k)) hostVars[k] = v;
      }
      return { changed: true, add_host: { host_name: name, groups, host_vars: hostVars } };
    }
    case 'group_by': {
      const key = args.key ?? args._raw_params;
      if (key === undefined || key === '') return { failed: true, msg: "the 'key' param is required when using group_by" };
      const parents = args.parents === undefined ? ['all'] : Array.isArray(args.parents) ? args.parents.map(String) : [String(args.parents)];
      return { changed: true, add_group: String(key).replace(/[^\w-]/g, '_'), parent_groups: parents };
    }
    case 'setup':
    case 'gather_facts': {
      // the setup module (modules/setup.ts) gathers; here its facts are marked for the facts layer
      const conn = await ctx.svc.connect(ctx.delegatedTo ?? ctx.inv.host, connectionSource(ctx.inv, ctx.scope, ctx.svc.templar, ctx.delegatedTo));
      return gatherFacts((cmd, o) => conn.exec(cmd, o), args);
    }
    default:
      return { failed: true, msg: `unknown built-in action ${action}` };
  }
}
