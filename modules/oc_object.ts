// oc_obj: read and change any API object through oc, idempotent like openshift-ansible's oc_obj:
// `state: list` gets one object or a selection (results.results[0] is the object or the List),
// `present` creates the object from `content` or merge-patches it only where it differs,
// `absent` deletes it when it exists.
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { itemsOf, jsonEqual, mergePatch, OcError, ocFailure, ocGetJson, ocOptions, runOc } from './lib/oc-client.js';

export interface ObjArgs {
  state: 'present' | 'absent' | 'list';
  kind: string;
  name?: string;
  namespace: string;
  selector?: string;
  field_selector?: string;
  all_namespaces: boolean;
  content?: Record<string, unknown>;
}

/** The `oc get` words for the selection the arguments describe. */
export function getArgs(a: ObjArgs): string[] {
  const words = [a.kind];
  if (a.name) words.push(a.name);
  if (a.selector) words.push('-l', a.selector);
  if (a.field_selector) words.push(`--field-selector=${a.field_selector}`);
  words.push(...(a.all_namespaces ? ['--all-namespaces'] : ['-n', a.namespace]));
  return words;
}

/** The object to create from `content`: kind, name and namespace filled from the arguments. */
export function newObject(a: ObjArgs): Record<string, unknown> {
  const c = structuredClone(a.content ?? {}) as Record<string, any>;
  c.kind ??= a.kind;
  c.metadata = { ...(c.metadata ?? {}), name: c.metadata?.name ?? a.name, namespace: c.metadata?.namespace ?? a.namespace };
  return c;
}

/** True when patching `current` with `content` would change nothing. */
export function upToDate(current: unknown, content: unknown): boolean {
  return jsonEqual(mergePatch(current, content), current);
}

const ocObj: ModuleDefinition = {
  name: 'oc_obj',
  aliases: ['oc_object'],
  description: 'Get, list, create, merge-patch or delete OpenShift/Kubernetes objects through oc (idempotent)',
  supportsCheckMode: true,
  supportsDiff: true,
  schema: {
    type: 'object',
    properties: {
      state: { type: 'string', enum: ['present', 'absent', 'list'], default: 'present' },
      kind: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string', default: 'default' },
      selector: { type: 'string' },
      field_selector: { type: 'string' },
      all_namespaces: { type: 'boolean', default: false },
      content: { type: 'object' },
      kubeconfig: { type: 'string' },
      oc_binary: { type: 'string', default: 'oc' },
      debug: { type: 'boolean', default: false },
    },
    required: ['kind'],
    additionalProperties: false,
    'x-required-if': [['state', 'present', ['content']], ['state', 'absent', ['name', 'selector'], true]],
  },
  async run(args, ctx): Promise<ModuleResult> {
    const a = args as unknown as ObjArgs;
    const o = ocOptions(args);
    try {
      const got = await ocGetJson(ctx, o, getArgs(a));
      const items = itemsOf(got.doc);
      if (a.state === 'list') {
        return { changed: false, state: 'list', results: { returncode: 0, cmd: got.run.cmd, results: got.doc ? [got.doc] : [] } };
      }
      if (a.state === 'absent') {
        if (items.length === 0) return { changed: false, state: 'absent', results: {} };
        if (ctx.check) return { changed: true, state: 'absent', msg: `would delete ${items.length} object(s)` };
        const del = await runOc(ctx, o, ['delete', ...getArgs({ ...a, field_selector: undefined })]);
        if (del.rc !== 0) return ocFailure(del, { changed: false }, o.oc);
        return { changed: true, state: 'absent', results: { returncode: 0, cmd: del.cmd, results: del.stdout.trim().split('\n') } };
      }
      if (!a.name || !a.content) return { failed: true, changed: false, msg: 'state=present needs name and content' };
      const current = got.doc;
      const after = current ? mergePatch(current, a.content) : newObject(a);
      const diff = ctx.diff ? { diff: { before: current ? JSON.stringify(current, null, 2) + '\n' : '', after: JSON.stringify(after, null, 2) + '\n' } } : {};
      if (current && upToDate(current, a.content)) return { changed: false, state: 'present', results: { returncode: 0, results: [current] } };
      if (ctx.check) return { changed: true, state: 'present', results: { returncode: 0, results: [after] }, ...diff };
      const r = current
        ? await runOc(ctx, o, ['patch', a.kind, a.name, '-n', a.namespace, '--type=merge', '-p', JSON.stringify(a.content)])
        : await runOc(ctx, o, ['create', '-n', a.namespace, '-f', '-'], JSON.stringify(after));
      if (r.rc !== 0) return ocFailure(r, { changed: false }, o.oc);
      const now = await ocGetJson(ctx, o, [a.kind, a.name, '-n', a.namespace]);
      return { changed: true, state: 'present', results: { returncode: 0, cmd: r.cmd, results: now.doc ? [now.doc] : [] }, ...diff };
    } catch (e) {
      if (e instanceof OcError) return ocFailure(e.run, { changed: false }, o.oc);
      throw e;
    }
  },
};

export default ocObj;
