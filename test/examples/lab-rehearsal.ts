// What the OpenShift rehearsals against `drover lab` (lab-upgrade, lab-downgrade,
// lab-bluegreen-os) share: the skip reason, a synchronous `drover` for lab subcommands, bringing a
// lab up, running an example playbook on it with lab events on, and reading a service's running
// version from the event log.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './cases.js';
import { DROVER, runTool, type ToolResult } from './harness.js';
import type { Ev } from './invariants.js';

/** Why a lab rehearsal cannot run here (not root, a lab tool missing, drover not built), or undefined. */
export function labSkip(tools: string[]): string | undefined {
  const missingTool = tools.find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  return process.getuid?.() !== 0 ? 'the lab needs root' : missingTool ? `${missingTool} is not installed (bin/setup installs the lab's Debian packages)` : undefined;
}

/** `drover ARGS`, synchronous (lab subcommands: up, events, down). */
export const droverSync = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'drover'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

/** `drover lab up -i INVENTORY --name NAME`, expected to succeed; returns the lab's inventory path. */
export function labUp(inventory: string, name: string): string {
  const up = droverSync('lab', 'up', '-i', inventory, '--name', name);
  expect(up.status, up.stderr).toBe(0);
  return up.stdout.trim().split('\n').pop() ?? '';
}

/** A playbook (under examples/openshift-3.9/ unless the path starts with test/) on the lab, with lab events on. */
export function labPlay(labInv: string, pb: string, ...extra: string[]): Promise<ToolResult> {
  const path = pb.startsWith('test/') ? pb : `examples/openshift-3.9/${pb}`;
  return runTool(DROVER, ['-i', labInv, path, '-e', 'lab_events=true', '-e', 'openshift_upgrade_storage_migration_delay=1', ...extra], {}, 600_000);
}

/** The version the last start/restart of `service` on `host` ran ("" when never started). */
export function runningVersion(ev: Ev[], host: string, service: string): string {
  const starts = ev.filter((e) => e.host === host && e.service === service && /^service\.(started|restarted)$/.test(e.kind));
  return String(starts.at(-1)?.version ?? '');
}
