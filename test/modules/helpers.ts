// Test helpers for module tests: a ModuleContext over a LocalConnection with simple fakes for
// render/evaluate, a temp directory per test, and a runner that goes through the registry
// (so arguments are normalised exactly as in a real run).
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleContext, ModuleResult } from '../../engine/modules-sdk/types.js';
import { LocalConnection } from '../../engine/transport/local.js';
import type { Connection } from '../../engine/transport/types.js';
import { tempDir as registeredTempDir } from '../support/tmp.js';

/** Replace {{ name }} with vars[name]: enough Jinja for module tests. */
export function fakeRender(vars: Record<string, unknown>) {
  return (text: string): unknown => text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, k: string) => String(lookup(vars, k)));
}

function lookup(vars: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = vars;
  for (const part of dotted.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in (v as object))) throw new Error(`'${dotted}' is undefined`);
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Evaluate a tiny expression language: `a == b`, `a != b`, `x is defined`, a name, or a literal. */
export function fakeEvaluate(vars: Record<string, unknown>) {
  const val = (s: string): unknown => {
    const t = s.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
    if (t === 'true' || t === 'True') return true;
    if (t === 'false' || t === 'False') return false;
    return lookup(vars, t);
  };
  return (expr: string): unknown => {
    let m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(expr);
    if (m) return m[2] === '==' ? val(m[1]) === val(m[3]) : val(m[1]) !== val(m[3]);
    m = /^(\S+) is (not )?defined$/.exec(expr.trim());
    if (m) {
      let d = true;
      try {
        lookup(vars, m[1]);
      } catch {
        d = false;
      }
      return m[2] ? !d : d;
    }
    return val(expr);
  };
}

export interface CtxOptions {
  check?: boolean;
  diff?: boolean;
  vars?: Record<string, unknown>;
  searchPaths?: string[];
  verbosity?: number;
  prompt?: ModuleContext['prompt'];
  /** The host's connection (default: a local one). */
  conn?: Connection;
}

export function makeCtx(opts: CtxOptions = {}): ModuleContext {
  const conn = opts.conn ?? new LocalConnection('localhost');
  const vars = opts.vars ?? {};
  return {
    host: 'localhost',
    conn,
    check: opts.check ?? false,
    diff: opts.diff ?? false,
    vars,
    render: fakeRender(vars),
    renderTemplate: (text) => fakeRender(vars)(text),
    evaluate: fakeEvaluate(vars),
    searchPaths: opts.searchPaths ?? [],
    prompt: opts.prompt,
    verbosity: opts.verbosity ?? 0,
    run: (cmd, o) => conn.exec(cmd, o),
  };
}

/** Run a module by name through the registry. */
export async function runModule(name: string, args: Record<string, unknown>, opts: CtxOptions = {}): Promise<ModuleResult> {
  const mod = getModule(name);
  if (!mod) throw new Error(`no module ${name}`);
  return mod.run(args, makeCtx(opts));
}

/** A fresh temp dir; call the returned cleanup in afterEach. */
export function tempDir(prefix = 'drover-mod-'): { dir: string; cleanup: () => void; p: (...parts: string[]) => string } {
  const dir = registeredTempDir(prefix);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }), p: (...parts) => path.join(dir, ...parts) };
}
