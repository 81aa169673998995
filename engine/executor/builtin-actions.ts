// Actions that run inside the engine rather than on a host: set_fact, include_vars, add_host,
// group_by and fact gathering. They return Ansible's result keys; the scheduler applies the side
// effects (new facts, new hosts and groups) when it folds the result (result-vars.ts says which
// variable layer an action's facts go to).
import type { ModuleResult } from '../modules-sdk/types.js';
import type { VarScope } from '../vars/scope.js';
import { gatherFacts } from '../../modules/setup.js';
import { parseAddress } from '../inventory/address.js';
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
  /** The task's rendered `environment` (fact gathering runs with it, as a module would). */
  environment?: Record<string, string>;
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
      // the add_host action: free-form text that rendered to a dict holds the arguments
      const { _raw_params: raw, ...rest } = args;
      if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
        return { failed: true, msg: `Invalid raw parameters passed, requires a dictonary/mapping got a  ${typeof raw}` };
      }
      const all: Record<string, unknown> = { ...((raw as Record<string, unknown> | undefined) ?? {}), ...rest };
      const given = (all.name ?? all.hostname ?? all.host) as string | undefined;
      if (!given) return { failed: true, msg: 'name, host or hostname needs to be provided' };
      // host:port names carry the port (parse_address); anything else is used as it is
      let address: { host: string; port?: number } = { host: String(given) };
      try {
        address = parseAddress(String(given), false);
      } catch {
        // not a parsable address, but it may still be usable as a name
      }
      const name = address.host;
      if (address.port !== undefined) all.ansible_ssh_port = address.port;
      const g = all.groupname ?? all.groups ?? all.group;
      const groups = g === undefined || g === '' ? [] : Array.isArray(g) ? g.map(String) : String(g).split(',').map((s) => s.trim()).filter(Boolean);
      const hostVars: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(all)) {
        if (!['name', 'hostname', 'groupname', 'groups'].includes(k)) hostVars[k] = v;
      }
      // changed is decided when the host is added to the inventory (scheduler/fold.ts)
      return { changed: false, add_host: { host_name: name, groups, host_vars: hostVars } };
    }
    case 'group_by': {
      const key = args.key ?? args._raw_params;
      if (key === undefined || key === '') return { failed: true, msg: "the 'key' param is required when using group_by" };
      const parents = args.parents === undefined ? ['all'] : Array.isArray(args.parents) ? args.parents.map(String) : [String(args.parents)];
      return { changed: true, add_group: String(key).replace(/[^\w-]/g, '_'), parent_groups: parents };
    }
    case 'setup':
    case 'gather_facts': {
      const conn = await ctx.svc.connect(ctx.delegatedTo ?? ctx.inv.host, connectionSource(ctx.inv, ctx.scope, ctx.svc.templar, ctx.delegatedTo));
      // with the task's (the play's) environment, as a module would run
      return gatherFacts((cmd, o) => conn.exec(cmd, { ...o, env: { ...(ctx.environment ?? {}), ...(o?.env ?? {}) } }), args, (message) => ctx.svc.emit({ kind: 'warning', message }));
    }
    default:
      return { failed: true, msg: `unknown built-in action ${action}` };
  }
}
