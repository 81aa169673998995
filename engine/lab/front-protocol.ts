// What the CLI and the front process say to each other over <lab>/control.sock (one JSON line
// each way), plus small pure helpers the front uses. Kept apart from front.ts, which runs as its
// own process, so the CLI can import these without starting anything.
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export type FaultMode = 'down' | 'up' | 'slow' | 'flap';

export type FrontRequest = { cmd: 'status' } | { cmd: 'shutdown' } | { cmd: 'sync' } | { cmd: 'fault'; host: string; mode: FaultMode; ms?: number };

export interface HostStatus {
  name: string;
  address: string;
  state: 'up' | 'down' | 'slow' | 'flapping' | 'rebooting';
  connections: number;
  sessions: number;
  slowMs: number;
}

export interface FrontStatus {
  pid: number;
  port: number;
  hosts: HostStatus[];
}

/** Validate one request line. */
export function frontRequest(line: string): FrontRequest {
  const v = JSON.parse(line) as Record<string, unknown>;
  if (v.cmd === 'status' || v.cmd === 'shutdown' || v.cmd === 'sync') return { cmd: v.cmd };
  if (v.cmd === 'fault' && typeof v.host === 'string' && ['down', 'up', 'slow', 'flap'].includes(String(v.mode))) {
    const ms = v.ms === undefined ? undefined : Number(v.ms);
    if (ms !== undefined && !(ms >= 0)) throw new Error('fault: MS must be a non-negative number');
    return { cmd: 'fault', host: v.host, mode: v.mode as FaultMode, ms };
  }
  throw new Error(`bad request: ${line}`);
}

/** The environment a host's boot-time commands get: what an sshd session of root would have. */
export function bootScriptEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/sh', LANG: 'C.UTF-8' };
}

/** Units enabled in a host's /etc/systemd/system (links in *.wants/), in a stable order. */
export function enabledUnits(systemDir: string): string[] {
  if (!existsSync(systemDir)) return [];
  const out = new Set<string>();
  for (const d of readdirSync(systemDir).sort()) {
    if (!d.endsWith('.wants')) continue;
    for (const u of readdirSync(join(systemDir, d)).sort()) if (u.endsWith('.service')) out.add(u);
  }
  return [...out];
}

/** Send one request to a lab's front; rejects when it is not running. */
export function askFront(controlSocket: string, req: FrontRequest, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const c = connect(controlSocket);
    let buf = '';
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error('the lab front process did not answer'));
    }, timeoutMs);
    c.on('connect', () => c.write(JSON.stringify(req) + '\n'));
    c.on('data', (d) => (buf += d.toString()));
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    c.on('end', () => {
      clearTimeout(timer);
      try {
        const r = JSON.parse(buf) as Record<string, unknown>;
        if (r.ok) resolve(r);
        else reject(new Error(String(r.error)));
      } catch {
        reject(new Error(`bad answer from the lab front process: ${buf}`));
      }
    });
  });
}
