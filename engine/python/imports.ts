// The imports of a Python source that matter to a module's payload: what ansible-core 2.14's
// ModuleDepFinder (executor/module_common.py) collects with Python's ast — `import a.b.c`,
// `from a.b import c, d` (also parenthesised over several lines) and relative `from ..x import y`.
// Read line by line rather than parsed: an import nested in a block (try/except, if, def) is
// optional, as ModuleDepFinder's optional_imports are (a missing one is left out, not an error).

export interface PyImport {
  /** The dotted module named (absolute, or with leading dots when relative). */
  module: string;
  /** The names of a from-import (each may be a submodule or an attribute); empty for `import x`. */
  names: string[];
  /** Indented (inside try/if/def): a missing module is not an error. */
  optional: boolean;
}

/** Logical lines: triple-quoted strings blanked, continuation lines and open parentheses joined. */
function logicalLines(src: string): string[] {
  const noStrings = src.replace(/("""|''')[\s\S]*?\1/g, (m) => m.replace(/[^\n]/g, ' '));
  const out: string[] = [];
  let buf = '';
  let depth = 0;
  for (const raw of noStrings.split('\n')) {
    // quoted strings emptied first, so a '#' or a parenthesis inside one counts for nothing
    const line = raw.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''").replace(/#.*$/, '');
    buf = buf ? `${buf} ${line.trim()}` : line;
    for (const ch of line) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth > 0 || /\\\s*$/.test(line)) {
      buf = buf.replace(/\\\s*$/, '');
      continue;
    }
    out.push(buf);
    buf = '';
    depth = 0;
  }
  if (buf) out.push(buf);
  return out;
}

export function scanImports(src: string): PyImport[] {
  const out: PyImport[] = [];
  for (const line of logicalLines(src)) {
    const optional = /^\s+\S/.test(line);
    const from = /^\s*from\s+(\.*[\w.]*)\s+import\s+\(?([^)]*)\)?\s*$/.exec(line);
    if (from) {
      const names = from[2].split(',').map((n) => n.trim().split(/\s+as\s+/)[0].trim()).filter((n) => /^\w+$/.test(n));
      out.push({ module: from[1], names, optional });
      continue;
    }
    const imp = /^\s*import\s+(.+)$/.exec(line);
    if (imp) {
      for (const part of imp[1].split(',')) {
        const mod = part.trim().split(/\s+as\s+/)[0].trim();
        if (/^[\w.]+$/.test(mod)) out.push({ module: mod, names: [], optional });
      }
    }
  }
  return out;
}

/** Resolve a relative module name (leading dots) against the dotted package holding the importer. */
export function absoluteModule(module: string, pkg: string): string | undefined {
  const dots = /^\.*/.exec(module)![0].length;
  if (dots === 0) return module;
  const parts = pkg.split('.');
  if (dots - 1 > parts.length) return undefined;
  const base = parts.slice(0, parts.length - (dots - 1));
  const rest = module.slice(dots);
  return [...base, ...(rest ? [rest] : [])].join('.');
}
