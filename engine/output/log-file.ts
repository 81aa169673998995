// The run log (`--log-file`, ansible.cfg log_path, ANSIBLE_LOG_PATH): the plain output, every
// line stamped the way Ansible's log_path lines are ("2026-12-01 08:23:54,123 p=PID u=USER
// n=drover | text"), appended, whatever the terminal shows. Results arrive already censored
// for no_log; hidden prompt input is masked here as well.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import type { EngineEvent, Reporter } from './events.js';
import { redactHiddenInput } from './json.js';
import { PlainReporter } from './plain.js';

/** Python logging's asctime in local time: "2026-12-01 08:23:54,123". */
export function asctime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

/** Stamp each non-empty line of a chunk of output (blank spacer lines are not logged). */
export function stampLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `${prefix}${l}\n`)
    .join('');
}

export interface LogFileOptions {
  verbosity?: number;
  now?: () => Date;
  pid?: number;
  user?: string;
  /** Where to say that the log cannot be written (Ansible warns and runs on). */
  warn?: (message: string) => void;
}

export class LogFileReporter implements Reporter {
  private fd: number | undefined;
  private readonly plain: PlainReporter;

  constructor(
    readonly path: string,
    o: LogFileOptions = {},
  ) {
    const now = o.now ?? (() => new Date());
    const pid = o.pid ?? process.pid;
    let user = o.user;
    if (user === undefined) {
      try {
        user = userInfo().username;
      } catch {
        user = String(process.getuid?.() ?? '');
      }
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a', 0o666); // Ansible's logging.FileHandler: 0666 less the umask
    } catch (e) {
      (o.warn ?? (() => undefined))(`log file at ${path} is not writeable and we cannot create it, aborting logging (${(e as Error).message})`);
    }
    this.plain = new PlainReporter((text) => {
      if (this.fd === undefined) return;
      writeSync(this.fd, stampLines(text, `${asctime(now())} p=${pid} u=${user} n=drover | `));
    }, o.verbosity ?? 0);
  }

  handle(e: EngineEvent): void {
    if (this.fd === undefined) return;
    if (e.kind === 'host.result' || e.kind === 'task.retry') this.plain.handle({ ...e, result: redactHiddenInput(e.result) });
    else this.plain.handle(e);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
