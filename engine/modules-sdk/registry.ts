// The module registry: resolves a task's action name (short, ansible.builtin.X, ansible.legacy.X
// or an alias) to its ModuleDefinition. Registered modules get a `run` that first normalises
// their arguments (aliases, yes/no, defaults), so callers may pass arguments as written.
import { builtinModules } from '../../modules/index.js';
import type { ModuleDefinition } from './types.js';
import { prepareArgs } from './validate.js';

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** Reduce ansible.builtin.X / ansible.legacy.X to X; other names are returned unchanged. */
export function shortModuleName(name: string): string {
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

/** Wrap a definition so run() sees normalised, validated arguments. */
function normalising(def: ModuleDefinition): ModuleDefinition {
  return {
    ...def,
    run: async (args, ctx) => {
      const p = prepareArgs(def, args ?? {}, { allowTemplates: false });
      if (p.error) return { failed: true, changed: false, msg: p.error };
      return def.run(p.args, ctx);
    },
  };
}

export class ModuleRegistry {
  private readonly byName = new Map<string, ModuleDefinition>();
  private readonly defs: ModuleDefinition[] = [];

  constructor(defs: ModuleDefinition[] = []) {
    for (const d of defs) this.register(d);
  }

  /** Add a module (replacing one of the same name). */
  register(def: ModuleDefinition): void {
    const wrapped = normalising(def);
    const old = this.byName.get(def.name);
    if (old) this.defs.splice(this.defs.indexOf(old), 1);
    this.defs.push(wrapped);
    for (const n of [def.name, ...(def.aliases ?? [])]) this.byName.set(n, wrapped);
  }

  getModule(name: string): ModuleDefinition | undefined {
    return this.byName.get(name) ?? this.byName.get(shortModuleName(name));
  }

  has(name: string): boolean {
    return this.getModule(name) !== undefined;
  }

  /** Every module, sorted by name. */
  listModules(): ModuleDefinition[] {
    return [...this.defs].sort((a, b) => a.name.localeCompare(b.name));
  }
}

let builtin: ModuleRegistry | undefined;

/** The registry of the modules shipped in modules/ (built on first use). */
export function builtinRegistry(): ModuleRegistry {
  return (builtin ??= new ModuleRegistry(builtinModules));
}

export function getModule(name: string): ModuleDefinition | undefined {
  return builtinRegistry().getModule(name);
}

export function listModules(): ModuleDefinition[] {
  return builtinRegistry().listModules();
}
