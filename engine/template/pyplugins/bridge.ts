// A child process spoken to in JSON lines, synchronously: templates render synchronously, so a
// filter that lives in Python must be answered before the render goes on. A worker thread owns the
// child's pipes and posts each line it prints on a MessagePort; the calling thread sleeps on an
// Atomics flag until a line (or the child's exit) arrives and takes it with receiveMessageOnPort.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** The worker thread (plain CommonJS, evaluated): spawns the child and relays lines both ways. */
const RELAY = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { command, args, cwd, env, port, flag } = workerData;
const signal = new Int32Array(flag);
const wake = () => { Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); };
const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
let stderr = '';
let buf = '';
child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
child.stdout.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) { port.postMessage({ line: buf.slice(0, i) }); buf = buf.slice(i + 1); wake(); }
});
child.on('error', (e) => { port.postMessage({ exit: -1, stderr: String(e.message) }); wake(); });
child.on('close', (code) => { port.postMessage({ exit: code, stderr }); wake(); port.close(); });
child.stdin.on('error', () => {});
port.on('message', (line) => child.stdin.write(line + '\\n'));
`;

type Relayed = { line: string } | { exit: number | null; stderr: string };

/** The child ended (or never started): what it printed on stderr says why. */
export class ChildGone extends Error {}

export class SyncLineProcess {
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private readonly worker: Worker;
  private gone: ChildGone | undefined;

  constructor(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    this.port = port1;
    this.signal = new Int32Array(flag);
    this.worker = new Worker(RELAY, { eval: true, workerData: { command, args, cwd: opts.cwd, env: opts.env, port: port2, flag }, transferList: [port2] });
    // the run may end while the child is idle: neither keeps drover alive (the child sees EOF)
    this.worker.unref();
    this.port.unref();
  }

  /** One line the child printed, waiting for it; a ChildGone once it has exited. */
  readLine(): string {
    if (this.gone) throw this.gone;
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const m = got.message as Relayed;
        if ('line' in m) return m.line;
        this.gone = new ChildGone(`exited with ${m.exit}${m.stderr.trim() ? `: ${m.stderr.trim()}` : ''}`);
        throw this.gone;
      }
      Atomics.wait(this.signal, 0, 0);
      Atomics.store(this.signal, 0, 0);
    }
  }

  writeLine(line: string): void {
    if (this.gone) throw this.gone;
    this.port.postMessage(line);
  }

  close(): void {
    void this.worker.terminate();
  }
}
