// The live reporter: folds every event into the model at once (cheap) and redraws from a
// snapshot on a timer (12 fps by default), so a 1,000-host run costs a dozen frames a second
// whatever its event rate. It also answers the engine's prompts inside the view, and at the
// end leaves a short final frame and prints the plain PLAY RECAP so the scroll-back keeps it.
import { render, type Instance } from 'ink';
import type { EngineEvent, Reporter } from '../events.js';
import { PlainReporter } from '../plain.js';
import { initialState, reduce, type LiveAction, type LiveState } from './model.js';
import { snapshot } from './snapshot.js';
import { LiveApp } from './view.js';

export interface LiveOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  color: boolean;
  fps?: number;
  stuckAfterMs?: number;
  /** show_custom_stats: the plain recap printed at the end includes the set_stats data. */
  showCustomStats?: boolean;
  /** Clock, for tests. */
  now?: () => number;
  /** Called on Ctrl+C inside a prompt (raw mode swallows the signal). */
  onInterrupt?: () => void;
}

export type PromptFn = (message: string, opts?: { echo?: boolean }) => Promise<string>;

export class LiveReporter implements Reporter {
  readonly state: LiveState;
  private readonly ink: Instance;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private dirty = true;
  private lastDraw = 0;
  private promptKey = 0;
  private pending?: (answer: string) => void;
  private recap?: Extract<EngineEvent, { kind: 'recap' }>;
  private closed = false;
  /** Frames drawn (benchmarks and tests read it). */
  frames = 0;

  constructor(private readonly o: LiveOptions) {
    this.now = o.now ?? Date.now;
    this.state = initialState(this.now());
    this.ink = render(this.element(), { stdout: o.stdout, stdin: o.stdin, exitOnCtrlC: false, patchConsole: false, maxFps: o.fps ?? 12 });
    this.timer = setInterval(() => this.tick(), Math.round(1000 / (o.fps ?? 12)));
    this.timer.unref();
  }

  private logCopy: LiveState['log'] = [];
  /** ink's <Static> notices new lines only through a new array: copy when lines were added. */
  private logView(): LiveState['log'] {
    if (this.logCopy.length !== this.state.log.length) this.logCopy = this.state.log.slice();
    return this.logCopy;
  }

  private element() {
    const view = snapshot(this.state, this.now(), {
      columns: this.o.stdout.columns || 80,
      rows: this.o.stdout.rows || 24,
      stuckAfterMs: this.o.stuckAfterMs ?? 300_000,
    });
    return (
      <LiveApp
        view={view}
        log={this.logView()}
        color={this.o.color}
        promptKey={this.promptKey}
        onAnswer={(a) => this.answer(a)}
        onInterrupt={() => this.interrupt()}
      />
    );
  }

  /** Redraw when something changed, and once a second anyway for the clocks. */
  private tick(): void {
    const t = this.now();
    if (!this.dirty && t - this.lastDraw < 1000) return;
    this.draw();
  }

  private draw(): void {
    if (this.closed) return;
    this.dirty = false;
    this.lastDraw = this.now();
    this.frames++;
    this.ink.rerender(this.element());
  }

  private dispatch(a: LiveAction): void {
    reduce(this.state, a, this.now());
    this.dirty = true;
  }

  handle(e: EngineEvent): void {
    if (e.kind === 'recap') this.recap = e;
    this.dispatch(e);
  }

  /** The engine's prompt function while the live view owns the terminal. */
  readonly prompt: PromptFn = (message, opts) =>
    new Promise<string>((resolve) => {
      this.promptKey++;
      this.pending = resolve;
      this.dispatch({ kind: 'ui.prompt', message: message.replace(/:\s*$/, ''), echo: opts?.echo !== false });
      this.draw();
    });

  private answer(a: string): void {
    const resolve = this.pending;
    this.pending = undefined;
    this.dispatch({ kind: 'ui.answered' });
    this.draw();
    resolve?.(a);
  }

  private interrupt(): void {
    void this.close().then(() => (this.o.onInterrupt ?? (() => process.kill(process.pid, 'SIGINT')))());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    this.draw();
    this.closed = true;
    this.ink.unmount();
    await this.ink.waitUntilExit().catch(() => undefined);
    if (this.recap) {
      const write = (t: string) => void this.o.stdout.write(t);
      new PlainReporter(write, 0, { showCustomStats: this.o.showCustomStats }).handle(this.recap);
    }
  }
}
