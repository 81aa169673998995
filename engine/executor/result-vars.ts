// What a task result adds to the variables, as ansible-core 2.14 decides it from the action: the
// executor's per-item update inside a loop (TaskExecutor._execute: later items see earlier items'
// facts and registered result) and the scheduler's fold (StrategyBase._process_pending_results:
// which variable layer the facts go to). One table, used by both.
import { markUnsafe } from '../vars/scope.js';

/** Actions whose facts are plain variables, not host facts (C._ACTION_WITH_CLEAN_FACTS). */
const CLEAN_FACTS_ACTIONS = new Set(['set_fact', 'include_vars']);

/** Where a result's `ansible_facts` go when the scheduler folds it. */
export type FactLayer = 'include_vars' | 'set_fact' | 'facts';

export function factLayer(action: string): FactLayer {
  if (action === 'include_vars') return 'include_vars';
  if (action === 'set_fact') return 'set_fact';
  return 'facts';
}

/**
 * set_fact's `_ansible_facts_cacheable`: its facts go to the fact cache too. A symbol, as the
 * display marks (modules-sdk/display.ts): it travels with the result, never into register.
 */
export const CACHEABLE: unique symbol = Symbol.for('drover.result.factsCacheable');

export function isCacheable(result: object): boolean {
  return (result as Record<symbol, unknown>)[CACHEABLE] === true;
}

/**
 * The variables one result adds for the next loop item: set_fact/include_vars facts as they
 * are; other facts under ansible_facts (without their ansible_ prefix) and, injected, also by
 * name; the registered result under its name. debug results carry no facts.
 */
export function resultVars(
  action: string,
  result: Record<string, unknown>,
  o: { register?: string; injectFacts: boolean; known: (name: string) => unknown },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const facts = result.ansible_facts as Record<string, unknown> | undefined;
  if (facts && typeof facts === 'object' && action !== 'debug') {
    if (CLEAN_FACTS_ACTIONS.has(action)) Object.assign(out, facts);
    else {
      const ns: Record<string, unknown> = { ...((o.known('ansible_facts') as Record<string, unknown> | undefined) ?? {}) };
      for (const [k, v] of Object.entries(facts)) ns[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = v;
      out.ansible_facts = ns;
      if (o.injectFacts) Object.assign(out, facts);
    }
  }
  if (o.register) out[o.register] = registeredValue(action, result);
  return out;
}

/**
 * strip_internal_keys: the strategy registers a clean copy of the result, without `_ansible_*`
 * keys at any depth (a module that echoes its arguments shows none of _ansible_check_mode...).
 */
export function stripInternalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalKeys);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string | symbol, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('_ansible_')) out[k] = stripInternalKeys(v);
  // drover's markers (display, cacheable facts) travel as symbols
  for (const s of Object.getOwnPropertySymbols(value)) out[s] = (value as Record<symbol, unknown>)[s];
  return out;
}

/** What `register` stores: the result, unsafe (never templated again) except for set_fact/include_vars. */
export function registeredValue(action: string, result: Record<string, unknown>): Record<string, unknown> {
  return CLEAN_FACTS_ACTIONS.has(action) ? result : markUnsafe(result);
}
