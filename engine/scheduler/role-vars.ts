// The variables roles contribute to a task, as ansible-core 2.14 computes them
// (playbook/role/__init__.py get_default_vars, get_inherited_vars, get_vars, get_role_params,
// and VariableManager.get_vars): every play role's defaults (and vars, unless
// private_role_vars) for every task of the play, then the task's own role along its dependency
// chain, where a role sees its dependencies' vars under its own and its parents' over them.
// Results are cached per role instance; the play-wide layers per number of play roles (the list
// only grows, when include_role has public: true).
import { roleDisplayName, type PlayRoles, type RoleRef } from '../playbook/types.js';
import { combineVars, type Vars } from '../vars/combine.js';

export interface TaskRoleLayers {
  /** role defaults: play roles', then the task's role (deps, chain, own) over them. */
  defaults: Vars[];
  /** role vars: play roles' (unless private), then the task's role along its chain. */
  vars: Vars[];
  /** role params along the chain (the task's own role last). */
  params?: Vars;
}

/** Role.get_all_dependencies(): every dependency, depth first, each after its own dependencies. */
export function allDependencies(ref: RoleRef): RoleRef[] {
  const out: RoleRef[] = [];
  for (const dep of ref.deps) out.push(...allDependencies(dep), dep);
  return out;
}

export class RoleVars {
  private readonly own = new WeakMap<RoleRef, { defaults: Vars; vars: Vars }>();
  private readonly ofTask = new WeakMap<RoleRef, { defaults: Vars; vars: Vars; params: Vars }>();
  private play?: { count: number; defaults: Vars; vars: Vars };

  constructor(
    private readonly roles: PlayRoles | undefined,
    private readonly merge: boolean,
    private readonly privateRoleVars: boolean,
  ) {}

  private combine(a: Vars, b: Vars | undefined): Vars {
    return b ? combineVars(a, b, this.merge) : a;
  }

  /** get_default_vars() and get_vars(include_params=False) of a role without a chain. */
  private ownVars(ref: RoleRef): { defaults: Vars; vars: Vars } {
    let hit = this.own.get(ref);
    if (!hit) {
      let defaults: Vars = {};
      let vars: Vars = {};
      for (const dep of allDependencies(ref)) {
        const d = this.ownVars(dep);
        defaults = this.combine(defaults, d.defaults);
        vars = this.combine(vars, d.vars);
      }
      hit = { defaults: this.combine(defaults, ref.defaults), vars: this.combine(this.combine(vars, ref.entryVars), ref.roleVars) };
      this.own.set(ref, hit);
    }
    return hit;
  }

  /** The layers every task of the play sees from play.get_roles(). */
  private playLayers(): { defaults: Vars; vars: Vars } {
    const list = this.roles?.playRoles ?? [];
    if (this.play?.count === list.length) return this.play;
    let defaults: Vars = {};
    let vars: Vars = {};
    for (const ref of list) {
      const o = this.ownVars(ref);
      defaults = this.combine(defaults, o.defaults);
      if (!this.privateRoleVars) vars = this.combine(vars, o.vars);
    }
    this.play = { count: list.length, defaults, vars };
    return this.play;
  }

  /** The task's role with its dep chain ([...ref.chain, ref], as Role.compile gives its blocks). */
  private taskRole(ref: RoleRef): { defaults: Vars; vars: Vars; params: Vars } {
    let hit = this.ofTask.get(ref);
    if (!hit) {
      const chain = [...ref.chain, ref];
      const deps = allDependencies(ref);
      let defaults: Vars = {};
      for (const dep of deps) defaults = this.combine(defaults, this.ownVars(dep).defaults);
      for (const p of chain) defaults = this.combine(defaults, p.defaults);
      defaults = this.combine(defaults, ref.defaults);
      // get_inherited_vars(dep_chain), then the dependencies', then the role's own
      let vars: Vars = {};
      for (const p of chain) vars = this.combine(this.combine(vars, p.entryVars), p.roleVars);
      for (const dep of deps) vars = this.combine(vars, this.ownVars(dep).vars);
      vars = this.combine(this.combine(vars, ref.entryVars), ref.roleVars);
      let params: Vars = {};
      for (const p of chain) params = this.combine(params, p.params);
      params = this.combine(params, ref.params);
      hit = { defaults, vars, params };
      this.ofTask.set(ref, hit);
    }
    return hit;
  }

  /** The role layers of a task whose role is `ref` (undefined outside roles). */
  layers(ref: RoleRef | undefined): TaskRoleLayers {
    const play = this.playLayers();
    if (!ref) return { defaults: [play.defaults], vars: [play.vars] };
    const own = this.taskRole(ref);
    return { defaults: [play.defaults, own.defaults], vars: [play.vars, own.vars], params: own.params };
  }

  /** role_names, ansible_role_names, ansible_play_role_names, ansible_dependent_role_names. */
  names(): Record<string, string[]> {
    const list = this.roles?.playRoles ?? [];
    const play = list.map(roleDisplayName);
    const deps = [...new Set(list.flatMap((r) => allDependencies(r).map(roleDisplayName)))];
    return {
      ansible_role_names: [...new Set([...deps, ...play])],
      ansible_play_role_names: play,
      ansible_dependent_role_names: deps,
      role_names: play,
    };
  }
}
