// A run's interrupt state. The first Ctrl-C or SIGTERM asks the run to stop: no new task (and
// no queued host of a running task) starts, the commands in flight finish. The second one kills
// them: killSignal aborts, and the executor cancels each in-flight command as a task timeout
// does (its process group on the host). The CLI owns the signal handlers; the scheduler only
// asks `stopping` and throws Interrupted, which carries the hosts left without a finished play.
export class Interrupted extends Error {
  /** Hosts that had not finished the play that was running (they go into the retry file). */
  pending: string[] = [];

  constructor() {
    super('User interrupted execution');
  }
}

export class RunInterrupt {
  private requests = 0;
  private readonly killer = new AbortController();

  /** True once an interrupt was requested. */
  get stopping(): boolean {
    return this.requests > 0;
  }

  /** Aborts on the second request: in-flight commands must be killed. */
  get killSignal(): AbortSignal {
    return this.killer.signal;
  }

  /** One Ctrl-C/SIGTERM: returns 'stop' the first time, 'kill' from the second on. */
  request(): 'stop' | 'kill' {
    this.requests++;
    if (this.requests === 1) return 'stop';
    this.killer.abort();
    return 'kill';
  }

  /** Throws Interrupted when the run must stop. */
  check(): void {
    if (this.stopping) throw new Interrupted();
  }
}
