// What compiled templates run against: the per-render state (variables, memo of lazily templated
// values, context), local frames for {% set %}/{% for %}/macros, and Jinja's attribute and item
// lookup rules that turn missing keys into Undefined instead of JS `undefined`.
import { joinPieces } from './concat.js';
import type { JinjaEnv } from './environment.js';
import type { PluginSource } from './plugin-source.js';
import { pythonMethod } from './methods.js';
import { isMapping, isUnsafeValue, mappingGet, mappingHas, pyRepr, typeName } from './python.js';
import { EvalError, Undefined, UndefinedError, isUndefined } from './undefined.js';

export interface TemplateContext {
  file?: string;
  line?: number;
  /** e.g. "task 'Upgrade'" or "var openshift_release" */
  what?: string;
  /** Directories for relative lookup('file'/'template') paths; overrides `ansible_search_path`. */
  searchPaths?: string[];
  /** Keep unsafe results unsafe (set_fact): text rendered from unsafe data comes back as Unsafe. */
  keepUnsafe?: boolean;
  /** Where a template's warnings go (lookups print them as they run, as Ansible's display does). */
  warn?: (msg: string) => void;
}

/** Variables: a plain record, a function (undefined = not defined), a Map or a get/has pair. */
export type VarLookup =
  | Record<string, unknown>
  | ((name: string) => unknown)
  | Map<string, unknown>
  | { get(name: string): unknown; has(name: string): boolean };

/**
 * Normalised variable access: undefined means "not defined". `names` lists them when known;
 * `unsafe` (when the lookup knows) says a variable holds unsafe data even though its value reads
 * as plain text; `textType` names its str subclass (AnsibleUnsafeText...) for type_debug.
 */
export type VarSource = ((name: string) => unknown) & {
  names?: () => string[];
  unsafe?: (name: string) => boolean;
  textType?: (name: string) => string | undefined;
};

export function toVarSource(vars: VarLookup): VarSource {
  if (typeof vars === 'function') return vars;
  if (vars instanceof Map) return Object.assign((n: string) => vars.get(n), { names: () => [...vars.keys()] });
  const gh = vars as { get?: unknown; has?: unknown };
  if (typeof gh.get === 'function' && typeof gh.has === 'function') {
    const src = vars as {
      get(name: string): unknown;
      has(name: string): boolean;
      names?(): string[];
      isUnsafe?(name: string): boolean;
      textType?(name: string): string | undefined;
    };
    const fn: VarSource = (n) => (src.has(n) ? src.get(n) : undefined);
    if (typeof src.names === 'function') fn.names = () => src.names!();
    if (typeof src.isUnsafe === 'function') fn.unsafe = (n) => src.isUnsafe!(n);
    if (typeof src.textType === 'function') fn.textType = (n) => src.textType!(n);
    return fn;
  }
  const rec = vars as Record<string, unknown>;
  return Object.assign((n: string) => (Object.prototype.hasOwnProperty.call(rec, n) ? rec[n] : undefined), { names: () => Object.keys(rec) });
}

/** A function callable from templates: globals, bound Python methods, macros. */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kwargs: Record<string, unknown>, rt: Runtime) => unknown,
  ) {}
  pyRepr(): string {
    return `<function ${this.name}>`;
  }
  toString(): string {
    return this.pyRepr();
  }
}

/** Services the Templar provides to running templates. */
export interface TemplarHost {
  /** Template a variable's value on first use (Ansible templates variables lazily). */
  templateVarValue(name: string, value: unknown, rt: Runtime): unknown;
  /** Built-in functions: lookup, query, range, dict, namespace... */
  globals: Map<string, unknown>;
  /** The compiled template `name` for include/import (an error with code ENOENT when missing). */
  loadTemplate(name: string, rt: Runtime): (rt: Runtime, f: Frame, out: unknown[]) => void;
  /** Filters and tests the run adds (Python plugins), for names drover lacks natively. */
  plugins?: PluginSource;
}

export class Runtime {
  /** Top-level variables already looked up (and templated) during this render. */
  readonly memo = new Map<string, unknown>();
  /** Variables being templated right now, to detect `a: "{{ b }}", b: "{{ a }}"`. */
  readonly resolving = new Set<string>();
  /** The last lookup() result Ansible would return as NativeJinjaText (see globals.ts). */
  nativeResult: string | undefined;
  /** Unsafe data was read (a lookup, an !unsafe or registered value): the result is unsafe too. */
  unsafe = false;
  /** The last whole template was one NativeJinjaText piece (to_json...), so its text is one too. */
  nativeText = false;
  /** Top-level variables that held unsafe data (a memoised lookup marks the render again). */
  private readonly unsafeVars = new Set<string>();
  constructor(
    readonly host: TemplarHost,
    readonly vars: VarSource,
    readonly ctx: TemplateContext | undefined,
    /** How output pieces become a value (macros, set blocks and the template itself). */
    readonly concat: (out: unknown[]) => unknown = joinPieces,
    /** The Jinja settings of the template being rendered (for its includes); undefined = defaults. */
    readonly env?: Readonly<JinjaEnv>,
  ) {}

  /** The same render with another environment (a template with `#jinja2:` overrides). */
  withEnv(env: Readonly<JinjaEnv>): Runtime {
    const rt = new Runtime(this.host, this.vars, this.ctx, this.concat, env);
    for (const [k, v] of this.memo) rt.memo.set(k, v);
    rt.parent = this;
    return rt;
  }

  /** The same render seeing only globals (imports, `include ... without context`). */
  withoutContext(): Runtime {
    const rt = new Runtime(this.host, () => undefined, this.ctx, this.concat, this.env);
    rt.parent = this;
    return rt;
  }

  /** The render this one serves (withEnv), which must learn that unsafe data was read. */
  private parent: Runtime | undefined;

  /** The top-level variable holds unsafe data (an !unsafe, registered or lookup-built value). */
  isUnsafeVar(name: string): boolean {
    return this.unsafeVars.has(name) || (this.vars.unsafe?.(name) ?? false);
  }

  /** The str subclass of a top-level variable's text, when the variables know it. */
  textTypeOf(name: string): string | undefined {
    return this.vars.textType?.(name);
  }

  markUnsafe(): void {
    this.unsafe = true;
    this.parent?.markUnsafe();
  }

  lookupVar(name: string): unknown {
    if (this.memo.has(name)) {
      if (this.unsafeVars.has(name)) this.markUnsafe();
      return this.memo.get(name);
    }
    let v: unknown;
    let raw: unknown;
    try {
      raw = this.vars(name);
    } catch (e) {
      // AnsibleJ2Vars: a variable whose own template hits an undefined one is itself undefined
      // (lazily: `x is undefined` and `x | default()` work, using it fails with the cause)
      if (!(e instanceof UndefinedError) && (e as { undefinedVariable?: unknown }).undefinedVariable !== true) throw e;
      v = new Undefined((e as Error).message, name);
      this.memo.set(name, v);
      return v;
    }
    if (raw !== undefined && (isUnsafeValue(raw) || this.vars.unsafe?.(name))) {
      this.unsafeVars.add(name);
      this.markUnsafe();
    }
    if (raw !== undefined) {
      v = this.host.templateVarValue(name, raw, this);
    } else if (this.host.globals.has(name)) {
      v = this.host.globals.get(name);
    } else {
      v = new Undefined(`'${name}' is undefined`, name);
    }
    this.memo.set(name, v);
    return v;
  }
}

export interface Frame {
  vars: Map<string, unknown>;
  parent: Frame | null;
}

export const NOT_FOUND = Symbol('not found');

export function newFrame(parent: Frame | null): Frame {
  return { vars: new Map(), parent };
}

export function lookupLocal(f: Frame | null, name: string): unknown {
  for (let fr = f; fr; fr = fr.parent) {
    if (fr.vars.has(name)) return fr.vars.get(name);
  }
  return NOT_FOUND;
}

/** Objects with their own template-visible attributes (loop, namespace, dates). */
export interface HasPyAttrs {
  pyAttr(name: string): unknown;
}

function hasPyAttrs(v: unknown): v is HasPyAttrs {
  return typeof v === 'object' && v !== null && typeof (v as HasPyAttrs).pyAttr === 'function';
}

/** Jinja's object_type_repr: "None", or "<type> object". */
function objectTypeRepr(obj: unknown): string {
  return obj === null || obj === undefined ? 'None' : `${typeName(obj)} object`;
}

/**
 * Jinja's message for a missing attribute or item: "'dict object' has no attribute 'x'" for
 * names, "list object has no element 3" for other keys (the variable's name is not in it).
 */
function noAttr(_desc: string, key: unknown, obj: unknown): Undefined {
  const k = typeof key === 'string' ? key : pyRepr(key);
  if (typeof key === 'string') return new Undefined(`'${objectTypeRepr(obj)}' has no attribute ${pyRepr(key)}`, k);
  return new Undefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`, k);
}

function itemOf(obj: unknown, key: unknown): unknown {
  if (isMapping(obj)) {
    if (obj instanceof Map) {
      if (obj.has(key)) return obj.get(key);
      return typeof key === 'number' && obj.has(String(key)) ? obj.get(String(key)) : undefined;
    }
    const k = typeof key === 'number' || typeof key === 'boolean' ? String(key) : key;
    return mappingHas(obj, k) ? mappingGet(obj, k) : undefined;
  }
  if ((Array.isArray(obj) || typeof obj === 'string') && typeof key === 'number' && Number.isInteger(key)) {
    const idx = key < 0 ? obj.length + key : key;
    return idx >= 0 && idx < obj.length ? obj[idx] : undefined;
  }
  if (hasPyAttrs(obj) && typeof key === 'string') return obj.pyAttr(key);
  if (Array.isArray(obj) && typeof key === 'string') {
    const fields = (obj as { pyFields?: Record<string, number> }).pyFields;
    if (fields && key in fields) return obj[fields[key]];
  }
  return undefined;
}

/** `obj.key`: Python attribute (methods) first, then item, as Jinja's getattr does. */
export function getAttr(obj: unknown, key: unknown, desc: string): unknown {
  if (isUndefined(obj)) return obj;
  if (typeof key === 'string') {
    if (hasPyAttrs(obj)) {
      const a = obj.pyAttr(key);
      if (a !== undefined) return a;
    }
    const m = pythonMethod(obj, key);
    if (m) return m;
  }
  const v = itemOf(obj, key);
  return v === undefined ? noAttr(desc, key, obj) : v;
}

/** `obj[key]`: item first, then attribute. */
export function getItem(obj: unknown, key: unknown, desc: string): unknown {
  if (isUndefined(obj)) return obj;
  if (isUndefined(key)) key.fail();
  const v = itemOf(obj, key);
  if (v !== undefined) return v;
  if (typeof key === 'string') {
    const m = pythonMethod(obj, key);
    if (m) return m;
  }
  return noAttr(desc, key, obj);
}

/** Python slicing of lists and strings. */
export function pySlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (isUndefined(obj)) return obj;
  const seq = typeof obj === 'string' ? [...obj] : obj;
  if (!Array.isArray(seq)) throw new EvalError(`'${typeName(obj)}' object is not subscriptable`);
  const n = seq.length;
  const st = step === null || step === undefined ? 1 : Number(step);
  if (st === 0) throw new EvalError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    let i = Number(v);
    if (i < 0) i += n;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    for (let i = norm(start, 0, 0, n), e = norm(stop, n, 0, n); i < e; i += st) out.push(seq[i]);
  } else {
    for (let i = norm(start, n - 1, -1, n - 1), e = norm(stop, -1, -1, n - 1); i > e; i += st) out.push(seq[i]);
  }
  return typeof obj === 'string' ? out.join('') : out;
}

/** Call a template-visible function; JS functions from variables are not callable. */
export function callValue(fn: unknown, args: unknown[], kwargs: Record<string, unknown>, rt: Runtime, desc: string): unknown {
  if (fn instanceof PyCallable) return fn.fn(args, kwargs, rt);
  if (isUndefined(fn)) fn.fail();
  throw new EvalError(`'${desc}' (${typeName(fn)}) is not callable`);
}

/** Jinja's `loop` variable inside {% for %}. */
export class LoopInfo implements HasPyAttrs {
  constructor(
    private readonly items: unknown[],
    public index0: number,
    readonly depth0: number,
  ) {}
  pyAttr(name: string): unknown {
    const n = this.items.length;
    const i = this.index0;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new Undefined("'loop' has no attribute 'previtem'", 'previtem');
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new Undefined("'loop' has no attribute 'nextitem'", 'nextitem');
      case 'cycle':
        return new PyCallable('loop.cycle', (args) => {
          if (!args.length) throw new EvalError('no items for cycling given');
          return args[i % args.length];
        });
      default:
        return undefined;
    }
  }
  pyRepr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}

/** Jinja's namespace(): the one object `{% set ns.attr = v %}` may write to. */
export class Namespace implements HasPyAttrs {
  readonly attrs = new Map<string, unknown>();
  pyAttr(name: string): unknown {
    return this.attrs.get(name);
  }
  pyRepr(): string {
    return `<Namespace ${[...this.attrs].map(([k, v]) => `${k}=${pyRepr(v)}`).join(', ')}>`;
  }
}
