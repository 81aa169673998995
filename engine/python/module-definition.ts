// A module file (library/, a collection, ansible-core) as a ModuleDefinition: its arguments are
// the module's business (no schema here, as Ansible validates inside the module), and run()
// ships it to the host's Python over Ansible's module protocol (engine/python/run-module.ts).
import type { ModuleDefinition } from '../modules-sdk/types.js';
import type { ModuleFileRef } from '../playbook/types.js';
import { runModuleFile } from './run-module.js';
import type { Payload } from './payload.js';
import { WorkerPool } from './worker.js';

/** Settings of the run the Python path needs. */
export interface PythonSettings {
  /** interpreter_python: a path or auto, auto_silent, auto_legacy, auto_legacy_silent. */
  interpreter: string;
  /** module_utils folders configured (ANSIBLE_MODULE_UTILS). */
  moduleUtilsPaths: string[];
  /** module_utils/ folders beside playbooks and roles (PluginDirs). */
  moduleUtilsDirs: () => readonly string[];
  /** The controller's ansible package folder; undefined: not installed. */
  ansibleCore?: string;
  /** Roots holding ansible_collections/ (collection module_utils). */
  collectionRoots?: readonly string[];
  /** keep_remote_files (ANSIBLE_KEEP_REMOTE_FILES). */
  keepRemoteFiles?: boolean;
  /** python_worker: new-style modules run in a warm worker per host (worker.ts); default on. */
  worker?: boolean;
  /** The run's payloads, built once per module file, and which hosts hold them already. */
  cache?: PayloadCache;
}

/** One run's memory of payloads (built on the controller once, sent to each host once) and its workers. */
export class PayloadCache {
  readonly built = new Map<string, { payload: Payload; hash: string }>();
  readonly onHost = new Set<string>();
  readonly workers: WorkerPool;
  constructor(worker = true) {
    this.workers = new WorkerPool(worker);
  }
}

/** `moduleName`: the action as the task wrote it (_ansible_module_name). */
export function fileModule(ref: ModuleFileRef, settings: PythonSettings, moduleName: string): ModuleDefinition {
  return {
    name: ref.name,
    description: `module file ${ref.path}`,
    schema: { type: 'object' },
    opaqueArgs: true,
    supportsCheckMode: true,
    supportsDiff: true,
    supportsAsync: true,
    run: (args, ctx) => runModuleFile(ref, args, ctx, settings, moduleName),
  };
}
