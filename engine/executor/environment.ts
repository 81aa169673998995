// The `environment` keyword: play → block → task layers rendered and merged the way
// Task._post_validate_environment does, where a value needing the not yet gathered ansible_env
// is left out instead of failing the task.
import { DroverError, TemplateError, type SourcePos } from '../errors/index.js';
import { isEnvName } from '../modules-sdk/quote.js';
import { pyStr } from '../template/python.js';

/**
 * `environment` may be a dict or a list of dicts (play → task); later keys win, values are
 * strings. A name the shell cannot export fails the task (Ansible's shell fails on it too, with
 * "not found"), before anything runs.
 */
export function mergeEnvironment(value: unknown, pos?: SourcePos): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = pyStr(x);
  };
  add(value);
  for (const k of Object.keys(out)) {
    if (!isEnvName(k)) throw new DroverError(`environment: ${JSON.stringify(k)} is not a valid variable name (letters, digits and _, not starting with a digit)`, { pos });
  }
  return out;
}

/** An undefined-variable error about ansible_env (facts not gathered yet): that key is dropped. */
function needsEnvFacts(e: unknown): boolean {
  return e instanceof TemplateError && e.undefinedVariable && /ansible_env|ansible_facts\.env/.test(e.message);
}

/** Render each layer key by key (a dict) or whole (a template giving a dict), then merge. */
export function renderEnvironment(value: unknown, render: (v: unknown) => unknown, pos?: SourcePos): Record<string, string> {
  const rendered: unknown[] = [];
  const layer = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(layer);
    else if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        try {
          out[k] = render(x);
        } catch (e) {
          if (!needsEnvFacts(e)) throw e;
        }
      }
      rendered.push(out);
    } else if (v !== undefined && v !== null) {
      const whole = render(v);
      if (whole && typeof whole === 'object') rendered.push(whole);
    }
  };
  layer(value);
  return mergeEnvironment(rendered, pos);
}
