// `drover lab`: bring up a simulated cluster from an inventory and drive it (up, down, status,
// inventory, events, fault). The lab itself lives in engine/lab; this file only parses argv and
// prints.
import { basename } from 'node:path';
import { OptionsError } from '../errors/index.js';
import { formatEvent } from '../lab/events.js';
import { FaultError, HOST_FAULTS, hostFault, isHostFault } from '../lab/faults.js';
import type { FaultMode } from '../lab/front-protocol.js';
import { labPaths } from '../lab/layout.js';
import { findLab, LabError, labDown, labEvents, labFault, labSync, labStatus, labUp, listLabs } from '../lab/lab.js';
import { helpText, parseArgs, type OptionSpec } from './args.js';

const SPECS: OptionSpec[] = [
  { name: 'inventory', long: 'inventory', short: 'i', value: 'SRC', repeat: true, help: 'up: inventory source(s) to simulate (repeatable)' },
  { name: 'name', long: 'name', short: 'n', value: 'NAME', help: 'up: the lab name (default: "lab")' },
  { name: 'user', long: 'user', short: 'u', value: 'NAME[:PASSWORD]', repeat: true, help: 'up: add a login user to every host (with a password: password auth and sudo asking it; root:PASSWORD gives root one, for su)' },
  { name: 'install', long: 'install', help: 'up: install missing Debian packages (root)' },
  { name: 'json', long: 'json', help: 'status/events: JSON output' },
  { name: 'keep', long: 'keep', help: 'down: keep the lab directory (trees, logs, events)' },
  { name: 'help', long: 'help', short: 'h', help: 'show this help and exit' },
];

export const LAB_USAGE = helpText(
  `drover lab up -i INVENTORY [--name NAME] [--user NAME[:PASSWORD]]... [--install]
       drover lab down NAME [--keep]
       drover lab status [NAME] [--json]
       drover lab inventory NAME
       drover lab events NAME [--json]
       drover lab fault NAME HOST down|up|slow MS|flap [MS]|sshd-kill|reboot|lock|unlock
       drover lab fault NAME HOST disk-full PATH SIZE|disk-free PATH`,
  'A simulated cluster on this machine: one host per inventory host, each a directory tree behind a\nreal sshd on its own loopback address (see engine/lab/README.md). Labs live in $DROVER_LAB_DIR\n(default /var/lib/drover/labs).\n\nOnce it is up, poke it as an operator would, with ad-hoc commands:\n  drover adhoc all -i "$(drover lab inventory NAME)" -m ping\n  drover adhoc masters -i "$(drover lab inventory NAME)" -b -a \'systemctl is-active etcd\' -o',
  SPECS,
);

export async function labCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { opts, positional } = parseArgs(argv, SPECS);
  const [sub, ...args] = positional;
  if (opts.help || !sub) {
    out(LAB_USAGE);
    return sub || opts.help ? 0 : 5;
  }
  const err = (s: string) => process.stderr.write(s);
  try {
    switch (sub) {
      case 'up': {
        const inventory = (opts.inventory as string[] | undefined) ?? [];
        if (!inventory.length) throw new OptionsError('lab up: -i INVENTORY is required');
        const name = (opts.name as string | undefined) ?? 'lab';
        const lab = await labUp({ inventory, name, install: opts.install === true, users: opts.user as string[] | undefined, log: out });
        out(`${labPaths(lab.dir).inventory}\n`);
        return 0;
      }
      case 'down':
        await labDown(need(args, 'down NAME'), { keep: opts.keep === true });
        return 0;
      case 'inventory':
        out(`${labPaths(findLab(need(args, 'inventory NAME')).dir).inventory}\n`);
        return 0;
      case 'status':
        return await status(args[0], opts.json === true, out);
      case 'events': {
        await labSync(need(args, 'events NAME'));
        const events = labEvents(need(args, 'events NAME'));
        out(opts.json ? JSON.stringify(events, null, 2) + '\n' : events.map((e) => formatEvent(e) + '\n').join(''));
        return 0;
      }
      case 'fault': {
        const [name, host, mode, ms] = args;
        if (isHostFault(mode)) {
          out(`${await hostFault(findLab(name ?? ''), host ?? '', mode, args.slice(3))}\n`);
          return 0;
        }
        if (!name || !host || !['down', 'up', 'slow', 'flap'].includes(mode ?? '')) throw new OptionsError(`lab fault NAME HOST down|up|slow MS|flap [MS]|${HOST_FAULTS.join('|')}`);
        if (mode === 'slow' && (ms === undefined || !/^\d+$/.test(ms))) throw new OptionsError('lab fault NAME HOST slow MS: MS (milliseconds) is required');
        await labFault(name, host, mode as FaultMode, ms === undefined ? undefined : Number(ms));
        return 0;
      }
      default:
        throw new OptionsError(`unknown lab command '${sub}'\n${LAB_USAGE}`);
    }
  } catch (e) {
    if (e instanceof LabError || e instanceof FaultError) {
      err(`drover lab: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function need(args: string[], what: string): string {
  if (!args[0]) throw new OptionsError(`lab ${what}: missing NAME`);
  return args[0];
}

async function status(name: string | undefined, json: boolean, out: (s: string) => void): Promise<number> {
  if (!name) {
    const all = await Promise.all(listLabs().map((n) => labStatus(n)));
    if (json) {
      out(JSON.stringify(all.map(({ lab, front }) => ({ name: lab.name, dir: lab.dir, hosts: lab.hosts.length, running: front !== null })), null, 2) + '\n');
    } else {
      for (const { lab, front } of all) out(`${lab.name}\t${lab.hosts.length} hosts\t${front ? 'running' : 'NOT RUNNING'}\t${lab.dir}\n`);
      if (!all.length) out('no labs\n');
    }
    return 0;
  }
  const { lab, front } = await labStatus(name);
  const byName = new Map((front?.hosts ?? []).map((h) => [h.name, h]));
  const hosts = lab.hosts.map((h) => {
    const { state, connections, sessions, slowMs } = byName.get(h.name) ?? { state: 'stopped', connections: 0, sessions: 0, slowMs: 0 };
    return { name: h.name, address: h.address, port: lab.port, groups: h.groups, etcd: h.etcd?.clientUrl, state, connections, sessions, slowMs };
  });
  if (json) {
    out(JSON.stringify({ name: lab.name, dir: lab.dir, inventory: labPaths(lab.dir).inventory, running: front !== null, pid: front?.pid, port: lab.port, hosts }, null, 2) + '\n');
  } else {
    out(`lab ${lab.name} (${basename(lab.dir)}): ${front ? `running, front pid ${front.pid}` : 'NOT RUNNING'}, port ${lab.port}\ninventory: ${labPaths(lab.dir).inventory}\n`);
    for (const h of hosts) out(`  ${h.name.padEnd(30)} ${h.address.padEnd(15)} ${String(h.state).padEnd(9)} connections=${h.connections} sessions=${h.sessions}${h.etcd ? ` etcd=${h.etcd}` : ''}\n`);
  }
  return 0;
}
