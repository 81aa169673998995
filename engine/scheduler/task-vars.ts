// The parts of a task's variables that come from where the task sits rather than from a layer
// of data: include params along the enclosing includes (Task.get_include_params), and the
// connection variables the task executor adds where nothing sets them (PlayContext.update_vars).
import { roleDisplayName, type Block, type CommonKeywords, type RoleRef, type Task } from '../playbook/types.js';
import { MIRROR, type Layer } from '../vars/scope.js';
import type { RunOptions } from './context.js';

/** One enclosing level of a task: the play, a block, an include or a role. */
export interface Frame {
  node: CommonKeywords;
  /** Per-host variables this level adds (include loop item, include params). */
  hostVars?: Map<string, Layer>;
  /** Variables this level adds for every host (include_tasks `vars:`). */
  params?: Layer;
  /** include_role: the role of the including task (its params and name are include params). */
  parentRole?: RoleRef;
}

const INCLUDES = new Set(['include_tasks', 'include_role', 'include']);

/**
 * Task.get_include_params() along the frames (outermost first): include vars (and loop items),
 * and for a role included or imported by another role that role's params and, innermost first,
 * ansible_parent_role_names / ansible_parent_role_paths (IncludeRole.get_include_params).
 */
export function includeParams(frames: Frame[], task: Task | Block | undefined, host: string): Layer[] {
  const out: Layer[] = [];
  let names: string[] | undefined;
  let paths: string[] | undefined;
  const parent = (role: RoleRef) => {
    out.push(role.params);
    names = [roleDisplayName(role), ...(names ?? [])];
    paths = [role.path, ...(paths ?? [])];
  };
  for (const f of frames) {
    const node = f.node as Block;
    if (node.includeParams) out.push(node.includeParams);
    if (f.params) out.push(f.params);
    const hv = f.hostVars?.get(host);
    if (hv) out.push(hv);
    if (node.parentRole) parent(node.parentRole);
    if (f.parentRole) parent(f.parentRole);
  }
  // an include task's own vars are include params while it is evaluated
  if (task?.kind === 'task' && INCLUDES.has(task.action)) {
    if (task.vars) out.push(task.vars);
    if (task.action === 'include_role' && task.origin.role) parent(task.origin.role);
  }
  if (names) out.push({ ansible_parent_role_names: names, ansible_parent_role_paths: paths });
  return out;
}

/**
 * PlayContext.update_vars: the connection's settings as variables (ansible_host,
 * ansible_connection, ansible_user, ...) where no variable of that name is set.
 */
export function connectionVars(o: RunOptions, host: string, frames: Frame[], task: Task | Block | undefined): Layer {
  const kw = (name: 'connection' | 'remote_user'): unknown =>
    (task as CommonKeywords | undefined)?.[name] ?? [...frames].reverse().find((f) => f.node[name] !== undefined)?.node[name];
  const connection = kw('connection');
  const user = kw('remote_user') ?? o.remoteUser;
  const timeout = o.connectionTimeoutSec ?? 10;
  const out: Record<string | symbol, unknown> = {
    // what resolves the connection (executor/connection-source.ts) skips these
    [MIRROR]: true,
    ansible_connection: typeof connection === 'string' ? connection : (o.connection ?? 'ssh'),
    ansible_host: host,
    ansible_ssh_host: host,
    ansible_pipelining: false,
    ansible_ssh_pipelining: false,
    ansible_timeout: timeout,
    ansible_ssh_timeout: timeout,
    ansible_shell_executable: '/bin/sh',
    ansible_module_compression: 'ZIP_DEFLATED',
  };
  if (user !== undefined && user !== null) out.ansible_user = out.ansible_ssh_user = user;
  if (o.privateKey) out.ansible_private_key_file = out.ansible_ssh_private_key_file = o.privateKey;
  return out;
}

