// The typed playbook tree produced by the loader (YAML → Play/Block/Task) and consumed by the
// planner and scheduler. Values stay untemplated here: templating happens per host at run time.
import type { SourcePos } from '../errors/index.js';

/** Keywords shared by plays, blocks and tasks (Ansible's Base attributes); inherited downward. */
export interface CommonKeywords {
  vars?: Record<string, unknown>;
  environment?: unknown;
  become?: unknown;
  become_user?: unknown;
  become_method?: unknown;
  become_flags?: unknown;
  check_mode?: unknown;
  diff?: unknown;
  no_log?: unknown;
  ignore_errors?: unknown;
  ignore_unreachable?: unknown;
  any_errors_fatal?: unknown;
  run_once?: unknown;
  throttle?: unknown;
  timeout?: unknown;
  connection?: unknown;
  remote_user?: unknown;
  port?: unknown;
  module_defaults?: unknown;
  delegate_to?: unknown;
  delegate_facts?: unknown;
  /** `when` conditions, already normalised to a list (ANDed); imported parents' conditions appended. */
  when?: unknown[];
  /** Tags, normalised to strings; includes the tags inherited from imports/roles/blocks. */
  tags?: string[];
}

export interface LoopControl {
  loop_var?: string;
  index_var?: string;
  label?: unknown;
  pause?: unknown;
  extended?: unknown;
}

/** Where a task came from: used for role_path, relative file lookups and error messages. */
export interface TaskOrigin {
  pos: SourcePos;
  /** Directory relative paths in the task resolve against (the file's dir). */
  baseDir: string;
  role?: RoleRef;
}

export interface RoleRef {
  name: string;
  path: string; // role directory
  /** The collection holding the role (ansible_collection_name), when found by FQCN. */
  collection?: string;
  /** The role's own defaults (defaults/main.yml). */
  defaults: Record<string, unknown>;
  /** The role's own vars (vars/main.yml). */
  roleVars: Record<string, unknown>;
  /** `vars:` of the role entry (Ansible's Role.vars): role-vars precedence, under vars/main.yml. */
  entryVars?: Record<string, unknown>;
  /** Role parameters (the entry's other keys). */
  params: Record<string, unknown>;
  /** Direct dependencies (meta/main.yml), including those that run elsewhere (deduplicated). */
  deps: RoleRef[];
  /**
   * The roles this instance was reached through, outermost first (Ansible's dep chain without
   * the role itself): their vars, defaults and params are inherited, and their folders start the
   * task search path (ansible_search_path).
   */
  chain: RoleRef[];
}

/** Role.get_name(): the collection-qualified name of a collection role (banners, ansible_role_name). */
export function roleDisplayName(role: { name: string; collection?: string }): string {
  return role.collection ? `${role.collection}.${role.name}` : role.name;
}

/** Where a module that is not native lives (engine/modules-sdk/finder.ts's ModuleFile). */
export interface ModuleFileRef {
  path: string;
  name: string;
  fqcn: string;
  collectionDir?: string;
  /**
   * 'action': an action plugin file (run by a Python worker), not a module. `fqcn` is then the
   * name module_defaults know the task by, `handler` the plugin's own name and `module` the
   * module its _execute_module runs by default (a module's `action_plugin` routing entry).
   */
  kind?: 'file' | 'action';
  handler?: string;
  module?: string;
}

export interface Task extends CommonKeywords {
  kind: 'task';
  name?: string;
  /** Module/action name, short form (e.g. "command", "include_tasks", "meta"); FQCNs
   *  ansible.builtin.X / ansible.legacy.X are reduced to X, old `include` becomes include_tasks. */
  action: string;
  /** The action key exactly as written (e.g. "ansible.builtin.debug", "include"); used by
   *  --list-tasks, which prints it for unnamed tasks. */
  rawAction?: string;
  /** The module file the action resolved to at load time when it is not a native module
   *  (a role's library/ shadows a native module of the same name). */
  moduleFile?: ModuleFileRef;
  /** Module arguments: dict form; free-form text lands in `_raw_params`. */
  args: Record<string, unknown>;
  /** A dynamic old-style `include f.yml k=v`: the k=v, task vars of the included tasks (2.14's
   *  TaskInclude.get_vars), below set_fact, unlike the include's `vars:` (include params). */
  argVars?: Record<string, unknown>;
  register?: string;
  loop?: unknown;
  /** `with_<lookup>` name when the loop came from with_*, e.g. "items", "dict". */
  loopWith?: string;
  loop_control?: LoopControl;
  changed_when?: unknown[];
  failed_when?: unknown[];
  until?: unknown[];
  retries?: unknown;
  delay?: unknown;
  async?: unknown;
  poll?: unknown;
  /** Handler names, or one template rendering to them (normNotify). */
  notify?: string[] | string;
  /** For handlers: the names it listens to (its name plus `listen`). */
  listen?: string[];
  origin: TaskOrigin;
  /** Unique id within the loaded playbook, stable for a run. */
  id: number;
}

export interface Block extends CommonKeywords {
  kind: 'block';
  name?: string;
  /** Handlers notified by every task of the block that reports a change (inherited). */
  notify?: string[] | string;
  block: Item[];
  rescue: Item[];
  always: Item[];
  origin: TaskOrigin;
  id: number;
  /**
   * Set on an empty stand-in for a role instance that already ran in this play (dropped as
   * Ansible's role cache drops it): the role as it would have been expanded. Nothing runs it;
   * --list-tasks / --list-tags show it, as ansible-playbook lists every occurrence of a role.
   */
  listedDuplicate?: Block;
  /** The `vars:` of a static old-style `include`: include params, above set_fact (Ansible's
   *  get_include_params), besides being the block's vars. */
  includeParams?: Record<string, unknown>;
  /** The role whose task imported this role (import_role): its params and name are include
   *  params of the imported role's tasks (ansible_parent_role_names/_paths). */
  parentRole?: RoleRef;
}

export type Item = Task | Block;

export interface VarsPrompt {
  name: string;
  prompt?: string;
  default?: unknown;
  private?: boolean;
  confirm?: boolean;
  encrypt?: unknown;
  salt_size?: unknown;
  salt?: unknown;
  unsafe?: boolean;
}

export interface Play extends CommonKeywords {
  kind: 'play';
  name?: string;
  hosts: unknown; // pattern string or list, templated at run time
  gather_facts?: unknown;
  gather_subset?: unknown;
  gather_timeout?: unknown;
  fact_path?: unknown;
  serial?: unknown;
  max_fail_percentage?: unknown;
  strategy?: unknown;
  order?: unknown;
  force_handlers?: unknown;
  /** The play's `collections:` list: short role (and, next, module) names are tried in each. */
  collections?: string[];
  vars_files: unknown[];
  vars_prompt: VarsPrompt[];
  pre_tasks: Item[];
  /** Roles of the play's `roles:` list, expanded into blocks (role tasks wrapped per role). */
  roles: Item[];
  tasks: Item[];
  post_tasks: Item[];
  handlers: Task[];
  /** drover extensions (opt-in): see ansible-semantics.md §8. */
  continue_on_batch_failure?: unknown;
  count_unreachable_as_failed?: unknown;
  origin: TaskOrigin;
  id: number;
  /** Role instances seen while loading (non-enumerable); include_role adds to it at run time. */
  roleState?: PlayRoles;
}

/** The role instances of a play, shared by the loader and include_role at run time. */
export interface PlayRoles {
  /** Keys of the role instances expanded so far (a repeated instance runs once). */
  seen: Set<string>;
  /** Role instance by key: a repeated instance (a shared dependency) is the same RoleRef. */
  refs: Map<string, RoleRef>;
  /**
   * Ansible's play.roles: the `roles:` entries, import_role'd roles, and include_role'd roles
   * with `public: true` once included. Their defaults (and, unless private_role_vars, their vars)
   * are seen by every task of the play; role_names and friends list them.
   */
  playRoles: RoleRef[];
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
}
