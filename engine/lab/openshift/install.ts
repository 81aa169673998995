// Puts the simulated OpenShift tools into one lab host: the scripts (and the yaml package they
// parse manifests with) under /usr/local/lib/drover-sim, `oc` and `openshift-sim-hook` on PATH,
// /etc/drover-sim/openshift.env, and the cluster state as hard links of the lab-wide files
// (chroots share inodes, not directories), so every master's `oc` sees and locks the same state.
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The .mjs tools are not compiled: from dist/engine/lab/openshift, use the source tree's copy.
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SIM_SOURCE = [path.join(HERE, 'sim'), path.join(HERE, '..', '..', '..', '..', 'engine', 'lab', 'openshift', 'sim')].find((d) => existsSync(d)) ?? path.join(HERE, 'sim');
/** Where the cluster state appears inside every host. */
export const HOST_CLUSTER_DIR = '/var/lib/drover-cluster';
export const HOST_LIB_DIR = '/usr/local/lib/drover-sim';

/** Tool name on PATH → script. */
export const TOOLS: Record<string, string> = {
  oc: 'oc.mjs',
  'openshift-sim-hook': 'hook.mjs',
  docker: 'docker.mjs',
  'subscription-manager': 'subscription-manager.mjs',
};

export interface InstallOptions {
  /** The host's name (service-status file, events). */
  host: string;
  /** Every host of the lab cluster (one service-status file each). */
  hosts: string[];
  /** Every OpenShift node name (one node-status file each). */
  nodes: string[];
  /** This host's node name when it runs a node service (default: host). */
  nodeName?: string;
  /** Labels the node registers with when it first starts (blue-green new nodes). */
  nodeLabels?: Record<string, string>;
  /** false: the node registers unschedulable (kubelet --register-schedulable=false); default true. */
  registerSchedulable?: boolean;
  /** Directory that becomes the host's /usr (the lab's writable overlay layer); default <root>/usr. */
  usrDir?: string;
}

/** The lab-wide files a host links to (created empty when missing). */
export function sharedFiles(o: Pick<InstallOptions, 'hosts' | 'nodes'>): string[] {
  return [
    'cluster.json',
    'cluster.json.lock',
    ...o.nodes.map((n) => `node-status/${n}.json`),
    ...o.hosts.map((h) => `service-status/${h}.json`),
  ];
}

export function installOpenShiftSim(hostRoot: string, clusterStateDir: string, o: InstallOptions): void {
  const usr = o.usrDir ?? path.join(hostRoot, 'usr');
  const lib = path.join(usr, HOST_LIB_DIR.replace(/^\/usr\//, ''));
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(path.join(lib, 'openshift'), { recursive: true });
  for (const f of readdirSync(SIM_SOURCE)) if (f.endsWith('.mjs')) copyFileSync(path.join(SIM_SOURCE, f), path.join(lib, 'openshift', f));
  const yamlDir = path.dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
  cpSync(yamlDir, path.join(lib, 'node_modules', 'yaml'), { recursive: true });
  const bin = path.join(usr, 'local/bin');
  mkdirSync(bin, { recursive: true });
  for (const [tool, script] of Object.entries(TOOLS)) {
    rmSync(path.join(bin, tool), { force: true });
    symlinkSync(`${HOST_LIB_DIR}/openshift/${script}`, path.join(bin, tool));
  }
  const env = [
    `DROVER_CLUSTER_STATE=${HOST_CLUSTER_DIR}`,
    `DROVER_SIM_HOST=${o.host}`,
    `DROVER_SIM_NODE_NAME=${o.nodeName ?? o.host}`,
    `DROVER_SIM_NODE_LABELS=${Object.entries(o.nodeLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`,
    `DROVER_SIM_NODE_SCHEDULABLE=${o.registerSchedulable === false ? 'false' : 'true'}`,
  ];
  mkdirSync(path.join(hostRoot, 'etc/drover-sim'), { recursive: true });
  writeFileSync(path.join(hostRoot, 'etc/drover-sim/openshift.env'), env.join('\n') + '\n');
  const inHost = path.join(hostRoot, HOST_CLUSTER_DIR);
  for (const rel of sharedFiles(o)) {
    const src = path.join(clusterStateDir, rel);
    mkdirSync(path.dirname(src), { recursive: true });
    if (!existsSync(src)) writeFileSync(src, '');
    const dst = path.join(inHost, rel);
    mkdirSync(path.dirname(dst), { recursive: true });
    rmSync(dst, { force: true });
    linkSync(src, dst);
  }
  recordLockLinks(clusterStateDir);
}

/** Write the lock file's idle link count into it (the sims' lock compares against it). */
export function recordLockLinks(clusterStateDir: string): void {
  const lock = path.join(clusterStateDir, 'cluster.json.lock');
  if (!existsSync(lock)) writeFileSync(lock, '');
  writeFileSync(lock, String(statSync(lock).nlink));
}
