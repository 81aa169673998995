// A `drover lab` for tests that run whole playbooks over SSH: brought up from an inventory (as
// `drover lab up -i` does), with an optional *shared directory* that every lab host and the
// controller see at the same absolute path, so a playbook's `-e log=PATH` work log (and any
// counter files next to it) lands in one file whichever host, delegate or localhost writes it.
// The shared directory is a bind mount into each host's tree; `lab down` unmounts it with the
// rest of the lab. Always call `down()` (afterAll), also when a test failed.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labDown, labFault, labUp } from '../../engine/lab/lab.js';
import { hostPaths, labPaths, type LabRecord } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName } from '../lab/helpers.js';

export { labSkipReason, uniqueLabName };

const run = promisify(execFile);

export interface TestLab {
  name: string;
  record: LabRecord;
  /** The generated inventory (connection vars that drover and ansible-playbook both read). */
  inventory: string;
  /** The shared directory (same path on the controller and on every host), if asked for. */
  shared?: string;
  /** Make a host refuse connections (`down`) or accept them again (`up`). */
  fault(host: string, mode: 'down' | 'up'): Promise<void>;
  down(): Promise<void>;
}

export interface LabOptions {
  /** Lab name prefix; a unique suffix is added (labs of parallel test files never collide). */
  prefix: string;
  /** Bind-mount `<lab>/shared` into every host at the same absolute path. */
  shared?: boolean;
  /** Login users (`lab up --user NAME[:PASSWORD]`), e.g. 'bob' for NOPASSWD sudo. */
  users?: string[];
}

/** Bind-mount `dir` (which must be on the controller) into every host at the same path. */
export async function shareIntoHosts(record: LabRecord, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const lines: string[] = [];
  for (const h of record.hosts) {
    const target = join(hostPaths(record.dir, h.dirName).root, dir);
    lines.push(`mkdir -p '${target}'`, `mount --bind '${dir}' '${target}'`);
  }
  await run('/bin/sh', ['-ec', lines.join('\n')], { maxBuffer: 1 << 24 });
}

/** Bring a lab up for `inventory`; on any failure after `labUp` the lab is taken down again. */
export async function startLab(inventory: string, opts: LabOptions): Promise<TestLab> {
  const name = uniqueLabName(opts.prefix);
  const record = await labUp({ inventory: [inventory], name, users: opts.users });
  const lab: TestLab = {
    name,
    record,
    inventory: labPaths(record.dir).inventory,
    fault: (host, mode) => labFault(name, host, mode),
    down: () => labDown(name),
  };
  try {
    if (opts.shared) {
      lab.shared = join(record.dir, 'shared');
      await shareIntoHosts(record, lab.shared);
    }
  } catch (e) {
    await lab.down().catch(() => undefined);
    throw e;
  }
  return lab;
}
