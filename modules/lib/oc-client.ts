// Driving the `oc` client from modules (oc_node, oc_obj): command lines built from argv words
// (every word quoted), JSON reads, and the pure helpers the modules decide `changed` with.
import { quoteArgv } from '../../engine/modules-sdk/quote.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { toolMissing, toolMissingMessage } from '../../engine/modules-sdk/tools.js';

export interface OcOptions {
  /** The client binary (default `oc`). */
  oc: string;
  /** --config=FILE, as openshift-ansible's `kubeconfig` argument. */
  kubeconfig?: string;
}

export function ocOptions(args: Record<string, unknown>): OcOptions {
  return { oc: String(args.oc_binary ?? 'oc'), kubeconfig: args.kubeconfig === undefined ? undefined : String(args.kubeconfig) };
}

/** One quoted command line: `oc [--config=K] ARGS...`. */
export function ocCommand(o: OcOptions, args: string[]): string {
  return quoteArgv([o.oc, ...(o.kubeconfig ? [`--config=${o.kubeconfig}`] : []), ...args]);
}

export interface OcRun {
  cmd: string;
  rc: number;
  stdout: string;
  stderr: string;
}

export async function runOc(ctx: ModuleContext, o: OcOptions, args: string[], stdin?: string): Promise<OcRun> {
  const cmd = ocCommand(o, args);
  const r = await ctx.run(cmd, stdin === undefined ? {} : { stdin });
  return { cmd, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
}

/**
 * True when the server said the object does not exist ("Error from server (NotFound): ...").
 * The shell's "oc: not found" (rc 127) is a missing client, not a missing object.
 */
export function isNotFound(r: OcRun): boolean {
  return r.rc !== 0 && !toolMissing(r) && /\(NotFound\)/.test(r.stderr);
}

/** `oc get ... -o json` → the document; throws with oc's message on other failures. */
export async function ocGetJson(ctx: ModuleContext, o: OcOptions, args: string[]): Promise<{ run: OcRun; doc?: any }> {
  const run = await runOc(ctx, o, ['get', ...args, '-o', 'json']);
  if (isNotFound(run)) return { run };
  if (run.rc !== 0) throw new OcError(run);
  if (run.stdout.trim() === '') return { run, doc: { kind: 'List', items: [] } };
  return { run, doc: JSON.parse(run.stdout) };
}

/** Items of a get result: a List's items or the single object. */
export function itemsOf(doc: any): any[] {
  if (!doc) return [];
  return doc.kind === 'List' || Array.isArray(doc.items) ? doc.items ?? [] : [doc];
}

export class OcError extends Error {
  constructor(readonly run: OcRun) {
    super(run.stderr.trim() || `${run.cmd} failed with rc ${run.rc}`);
  }
}

/** The module result for a failed oc call (a missing client named as such). */
export function ocFailure(run: OcRun, extra: Record<string, unknown> = {}, oc = 'oc'): Record<string, unknown> {
  const msg = toolMissing(run) ? toolMissingMessage(oc, run) : run.stderr.trim() || `command failed: ${run.cmd}`;
  return { failed: true, msg, cmd: run.cmd, rc: run.rc, stdout: run.stdout, stderr: run.stderr, ...extra };
}

/** JSON merge patch (RFC 7386): what `oc patch --type=merge` does. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => jsonEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as any)[k], (b as any)[k]));
}

/** Label values are strings in the API: Ansible's True/1 become "true"/"1". */
export function labelString(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
}
