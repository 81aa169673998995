// Normalisation of keyword values shared by plays, blocks, tasks and role entries (tags, when,
// vars, notify) and the copying of inherited keywords from an import/role/block onto children.
import type { SourcePos } from '../errors/index.js';
import { failAt, isDict } from './context.js';
import { INHERITED_KEYWORDS } from './keywords.js';
import { isTemplate } from './splitter.js';
import type { CommonKeywords, Task } from './types.js';

/** `tags: a,b` → ["a","b"]; list entries kept (numbers become strings); null → undefined. */
export function normTags(value: unknown, pos: SourcePos): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.split(',').map((t) => t.trim());
  if (typeof value === 'number') return failAt('tags must be specified as a list', pos);
  if (Array.isArray(value)) {
    return value.map((t) => {
      if (typeof t === 'string' || typeof t === 'number') return String(t);
      return failAt(`tags must be strings or numbers, found ${JSON.stringify(t)}`, pos);
    });
  }
  return failAt('tags must be specified as a list', pos);
}

/** when / changed_when / failed_when / until → list (ANDed); null → undefined. */
export function normList(value: unknown): unknown[] | undefined {
  if (value === null || value === undefined) return undefined;
  return Array.isArray(value) ? [...value] : [value];
}

/**
 * notify: a list of names, or one template kept whole (`notify: "{{ handler_list }}"` renders to
 * a list, as Ansible templates the whole field; a list's entries render one name each).
 */
export function normNotify(value: unknown, pos: SourcePos): string[] | string | undefined {
  if (typeof value === 'string' && isTemplate(value)) return value;
  return normNames(value, 'notify', pos);
}

/** notify / listen → list of names. */
export function normNames(value: unknown, what: string, pos: SourcePos): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return failAt(`${what} entries must be handler names (strings), found ${JSON.stringify(v)}`, pos);
  });
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield',
]);

/** ansible.utils.vars.isidentifier: an ASCII Python identifier that is not a keyword. */
export function isIdentifier(name: unknown): boolean {
  return typeof name === 'string' && VAR_NAME.test(name) && !PY_KEYWORDS.has(name);
}

/** vars as a dict or a list of dicts (merged in order). */
export function normVars(value: unknown, owner: string, pos: SourcePos): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    if (!isDict(part)) {
      failAt(`Vars in a ${owner} must be specified as a dictionary, or a list of dictionaries`, pos);
    }
    for (const [k, v] of Object.entries(part)) {
      if (!VAR_NAME.test(k)) failAt(`Invalid variable name in vars specified for ${owner}: '${k}' is not a valid variable name`, pos);
      out[k] = v;
    }
  }
  return out;
}

/** Keywords every Base object (play, block, task) declares as strings (isa='string'). */
export const BASE_STRING_FIELDS = ['name', 'connection', 'remote_user', 'debugger', 'become_method', 'become_user', 'become_flags', 'become_exe'];

/**
 * Ansible's FieldAttributeBase.validate: a string keyword given a list or a mapping is a parse
 * error naming the field and the YAML type it got (before it could be templated or used).
 */
export function checkStringFields(ds: Record<string, unknown>, fields: readonly string[], pos: SourcePos): void {
  for (const name of fields) {
    const value = ds[name];
    if (Array.isArray(value) || isDict(value)) {
      const type = Array.isArray(value) ? 'AnsibleSequence' : 'AnsibleMapping';
      failAt(`The field '${name}' is supposed to be a string type, however the incoming data structure is a <class 'ansible.parsing.yaml.objects.${type}'>`, pos);
    }
  }
}

/** Copy the inherited Base keywords (become, environment, ...) present in a raw mapping. */
export function copyInherited(target: CommonKeywords, ds: Record<string, unknown>): void {
  for (const key of INHERITED_KEYWORDS) {
    if (ds[key] !== undefined) (target as Record<string, unknown>)[key] = ds[key];
  }
}

/** Keywords of a parent (import, role entry, block) that its children inherit. */
export function parentKeywords(src: CommonKeywords): CommonKeywords {
  const out: CommonKeywords = {};
  for (const key of INHERITED_KEYWORDS) {
    const v = (src as Record<string, unknown>)[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  if (src.when?.length) out.when = [...src.when];
  if (src.tags?.length) out.tags = [...src.tags];
  if (src.vars && Object.keys(src.vars).length) out.vars = { ...src.vars };
  return out;
}

/** Union keeping first-seen order. */
export function unionTags(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a?.length) return b?.length ? [...b] : undefined;
  if (!b?.length) return [...a];
  return [...new Set([...a, ...b])];
}

/**
 * Push a parent's keywords down onto a task (used where the tree cannot hold a block, i.e.
 * handlers): the task's own values win, `when` conditions are ANDed (parent first), tags united,
 * vars merged with the task's on top.
 */
export function inheritInto(task: Task, parent: CommonKeywords, notify?: string[] | string): void {
  const t = task as unknown as Record<string, unknown>;
  for (const key of INHERITED_KEYWORDS) {
    const v = (parent as Record<string, unknown>)[key];
    if (v !== undefined && t[key] === undefined) t[key] = v;
  }
  if (parent.when?.length) task.when = [...parent.when, ...(task.when ?? [])];
  task.tags = unionTags(parent.tags, task.tags);
  if (!task.tags) delete task.tags;
  if (parent.vars) task.vars = { ...parent.vars, ...(task.vars ?? {}) };
  if (notify?.length && !task.notify) task.notify = notify;
}

/** Assign only defined values, so the tree carries no `undefined` keys. */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}
