// The set_fact action as ansible-core 2.14's (plugins/action/set_fact.py): keys are templated and
// must be identifiers; without jinja2_native, string values spelling true/false/yes/no become
// booleans (also the k=v form's); `cacheable` asks the scheduler to put the facts in the fact
// cache too. The scheduler applies the facts when it folds the result (scheduler/fold.ts).
import type { ModuleResult } from '../modules-sdk/types.js';
import type { VarScope } from '../vars/scope.js';
import { CACHEABLE } from './result-vars.js';
import { toBool } from './truthy.js';
import type { TemplateEngine } from './types.js';

const PY_KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

/** ansible.utils.vars.isidentifier: an ASCII Python identifier that is not a keyword. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

export interface SetFactContext {
  templar: TemplateEngine;
  scope: VarScope;
  /** DEFAULT_JINJA2_NATIVE: values keep their type; no string-to-boolean conversion. */
  jinja2Native: boolean;
}

export function setFact(args: Record<string, unknown>, ctx: SetFactContext): ModuleResult {
  const { cacheable = false, ...pairs } = args;
  if (Object.keys(pairs).length === 0) {
    return { failed: true, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
  }
  const facts: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(pairs)) {
    const key = String(ctx.templar.render(rawKey, ctx.scope));
    if (!isIdentifier(key)) {
      return {
        failed: true,
        msg: `The variable name '${key}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
      };
    }
    // 2.14 converts explicit YAML strings too (its own note says it should only be k=v's)
    const convert = !ctx.jinja2Native && typeof value === 'string' && ['true', 'false', 'yes', 'no'].includes(value.toLowerCase());
    facts[key] = convert ? toBool(value) : value;
  }
  const result: ModuleResult = { changed: false, ansible_facts: facts };
  if (toBool(cacheable)) (result as Record<symbol, unknown>)[CACHEABLE] = true;
  return result;
}
