// Decrypted vault values are secrets: this wraps the run's event stream so that task results
// (plain and -v output, JSON events, the run log all read the same events) show `********` where
// a decrypted value appears, except in `debug` results, where a task prints a value on purpose.
import type { EngineEvent } from '../output/events.js';
import type { Vault } from './secrets.js';

/** Ansible's no_log mask (VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). */
export const MASK = '********';

const ON_PURPOSE = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug']);

function mask(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((s, secret) => (s.includes(secret) ? s.split(secret).join(MASK) : s), value);
  if (Array.isArray(value)) return value.map((v) => mask(v, secrets));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string | symbol, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, secrets)]));
    // display markers (modules-sdk/display.ts VERBOSE_ALWAYS) are symbol keys: kept as they are
    for (const sym of Object.getOwnPropertySymbols(value)) out[sym] = (value as Record<symbol, unknown>)[sym];
    return out;
  }
  return value;
}

/** `emit`, with the results of tasks other than debug masked. */
export function maskingEmit(emit: (e: EngineEvent) => void, vault: Vault): (e: EngineEvent) => void {
  const actions = new Map<number, string>();
  return (e) => {
    if (e.kind === 'task.start') actions.set(e.taskId, e.action);
    const secrets = [...vault.revealed].sort((a, b) => b.length - a.length);
    if (secrets.length && (e.kind === 'host.result' || e.kind === 'task.retry') && !ON_PURPOSE.has(actions.get(e.taskId) ?? '')) {
      emit({ ...e, result: mask(e.result, secrets) as Record<string, unknown> });
      return;
    }
    // -e values read from vault files travel in playbook.start (the report's parameters)
    if (secrets.length && e.kind === 'playbook.start' && e.run) {
      emit({ ...e, run: { ...e.run, extraVars: mask(e.run.extraVars, secrets) as Record<string, unknown> } });
      return;
    }
    emit(e);
  };
}
