// Jinja's template composition tags: `{% include %}` (with or without context, ignore missing),
// `{% import 'x' as m %}` and `{% from 'x' import a, b as c %}`. An imported template runs once
// into a module whose top-level {% set %} names and macros are its attributes; imports see
// only globals unless `with context` (then also the importing template's variables and locals).
import { CompileError, type Expr } from './compile-expr.js';
import type { Node } from './parser.js';
import { pyRepr, pyStr } from './python.js';
import { newFrame, type Frame, type HasPyAttrs, type Runtime } from './runtime.js';
import { Undefined, defined } from './undefined.js';
import { joinPieces, type Out } from './concat.js';

type Stmt = (rt: Runtime, f: Frame, out: Out) => void;

/** A rendered template's exports, as `import ... as m` binds them to `m`. */
export class TemplateModule implements HasPyAttrs {
  constructor(
    readonly name: string,
    private readonly exports: Map<string, unknown>,
    private readonly body: string,
  ) {}
  pyAttr(name: string): unknown {
    return this.exports.get(name);
  }
  toString(): string {
    return this.body;
  }
  pyRepr(): string {
    return `<TemplateModule ${pyRepr(this.name)}>`;
  }
}

/** Run template `name` as a module: its own frame, its output kept only as the module's text. */
function makeModule(rt: Runtime, f: Frame, name: string, withContext: boolean): TemplateModule {
  const run = rt.host.loadTemplate(name, rt);
  const modRt = withContext ? rt : rt.withoutContext();
  const frame = newFrame(withContext ? f : null);
  const out: Out = [];
  run(modRt, frame, out);
  const exports = new Map<string, unknown>();
  for (const [k, v] of frame.vars) if (!k.startsWith('_') && k !== 'loop') exports.set(k, v);
  return new TemplateModule(name, exports, joinPieces(out));
}

export function compileInclude(n: Node, expr: (n: Node) => Expr): Stmt {
  const tpl = expr(n.template);
  const ignoreMissing = !!n.ignoreMissing;
  const withContext = n.withContext !== false;
  return (rt, f, out) => {
    const name = pyStr(defined(tpl(rt, f)));
    let run: Stmt;
    try {
      run = rt.host.loadTemplate(name, rt);
    } catch (e) {
      if (ignoreMissing && (e as { code?: string }).code === 'ENOENT') return;
      throw e;
    }
    // Jinja's include yields the included template's pieces into the including one's output
    if (withContext) run(rt, newFrame(f), out);
    else run(rt.withoutContext(), newFrame(null), out);
  };
}

export function compileImport(n: Node, expr: (n: Node) => Expr): Stmt {
  const tpl = expr(n.template);
  if (n.target.typename !== 'Symbol') throw new CompileError('expected a name after "as" in import', n.lineno);
  const target: string = n.target.value;
  const withContext = n.withContext === true;
  return (rt, f) => {
    f.vars.set(target, makeModule(rt, f, pyStr(defined(tpl(rt, f))), withContext));
  };
}

export function compileFromImport(n: Node, expr: (n: Node) => Expr): Stmt {
  const tpl = expr(n.template);
  const names: [string, string][] = n.names.children.map((c: Node) =>
    c.typename === 'Pair' ? [c.key.value, c.value.value] : [c.value, c.value],
  );
  const withContext = n.withContext === true;
  const line = n.lineno + 1;
  return (rt, f) => {
    const name = pyStr(defined(tpl(rt, f)));
    const mod = makeModule(rt, f, name, withContext);
    for (const [exported, local] of names) {
      const v = mod.pyAttr(exported);
      f.vars.set(
        local,
        v !== undefined ? v : new Undefined(`the template ${pyRepr(name)} (imported on line ${line}) does not export the requested name ${pyRepr(exported)}`, exported),
      );
    }
  };
}
