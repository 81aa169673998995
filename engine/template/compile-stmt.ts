// Compiles template statements ({% if %}, {% for %}, {% set %}, macros, call and filter blocks,
// includes) into closures that append output pieces; expressions are delegated to compile-expr.
import { CompileError, compileExpr, describe, type Expr, type ExprHooks } from './compile-expr.js';
import type { PluginSource } from './plugin-source.js';
import { NativeText, type Out } from './concat.js';
import { compileFromImport, compileImport, compileInclude } from './compile-import.js';
import { iterate } from './methods.js';
import type { Node } from './parser.js';
import { pyStr, pythonTruthy } from './python.js';
import { filters } from './registry.js';
import { LoopInfo, Namespace, PyCallable, newFrame, type Frame, type Runtime } from './runtime.js';
import { EvalError, Undefined } from './undefined.js';

export type { Out };
export type Stmt = (rt: Runtime, f: Frame, out: Out) => void;

/** A template-relative line number recorded on the first error that passes through. */
export interface LinedError {
  tplLine?: number;
}

function withLine(lineno: number, fn: Stmt): Stmt {
  return (rt, f, out) => {
    try {
      fn(rt, f, out);
    } catch (e) {
      const le = e as LinedError;
      if (e && typeof e === 'object' && le.tplLine === undefined) le.tplLine = lineno + 1;
      throw e;
    }
  };
}

export class StmtCompiler implements ExprHooks {
  /** Jinja writes every line break of the template text as the environment's newline_sequence. */
  constructor(
    private readonly newline = '\n',
    readonly plugins?: PluginSource,
  ) {}

  expr(n: Node): Expr {
    return compileExpr(n, this);
  }

  capture(n: Node): Expr {
    const body = this.compile(n.body);
    return (rt, f) => {
      const out: Out = [];
      body(rt, f, out);
      return rt.concat(out);
    };
  }

  caller(n: Node): Expr {
    return this.macro(n, '<caller>');
  }

  compile(n: Node): Stmt {
    switch (n.typename) {
      case 'Root':
      case 'NodeList': {
        const parts: Stmt[] = n.children.map((c: Node) => this.compile(c));
        if (parts.length === 1) return parts[0];
        return (rt, f, out) => {
          for (const p of parts) p(rt, f, out);
        };
      }
      case 'Output':
        return this.output(n);
      case 'If':
        return this.ifStmt(n);
      case 'For':
        return withLine(n.lineno, this.forStmt(n));
      case 'Set':
        return withLine(n.lineno, this.setStmt(n));
      case 'Macro': {
        const m = this.macro(n, n.name.value);
        const name: string = n.name.value;
        return (rt, f) => void f.vars.set(name, m(rt, f));
      }
      case 'Include':
        return withLine(n.lineno, compileInclude(n, (x) => this.expr(x)));
      case 'Import':
        return withLine(n.lineno, compileImport(n, (x) => this.expr(x)));
      case 'FromImport':
        return withLine(n.lineno, compileFromImport(n, (x) => this.expr(x)));
      default:
        throw new CompileError(`unsupported template tag: ${n.typename.toLowerCase()}`, n.lineno);
    }
  }

  private output(n: Node): Stmt {
    const parts: Stmt[] = n.children.map((c: Node) => {
      if (c.typename === 'TemplateData') {
        const text: string = String(c.value).replace(/\r\n|\r|\n/g, this.newline);
        return (_rt: Runtime, _f: Frame, out: Out) => {
          if (text) out.push(text);
        };
      }
      const e = this.expr(c);
      const native = c.typename === 'Filter' && !!filters.get(c.name.value.split('.').pop())?.nativeText;
      // `{{ lookup(...) }}` whose result Ansible types NativeJinjaText (the runtime marks it)
      const lookupCall = c.typename === 'FunCall' && c.name.typename === 'Symbol' && c.name.value === 'lookup';
      return withLine(c.lineno, (rt, f, out) => {
        if (lookupCall) rt.nativeResult = undefined;
        const v = e(rt, f);
        if (lookupCall && typeof v === 'string' && v === rt.nativeResult) {
          out.push(new NativeText(v));
          return;
        }
        if (v instanceof Undefined) {
          if (!v.soft) v.fail();
          return;
        }
        out.push(native && typeof v === 'string' ? new NativeText(v) : v);
      });
    });
    if (parts.length === 1) return parts[0];
    return (rt, f, out) => {
      for (const p of parts) p(rt, f, out);
    };
  }

  private ifStmt(n: Node): Stmt {
    const cond = this.expr(n.cond);
    const body = this.compile(n.body);
    const orelse = n.else_ ? this.compile(n.else_) : null;
    return withLine(n.lineno, (rt, f, out) => {
      if (pythonTruthy(cond(rt, f))) body(rt, f, out);
      else if (orelse) orelse(rt, f, out);
    });
  }

  private forStmt(n: Node): Stmt {
    let arrNode: Node = n.arr;
    let filter: Expr | null = null;
    if (arrNode.typename === 'InlineIf' && !arrNode.else_) {
      filter = this.expr(arrNode.cond);
      arrNode = arrNode.body;
    }
    const arr = this.expr(arrNode);
    const names: string[] = n.name.typename === 'Array' ? n.name.children.map((c: Node) => c.value) : [n.name.value];
    const unpack = n.name.typename === 'Array';
    const body = this.compile(n.body);
    const orelse = n.else_ ? this.compile(n.else_) : null;
    const bind = (fr: Frame, item: unknown): void => {
      if (!unpack) {
        fr.vars.set(names[0], item);
        return;
      }
      const parts = iterate(item);
      if (parts.length !== names.length) {
        throw new EvalError(`${parts.length > names.length ? 'too many' : 'not enough'} values to unpack (expected ${names.length}, got ${parts.length})`);
      }
      names.forEach((nm, i) => fr.vars.set(nm, parts[i]));
    };
    return (rt, f, out) => {
      let items = iterate(arr(rt, f));
      if (filter) {
        const flt = filter;
        items = items.filter((item) => {
          const fr = newFrame(f);
          bind(fr, item);
          return pythonTruthy(flt(rt, fr));
        });
      }
      if (!items.length) {
        if (orelse) orelse(rt, f, out);
        return;
      }
      const loop = new LoopInfo(items, 0, 0);
      for (let i = 0; i < items.length; i++) {
        const fr = newFrame(f);
        bind(fr, items[i]);
        loop.index0 = i;
        fr.vars.set('loop', loop);
        body(rt, fr, out);
      }
    };
  }

  private setStmt(n: Node): Stmt {
    const value = n.value ? this.expr(n.value) : this.capture(n.body);
    const targets: Node[] = n.targets;
    if (targets.length === 1 && targets[0].typename === 'LookupVal') {
      const t = targets[0];
      const obj = this.expr(t.target);
      const key = this.expr(t.val);
      const desc = describe(t.target);
      return (rt, f) => {
        const ns = obj(rt, f);
        if (!(ns instanceof Namespace)) throw new EvalError(`cannot assign attribute on non-namespace object '${desc}'`);
        ns.attrs.set(pyStr(key(rt, f)), value(rt, f));
      };
    }
    const names = targets.map((t) => {
      if (t.typename !== 'Symbol') throw new CompileError(`can't assign to ${describe(t)}`, t.lineno);
      return t.value as string;
    });
    if (names.length === 1) return (rt, f) => void f.vars.set(names[0], value(rt, f));
    return (rt, f) => {
      const parts = iterate(value(rt, f));
      if (parts.length !== names.length) throw new EvalError(`cannot unpack ${parts.length} values into ${names.length} names`);
      names.forEach((nm, i) => f.vars.set(nm, parts[i]));
    };
  }

  /** A macro (or call-block caller) as a callable closing over the frame it was defined in. */
  private macro(n: Node, name: string): Expr {
    const params: string[] = [];
    const defaults: [string, Expr][] = [];
    for (const a of n.args?.children ?? []) {
      if (a.typename === 'KeywordArgs') {
        for (const p of a.children) defaults.push([p.key.value, this.expr(p.value)]);
      } else if (a.typename === 'Symbol') {
        params.push(a.value);
      } else {
        throw new CompileError(`invalid macro parameter ${describe(a)}`, a.lineno);
      }
    }
    const all = [...params, ...defaults.map(([k]) => k)];
    const body = this.compile(n.body);
    return (_rt, defFrame) =>
      new PyCallable(name, (args, kwargs, rt) => {
        const fr = newFrame(defFrame);
        const extraKw: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(kwargs)) {
          if (all.includes(k) || k === 'caller') fr.vars.set(k, v);
          else extraKw[k] = v;
        }
        all.forEach((p, i) => {
          if (i < args.length) fr.vars.set(p, args[i]);
        });
        for (const p of params) if (!fr.vars.has(p)) fr.vars.set(p, new Undefined(`parameter '${p}' was not provided`, p));
        for (const [k, e] of defaults) if (!fr.vars.has(k)) fr.vars.set(k, e(rt, fr));
        fr.vars.set('varargs', args.slice(all.length));
        fr.vars.set('kwargs', extraKw);
        const out: Out = [];
        body(rt, fr, out);
        return rt.concat(out);
      });
  }
}
