// One play mapping → Play: keywords checked, hosts validated, vars/vars_files/vars_prompt
// normalised, and pre_tasks → roles → tasks → post_tasks → handlers loaded in run order so
// role de-duplication follows execution order.
import { failAt, fileScope, isDict, newPlayRoleState, nextId, posOf, type LoadContext } from './context.js';
import { loadHandlerList, loadItems } from './blocks.js';
import { PLAY_KEYWORDS, VARS_PROMPT_KEYS } from './keywords.js';
import { assignDefined, copyInherited, normTags, normVars } from './normalize.js';
import { loadPlayRoles } from './roles.js';
import type { SourcePos } from '../errors/index.js';
import type { Play, VarsPrompt } from './types.js';

function checkHosts(value: unknown, pos: SourcePos): void {
  if (value === undefined) failAt("the field 'hosts' is required but was not set", pos);
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    failAt('Hosts list cannot be empty. Please check your playbook', pos);
  }
  if (Array.isArray(value)) {
    for (const h of value) {
      if (h === null) failAt("Hosts list cannot contain values of 'None'. Please check your playbook", pos);
      if (typeof h !== 'string') failAt(`Hosts list contains an invalid host value: '${String(h)}'`, pos);
    }
  } else if (typeof value !== 'string') {
    failAt('Hosts list must be a sequence or string. Please check your playbook.', pos);
  }
}

function varsPrompt(value: unknown, pos: SourcePos): VarsPrompt[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((p) => {
    if (!isDict(p)) return failAt('Invalid vars_prompt data structure, entries must be mappings', pos);
    if (!('name' in p)) failAt("Invalid vars_prompt data structure, missing 'name' key", pos);
    for (const key of Object.keys(p)) {
      if (!VARS_PROMPT_KEYS.has(key)) failAt(`Invalid vars_prompt data structure, found unsupported key '${key}'`, pos);
    }
    const out: VarsPrompt = { name: String(p.name) };
    if (p.prompt !== undefined && p.prompt !== null) out.prompt = String(p.prompt);
    if (p.default !== undefined) out.default = p.default;
    out.private = p.private === undefined ? true : Boolean(p.private);
    if (p.confirm !== undefined) out.confirm = Boolean(p.confirm);
    if (p.unsafe !== undefined) out.unsafe = Boolean(p.unsafe);
    for (const k of ['encrypt', 'salt_size', 'salt'] as const) if (p[k] !== undefined) out[k] = p[k];
    return out;
  });
}

const PLAY_SCALARS = [
  'gather_facts', 'gather_subset', 'gather_timeout', 'fact_path', 'serial', 'max_fail_percentage',
  'strategy', 'order', 'force_handlers', 'continue_on_batch_failure', 'count_unreachable_as_failed',
] as const;

/**
 * Build a play. `importVars` are the vars of the import_playbook statement(s) that brought it in:
 * they override the play's own vars (as ansible-core 2.14 does).
 */
export function buildPlay(ctx: LoadContext, ds: Record<string, unknown>, file: string, importVars: Record<string, unknown>): Play {
  const pos = posOf(ctx, ds, file);
  for (const key of Object.keys(ds)) {
    if (!PLAY_KEYWORDS.has(key)) failAt(`'${key}' is not a valid attribute for a Play`, pos);
  }
  const data: Record<string, unknown> = { ...ds };
  if ('user' in data) {
    if ('remote_user' in data) {
      failAt("both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed", pos);
    }
    data.remote_user = data.user;
    delete data.user;
  }
  checkHosts(data.hosts, pos);

  const vars = { ...(normVars(data.vars, 'Play', pos) ?? {}), ...importVars };
  const scope = fileScope(file);
  const play: Play = {
    kind: 'play',
    hosts: data.hosts,
    vars_files: data.vars_files === null || data.vars_files === undefined ? [] : Array.isArray(data.vars_files) ? [...data.vars_files] : [data.vars_files],
    vars_prompt: varsPrompt(data.vars_prompt, pos),
    pre_tasks: [],
    roles: [],
    tasks: [],
    post_tasks: [],
    handlers: [],
    origin: { pos, baseDir: scope.baseDir },
    id: nextId(ctx),
  };
  if (data.name !== undefined && data.name !== null && data.name !== '') play.name = String(data.name);
  if (Object.keys(vars).length) play.vars = vars;
  copyInherited(play, data);
  delete play.delegate_to;
  delete play.delegate_facts;
  for (const key of PLAY_SCALARS) if (data[key] !== undefined) (play as unknown as Record<string, unknown>)[key] = data[key];
  assignDefined(play, { tags: normTags(data.tags, pos) });

  ctx.play = newPlayRoleState();
  ctx.staticVars = vars;
  const collections = data.collections === undefined || data.collections === null ? [] : ([] as unknown[]).concat(data.collections).map(String);
  if (collections.length) play.collections = collections;
  ctx.collections = collections;
  ctx.moduleDefaults = data.module_defaults !== undefined && data.module_defaults !== null;
  play.pre_tasks = loadItems(ctx, data.pre_tasks, scope, 'pre_tasks');
  play.roles = loadPlayRoles(ctx, data.roles, pos);
  play.tasks = loadItems(ctx, data.tasks, scope, 'tasks');
  play.post_tasks = loadItems(ctx, data.post_tasks, scope, 'post_tasks');
  const own = loadHandlerList(ctx, data.handlers, scope);
  play.handlers = [...ctx.play.roleHandlers, ...own, ...ctx.play.importHandlers];
  // include_role at run time dedups dependencies against the roles this play already holds
  Object.defineProperty(play, 'roleState', { value: ctx.play, enumerable: false });
  return play;
}
