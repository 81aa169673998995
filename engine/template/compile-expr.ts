// Compiles expression nodes into closures once; rendering a template for another host only calls
// them. Implements Jinja2/Python semantics: strict undefined, operators, filters, tests, calls.
import { compareOp, pyAdd, pyDiv, pyFloorDiv, pyIn, pyMod, pyMul, pyNeg, pyPos, pyPow, pySub } from './ops.js';
import type { Node } from './parser.js';
import { compileTyped } from './compile-types.js';
import { pyRepr, pyStr, pythonTruthy, tuple } from './python.js';
import { filters, shortName, tests, type FilterSpec, type Kwargs } from './registry.js';
import { NOT_FOUND, callValue, getAttr, getItem, lookupLocal, pySlice, type Frame, type Runtime } from './runtime.js';
import { EvalError, Undefined, UndefinedError, defined } from './undefined.js';

export type Expr = (rt: Runtime, f: Frame) => unknown;

/** Statement-level constructs an expression may contain (`{% call %}` bodies, filter blocks). */
export interface ExprHooks {
  caller(node: Node): Expr;
  capture(node: Node): Expr;
}

/** A syntax problem found while compiling (unknown filter or test, unsupported construct). */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly lineno?: number,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/** A filter failed: the message names it. */
export class FilterError extends EvalError {}

/** Jinja's TemplateSyntaxError from Ansible's plugin loader: a filter or test that does not exist. */
export class PluginNotFound extends EvalError {
  readonly pythonType = 'TemplateSyntaxError';
}

const PY_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

/** JinjaPluginIntercept's message: `Could not load "x": 'x'` (or why the name is invalid). */
export function unknownPlugin(name: string): PluginNotFound {
  const key = name.includes('.') ? name : `ansible.builtin.${name}`;
  const parts = key.split('.');
  const valid = parts.length >= 3 && parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) && !PY_KEYWORDS.has(p));
  return new PluginNotFound(`Could not load "${name}": '${valid ? name : `invalid plugin name: ${key}`}'`);
}

const CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };

/** Short source-like text for a node, used in "has no attribute" messages. */
export function describe(n: Node): string {
  switch (n.typename) {
    case 'Symbol':
      return n.value;
    case 'Literal':
      return pyRepr(n.value);
    case 'LookupVal': {
      const key = n.val;
      if (key.typename === 'Literal' && typeof key.value === 'string' && /^[A-Za-z_]\w*$/.test(key.value) && n.dot) {
        return `${describe(n.target)}.${key.value}`;
      }
      return `${describe(n.target)}[${key.typename === 'Literal' ? pyRepr(key.value) : describe(key)}]`;
    }
    case 'FunCall':
      return `${describe(n.name)}()`;
    case 'Filter':
      return `${describe(n.args.children[0])} | ${n.name.value}`;
    default:
      return n.typename.toLowerCase();
  }
}

function compileArgs(list: Node | null, hooks: ExprHooks): { pos: Expr[]; kw: [string, Expr][] } {
  const pos: Expr[] = [];
  const kw: [string, Expr][] = [];
  for (const c of list?.children ?? []) {
    if (c.typename === 'KeywordArgs') {
      for (const p of c.children) {
        const v = p.value.typename === 'Caller' ? hooks.caller(p.value) : compileExpr(p.value, hooks);
        kw.push([p.key.value, v]);
      }
    } else {
      pos.push(compileExpr(c, hooks));
    }
  }
  return { pos, kw };
}

function evalKw(kw: [string, Expr][], rt: Runtime, f: Frame): Kwargs {
  const out: Kwargs = {};
  for (const [k, e] of kw) out[k] = e(rt, f);
  return out;
}

function wrapFilterError(name: string, e: unknown): unknown {
  if (e instanceof UndefinedError || e instanceof FilterError || e instanceof CompileError || e instanceof PluginNotFound) return e;
  return new FilterError(`filter '${name}' failed: ${e instanceof Error ? e.message : String(e)}`);
}

/** Call filter `spec` with Ansible's undefined checks and error naming. */
export function applyFilter(name: string, spec: FilterSpec, v: unknown, args: unknown[], kwargs: Kwargs, rt: Runtime): unknown {
  if (!spec.undefinedOk) {
    defined(v);
    for (const a of args) defined(a);
    for (const k in kwargs) defined(kwargs[k]);
  }
  try {
    return spec.fn(v, args, kwargs, rt);
  } catch (e) {
    throw wrapFilterError(name, e);
  }
}

function compileFilter(n: Node, hooks: ExprHooks): Expr {
  const name: string = n.name.value;
  const spec = filters.get(shortName(name));
  if (!spec) throw new CompileError(unknownPlugin(name).message, n.lineno);
  const [input, ...rest] = n.args.children as Node[];
  const inputExpr = input.typename === 'Capture' ? hooks.capture(input) : compileExpr(input, hooks);
  const { pos, kw } = compileArgs({ children: rest } as unknown as Node, hooks);
  if (shortName(name) === 'type_debug') {
    // the str subclass Ansible would report for text (compile-types.ts)
    const typed = compileTyped(input, inputExpr, (x) => compileExpr(x, hooks));
    return (rt, f) => {
      const { value, type } = typed(rt, f);
      return type ?? applyFilter(name, spec, value, pos.map((e) => e(rt, f)), evalKw(kw, rt, f), rt);
    };
  }
  return (rt, f) => {
    const v = inputExpr(rt, f);
    const args = pos.map((e) => e(rt, f));
    return applyFilter(name, spec, v, args, evalKw(kw, rt, f), rt);
  };
}

function compileTest(n: Node, hooks: ExprHooks): Expr {
  const call = n.right as Node;
  const name: string = call.name.value;
  const spec = tests.get(shortName(name));
  if (!spec) throw new CompileError(unknownPlugin(name).message, n.lineno);
  const left = compileExpr(n.left, hooks);
  const { pos, kw } = compileArgs(call.args, hooks);
  if (shortName(name) === 'vault_encrypted') {
    // a !vault value is plain text to templates; only its str subclass says it was encrypted
    const typed = compileTyped(n.left, left, (x) => compileExpr(x, hooks));
    return (rt, f) => typed(rt, f).type === 'AnsibleVaultEncryptedUnicode';
  }
  return (rt, f) => {
    const v = left(rt, f);
    const args = pos.map((e) => e(rt, f));
    const kwargs = evalKw(kw, rt, f);
    if (!spec.undefinedOk) {
      defined(v);
      for (const a of args) defined(a);
    }
    try {
      return spec.fn(v, args, kwargs, rt);
    } catch (e) {
      if (e instanceof UndefinedError || e instanceof FilterError) throw e;
      throw new FilterError(`test '${name}' failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

function compileLookup(n: Node, hooks: ExprHooks): Expr {
  const target = compileExpr(n.target, hooks);
  const desc = describe(n.target);
  const key = n.val as Node;
  if (key.typename === 'Slice') {
    const [a, b, c] = [key.start, key.stop, key.step].map((x: Node | null) => (x ? compileExpr(x, hooks) : () => null));
    return (rt, f) => pySlice(target(rt, f), defined(a(rt, f)), defined(b(rt, f)), defined(c(rt, f)));
  }
  const get = n.dot ? getAttr : getItem;
  if (key.typename === 'Literal') {
    const k = key.value;
    return (rt, f) => get(target(rt, f), k, desc);
  }
  const keyExpr = compileExpr(key, hooks);
  return (rt, f) => get(target(rt, f), keyExpr(rt, f), desc);
}

function compileCall(n: Node, hooks: ExprHooks): Expr {
  const fn = compileExpr(n.name, hooks);
  const desc = describe(n.name);
  const { pos, kw } = compileArgs(n.args, hooks);
  return (rt, f) => {
    const callee = fn(rt, f);
    return callValue(callee, pos.map((e) => e(rt, f)), evalKw(kw, rt, f), rt, desc);
  };
}

function compileSymbol(n: Node): Expr {
  const name: string = n.value;
  if (name in CONSTANTS) {
    const c = CONSTANTS[name];
    return () => c;
  }
  return (rt, f) => {
    const local = lookupLocal(f, name);
    return local !== NOT_FOUND ? local : rt.lookupVar(name);
  };
}

function compileCompare(n: Node, hooks: ExprHooks): Expr {
  const first = compileExpr(n.expr, hooks);
  const ops: [string, Expr][] = n.ops.map((o: Node) => [o.type, compileExpr(o.expr, hooks)]);
  return (rt, f) => {
    let left = first(rt, f);
    for (const [op, e] of ops) {
      const right = e(rt, f);
      if (!compareOp(op, left, right)) return false;
      left = right;
    }
    return true;
  };
}

const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  Add: pyAdd,
  Sub: pySub,
  Mul: pyMul,
  Div: pyDiv,
  FloorDiv: pyFloorDiv,
  Mod: pyMod,
  Pow: pyPow,
  In: pyIn,
  Concat: (a, b) => pyStr(a) + pyStr(b),
};

export function compileExpr(n: Node, hooks: ExprHooks): Expr {
  switch (n.typename) {
    case 'Literal': {
      const v = n.value;
      return () => v;
    }
    case 'Symbol':
      return compileSymbol(n);
    case 'Group': {
      if (!n.isTuple) return compileExpr(n.children[0], hooks);
      const items = n.children.map((c: Node) => compileExpr(c, hooks));
      return (rt, f) => tuple(items.map((e: Expr) => e(rt, f)));
    }
    case 'Array': {
      const items: Expr[] = n.children.map((c: Node) => compileExpr(c, hooks));
      return (rt, f) => items.map((e) => e(rt, f));
    }
    case 'Dict': {
      const pairs: [Expr, Expr][] = n.children.map((p: Node) => [compileExpr(p.key, hooks), compileExpr(p.value, hooks)]);
      return (rt, f) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of pairs) out[pyStr(defined(k(rt, f)))] = v(rt, f);
        return out;
      };
    }
    case 'LookupVal':
      return compileLookup(n, hooks);
    case 'FunCall':
      return compileCall(n, hooks);
    case 'Filter':
      return compileFilter(n, hooks);
    case 'Is':
      return compileTest(n, hooks);
    case 'Caller':
      return hooks.caller(n);
    case 'Capture':
      return hooks.capture(n);
    case 'InlineIf': {
      const [c, a] = [compileExpr(n.cond, hooks), compileExpr(n.body, hooks)];
      const line = n.lineno + 1;
      const b: Expr = n.else_ ? compileExpr(n.else_, hooks) : () => new Undefined(`the inline if-expression on line ${line} evaluated to false and no else section was defined.`, '', true);
      return (rt, f) => (pythonTruthy(c(rt, f)) ? a(rt, f) : b(rt, f));
    }
    case 'Or':
    case 'And': {
      const [a, b] = [compileExpr(n.left, hooks), compileExpr(n.right, hooks)];
      const isOr = n.typename === 'Or';
      return (rt, f) => {
        const l = a(rt, f);
        return pythonTruthy(l) === isOr ? l : b(rt, f);
      };
    }
    case 'Not': {
      const a = compileExpr(n.target, hooks);
      return (rt, f) => !pythonTruthy(a(rt, f));
    }
    case 'Neg':
    case 'Pos': {
      const a = compileExpr(n.target, hooks);
      const op = n.typename === 'Neg' ? pyNeg : pyPos;
      return (rt, f) => op(a(rt, f));
    }
    case 'Compare':
      return compileCompare(n, hooks);
    default: {
      const op = BINARY[n.typename];
      if (!op) throw new CompileError(`unsupported expression: ${n.typename}`, n.lineno);
      const [a, b] = [compileExpr(n.left, hooks), compileExpr(n.right, hooks)];
      return (rt, f) => op(a(rt, f), b(rt, f));
    }
  }
}
