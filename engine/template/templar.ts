// The templating entry point: renders task arguments and evaluates conditionals the way
// ansible-core 2.14 does (native types for single expressions, strict undefined, `when`
// semantics), compiling each distinct template string once and reusing it for every host.
import { readFileSync } from 'node:fs';
import { CompileError, compileExpr, type Expr } from './compile-expr.js';
import { NativeText, StmtCompiler, finalize, joinPieces, type LinedError, type Out, type Stmt } from './compile-stmt.js';
import { TemplateError } from '../errors/index.js';
import { findNeedle } from '../search/needle.js';
import { lookupServices, makeGlobals, resolveSearchPaths } from './globals.js';
import { literalEval } from './literal.js';
import { loopTerms, runLoopLookup, type LookupServices } from './lookups/index.js';
import { escapeBackslashes, parseExpression, parseTemplate, syntaxMessage, type TemplateDelimiters } from './parser.js';
import { Unsafe, isPlainObject, isTuple, pythonTruthy } from './python.js';
import { Runtime, newFrame, toVarSource, type Frame, type TemplarHost, type TemplateContext, type VarLookup } from './runtime.js';
import { Undefined, UndefinedError, assertDeepDefined } from './undefined.js';
import './filters-core.js';
import './filters-ansible.js';
import './filters-data.js';
import './filters-hash.js';
import './filters-math.js';
import './filters-paths.js';
import './filters-urls.js';
import './tests.js';
import './tests-files.js';
import './tests-math.js';
import './tests-uri.js';
import type { Vault } from '../vault/secrets.js';

export interface TemplarOptions {
  /** Fallback directories for relative lookup('file') / include paths. */
  searchPaths?: string[];
  /**
   * Template variable values on first use, as Ansible does. Off by default because drover's
   * vars layer (engine/vars) already renders values lazily before handing them over.
   */
  templateVarValues?: boolean;
  /** ANSIBLE_JINJA2_NATIVE=True behaviour: a single expression keeps every native type. */
  jinja2Native?: boolean;
  /** The run's vault secrets, for lookup('unvault'). */
  vault?: Vault;
}

export { Unsafe };

type CacheEntry = { run: Stmt } | { error: unknown };

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const CACHE_LIMIT = 20_000;

export function isTemplateString(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

export class Templar implements TemplarHost {
  readonly globals: Map<string, unknown>;
  private readonly templates = new Map<string, CacheEntry>();
  private readonly exprs = new Map<string, { expr: Expr } | { error: unknown }>();
  private readonly deepTemplate = new WeakMap<object, boolean>();
  private readonly opts: TemplarOptions;
  private readonly lookups: LookupServices;

  constructor(opts: TemplarOptions = {}) {
    this.opts = opts;
    this.lookups = lookupServices(this);
    this.globals = makeGlobals(this.lookups);
  }

  get vault(): Vault | undefined {
    return this.opts.vault;
  }

  get searchPaths(): string[] {
    return this.opts.searchPaths ?? [];
  }

  isTemplate(s: string): boolean {
    return typeof s === 'string' && isTemplateString(s);
  }

  /** Number of distinct compiled templates and expressions (for tests and diagnostics). */
  get cacheSize(): number {
    return this.templates.size + this.exprs.size;
  }

  render(value: unknown, vars: VarLookup, ctx?: TemplateContext): unknown {
    if (!this.hasTemplates(value)) return value instanceof Unsafe ? value.value : value;
    const rt = new Runtime(this, toVarSource(vars), ctx);
    return this.guard(typeof value === 'string' ? value : '', ctx, () => this.renderValue(value, rt));
  }

  evaluate(expr: string, vars: VarLookup, ctx?: TemplateContext): unknown {
    if (typeof expr !== 'string') return this.render(expr, vars, ctx);
    if (isTemplateString(expr)) return this.render(expr, vars, ctx);
    const rt = new Runtime(this, toVarSource(vars), ctx);
    return this.guard(expr, ctx, () => {
      const v = this.compileExpression(expr)(rt, newFrame(null));
      if (v instanceof Undefined) v.fail();
      return v;
    });
  }

  /**
   * A with_<name> loop's items (ansible-core's _get_loop_items): the loop value templated (for
   * first_found, terms that stay undefined are dropped instead of failing), listified, then given
   * to the lookup plugin; `subdir` is where first_found looks (files, templates or vars).
   */
  loopLookup(name: string, loop: unknown, vars: VarLookup, ctx: TemplateContext | undefined, subdir: string): unknown[] {
    const rt = new Runtime(this, toVarSource(vars), ctx);
    const value = typeof loop === 'string' ? loop.trim() : loop;
    const terms = this.guard(typeof value === 'string' ? value : '', ctx, () => {
      if (name !== 'first_found' && name !== 'ansible.builtin.first_found') return loopTerms(this.renderValue(value, rt));
      const listed = loopTerms(this.renderLenient(value, rt));
      return Array.isArray(listed) ? listed.filter((t) => !this.hasTemplates(t)) : listed;
    });
    return runLoopLookup(name, terms, rt, this.lookups, subdir);
  }

  /** templar.template(fail_on_undefined=False): a string that hits an undefined stays as written. */
  private renderLenient(value: unknown, rt: Runtime): unknown {
    if (typeof value === 'string') {
      try {
        return this.renderString(value, rt);
      } catch (e) {
        if (e instanceof UndefinedError) return value;
        throw e;
      }
    }
    if (Array.isArray(value)) return value.map((v) => this.renderLenient(v, rt));
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.renderLenient(v, rt)]));
    return this.renderValue(value, rt);
  }

  evaluateCondition(expr: unknown, vars: VarLookup, ctx?: TemplateContext): boolean {
    if (expr === null || expr === undefined || expr === '') return true;
    if (typeof expr === 'boolean') return expr;
    if (expr instanceof Unsafe) expr = expr.value;
    if (typeof expr !== 'string') return pythonTruthy(this.render(expr, vars, ctx));
    const original = expr;
    const rt = new Runtime(this, toVarSource(vars), ctx);
    const fail = (e: unknown): never => {
      const inner = e instanceof TemplateError ? e.message : errorMessage(e);
      throw new TemplateError(
        `${ctx?.what ? ctx.what + ': ' : ''}The conditional check '${original}' failed. The error was: ${inner}`,
        original,
        position(ctx),
      );
    };
    let text: string = expr;
    if (isTemplateString(text)) {
      let r: unknown;
      try {
        r = this.renderString(text, rt);
      } catch (e) {
        return fail(e);
      }
      if (typeof r !== 'string' || r === '') return pythonTruthy(r);
      text = r;
    }
    try {
      return pythonTruthy(defined(this.compileExpression(text)(rt, newFrame(null))));
    } catch (e) {
      return fail(e);
    }
  }

  // ---- TemplarHost -------------------------------------------------------------------------

  templateVarValue(name: string, value: unknown, rt: Runtime): unknown {
    if (value instanceof Unsafe) return value.value;
    if (!this.opts.templateVarValues || name === 'hostvars' || name === 'vars' || !this.hasTemplates(value)) return value;
    if (rt.resolving.has(name)) throw new UndefinedError(`recursive loop detected in template string: variable '${name}' refers to itself`);
    rt.resolving.add(name);
    try {
      return this.renderValue(value, rt);
    } finally {
      rt.resolving.delete(name);
    }
  }

  include(name: string, rt: Runtime, frame: Frame): string {
    const path = findNeedle(resolveSearchPaths(rt, this), 'templates', name);
    if (!path) throw Object.assign(new UndefinedError(`the template '${name}' was not found`), { code: 'ENOENT' });
    // Jinja loads included templates without keep_trailing_newline: one final newline goes
    const run = this.compileTemplate(readFileSync(path, 'utf8').replace(/(?:\r\n|\r|\n)$/, ''));
    const out: Out = [];
    run(rt, newFrame(frame), out);
    return joinPieces(out);
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Render strings inside lists and dict values; keys are left as they are (like Ansible). */
  renderValue(value: unknown, rt: Runtime): unknown {
    if (typeof value === 'string') return this.renderString(value, rt);
    if (value instanceof Unsafe) return value.value;
    if (!this.hasTemplates(value)) return value;
    if (Array.isArray(value)) return value.map((v) => this.renderValue(v, rt));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.renderValue(v, rt);
    return out;
  }

  renderString(s: string, rt: Runtime): unknown {
    if (!isTemplateString(s)) return s;
    const single = SINGLE_VAR.exec(s);
    if (single) {
      const v = rt.vars(single[1]);
      if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
    }
    const out: Out = [];
    this.compileTemplate(s)(rt, newFrame(null), out);
    return this.concat(out);
  }

  /** A whole template text (the template lookup): its own delimiters, no backslash escaping. */
  renderText(src: string, rt: Runtime, opts: { tags?: TemplateDelimiters; convert: boolean }): unknown {
    const out: Out = [];
    this.compileTemplate(src, { tags: opts.tags, escape: false })(rt, newFrame(null), out);
    return opts.convert ? this.concat(out) : joinPieces(out);
  }

  /** ansible_eval_concat: join the pieces, then turn "[..]", "{..}", "True"/"False" into data. */
  private concat(out: Out): unknown {
    if (out.length === 0) return '';
    let text: string;
    if (out.length === 1) {
      const p = out[0];
      if (p instanceof NativeText) return p.text;
      if (this.opts.jinja2Native && typeof p !== 'string') {
        assertDeepDefined(p);
        return p;
      }
      if (typeof p === 'boolean' || (Array.isArray(p) && !isTuple(p)) || isPlainObject(p) || p instanceof Map) {
        assertDeepDefined(p);
        return p;
      }
      text = typeof p === 'string' ? p : finalize(p);
    } else {
      text = joinPieces(out);
    }
    const c = text.charAt(0);
    if (c === '[' || c === '{' || text === 'True' || text === 'False' || (this.opts.jinja2Native && text !== '')) {
      const v = literalEval(text);
      if (v !== undefined) return v;
    }
    return text;
  }

  private hasTemplates(v: unknown): boolean {
    if (typeof v === 'string') return isTemplateString(v);
    if (v === null || typeof v !== 'object') return false;
    if (v instanceof Unsafe) return true;
    if (!Array.isArray(v) && !isPlainObject(v)) return false;
    const known = this.deepTemplate.get(v);
    if (known !== undefined) return known;
    const found = Array.isArray(v) ? v.some((x) => this.hasTemplates(x)) : Object.values(v).some((x) => this.hasTemplates(x));
    this.deepTemplate.set(v, found);
    return found;
  }

  compileTemplate(src: string, opts: { tags?: TemplateDelimiters; escape?: boolean } = {}): Stmt {
    const escape = opts.escape ?? true;
    const key = opts.tags || !escape ? `${JSON.stringify([opts.tags ?? null, escape])}\0${src}` : src;
    let entry = this.templates.get(key);
    if (!entry) {
      try {
        entry = { run: new StmtCompiler().compile(parseTemplate(escape ? escapeBackslashes(src) : src, opts.tags)) };
      } catch (e) {
        entry = { error: asCompileError(e) };
      }
      if (this.templates.size >= CACHE_LIMIT) this.templates.clear();
      this.templates.set(key, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.run;
  }

  private compileExpression(src: string): Expr {
    let entry = this.exprs.get(src);
    if (!entry) {
      try {
        entry = { expr: compileExpr(parseExpression(src), new StmtCompiler()) };
      } catch (e) {
        entry = { error: asCompileError(e) };
      }
      if (this.exprs.size >= CACHE_LIMIT) this.exprs.clear();
      this.exprs.set(src, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.expr;
  }

  /** Run `fn`, turning any failure into a TemplateError that names the template and place. */
  private guard<T>(template: string, ctx: TemplateContext | undefined, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TemplateError) {
        if (e.pos?.file || !ctx?.file) throw e;
        throw new TemplateError(`${ctx.what ? ctx.what + ': ' : ''}${e.message}`, e.template, position(ctx), e.undefinedVariable);
      }
      const line = (e as LinedError)?.tplLine;
      const shown = template.length > 300 ? template.slice(0, 300) + '...' : template;
      const where = template ? ` in template ${JSON.stringify(shown)}${line && template.includes('\n') ? ` (line ${line})` : ''}` : '';
      throw new TemplateError(`${ctx?.what ? ctx.what + ': ' : ''}${errorMessage(e)}${where}`, template, position(ctx), e instanceof UndefinedError);
    }
  }
}

function defined(v: unknown): unknown {
  if (v instanceof Undefined) v.fail();
  return v;
}

function position(ctx: TemplateContext | undefined): { file?: string; line?: number } | undefined {
  return ctx && (ctx.file || ctx.line) ? { file: ctx.file, line: ctx.line } : undefined;
}

function errorMessage(e: unknown): string {
  if (e instanceof CompileError) return `template error while templating string: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** Parse and compile errors all become CompileError with nunjucks' noise removed. */
function asCompileError(e: unknown): CompileError {
  return e instanceof CompileError ? e : new CompileError(syntaxMessage(e));
}
