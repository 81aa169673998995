// The live reporter end to end with stand-in terminal streams: prompts resolve from typed
// input, redraws stay throttled however many events arrive, and close() leaves the plain
// PLAY RECAP. Prints throughput figures for a 1,000-host run (a benchmark, not a timed test).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LiveReporter } from '../../engine/output/live/reporter.js';
import type { EngineEvent } from '../../engine/output/events.js';
import { emptyStats } from '../../engine/output/stats.js';

class FakeStdout extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = true;
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  send(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

function reporter(now?: () => number) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const r = new LiveReporter({
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, color: false, fps: 12, now,
  });
  return { r, stdout, stdin };
}

const tick = (ms = 30) => new Promise((res) => setTimeout(res, ms));

describe('LiveReporter', () => {
  it('answers prompts from the terminal and ends with the plain recap', async () => {
    const { r, stdout, stdin } = reporter();
    r.handle({ kind: 'playbook.start', file: '/x/site.yml' });
    const answer = r.prompt('Proceed? ', { echo: true });
    await tick();
    expect(stdout.text).toContain('? Proceed?');
    stdin.send('yes\r');
    await expect(answer).resolves.toBe('yes');
    r.handle({ kind: 'recap', stats: { h1: { ...emptyStats(), ok: 1 } } });
    await r.close();
    const tail = stdout.text.slice(stdout.text.lastIndexOf('PLAY RECAP'));
    expect(tail).toMatch(/^PLAY RECAP \*+\nh1 +: ok=1 /);
  });

  it('redraws from snapshots, not per event: 1,000 hosts × 20 tasks', async () => {
    const { r } = reporter();
    const hosts = Array.from({ length: 1000 }, (_, i) => `node${String(i).padStart(4, '0')}`);
    const started = performance.now();
    r.handle({ kind: 'playbook.start', file: '/x/upgrade.yml' });
    r.handle({ kind: 'play.start', name: 'upgrade', pattern: 'nodes', hosts, strategy: 'linear', serial: undefined });
    r.handle({ kind: 'batch.start', index: 0, count: 1, hosts, playHosts: 1000 });
    let events = 3;
    for (let t = 0; t < 20; t++) {
      const ev: EngineEvent = { kind: 'task.start', taskId: t, name: `task ${t}`, action: 'command', handler: false, hosts };
      r.handle(ev);
      events++;
      for (const h of hosts) {
        r.handle({ kind: 'host.result', taskId: t, host: h, status: t % 3 ? 'ok' : 'changed', result: { changed: t % 3 === 0 }, ignored: false });
        events++;
      }
      await tick(15); // let the redraw timer run between tasks, as a real run would
    }
    const elapsed = performance.now() - started;
    await r.close();
    const perEvent = (elapsed * 1000) / events;
    process.stdout.write(`[live bench] ${events} events in ${elapsed.toFixed(0)} ms (${perEvent.toFixed(1)} µs/event incl. ${r.frames} frames)\n`);
    // 12 fps: at most one frame per 83 ms of wall time, plus the first and the final one
    expect(r.frames).toBeLessThanOrEqual(Math.ceil(elapsed / 83) + 2);
    expect(r.frames).toBeLessThan(events / 100);
    expect(r.state.results.ok + r.state.results.changed).toBe(20_000);
  });
});
