// What compiled templates run against: the per-render state (variables, memo of lazily templated
// values, context), local frames for {% set %}/{% for %}/macros, and Jinja's attribute and item
// lookup rules that turn missing keys into Undefined instead of JS `undefined`.
import { pythonMethod } from './methods.js';
import { isMapping, mappingGet, mappingHas, pyNumber, pyRepr, typeName } from './python.js';
import { EvalError, Undefined, isUndefined } from './undefined.js';

export interface TemplateContext {
  file?: string;
  line?: number;
  /** e.g. "task 'Upgrade'" or "var openshift_release" */
  what?: string;
  /** Directories for relative lookup('file'/'template') paths; overrides `ansible_search_path`. */
  searchPaths?: string[];
  /** Where a template's warnings go (lookups print them as they run, as Ansible's display does). */
  warn?: (msg: string) => void;
}

/** Variables: a plain record, a function (undefined = not defined), a Map or a get/has pair. */
export type VarLookup =
  | Record<string, unknown>
  | ((name: string) => unknown)
  | Map<string, unknown>
  | { get(name: string): unknown; has(name: string): boolean };

/** Normalised variable access: undefined means "not defined". `names` lists them when known. */
export type VarSource = ((name: string) => unknown) & { names?: () => string[] };

export function toVarSource(vars: VarLookup): VarSource {
  if (typeof vars === 'function') return vars;
  if (vars instanceof Map) return Object.assign((n: string) => vars.get(n), { names: () => [...vars.keys()] });
  const gh = vars as { get?: unknown; has?: unknown; names?: unknown };
  if (typeof gh.get === 'function' && typeof gh.has === 'function') {
    const src = vars as { get(name: string): unknown; has(name: string): boolean; names?: () => string[] };
    const get = (n: string) => (src.has(n) ? src.get(n) : undefined);
    return typeof src.names === 'function' ? Object.assign(get, { names: () => src.names!() }) : get;
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
  /** Render `{% include name %}` in the given frame. */
  include(name: string, rt: Runtime, frame: Frame): string;
}

export class Runtime {
  /** Top-level variables already looked up (and templated) during this render. */
  readonly memo = new Map<string, unknown>();
  /** Variables being templated right now, to detect `a: "{{ b }}", b: "{{ a }}"`. */
  readonly resolving = new Set<string>();
  constructor(
    readonly host: TemplarHost,
    readonly vars: VarSource,
    readonly ctx: TemplateContext | undefined,
  ) {}

  lookupVar(name: string): unknown {
    if (this.memo.has(name)) return this.memo.get(name);
    let v: unknown;
    const raw = this.vars(name);
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

function noAttr(desc: string, key: unknown, obj: unknown): Undefined {
  const k = typeof key === 'string' ? key : pyRepr(key);
  if (obj === null || obj === undefined) return new Undefined(`'${desc}' is None and has no attribute '${k}'`, k);
  return new Undefined(`'${desc}' has no attribute '${k}'`, k);
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
  if ((Array.isArray(obj) || typeof obj === 'string') && typeof key === 'number') {
    return new Undefined(`'${desc}' has no element ${pyNumber(key)}`, String(key));
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
