// Actions that run inside the engine rather than on a host: set_fact, include_vars, add_host,
// group_by and fact gathering. They return Ansible's result keys; the scheduler applies the side
// effects (new facts, new hosts and groups) when it folds the result.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { findNeedle, needleNotFound } from '../search/needle.js';
import { parse as parseYaml } from 'yaml';
import type { ModuleResult } from '../modules-sdk/types.js';
import type { VarScope } from '../vars/scope.js';
import { gatherFacts } from '../../modules/setup.js';
import { toBool } from './truthy.js';
import { connectionSource } from './connection-source.js';
import type { ExecutorServices, TaskInvocation } from './types.js';

/** Marks on a result telling the scheduler which variable layer its facts belong to. */
export const FACT_KIND = '_drover_fact_kind';

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

function loadVarsFile(file: string): Record<string, unknown> {
  const data = parseYaml(readFileSync(file, 'utf8'), { version: '1.1' }) as unknown;
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file} must be stored as a dictionary/hash`);
  return data as Record<string, unknown>;
}

function includeVars(args: Record<string, unknown>, ctx: BuiltinContext): ModuleResult {
  const raw = (args.file ?? args._raw_params ?? args.dir) as string | undefined;
  if (!raw) return { failed: true, msg: 'include_vars needs file, dir or a free-form path' };
  const path = findNeedle(ctx.inv.searchPaths, 'vars', raw);
  if (!path) return { failed: true, msg: needleNotFound(ctx.inv.searchPaths, 'vars', raw) };
  let files = [path];
  if (statSync(path).isDirectory()) {
    files = readdirSync(path)
      .filter((f) => ['.yml', '.yaml', '.json'].includes(extname(f)))
      .sort()
      .map((f) => join(path, f));
  }
  let vars: Record<string, unknown> = {};
  for (const f of files) vars = { ...vars, ...loadVarsFile(f) };
  if (typeof args.name === 'string') vars = { [args.name]: vars };
  return { changed: false, ansible_facts: vars, ansible_included_var_files: files, [FACT_KIND]: 'include_vars' };
}

export async function builtinAction(action: string, args: Record<string, unknown>, ctx: BuiltinContext): Promise<ModuleResult> {
  switch (action) {
    case 'set_fact': {
      const facts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(args)) {
        if (k === 'cacheable') continue;
        if (k === '_raw_params') return { failed: true, msg: 'set_fact takes key=value pairs, not free-form text' };
        facts[k] = v;
      }
      if (!Object.keys(facts).length) return { failed: true, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
      return { changed: false, ansible_facts: facts, [FACT_KIND]: toBool(args.cacheable) ? 'cacheable' : 'set_fact' };
    }
    case 'include_vars':
      return includeVars(args, ctx);
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
      const res = await gatherFacts((cmd, o) => conn.exec(cmd, o), args);
      return res.failed ? res : { ...res, [FACT_KIND]: 'setup' };
    }
    default:
      return { failed: true, msg: `unknown built-in action ${action}` };
  }
}
