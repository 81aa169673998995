// `drover lab` operations: bring a lab up from an inventory, take it down leaving nothing
// running or mounted, report status, print events and inject faults. The long-lived part of a
// running lab is its front process (front.ts); everything else is files under the lab directory.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadInventory, type Inventory } from '../inventory/index.js';
import { allocateBlocks, hostAddress, releaseBlocks } from './alloc.js';
import { missingPackages, installPackages } from './deps.js';
import { etcdUrls, ETCD_GROUP } from './etcd.js';
import { appendEvent, readEvents, type LabEvent } from './events.js';
import { askFront, type FaultMode, type FrontStatus } from './front-protocol.js';
import { buildHostTree, buildSharedUsr, devTemplateScript, hostMounts, toolDirs } from './hosttree.js';
import { runMounts } from './mounts.js';
import { labInventoryYaml } from './inventory-out.js';
import { chrootUnsafeComponent, hostDirName, hostPaths, labPaths, labRoot, readLabRecord, repoRoot, validLabName, type LabHost, type LabRecord } from './layout.js';
import { alive, currentMountsBelow, killAll, labProcesses, unmountBelow } from './procs.js';
import { knownHostsText, writeSshFiles } from './sshd.js';
import { addUsersToHost, assignUids, hashPasswords, parseUserSpec, type LabUserSpec } from './users.js';

const run = promisify(execFile);

export class LabError extends Error {}

export interface UpOptions {
  inventory: string[];
  name: string;
  install?: boolean;
  rebootSeconds?: number;
  /** login users: `NAME` or `NAME:PASSWORD` (`root:PASSWORD` gives root a password) */
  users?: string[];
  log?: (s: string) => void;
}

/** Context handed to other lab parts' `lab-setup` modules (engine/lab/<part>/lab-setup.ts). */
export interface LabSetupContext {
  lab: LabRecord;
  inventory: Inventory;
  host: LabHost;
  root: string;
  usrUpper: string;
}

export function labDir(name: string): string {
  return join(labRoot(), name);
}

function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, address, () => s.close(() => resolve(true)));
  });
}

async function pickPort(addresses: string[], preferred?: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = attempt === 0 && preferred ? preferred : 20000 + Math.floor(Math.random() * 40000);
    const free = await Promise.all(addresses.map((a) => portFree(a, port)));
    if (free.every(Boolean)) return port;
  }
  throw new LabError(`no free port found on ${addresses[0]}…`);
}

async function setupModules(): Promise<{ setupHost?: (c: LabSetupContext) => void | Promise<void> }[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const out = [];
  for (const e of readdirSync(here, { withFileTypes: true })) {
    const f = join(here, e.name, `lab-setup.${ext}`);
    if (e.isDirectory() && existsSync(f)) out.push(await import(pathToFileURL(f).href));
  }
  return out;
}

function frontScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const local = join(here, 'front.js');
  if (existsSync(local)) return local;
  const built = join(repoRoot(), 'dist', 'engine', 'lab', 'front.js');
  if (!existsSync(built)) throw new LabError('the lab front process is not built yet: run "npm run build"');
  return built;
}

export async function labUp(opts: UpOptions): Promise<LabRecord> {
  const log = opts.log ?? (() => undefined);
  if (!validLabName(opts.name)) throw new LabError(`invalid lab name '${opts.name}' (letters, digits, . _ -)`);
  const inv = await loadInventory(opts.inventory);
  const names = inv.hostsOfGroup('all');
  if (!names.length) throw new LabError('the inventory has no hosts');
  let users: LabUserSpec[];
  try {
    users = (opts.users ?? []).map(parseUserSpec);
  } catch (e) {
    throw new LabError((e as Error).message);
  }
  const etcdMembers = new Set(inv.groups.has(ETCD_GROUP) ? inv.hostsOfGroup(ETCD_GROUP) : []);
  const missing = missingPackages(etcdMembers.size > 0, undefined, users.length > 0);
  if (missing.length) {
    if (!opts.install) throw new LabError(`missing Debian packages: ${missing.join(' ')} (install them, or run "drover lab up --install" as root)`);
    if (process.getuid?.() !== 0) throw new LabError(`missing Debian packages: ${missing.join(' ')}; --install needs root`);
    await installPackages(missing, log);
  }
  if (process.getuid?.() !== 0) throw new LabError('drover lab needs root (chroot, mounts, sshd)');
  const dir = labDir(opts.name);
  if (existsSync(dir)) throw new LabError(`lab '${opts.name}' already exists in ${dir} (drover lab down ${opts.name} first)`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const unsafe = chrootUnsafeComponent(dir);
  if (unsafe) {
    rmSync(dir, { recursive: true, force: true });
    throw new LabError(`${unsafe} is not owned by root or is writable by others, so sshd refuses to chroot below it; choose another DROVER_LAB_DIR (e.g. /var/lib/drover/labs)`);
  }
  try {
    return await bringUp(dir, opts, inv, names, etcdMembers, users, log);
  } catch (e) {
    await labDownDir(dir).catch(() => undefined);
    throw e;
  }
}

async function bringUp(dir: string, opts: UpOptions, inv: Inventory, names: string[], etcdMembers: Set<string>, users: LabUserSpec[], log: (s: string) => void): Promise<LabRecord> {
  const p = labPaths(dir);
  for (const d of [p.ssh, p.logs, p.inventoryDir, p.hosts]) mkdirSync(d, { recursive: true, mode: 0o755 });
  writeFileSync(p.events, '');
  const auth = { passwords: users.some((u) => u.password !== undefined), rootPassword: users.some((u) => u.name === 'root' && u.password !== undefined) };
  const [blocks, hostKeyPub, hashes] = await Promise.all([allocateBlocks(dir, names.length), writeSshFiles(dir, auth), hashPasswords(users)]);
  const labUsers = assignUids(users);
  const addresses = names.map((_, i) => hostAddress(blocks, i));
  const port = await pickPort(addresses);
  let etcdPorts: { client: number; peer: number } | undefined;
  if (etcdMembers.size) {
    const ea = names.filter((n) => etcdMembers.has(n)).map((n) => addresses[names.indexOf(n)]);
    const std = (await Promise.all(ea.flatMap((a) => [portFree(a, 2379), portFree(a, 2380)]))).every(Boolean);
    const client = std ? 2379 : await pickPort(ea);
    etcdPorts = { client, peer: std ? 2380 : await pickPort(ea) };
  }
  const hosts: LabHost[] = names.map((name, i) => ({
    name,
    dirName: hostDirName(name, i),
    address: addresses[i],
    groups: inv.hosts.get(name)?.groups ?? [],
    ...(etcdMembers.has(name) && etcdPorts ? { etcd: etcdUrls(addresses[i], etcdPorts) } : {}),
  }));
  const lab: LabRecord = {
    name: opts.name,
    dir,
    createdAt: new Date().toISOString(),
    port,
    user: 'root',
    blocks,
    hosts,
    sources: opts.inventory.map((s) => resolve(s)),
    etcdPorts,
    rebootSeconds: opts.rebootSeconds ?? Number(process.env.DROVER_LAB_REBOOT_SECONDS ?? 3),
    ...(labUsers.length ? { users: labUsers } : {}),
  };
  writeFileSync(p.record, JSON.stringify(lab, null, 2) + '\n');
  writeFileSync(p.knownHosts, knownHostsText(hostKeyPub, addresses, port));

  const devTemplate = join(dir, 'dev-template');
  await run('/bin/sh', ['-ec', devTemplateScript(devTemplate)]);
  buildSharedUsr(dir, toolDirs());
  const modules = await setupModules();
  for (const h of hosts) {
    buildHostTree(lab, h, devTemplate);
    const hp = hostPaths(dir, h.dirName);
    if (labUsers.length) addUsersToHost(hp.root, labUsers, hashes);
    for (const m of modules) await m.setupHost?.({ lab, inventory: inv, host: h, root: hp.root, usrUpper: hp.usrUpper });
  }
  await runMounts(hosts.flatMap((h) => hostMounts(dir, h)));
  writeFileSync(
    p.inventory,
    labInventoryYaml(inv, hosts, { port, user: 'root', privateKey: p.clientKey, knownHosts: p.knownHosts }, `drover lab '${opts.name}': generated from ${lab.sources.join(', ')}\nevery host answers on its own loopback address; see ${p.record}\n`),
  );
  await startFront(dir);
  appendEvent(p.events, '', 'lab.up', { hosts: hosts.length });
  log(`lab '${opts.name}' is up: ${hosts.length} hosts, inventory ${p.inventory}\n`);
  return lab;
}

async function startFront(dir: string): Promise<void> {
  const p = labPaths(dir);
  const out = openSync(p.frontLog, 'a');
  const child = spawn(process.execPath, [frontScript(), dir], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  let exited: number | null = null;
  child.on('exit', (c) => (exited = c ?? -1));
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    if (exited !== null) throw new LabError(`the lab front process exited (${exited}):\n${readFileSync(p.frontLog, 'utf8').split('\n').slice(-15).join('\n')}`);
    if (existsSync(p.frontPid)) {
      try {
        await askFront(p.control, { cmd: 'status' }, 2000);
        return;
      } catch {
        /* not yet */
      }
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new LabError('the lab front process did not become ready within 120 s');
}

/** Find a lab by name; throws a helpful error when there is none. */
export function findLab(name: string): LabRecord {
  const dir = labDir(name);
  if (!existsSync(labPaths(dir).record)) throw new LabError(`no lab named '${name}' in ${labRoot()} (drover lab status lists them)`);
  return readLabRecord(dir);
}

export function listLabs(): string[] {
  const root = labRoot();
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((n) => existsSync(labPaths(join(root, n)).record)).sort();
}

export async function labDown(name: string, opts: { keep?: boolean } = {}): Promise<void> {
  const dir = labDir(name);
  if (!existsSync(dir)) throw new LabError(`no lab named '${name}' in ${labRoot()}`);
  await labDownDir(dir, opts);
}

/** Stop the front, kill every process of the lab, unmount, release addresses, delete the tree. */
async function labDownDir(dir: string, opts: { keep?: boolean } = {}): Promise<void> {
  const p = labPaths(dir);
  if (existsSync(p.control)) {
    // a kept lab's log holds what the watchers still had
    if (opts.keep) await askFront(p.control, { cmd: 'sync' }, 60_000).catch(() => undefined);
    await askFront(p.control, { cmd: 'shutdown' }, 3000).catch(() => undefined);
  }
  for (let pass = 0; pass < 3; pass++) {
    const pids = labProcesses(dir, { cmdline: true });
    if (!pids.length) break;
    await killAll(pids);
  }
  const left = await unmountBelow(dir);
  if (left.length) throw new LabError(`could not unmount ${left.join(', ')}; the lab directory ${dir} was kept`);
  if (existsSync(p.events)) appendEvent(p.events, '', 'lab.down');
  await releaseBlocks(dir);
  if (!opts.keep) {
    if (currentMountsBelow(dir).length) throw new LabError(`mounts remain below ${dir}; not deleting it`);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function labStatus(name: string): Promise<{ lab: LabRecord; front: FrontStatus | null }> {
  const lab = findLab(name);
  const p = labPaths(lab.dir);
  let front: FrontStatus | null = null;
  const pid = existsSync(p.frontPid) ? Number(readFileSync(p.frontPid, 'utf8')) : 0;
  if (pid && alive(pid)) front = (await askFront(p.control, { cmd: 'status' }).catch(() => null)) as FrontStatus | null;
  return { lab, front };
}

export function labEvents(name: string): LabEvent[] {
  return readEvents(labPaths(findLab(name).dir).events);
}

/** Have the front record what its watchers still hold (a change still settling); `lab events` runs this first. */
export async function labSync(name: string): Promise<void> {
  const p = labPaths(findLab(name).dir);
  if (existsSync(p.control)) await askFront(p.control, { cmd: 'sync' }, 60_000).catch(() => undefined);
}

export async function labFault(name: string, host: string, mode: FaultMode, ms?: number): Promise<void> {
  const lab = findLab(name);
  if (!lab.hosts.some((h) => h.name === host)) throw new LabError(`lab '${name}' has no host '${host}'`);
  await askFront(labPaths(lab.dir).control, { cmd: 'fault', host, mode, ms });
}
