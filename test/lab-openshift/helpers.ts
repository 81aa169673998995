// Helpers for the OpenShift simulator tests: a temp cluster state dir seeded with seed.ts, the
// simulated tools run as real processes (as a lab host runs them), and the events they record.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeClusterState, type SeedOptions } from '../../engine/lab/openshift/seed.js';
import { tempDir } from '../support/tmp.js';

export const SIM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../engine/lab/openshift/sim');

export interface SimEnv {
  dir: string;
  state: string;
  root: string;
  events: string;
  env: Record<string, string>;
  /** Run a simulated tool (oc, docker, ...) with args; returns rc/stdout/stderr. */
  run(tool: string, args: string[], extraEnv?: Record<string, string>): { rc: number; stdout: string; stderr: string };
  /** Events recorded so far. */
  readEvents(): { kind: string; [k: string]: unknown }[];
  /** The raw cluster.json document. */
  cluster(): any;
  cleanup(): void;
}

const TOOL_FILES: Record<string, string> = {
  oc: 'oc.mjs',
  'atomic-openshift-excluder': 'excluder.mjs',
  'atomic-openshift-docker-excluder': 'excluder.mjs',
  'subscription-manager': 'subscription-manager.mjs',
  docker: 'docker.mjs',
  helm: 'helm.mjs',
  osm: 'osm.mjs',
  'openshift-sim-hook': 'hook.mjs',
};

export function simEnv(seed?: SeedOptions): SimEnv {
  const dir = tempDir('drover-ocsim-');
  const state = path.join(dir, 'cluster');
  const root = path.join(dir, 'root');
  const events = path.join(dir, 'events.jsonl');
  mkdirSync(root, { recursive: true });
  mkdirSync(state, { recursive: true });
  if (seed) writeClusterState(state, seed);
  writeFileSync(events, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DROVER_CLUSTER_STATE: state,
    DROVER_SIM_ROOT: root,
    DROVER_SIM_STATE: path.join(root, 'var/lib/drover-sim'),
    DROVER_SIM_EVENTS: events,
    DROVER_SIM_NO_RPM: '1',
  };
  return {
    dir,
    state,
    root,
    events,
    env,
    run(tool, args, extraEnv = {}) {
      const file = path.join(SIM_DIR, TOOL_FILES[tool] ?? tool);
      const r = spawnSync(process.execPath, [file, ...args], { env: { ...env, ...extraEnv, DROVER_SIM_TOOL: tool }, encoding: 'utf8' });
      return { rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    readEvents() {
      return readFileSync(events, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    },
    cluster() {
      return JSON.parse(readFileSync(path.join(state, 'cluster.json'), 'utf8'));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
