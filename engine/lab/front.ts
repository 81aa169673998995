// The lab's front process (one per lab, detached, started by `drover lab up`): it listens on
// every host's address, hands each accepted connection to a fresh `sshd -i` chrooted into that
// host (the socket itself becomes sshd's stdin/stdout, so no bytes pass through Node), counts
// connections, applies faults (down/up/slow/flap), performs reboots requested from inside a
// host, boots hosts (starts their enabled services), watches their rpm databases
// (witness/rpmdb.ts), and answers the CLI on a unix socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { appendEvent, parseEvents } from './events.js';
import { hostPaths, labPaths, readLabRecord, type LabHost, type LabRecord } from './layout.js';
import { hasSwapLine, SWAPS_HEADER } from './hosttree.js';
import { killAll, labProcesses } from './procs.js';
import { SSHD, sshdArgs } from './sshd.js';
import { sshdCommand } from './users.js';
import { RpmWitness } from './witness/rpmdb.js';
import { bootScriptEnv, enabledUnits, frontRequest, type FaultMode, type HostStatus, type FrontRequest } from './front-protocol.js';

interface HostState {
  host: LabHost;
  root: string;
  server?: Server;
  down: boolean;
  rebooting: boolean;
  slowMs: number;
  flap?: NodeJS.Timeout;
  connections: number;
  sessions: Set<ChildProcess>;
  rpm: RpmWitness;
}

class Front {
  private readonly lab: LabRecord;
  private readonly paths: ReturnType<typeof labPaths>;
  private readonly hosts = new Map<string, HostState>();
  private readonly sshdLog: number;
  private eventsOffset = 0;

  constructor(dir: string) {
    this.lab = readLabRecord(dir);
    this.paths = labPaths(dir);
    this.sshdLog = openSync(this.paths.sshdLog, 'a');
    for (const h of this.lab.hosts) {
      const root = hostPaths(dir, h.dirName).root;
      const rpm = new RpmWitness(join(root, 'var', 'lib', 'rpm'), (changes, at) => changes.forEach((c) => this.event(h.name, 'package.changed', { ...c }, at)), (m) => this.log(`${h.name}: ${m}`));
      this.hosts.set(h.name, { host: h, root, down: false, rebooting: false, slowMs: 0, connections: 0, sessions: new Set(), rpm });
    }
  }

  log(msg: string): void {
    process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
  }

  event(host: string, kind: string, details: Record<string, unknown> = {}, at?: Date): void {
    appendEvent(this.paths.events, host, kind, details, at);
  }

  async start(): Promise<void> {
    this.eventsOffset = statSync(this.paths.events).size;
    await this.eachLimited([...this.hosts.values()], 16, (s) => s.rpm.start());
    await this.eachLimited([...this.hosts.values()], 16, (s) => this.boot(s));
    await Promise.all([...this.hosts.values()].map((s) => this.listen(s)));
    this.watchEvents();
    await this.control();
    writeFileSync(this.paths.frontPid, `${process.pid}\n`);
    this.log(`ready: ${this.hosts.size} hosts on port ${this.lab.port}`);
  }

  private async eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }));
  }

  private listen(s: HostState): Promise<void> {
    if (s.server || s.down || s.rebooting) return Promise.resolve();
    const server = createServer({ pauseOnConnect: true }, (sock) => this.accept(s, sock));
    s.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.lab.port, s.host.address, () => {
        server.off('error', reject);
        server.on('error', (e) => this.log(`${s.host.name}: listener error ${e.message}`));
        resolve();
      });
    });
  }

  private unlisten(s: HostState): void {
    s.server?.close();
    s.server = undefined;
  }

  private accept(s: HostState, sock: Socket): void {
    s.connections++;
    const slow = s.slowMs;
    const [prog, args] = sshdCommand(SSHD, sshdArgs(this.lab.dir, s.root), s.root, Boolean(this.lab.users?.length));
    let child: ChildProcess;
    if (!slow) {
      child = spawn(prog, args, { stdio: [sock, sock, this.sshdLog], detached: true, env: {} });
      sock.destroy(); // sshd holds its own copy of the connection
    } else {
      // slow host: relay through here, delaying every chunk from the client by `slow` ms
      child = spawn(prog, args, { stdio: ['pipe', 'pipe', this.sshdLog], detached: true, env: {} });
      const stdin = child.stdin!;
      sock.on('data', (d) => setTimeout(() => stdin.writable && stdin.write(d), slow));
      sock.on('end', () => setTimeout(() => stdin.end(), slow));
      sock.on('error', () => child.kill('SIGKILL'));
      stdin.on('error', () => sock.destroy());
      child.stdout!.pipe(sock);
      sock.resume();
    }
    s.sessions.add(child);
    child.on('exit', () => s.sessions.delete(child));
    child.on('error', (e) => this.log(`${s.host.name}: sshd failed: ${e.message}`));
  }

  /** Drop every SSH session of a host (its sshd process groups). */
  private dropSessions(s: HostState): void {
    for (const c of s.sessions) {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    s.sessions.clear();
  }

  /** Boot: a fresh /run and boot_id, then the enabled services, as systemd would start them. */
  private async boot(s: HostState): Promise<void> {
    const run = join(s.root, 'run');
    for (const e of readdirSync(run)) rmSync(join(run, e), { recursive: true, force: true });
    mkdirSync(join(run, 'systemd', 'system'), { recursive: true });
    mkdirSync(join(run, 'drover-sim'), { recursive: true });
    const hp = hostPaths(this.lab.dir, s.host.dirName);
    writeFileSync(hp.bootId, randomUUID() + '\n');
    // swap is off after power-off; the boot turns on fstab's swap lines (only hosts that have one
    // pay the fork)
    writeFileSync(hp.swaps, SWAPS_HEADER);
    if (hasSwapLine(join(s.root, 'etc', 'fstab'))) await this.inHost(s, ['/usr/local/bin/swapon', '-a', '-e'], 'swapon -a');
    for (const unit of enabledUnits(join(s.root, 'etc', 'systemd', 'system'))) await this.inHost(s, ['/usr/local/bin/systemctl', 'start', unit], `starting ${unit}`);
  }

  /** Run a command chrooted into the host at boot; a failure is logged. */
  private inHost(s: HostState, argv: string[], what: string): Promise<number | null> {
    return new Promise<number | null>((resolve) => {
      const p = spawn('/usr/sbin/chroot', [s.root, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: bootScriptEnv() });
      let err = '';
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.on('exit', (c) => {
        if (c) this.log(`${s.host.name}: ${what} at boot failed: ${err.trim()}`);
        resolve(c);
      });
      p.on('error', () => resolve(-1));
    });
  }

  private async reboot(s: HostState, delayMs: number): Promise<void> {
    if (s.rebooting) return;
    await new Promise((r) => setTimeout(r, delayMs));
    s.rebooting = true;
    this.log(`${s.host.name}: rebooting`);
    this.unlisten(s);
    this.dropSessions(s);
    await killAll(labProcesses(s.root));
    await new Promise((r) => setTimeout(r, this.lab.rebootSeconds * 1000));
    await this.boot(s);
    s.rebooting = false;
    await this.listen(s).catch((e: Error) => this.log(`${s.host.name}: cannot listen after reboot: ${e.message}`));
    this.event(s.host.name, 'host.rebooted');
  }

  /** Follow the event log for requests written from inside hosts (reboots). */
  private watchEvents(): void {
    const check = () => {
      const size = statSync(this.paths.events).size;
      if (size <= this.eventsOffset) return;
      const fd = openSync(this.paths.events, 'r');
      const buf = Buffer.alloc(size - this.eventsOffset);
      readSync(fd, buf, 0, buf.length, this.eventsOffset);
      closeSync(fd);
      const text = buf.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      this.eventsOffset += Buffer.byteLength(text.slice(0, complete));
      for (const ev of parseEvents(text.slice(0, complete))) {
        const s = this.hosts.get(ev.host);
        if (ev.kind === 'host.reboot.requested' && s) void this.reboot(s, Number(ev.delay_ms ?? 0));
      }
    };
    watch(this.paths.events, () => check());
    setInterval(check, 500).unref();
  }

  async fault(host: string, mode: FaultMode, ms?: number): Promise<void> {
    const s = this.hosts.get(host);
    if (!s) throw new Error(`no host ${host} in lab ${this.lab.name}`);
    if (s.flap) clearInterval(s.flap);
    s.flap = undefined;
    if (mode === 'down') {
      s.down = true;
      this.unlisten(s);
      this.dropSessions(s);
    } else if (mode === 'up') {
      s.down = false;
      s.slowMs = 0;
      await this.listen(s);
    } else if (mode === 'slow') {
      s.slowMs = ms ?? 0;
    } else if (mode === 'flap') {
      const period = ms ?? 1000;
      s.flap = setInterval(() => {
        if (s.down) {
          s.down = false;
          void this.listen(s).catch(() => undefined);
        } else {
          s.down = true;
          this.unlisten(s);
          this.dropSessions(s);
        }
      }, period);
    }
    this.event(host, `fault.${mode}`, ms !== undefined ? { ms } : {});
  }

  status(): HostStatus[] {
    return [...this.hosts.values()].map((s) => ({
      name: s.host.name,
      address: s.host.address,
      state: s.rebooting ? 'rebooting' : s.flap ? 'flapping' : s.down ? 'down' : s.slowMs ? 'slow' : 'up',
      connections: s.connections,
      sessions: s.sessions.size,
      slowMs: s.slowMs,
    }));
  }

  shutdown(): void {
    for (const s of this.hosts.values()) {
      if (s.flap) clearInterval(s.flap);
      this.unlisten(s);
      this.dropSessions(s);
    }
    try {
      unlinkSync(this.paths.frontPid);
    } catch {
      /* already gone */
    }
    setTimeout(() => process.exit(0), 50);
  }

  private control(): Promise<void> {
    if (existsSync(this.paths.control)) unlinkSync(this.paths.control);
    const server = createServer((c) => {
      let buf = '';
      c.on('data', (d) => {
        buf += d.toString();
        if (!buf.includes('\n')) return;
        void this.handle(frontRequest(buf.slice(0, buf.indexOf('\n')))).then(
          (r) => c.end(JSON.stringify({ ok: true, ...r }) + '\n'),
          (e: Error) => c.end(JSON.stringify({ ok: false, error: e.message }) + '\n'),
        );
      });
      c.on('error', () => undefined);
    });
    return new Promise((resolve) => server.listen(this.paths.control, () => resolve()));
  }

  private async handle(req: FrontRequest): Promise<Record<string, unknown>> {
    switch (req.cmd) {
      case 'status':
        return { pid: process.pid, port: this.lab.port, hosts: this.status() };
      case 'fault':
        await this.fault(req.host, req.mode, req.ms);
        return {};
      case 'sync':
        // what the watchers have not recorded yet (a change still settling) is recorded now
        await this.eachLimited([...this.hosts.values()], 16, (s) => s.rpm.check(true));
        return {};
      case 'shutdown':
        for (const s of this.hosts.values()) s.rpm.stop();
        this.shutdown();
        return {};
    }
  }
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: front.js LAB_DIR\n');
  process.exit(2);
}
const front = new Front(dir);
process.on('SIGTERM', () => front.shutdown());
front.start().catch((e: Error) => {
  front.log(`front failed to start: ${e.stack ?? e.message}`);
  process.exit(1);
});
