// Everything a person sees is one of these events. The scheduler emits them; reporters (plain
// text, the ink live view, JSON lines) consume them. Adding a kind breaks every reporter's
// exhaustive switch until it handles the new kind — that is the point.
import type { HostStats } from './stats.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export type EngineEvent =
  | {
      kind: 'playbook.start'; file: string;
      /** The path as given on the command line, and how many plays it holds (imports expanded): Ansible's -vv "N plays in PATH". */
      given?: string; plays?: number;
      /** Task files imported statically while loading it (-vv "statically imported: FILE", before the banner). */
      imports?: string[];
      /** The run's parameters as given (the rollout report shows them): -e, --limit, tags, check mode, forks, inventory. */
      run?: RunParams;
    }
  | { kind: 'play.start'; name: string; pattern: string; hosts: string[]; strategy: string; serial: unknown }
  | { kind: 'play.nohosts'; name: string }
  | {
      kind: 'batch.start'; index: number; count: number; hosts: string[]; maxFailPercentage?: number;
      /** Optional (live view progress): number of hosts in the whole play, all batches. */
      playHosts?: number;
    }
  | { kind: 'batch.done'; index: number; failed: string[]; unreachable: string[] }
  | {
      kind: 'task.start'; taskId: number; name: string; action: string; handler: boolean; hook?: string; file?: string; line?: number;
      /** Shares a lock-step round with the task started just before (no banner of its own in Ansible). */
      merged?: boolean;
      /** Optional (live view rows): the hosts that run this task now (one host under strategy free). */
      hosts?: string[];
    }
  | {
      kind: 'host.result';
      taskId: number;
      host: string;
      status: HostStatus;
      /** The module result as registered (no_log already applied). */
      result: Record<string, unknown>;
      ignored: boolean;
      delegatedTo?: string;
      /** The delegate's ansible_host when it differs from delegatedTo. */
      delegatedAddress?: string;
      /** Set for one item of a loop; the final loop result has no item. */
      item?: { label: unknown };
      verboseAlways?: boolean;
      /** The summary result of a looped task (its items were reported one by one before). */
      loop?: boolean;
    }
  | {
      /** An async task's job while the executor polls it (poll), and how it ended (ok / failed). */
      kind: 'task.async'; taskId: number; host: string; phase: 'poll' | 'ok' | 'failed'; jid: unknown; started?: unknown; finished?: unknown;
    }
  | { kind: 'task.retry'; taskId: number; host: string; name: string; retriesLeft: number; result: Record<string, unknown>; delegatedTo?: string }
  | { kind: 'include'; file: string; hosts: string[]; hook?: boolean; /** Set when the include is looped. */ item?: { label: unknown } }
  /** An include task's own result on a host, as Ansible hands it to callbacks (the ad-hoc output prints it). */
  | { kind: 'include.result'; taskId: number; host: string; result: Record<string, unknown> }
  | { kind: 'hook.start'; host: string; file: string; hookVar: string }
  | {
      kind: 'warning'; message: string;
      /**
       * Where a repeated warning is shown once: within one task's run on one host (Ansible's
       * worker process) when set, else within the whole run (Ansible's main process).
       */
      scope?: string;
    }
  | { kind: 'deprecation'; message: string }
  | { kind: 'no_more_hosts' }
  | { kind: 'play.done'; name: string }
  | {
      kind: 'recap'; stats: Record<string, HostStats>; retryFile?: string;
      /** set_stats data per host, the run's own under '_run'; absent when set_stats never ran. */
      custom?: Record<string, Record<string, unknown>>;
    }
  | { kind: 'prompt'; host?: string; message: string }
  | {
      kind: 'message'; text: string; stream: 'stdout' | 'stderr';
      /** Shown only from this -v level on (Ansible's display.v/vv/vvv lines, e.g. "META: ..."). */
      verbosity?: number;
    };

export interface RunParams {
  extraVars: Record<string, unknown>;
  limit?: string;
  tags: string[];
  skipTags: string[];
  check: boolean;
  forks: number;
  inventory: string[];
}

export type EngineEventKind = EngineEvent['kind'];

export interface Reporter {
  handle(event: EngineEvent): void;
  /** Flush and release the terminal; called once at the end. */
  close(): Promise<void> | void;
}

/** Fan one event stream out to several reporters. */
export class EventBus {
  private readonly reporters: Reporter[] = [];
  add(r: Reporter): void {
    this.reporters.push(r);
  }
  emit(event: EngineEvent): void {
    for (const r of this.reporters) r.handle(event);
  }
  async close(): Promise<void> {
    for (const r of this.reporters) await r.close();
  }
}
