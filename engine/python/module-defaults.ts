// module_defaults as ansible-core 2.14 applies them (playbook/base.py _load_module_defaults and
// _resolve_group, executor/module_common.py get_action_args_with_defaults). Each key names an
// action as Ansible resolves it: a short name is ansible.legacy.X (and also gives defaults to
// ansible.builtin.X), resolved through library/, action_plugins/, collections and redirects to one
// fully qualified name; a task gets the defaults of its own resolved name. `group/NAME` keys name an
// action group from a collection's meta/runtime.yml `action_groups` (a short group name is
// ansible.builtin's, from ansible-core's ansible_builtin_runtime.yml), with `metadata.extend_group`
// including other groups. Layers (play, blocks, task) merge outermost first; values are templated;
// the task's own arguments win.
import { DroverError } from '../errors/index.js';
import type { CollectionMeta } from '../search/collection-meta.js';
import { parseFqcr } from '../search/collections.js';

export interface ModuleDefaultsOptions {
  /** The resolved fully qualified name of an action or module name (undefined: not found). */
  resolve(name: string): string | undefined;
  /** The collections' runtime.yml (and ansible-core's, for ansible.builtin's groups). */
  meta: CollectionMeta;
  /** A [WARNING] (invalid group metadata); unset: metadata is not validated (VALIDATE_ACTION_GROUP_METADATA off). */
  warn?(message: string): void;
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const pyRepr = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(pyRepr).join(', ')}]` : isDict(v) ? `{${Object.entries(v).map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(', ')}}` : typeof v === 'string' ? `'${v}'` : String(v);

export class ModuleDefaults {
  private readonly resolved = new Map<string, string | undefined>();
  private readonly groups = new Map<string, string[]>();

  constructor(private readonly o: ModuleDefaultsOptions) {}

  /**
   * The task's arguments over its defaults. `layers` is the module_defaults keyword of the play,
   * blocks and task (outermost first), each a dict or a list of dicts; `render` templates a value.
   */
  apply(fqcn: string, layers: unknown[], args: Record<string, unknown>, render: (v: unknown) => unknown): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    for (const layer of layers) {
      for (const dict of Array.isArray(layer) ? layer : [layer]) {
        if (dict === null || dict === undefined) continue;
        if (!isDict(dict)) {
          throw new DroverError(
            "The field 'module_defaults' is supposed to be a dictionary or list of dictionaries, the keys of which must be static action, module, or group names. Only the values may contain templates. For example: {'ping': \"{{ ping_defaults }}\"}",
          );
        }
        Object.assign(merged, this.normalise(dict));
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(merged)) {
      if (key.startsWith('group/') && this.groups.get(key.slice('group/'.length))?.includes(fqcn)) Object.assign(out, (render(value) as Record<string, unknown> | null) ?? {});
    }
    if (merged[fqcn] !== undefined) Object.assign(out, (render(merged[fqcn]) as Record<string, unknown> | null) ?? {});
    return { ...out, ...args };
  }

  /** _load_module_defaults: keys as resolved action names and fully qualified groups. */
  private normalise(dict: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [entry, value] of Object.entries(dict)) {
      if (entry.startsWith('group/')) {
        out[`group/${this.group(entry.slice('group/'.length), true)}`] = value;
        continue;
      }
      const name = entry.split('.').length < 3 ? `ansible.legacy.${entry}` : entry;
      const action = this.action(name);
      if (!action) throw new DroverError(`Could not resolve action ${name} in module_defaults`);
      out[action] = value;
      if (name.startsWith('ansible.legacy.')) {
        // ansible.legacy defaults are inherited by the ansible.builtin subset, when it exists
        const builtin = this.action(name.replace('ansible.legacy.', 'ansible.builtin.'));
        if (builtin) out[builtin] = value;
      }
    }
    return out;
  }

  private action(name: string): string | undefined {
    if (!this.resolved.has(name)) this.resolved.set(name, this.o.resolve(name));
    return this.resolved.get(name);
  }

  /** _resolve_group: the fully qualified group name; its actions (with extended groups) are cached. */
  private group(name: string, mandatory: boolean): string {
    const fq = parseFqcr(name) ? name : `ansible.builtin.${name}`;
    if (this.groups.has(fq)) return fq;
    const collection = fq.split('.').slice(0, 2).join('.');
    const groups = this.o.meta.of(collection)?.action_groups;
    const entries = isDict(groups) ? (groups[fq] ?? groups[fq.slice(collection.length + 1)]) : undefined;
    if (!Array.isArray(entries)) {
      if (!mandatory) {
        this.groups.set(fq, []);
        return fq;
      }
      throw new DroverError(`Error loading module_defaults: could not resolve the module_defaults group ${fq}`);
    }
    const actions: string[] = [];
    let extend: unknown[] = [];
    let foundMetadata = false;
    for (const entry of entries) {
      if (typeof entry === 'string') {
        const resolved = this.action(parseFqcr(entry) ? entry : `${collection}.${entry}`);
        if (resolved) actions.push(resolved);
        continue;
      }
      this.checkMetadata(entry, foundMetadata, fq);
      const meta = isDict(entry) ? entry.metadata : undefined;
      if (isDict(meta)) {
        foundMetadata = true;
        const ext = meta.extend_group ?? [];
        extend = typeof ext === 'string' ? [ext] : Array.isArray(ext) ? ext : [];
      }
    }
    // cached before the extended groups are resolved: groups may extend each other
    this.groups.set(fq, actions);
    for (const inc of extend) {
      const incName = parseFqcr(String(inc)) ? String(inc) : `${collection}.${String(inc)}`;
      const incFq = this.group(incName, false);
      actions.push(...(this.groups.get(incFq) ?? []).filter((a) => !actions.includes(a)));
    }
    return fq;
  }

  /** _validate_action_group_metadata's warning. */
  private checkMetadata(entry: unknown, foundMetadata: boolean, fq: string): void {
    if (!this.o.warn) return;
    const problems: string[] = [];
    const metadataOnly = isDict(entry) && 'metadata' in entry && Object.keys(entry).length === 1;
    if (!metadataOnly) {
      problems.push(`The only expected key is metadata, but got keys: ${isDict(entry) ? Object.keys(entry).sort().join(', ') : ''}`);
    } else {
      const meta = entry.metadata;
      if (foundMetadata) problems.push('The group contains multiple metadata entries.');
      if (!isDict(meta)) problems.push(`The metadata is not a dictionary. Got ${pyRepr(meta)}`);
      else {
        const unexpected = Object.keys(meta).filter((k) => k !== 'extend_group');
        if (unexpected.length) problems.push(`The metadata contains unexpected keys: ${unexpected.join(', ')}`);
        const ext = meta.extend_group;
        if (ext !== undefined && typeof ext !== 'string' && !Array.isArray(ext)) problems.push(`The metadata contains unexpected key types: extend_group is ${pyRepr(ext)} (expected type list)`);
      }
    }
    if (problems.length) this.o.warn?.([`Invalid metadata was found for action_group ${fq} while loading module_defaults.`, ...problems].join(' '));
  }

}
