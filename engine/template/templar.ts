// The templating entry point: renders task arguments and evaluates conditionals the way
// ansible-core 2.14 does (native types for single expressions, strict undefined, `when`
// semantics), compiling each distinct template string once and reusing it for every host.
import { readFileSync } from 'node:fs';
import { CompileError, PluginNotFound, compileExpr, type Expr } from './compile-expr.js';
import { StmtCompiler, type LinedError, type Stmt } from './compile-stmt.js';
import { CONCAT, NativeText, dropTrailingNewline, restoreTrailingNewlines, type ConcatMode, type Out } from './concat.js';
import { DEFAULT_ENV, envKey, envWith, templateOverrides, type JinjaEnv } from './environment.js';
import { TemplateError } from '../errors/index.js';
import { lookupServices, makeGlobals, resolveSearchPaths } from './globals.js';
import { loopTerms, runLoopLookup, type LookupServices } from './lookups/index.js';
import { findNeedle } from '../search/needle.js';
import { escapeBackslashes } from './lexer.js';
import { parseExpression, parseTemplate, syntaxMessage } from './parser.js';
import { Unsafe, isPlainObject, keepUnsafeMark, pythonTruthy, wrapUnsafe } from './python.js';
import { templateVars } from './template-vars.js';
import { Runtime, newFrame, toVarSource, type TemplarHost, type TemplateContext, type VarLookup } from './runtime.js';
import { EvalError, PyRuntimeError, Undefined, UndefinedError } from './undefined.js';
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
import type { PluginSource } from './plugin-source.js';

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
  /** DEFAULT_MANAGED_STR (ansible.cfg `ansible_managed`), the source of `ansible_managed`. */
  managedStr?: string;
  /** The run's vault secrets, for lookup('unvault'). */
  vault?: Vault;
  /** Filters, tests and lookups the run adds for names drover lacks (Python plugins). */
  plugins?: PluginSource;
}

/** How lookup('template') renders its file (Templar.renderText). */
export interface TemplateTextOptions {
  /** The lookup's delimiters (variable_start_string...), as Jinja environment settings. */
  env?: Partial<Record<keyof JinjaEnv, unknown>>;
  /** convert_data: turn "[..]"/"{..}"/True/False text into data. */
  convert: boolean;
  /** jinja2_native=True (effective only when the global setting is on too). */
  native?: boolean;
}

/** How the template module renders a file (Templar.renderTemplateFile). */
export interface TextRenderOptions {
  /** convert_data: turn "[..]"/"{..}"/True/False text into data (the lookup's default). */
  convertData?: boolean;
  /** Jinja settings: delimiters, trim_blocks, lstrip_blocks, newline_sequence. */
  env?: Partial<Record<keyof JinjaEnv, unknown>>;
  /** The template file (`src` as written, its path, `dest`): adds the template_* variables. */
  file?: { path: string; fullpath: string; dest?: string };
}

export { Unsafe };

type CacheEntry = { run: Stmt; env: Readonly<JinjaEnv> } | { error: unknown };

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

  get plugins(): PluginSource | undefined {
    return this.opts.plugins;
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

  /** The concat of Templar.template(): ansible_eval_concat, or the native one under jinja2_native. */
  private get defaultMode(): ConcatMode {
    return this.opts.jinja2Native ? 'native' : 'eval';
  }

  private runtime(vars: VarLookup, ctx: TemplateContext | undefined, mode: ConcatMode = this.defaultMode): Runtime {
    return new Runtime(this, toVarSource(vars), ctx, CONCAT[mode]);
  }

  render(value: unknown, vars: VarLookup, ctx?: TemplateContext): unknown {
    if (!this.hasTemplates(value)) return value instanceof Unsafe && !ctx?.keepUnsafe ? value.value : value;
    const rt = this.runtime(vars, ctx);
    return this.guard(typeof value === 'string' ? value : '', ctx, () => this.renderValue(value, rt, ctx?.keepUnsafe));
  }

  /**
   * A template file's text as the template module renders it (convert_data off, no backslash
   * escaping, never native): do_template with preserved trailing newlines, the task's Jinja
   * settings and the template_* variables.
   */
  renderTemplateFile(src: string, vars: VarLookup, opts: TextRenderOptions = {}, ctx?: TemplateContext): unknown {
    const base = toVarSource(vars);
    const extra = opts.file && this.templateVars(opts.file.path, opts.file.fullpath, opts.file.dest);
    const source = extra ? (n: string) => (Object.prototype.hasOwnProperty.call(extra, n) ? extra[n] : base(n)) : base;
    const env = envWith(DEFAULT_ENV, opts.env);
    const rt = new Runtime(this, source, ctx, CONCAT[opts.convertData ? 'eval' : 'text'], env);
    return this.guard(src, ctx, () => this.doTemplate(src, rt, env, false));
  }

  /** generate_ansible_template_vars with this run's ansible_managed format. */
  templateVars(path: string, fullpath: string, dest?: string): Record<string, unknown> {
    return templateVars(path, fullpath, dest, this.opts.managedStr);
  }

  /**
   * Templar.template() of a whole template text for lookup('template') (`rt` carries its
   * variables and search paths): not a template, or a lone bool/number variable, comes back as
   * it is; otherwise do_template with the lookup's delimiters, no backslash escaping, and the
   * concat its convert_data/jinja2_native options select. NativeJinjaText marking is the
   * plugin's (it knows its options); `jinja2Native` tells it the global setting.
   */
  renderText(src: string, rt: Runtime, opts: TemplateTextOptions): unknown {
    const native = !!opts.native && !!this.opts.jinja2Native;
    const env = envWith(DEFAULT_ENV, opts.env);
    const inner = new Runtime(this, rt.vars, rt.ctx, CONCAT[native ? 'native' : opts.convert ? 'eval' : 'text'], env);
    if (!isTemplateString(src) && env === DEFAULT_ENV) return src;
    const single = SINGLE_VAR.exec(src);
    const v = single ? rt.vars(single[1]) : undefined;
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
    return this.doTemplate(src, inner, env, false);
  }

  get jinja2Native(): boolean {
    return !!this.opts.jinja2Native;
  }

  /**
   * A with_<name> loop's items (ansible-core's _get_loop_items): the loop value templated (for
   * first_found, terms that stay undefined are dropped instead of failing), listified, then given
   * to the lookup plugin; `subdir` is where first_found looks (files, templates or vars).
   */
  loopLookup(name: string, loop: unknown, vars: VarLookup, ctx: TemplateContext | undefined, subdir: string): unknown[] {
    const rt = this.runtime(vars, ctx);
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

  evaluate(expr: string, vars: VarLookup, ctx?: TemplateContext): unknown {
    if (typeof expr !== 'string') return this.render(expr, vars, ctx);
    if (isTemplateString(expr)) return this.render(expr, vars, ctx);
    const rt = this.runtime(vars, ctx);
    return this.guard(expr, ctx, () => {
      const v = this.compileExpression(expr)(rt, newFrame(null));
      if (v instanceof Undefined) v.fail();
      return v;
    });
  }

  evaluateCondition(expr: unknown, vars: VarLookup, ctx?: TemplateContext): boolean {
    if (expr === null || expr === undefined || expr === '') return true;
    if (typeof expr === 'boolean') return expr;
    if (expr instanceof Unsafe) expr = expr.value;
    if (typeof expr !== 'string') return pythonTruthy(this.render(expr, vars, ctx));
    const original = expr;
    const rt = this.runtime(vars, ctx);
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

  loadTemplate(name: string, rt: Runtime): Stmt {
    const path = findNeedle(resolveSearchPaths(rt, this), 'templates', name);
    if (!path) throw Object.assign(new UndefinedError(`the template '${name}' was not found`), { code: 'ENOENT' });
    return this.compileTemplate(readFileSync(path, 'utf8'), rt.env ?? DEFAULT_ENV, true).run;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Render strings inside lists and dict values; keys are left as they are (like Ansible). */
  renderValue(value: unknown, rt: Runtime, keepUnsafe = false): unknown {
    if (typeof value === 'string' && keepUnsafe) return this.renderKeepingUnsafe(value, rt);
    if (typeof value === 'string') return this.renderString(value, rt);
    if (value instanceof Unsafe) return keepUnsafe ? value : value.value;
    if (!this.hasTemplates(value)) return value;
    if (Array.isArray(value)) return keepUnsafeMark(value, value.map((v) => this.renderValue(v, rt, keepUnsafe)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.renderValue(v, rt, keepUnsafe);
    return keepUnsafeMark(value, out);
  }

  /**
   * One string whose result is stored (set_fact, lazily rendered vars): Ansible's concat wraps a
   * result built from unsafe pieces (wrap_var), typed NativeJinjaUnsafeText when it is a lone
   * NativeJinjaText piece. Each string is judged on the data it read itself.
   */
  private renderKeepingUnsafe(s: string, rt: Runtime): unknown {
    const before = rt.unsafe;
    rt.unsafe = false;
    rt.nativeText = false;
    const out = this.renderString(s, rt);
    const unsafe = rt.unsafe;
    rt.unsafe = before || unsafe;
    return unsafe ? wrapUnsafe(out, { native: rt.nativeText }) : out;
  }

  renderString(s: string, rt: Runtime): unknown {
    if (!isTemplateString(s)) return s;
    const single = SINGLE_VAR.exec(s);
    if (single) {
      // Templar.template: a lone variable that is a bool or number (or None) is returned as is
      const v = rt.vars(single[1]);
      if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
    }
    return this.doTemplate(s, rt, DEFAULT_ENV, true);
  }

  /** Ansible's do_template: `#jinja2:` overrides, render, concat, restore trailing newlines. */
  private doTemplate(src: string, rt: Runtime, env: Readonly<JinjaEnv>, escape: boolean): unknown {
    const compiled = this.compileTemplate(src, env, false, escape);
    const out: Out = [];
    const inner = compiled.env === env ? rt : rt.withEnv(compiled.env);
    compiled.run(inner, newFrame(null), out);
    const value = restoreTrailingNewlines(rt.concat(out), src, compiled.env.newline_sequence);
    // a lone NativeJinjaText piece stays one (appending restored newlines makes a plain str)
    rt.nativeText = out.length === 1 && out[0] instanceof NativeText && value === out[0].text;
    return value;
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

  /**
   * Compile template text once per environment: `#jinja2:` overrides on the first line (only for
   * whole templates), backslashes in `{{ }}` strings escaped where Ansible does, one trailing
   * newline dropped as Jinja does.
   */
  compileTemplate(src: string, env: Readonly<JinjaEnv> = DEFAULT_ENV, included = false, escape = true): { run: Stmt; env: Readonly<JinjaEnv> } {
    const key = `${included ? 'i' : escape ? 'e' : 'r'}${envKey(env)}\0${src}`;
    let entry = this.templates.get(key);
    if (!entry) {
      try {
        const o = included ? { src, env } : templateOverrides(src, env);
        let text = o.env.keep_trailing_newline ? o.src : dropTrailingNewline(o.src);
        if (escape) text = escapeBackslashes(text);
        entry = { run: new StmtCompiler(o.env.newline_sequence, this.opts.plugins).compile(parseTemplate(text, o.env)), env: o.env };
      } catch (e) {
        entry = { error: e instanceof EvalError ? e : asCompileError(e) };
      }
      if (this.templates.size >= CACHE_LIMIT) this.templates.clear();
      this.templates.set(key, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry;
  }

  private compileExpression(src: string): Expr {
    let entry = this.exprs.get(src);
    if (!entry) {
      try {
        entry = { expr: compileExpr(parseExpression(src), new StmtCompiler('\n', this.opts.plugins)) };
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
        const err = new TemplateError(`${ctx.what ? ctx.what + ': ' : ''}${e.message}`, e.template, position(ctx), e.undefinedVariable);
        err.pythonType = e.pythonType;
        err.notAnsibleError = e.notAnsibleError;
        throw err;
      }
      const line = (e as LinedError)?.tplLine;
      const shown = template.length > 300 ? template.slice(0, 300) + '...' : template;
      const where = template ? ` in template ${JSON.stringify(shown)}${line && template.includes('\n') ? ` (line ${line})` : ''}` : '';
      const err = new TemplateError(`${ctx?.what ? ctx.what + ': ' : ''}${errorMessage(e)}${where}`, template, position(ctx), e instanceof UndefinedError);
      if (e instanceof PluginNotFound) err.pythonType = e.pythonType;
      if (e instanceof PyRuntimeError) {
        err.pythonType = e.pyClass;
        err.notAnsibleError = true;
      }
      throw err;
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
