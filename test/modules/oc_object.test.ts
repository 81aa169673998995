// oc_obj against the simulated oc: list by name and selector, create/patch only on difference,
// delete, check mode and diff.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { validateArgs } from '../../engine/modules-sdk/validate.js';
import ocObj, { getArgs, upToDate } from '../../modules/oc_object.js';
import { SIM_DIR, simEnv, type SimEnv } from '../lab-openshift/helpers.js';
import { runModule } from './helpers.js';

const OC = path.join(SIM_DIR, 'oc.mjs');
let sim: SimEnv;
const saved = { ...process.env };
beforeEach(() => {
  sim = simEnv({ openshiftVersion: '3.7.23', defaults: true, nodes: [{ name: 'n1', roles: ['compute'] }, { name: 'n2', roles: ['compute'], labels: { color: 'blue' } }] });
  Object.assign(process.env, sim.env);
});
afterEach(() => {
  sim.cleanup();
  process.env = { ...saved };
});
const run = (args: Record<string, unknown>, opts: { check?: boolean; diff?: boolean } = {}) => runModule('oc_obj', { oc_binary: OC, ...args }, opts);

describe('oc_obj schema and helpers', () => {
  it('validates', () => {
    expect(validateArgs(ocObj, { kind: 'node', state: 'list' })).toBeNull();
    expect(validateArgs(ocObj, { kind: 'dc', name: 'router', content: { spec: { replicas: 2 } } })).toBeNull();
    expect(validateArgs(ocObj, { state: 'list' })).toContain('missing required arguments: kind');
    expect(validateArgs(ocObj, { kind: 'dc', name: 'router', state: 'present' })).toContain('state is present but all of the following are missing: content');
    expect(validateArgs(ocObj, { kind: 'dc', state: 'absent' })).toContain('any of the following are missing: name, selector');
  });
  it('builds get words and compares patches', () => {
    expect(getArgs({ kind: 'pod', namespace: 'x', selector: 'app=a', all_namespaces: false, state: 'list' })).toEqual(['pod', '-l', 'app=a', '-n', 'x']);
    expect(upToDate({ spec: { a: 1, b: 2 } }, { spec: { a: 1 } })).toBe(true);
    expect(upToDate({ spec: { a: 1 } }, { spec: { a: null } })).toBe(false);
  });
});

describe('oc_obj on the simulated cluster', () => {
  it('lists a node by name (results.results[0] is the object) and by selector (a List)', async () => {
    const one = await run({ kind: 'node', name: 'n1', state: 'list' });
    const obj = (one.results as any).results[0];
    expect(obj.metadata.name).toBe('n1');
    expect(obj.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    const sel = await run({ kind: 'node', selector: 'color=blue', state: 'list' });
    expect((sel.results as any).results[0].items.map((i: any) => i.metadata.name)).toEqual(['n2']);
    const missing = await run({ kind: 'node', name: 'zz', state: 'list' });
    expect(missing.failed).toBeFalsy();
    expect((missing.results as any).results).toEqual([]);
  });

  it('patches a dc only when it differs; check mode and diff', async () => {
    const content = { spec: { template: { spec: { containers: [{ name: 'router', image: 'ose-haproxy-router:v3.9' }] } } } };
    const chk = await run({ kind: 'dc', name: 'router', content }, { check: true, diff: true });
    expect(chk.changed).toBe(true);
    expect(String((chk.diff as any).after)).toContain('v3.9');
    expect(sim.readEvents()).toEqual([]);
    const first = await run({ kind: 'dc', name: 'router', content });
    expect(first.changed).toBe(true);
    expect((first.results as any).results[0].spec.template.spec.containers[0].image).toBe('ose-haproxy-router:v3.9');
    expect((await run({ kind: 'dc', name: 'router', content })).changed).toBe(false);
    expect(sim.readEvents().map((e) => e.kind)).toEqual(['object.patched']);
  });

  it('creates a missing object, then deletes it, each once', async () => {
    const content = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } };
    expect((await run({ kind: 'ConfigMap', name: 'cfg', namespace: 'app', content })).changed).toBe(true);
    expect((await run({ kind: 'ConfigMap', name: 'cfg', namespace: 'app', content })).changed).toBe(false);
    expect((await run({ kind: 'configmap', name: 'cfg', namespace: 'app', state: 'absent' }, { check: true })).changed).toBe(true);
    expect((await run({ kind: 'configmap', name: 'cfg', namespace: 'app', state: 'absent' })).changed).toBe(true);
    expect((await run({ kind: 'configmap', name: 'cfg', namespace: 'app', state: 'absent' })).changed).toBe(false);
    expect(sim.readEvents().map((e) => e.kind)).toEqual(['object.created', 'object.deleted']);
  });

  it('reports the oc error when a patch is refused', async () => {
    await run({ kind: 'ImageBasedUpgrade', name: 'upgrade', content: { spec: { stage: 'Idle' } } });
    const bad = await run({ kind: 'ibu', name: 'upgrade', content: { spec: { stage: 'Rollback' } } });
    expect(bad.failed).toBe(true);
    expect(String(bad.msg)).toContain('Idle -> Rollback');
  });
});
