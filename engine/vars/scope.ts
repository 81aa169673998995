// Variable precedence as one table (lowest first), looked up lazily: a scope is a list of
// references to layers, searched from the top; nothing is merged or copied per task. Values that
// are templates are rendered on first access and cached in the scope (Ansible renders lazily too).
// With hash_behaviour=merge a dictionary is merged with the dictionaries of the same name below it
// (combine_vars between layers), at lookup time, on the raw values, as Ansible merges them.
import { mergeable, mergeHash } from './combine.js';

import { UNSAFE, Unsafe, detuple, isUnsafeValue, unwrapUnsafe } from '../template/python.js';

/** Ansible's precedence, lowest first. One layer may be absent for a given task. */
export const PRECEDENCE = [
  'role_defaults', // roles/x/defaults/main.yml (the task's role and its dependencies)
  'inventory', // inventory group vars → group_vars/ → host vars → host_vars/ (inventory, then playbook side)
  'facts', // gathered facts, also injected as ansible_* variables
  'play_vars', // play `vars:` and answered vars_prompt
  'vars_files', // play `vars_files:`
  'role_vars', // roles/x/vars/main.yml
  'block_vars', // enclosing blocks, outermost first
  'task_vars', // the task's `vars:`
  'include_vars', // include_vars results (host scoped, kept across plays)
  'host_facts', // set_fact and register (host scoped, kept across plays)
  'role_params', // role parameters (roles: - role: x, param: 1)
  'include_params', // include_tasks/include_role parameters
  'extra_vars', // -e, always win over the above
  'magic', // inventory_hostname, groups, hostvars, ansible_play_* ... cannot be overridden
] as const;

export type LayerName = (typeof PRECEDENCE)[number];
export type Layer = Readonly<Record<string, unknown>>;

/**
 * Renders a raw value. With `keepUnsafe`, text built from unsafe data comes back wrapped (the
 * template layer's Unsafe, see wrapUnsafe) so the scope knows it and its Python type.
 */
export type Renderer = (value: unknown, lookup: VarLookup, opts?: { keepUnsafe?: boolean }) => unknown;

export interface VarLookup {
  get(name: string): unknown;
  has(name: string): boolean;
}

const UNSET = Symbol('unset');

/** Set on lazy views (hostvars) that must never be walked: they hold no raw templates. */
export const OPAQUE = Symbol.for('drover.opaque');

/**
 * Registered task results are unsafe in Ansible (wrap_var): their text ("{{ foo }}" printed by a
 * command) is never templated again. The mark is a non-enumerable OPAQUE, invisible to output.
 */
export function markUnsafe<T extends object>(v: T): T {
  if (!Object.prototype.hasOwnProperty.call(v, OPAQUE)) Object.defineProperty(v, OPAQUE, { value: true });
  if (!Object.prototype.hasOwnProperty.call(v, UNSAFE)) Object.defineProperty(v, UNSAFE, { value: true });
  return v;
}

/** The value needs the renderer: it holds templates, or unsafe text to unwrap. */
function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (v instanceof Unsafe) return true;
  if (Array.isArray(v)) return v.some(hasTemplate);
  // lazy views and registered results are never walked; other unsafe containers are unwrapped
  if (v && typeof v === 'object' && (v as Record<symbol, unknown>)[OPAQUE]) return false;
  if (v && typeof v === 'object' && (v as Record<symbol, unknown>)[UNSAFE]) return true;
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate);
  return false;
}

/**
 * Marks a layer whose values only mirror settings for templates (the connection variables
 * PlayContext.update_vars adds where unset): what decides a connection must not read them back.
 */
export const MIRROR = Symbol.for('drover.mirror');

export interface ScopeOptions {
  /** hash_behaviour=merge: dictionaries of different layers are merged (combine_vars). */
  merge?: boolean;
}

export class VarScope implements VarLookup {
  /** Layers from highest to lowest precedence (search order). */
  private readonly search: Layer[];
  private readonly rendered = new Map<string, unknown>();
  private readonly rendering = new Set<string>();
  /** Rendered variables whose value came from unsafe data, with its str type (type_debug). */
  private readonly unsafeTypes = new Map<string, string | undefined>();

  /**
   * `layers`: each precedence level's layer, or several layers (lowest first) that Ansible
   * combines as one level. Under merge, pass a level's layers already combined the way Ansible
   * combines them inside the level. `overlays`: how many layers on top replace instead of merge
   * (loop items, registered results: Ansible sets them on the task's variables directly).
   */
  constructor(
    layers: Partial<Record<LayerName, Layer | Layer[] | undefined>>,
    private readonly render: Renderer,
    search?: Layer[],
    private readonly options: ScopeOptions = {},
    private readonly overlays = 0,
  ) {
    if (search) {
      this.search = search;
      return;
    }
    const ordered: Layer[] = [];
    for (const name of PRECEDENCE) {
      const l = layers[name];
      if (!l) continue;
      if (Array.isArray(l)) ordered.push(...l);
      else ordered.push(l);
    }
    this.search = ordered.reverse();
  }

  /**
   * A scope with `overlay` on top of everything (loop item, the task's own registered result
   * for changed_when/failed_when/until). Cheap: shares the layers, not the render cache.
   */
  with(overlay: Layer): VarScope {
    return new VarScope({}, this.render, [overlay, ...this.search], this.options, this.overlays + 1);
  }

  /** The raw (unrendered) value and whether it exists. */
  raw(name: string): unknown | typeof UNSET {
    const { search } = this;
    for (let i = 0; i < search.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(search[i], name)) continue;
      const top = search[i][name];
      if (!this.options.merge || i < this.overlays) return top;
      // combine_vars from the lowest layer up: dictionaries merge until a non-dictionary replaces
      let merged = top;
      for (let j = i + 1; j < search.length; j++) {
        if (!Object.prototype.hasOwnProperty.call(search[j], name)) continue;
        const below = search[j][name];
        if (!mergeable(below, merged)) break;
        merged = mergeHash(below as Record<string, unknown>, merged as Record<string, unknown>);
      }
      return merged;
    }
    return UNSET;
  }

  /** The value as written in its layer(s), not rendered; undefined when unset. */
  rawValue(name: string): unknown {
    const v = this.raw(name);
    return v === UNSET ? undefined : v;
  }

  has(name: string): boolean {
    return this.raw(name) !== UNSET;
  }

  /** The variable holds unsafe data (`!unsafe`, a registered result, a fact set from either). */
  isUnsafe(name: string): boolean {
    if (this.unsafeTypes.has(name)) return true;
    const v = this.raw(name);
    return v !== UNSET && isUnsafeValue(v);
  }

  /** The Python str subclass of a variable's text when it is not plain str (AnsibleUnsafeText...). */
  textType(name: string): string | undefined {
    if (this.unsafeTypes.has(name)) return this.unsafeTypes.get(name);
    const v = this.raw(name);
    return v instanceof Unsafe ? v.pyType : undefined;
  }

  get(name: string): unknown {
    if (this.rendered.has(name)) return this.rendered.get(name);
    const value = this.raw(name);
    if (value === UNSET) return undefined;
    if (!hasTemplate(value)) return detuple(value);
    if (this.rendering.has(name)) {
      throw new Error(`recursive loop detected in template string for variable '${name}'`);
    }
    this.rendering.add(name);
    try {
      const wrapped = this.render(value, this, { keepUnsafe: true });
      const out = unwrapUnsafe(wrapped);
      if (isUnsafeValue(wrapped)) this.unsafeTypes.set(name, wrapped instanceof Unsafe ? wrapped.pyType : undefined);
      this.rendered.set(name, out);
      return out;
    } finally {
      this.rendering.delete(name);
    }
  }

  /** The value, unless only a MIRROR layer sets it (then undefined, as if unset). */
  getUnmirrored(name: string): unknown {
    for (const layer of this.search) {
      if (!Object.prototype.hasOwnProperty.call(layer, name)) continue;
      return (layer as Record<symbol, unknown>)[MIRROR] ? undefined : this.get(name);
    }
    return undefined;
  }

  /** Every visible variable name (for debug var=vars, lookup('vars'), etc.). */
  names(): string[] {
    const seen = new Set<string>();
    for (const layer of this.search) for (const k of Object.keys(layer)) seen.add(k);
    return [...seen];
  }

  /** A plain object of all visible variables, rendered (used rarely: `vars` magic, include_role). */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.names()) out[k] = this.get(k);
    return out;
  }
}
