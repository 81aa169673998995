// Side-by-side benchmark (issue 8): runs the SAME playbook file with ansible-playbook (pipelining,
// forks = N), ansible + mitogen (mitogen_linear), drover and a raw-ssh2 floor against one drover
// lab, checks each run (recap counters and a digest of the files each host ends with must match
// across tools), prints a table with the ratios and appends the figures to a CSV.
//
//   npm run bench -- --scenario mixed --hosts 50 [--tools drover,ansible,mitogen,raw]
//                    [--lab NAME (reuse a lab with a `bench` group)] [--csv FILE] [--json FILE] [--keep]
//   npm run bench -- --hosts 50,200,1000 --tools ansible@200,mitogen@200,drover,raw
//                    (growth series: a fresh lab per size, TOOL@MAX runs TOOL up to MAX hosts)
//
// Runs on the compiled engine (npm run bench builds first). Needs root (the lab).
/* global process, console, URL, setTimeout, clearTimeout */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as S from './scenarios.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const dist = new URL('../../dist/engine/', import.meta.url);
const { labUp, labDown, findLab } = await import(new URL('lab/lab.js', dist).href);
const { hostPaths, labPaths } = await import(new URL('lab/layout.js', dist).href);

const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

export function parseArgs(argv) {
  const o = { scenario: 'mixed', sizes: [50], tools: S.parseTools('ansible,mitogen,drover,raw'), csv: process.env.BENCH_CSV || '/var/tmp/drover-bench/results.csv', keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--scenario') o.scenario = v();
    else if (a === '--hosts') o.sizes = S.parseSizes(v());
    else if (a === '--tools') o.tools = S.parseTools(v());
    else if (a === '--lab') o.lab = v();
    else if (a === '--csv') o.csv = v();
    else if (a === '--json') o.json = v();
    else if (a === '--keep') o.keep = true;
    else if (a === '--tool-timeout') o.toolTimeout = Number(v());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!S.SCENARIOS.includes(o.scenario)) throw new Error(`--scenario must be one of ${S.SCENARIOS.join(', ')}`);
  if (o.sizes.length > 1 && (o.lab || o.keep)) throw new Error('--lab and --keep take one size (--hosts N)');
  return o;
}

/** Busy CPU seconds of the whole machine so far (/proc/stat, USER_HZ = 100). */
function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user + nice + system + irq + softirq + (steal || 0)) / 100;
}

/**
 * Measured 2026-12-02: ansible-playbook stops at the example's first `yum:` task. The lab hosts are
 * RHEL 7 (pkg_mgr yum), so ansible's yum action picks the yum module, which needs the python2 `yum`
 * bindings; the hosts run the machine's python3, so it tries to respawn under /usr/bin/python and
 * fails (FileNotFoundError). drover's yum talks to dnf/rpm directly.
 */
const UPGRADE_NO_ANSIBLE = "n/a: the example's yum tasks need python2 yum bindings on the hosts under ansible (lab hosts run python3)";

/** Why mitogen cannot run here, or undefined when it can. */
function mitogenMissing() {
  if (!existsSync(join(MITOGEN_STRATEGIES, 'mitogen_linear.py'))) return 'n/a: Debian package ansible-mitogen not installed';
  return undefined;
}

function scriptAvailable() {
  return existsSync('/usr/bin/script');
}

function ansibleMissing() {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'n/a: ansible-playbook not installed (Debian package ansible-core)';
  }
}

/** Command line and environment of one tool. */
function toolCommand(tool, ctx) {
  const ansibleEnv = {
    ANSIBLE_FORKS: String(ctx.hosts),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(ctx.work, `cp-${tool}`),
    ANSIBLE_LOCAL_TEMP: join(ctx.work, `tmp-${tool}`),
    ANSIBLE_DEPRECATION_WARNINGS: 'False',
    // connection set-up on a loaded 2-core box can pass the 10 s default (mitogen hit it at load 30)
    ANSIBLE_TIMEOUT: '60',
  };
  const extra = ctx.extra ?? [];
  // the same 60 s connection timeout as ansible's (drover's default is 10 s, like ansible's; at
  // load 30+ handshakes took longer and hosts came out UNREACHABLE)
  const droverArgv = [process.execPath, join(ROOT, 'bin', 'drover'), 'playbook', '-i', ctx.inventory, ctx.play, ...extra, '--forks', String(ctx.hosts), '--timeout', '60'];
  if (tool === 'drover') return { argv: droverArgv, env: { NO_COLOR: '1' } };
  // drover's Python path for every module ansible-core has as a file it runs without an action
  // plugin of its own (stat, file, command...: README), with the warm worker, and without it
  if (tool === 'drover-python') return { argv: droverArgv, env: { NO_COLOR: '1', DROVER_FORCE_PYTHON_MODULES: '1' } };
  if (tool === 'drover-oneshot') return { argv: droverArgv, env: { NO_COLOR: '1', DROVER_FORCE_PYTHON_MODULES: '1', DROVER_PYTHON_WORKER: '0' } };
  // the live view's cost: the same run on a terminal (a pty from util-linux `script`, 120x40)
  if (tool === 'drover-live') {
    const sh = `stty cols 120 rows 40; exec env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 ${droverArgv.map(shq).join(' ')}`;
    return { argv: ['script', '-qfec', sh, '/dev/null'], env: {} };
  }
  if (tool === 'ansible') return { argv: ['ansible-playbook', '-i', ctx.inventory, ctx.play, ...extra], env: ansibleEnv };
  if (tool === 'mitogen') return { argv: ['ansible-playbook', '-i', ctx.inventory, ctx.play, ...extra], env: { ...ansibleEnv, ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGIES, ANSIBLE_STRATEGY: 'mitogen_linear' } };
  if (tool === 'raw') return { argv: [process.execPath, join(HERE, 'raw.mjs'), ctx.labDir, ctx.scenario === 'idempotent' ? 'mixed' : ctx.scenario], env: {} };
  throw new Error(`unknown tool ${tool}`);
}

const shq = (a) => `'${String(a).replace(/'/g, `'\\''`)}'`;

let current; // the tool's process, killed with us so it does not outlive the lab it runs against
let stopping = false; // a signal came: start no further tool or size

/** Run under GNU time: wall, user+sys of the waited-for process tree, largest RSS. */
function measured(argv, env, timeoutS) {
  return new Promise((resolve) => {
    const tf = join(tmpdir(), `drover-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const c0 = machineCpu();
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', tf, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let timedOut = false;
    // --tool-timeout: stop a tool that runs longer (its whole process group); its row says so
    const timer = timeoutS
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, timeoutS * 1000)
      : undefined;
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      current = undefined;
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // killed: GNU time died with the tool and wrote nothing; the CPU figures are then unknown
      const times = timedOut ? [] : readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      const [, u, s, m] = times;
      rmSync(tf, { force: true });
      resolve({ exit: code, out, wall, cpu: timedOut ? undefined : u + s, rssMb: timedOut ? undefined : m / 1024, machineCpu: machineCpu() - c0, ...(timedOut ? { timedOut: timeoutS } : {}) });
    });
  });
}

/** ControlPersist masters outlive ansible-playbook; close them so the next tool starts clean. */
function closeControlMasters(dir) {
  if (!existsSync(dir)) return;
  for (const s of readdirSync(dir)) {
    try {
      execFileSync('ssh', ['-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

function resetHosts(lab) {
  for (const h of lab.hosts) rmSync(join(hostPaths(lab.dir, h.dirName).root, S.BASE.slice(1)), { recursive: true, force: true });
}

function digestHosts(lab) {
  return Object.fromEntries(lab.hosts.map((h) => [h.name, S.treeDigest(join(hostPaths(lab.dir, h.dirName).root, S.BASE.slice(1)))]));
}

async function runTool(tool, ctx) {
  if (ctx.freshLab) await ctx.freshLab(ctx); // upgrade: every tool starts from the same 3.7 cluster
  const cmd = toolCommand(tool, ctx);
  resetHosts(ctx.lab);
  if (ctx.scenario === 'idempotent') await measured(cmd.argv, cmd.env); // the first run of mixed, untimed
  const r = await measured(cmd.argv, cmd.env, ctx.toolTimeout);
  closeControlMasters(join(ctx.work, `cp-${tool}`));
  const perHost = digestHosts(ctx.lab);
  const recap = tool === 'raw' ? undefined : S.parseRecap(r.out);
  if (ctx.scenario === 'upgrade') for (const h of Object.keys(perHost)) perHost[h] = 'n/a'; // compared by recap only
  writeFileSync(join(ctx.work, `${tool}.out`), r.out);
  return { tool, ...r, perHost, digest: S.fleetDigest(perHost), recap, recapTotals: recap ? fmtTotals(S.recapTotals(recap)) : undefined, log: join(ctx.work, `${tool}.out`) };
}

const fmtTotals = (t) => `${t.hosts}h ok=${t.ok} ch=${t.changed} f=${t.failed} s=${t.skipped} u=${t.unreachable}`;

/** One size: bring the lab up, run each tool, check, print the table and ratios, append the CSV. */
async function runSize(o, size) {
  const cores = cpus().length;
  const load = loadavg()[0];
  const meta = { date: new Date().toISOString(), scenario: o.scenario, hosts: size, load, cores, busy: load > cores };
  const work = mkdtempSync(join(tmpdir(), 'drover-bench-'));
  const name = o.lab ?? `bench-${process.pid}`;
  let owned = false;
  let downing; // the lab coming down: a signal meanwhile waits for it instead of exiting half-way
  const down = () => {
    if (owned && !o.keep) {
      owned = false;
      const t = Date.now();
      downing = labDown(name).then(
        () => console.log(`lab ${name} down in ${((Date.now() - t) / 1000).toFixed(1)} s`),
        (e) => console.error(`lab down ${name}: ${e.message}`),
      );
    }
    return downing ?? Promise.resolve();
  };
  const stop = () => {
    stopping = true;
    try {
      if (current) process.kill(-current.pid, 'SIGTERM'); // its whole process group
    } catch {
      /* already gone */
    }
    void down().then(() => process.exit(130));
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, stop);
  try {
    let lab;
    const up = async () => {
      writeFileSync(join(work, 'hosts'), S.inventoryText(size, o.scenario));
      const t = Date.now();
      owned = true;
      const l = await labUp({ inventory: [join(work, 'hosts')], name });
      meta.labUpS = (Date.now() - t) / 1000;
      console.log(`lab ${name}: ${l.hosts.length} hosts up in ${meta.labUpS.toFixed(1)} s`);
      return l;
    };
    if (o.lab) lab = findLab(o.lab);
    else lab = await up();
    // a lab of our own holds only the benchmark's hosts; a reused one (--lab) those directly in `bench`
    const hosts = (o.lab ? lab.hosts.filter((h) => h.groups.includes('bench')) : lab.hosts).map((h) => h.name);
    if (!hosts.length) throw new Error(`lab ${name} has no hosts in group 'bench'`);
    let play = join(work, 'play.yml');
    if (o.scenario === 'upgrade') play = join(ROOT, S.UPGRADE_PLAYBOOK);
    else writeFileSync(play, S.playbookText(o.scenario, hosts));
    mkdirSync(join(work, 'templates'));
    writeFileSync(join(work, 'templates', 'bench.conf.j2'), S.TEMPLATE);
    const ctx = { toolTimeout: o.toolTimeout, hosts: hosts.length, scenario: o.scenario, work, play, lab, labDir: lab.dir, inventory: labPaths(lab.dir).inventory };
    if (o.scenario === 'upgrade') {
      ctx.extra = S.UPGRADE_EXTRA;
      let first = true;
      ctx.freshLab = async (c) => {
        if (!first) {
          if (o.lab) throw new Error('the upgrade scenario needs a fresh lab per tool: run it without --lab');
          await down();
          c.lab = await up();
          c.labDir = c.lab.dir;
          c.inventory = labPaths(c.lab.dir).inventory;
        }
        first = false;
        const t = Date.now();
        // untimed, with drover: a 3.7 cluster, then its control plane upgraded to 3.9
        for (const [step, pb, extra] of [['provision', S.UPGRADE_PROVISION, []], ['control-plane', S.UPGRADE_CONTROL_PLANE, S.UPGRADE_CONTROL_PLANE_EXTRA]]) {
          const pr = await measured([process.execPath, join(ROOT, 'bin', 'drover'), 'playbook', '-i', c.inventory, join(ROOT, pb), ...extra, '--forks', String(c.hosts)], { NO_COLOR: '1' });
          writeFileSync(join(work, `${step}.out`), pr.out);
          if (pr.exit !== 0) throw new Error(`${step} (${pb}) failed (exit ${pr.exit}); see ${join(work, `${step}.out`)}`);
        }
        console.log(`provisioned OpenShift 3.7 and upgraded its control plane in ${((Date.now() - t) / 1000).toFixed(1)} s (untimed)`);
      };
    }
    console.log(`scenario ${o.scenario}, ${hosts.length} hosts, load ${load.toFixed(2)} on ${cores} cores${meta.busy ? '  ** BUSY MACHINE: figures are unreliable **' : ''}; work dir ${work}`);
    const rows = [];
    for (const { tool, max } of o.tools) {
      if (size > max) continue; // TOOL@MAX: not at this size
      if (stopping) break;
      const why = (tool === 'ansible' || tool === 'mitogen') && o.scenario === 'upgrade' ? UPGRADE_NO_ANSIBLE : tool === 'mitogen' ? (ansibleMissing() ?? mitogenMissing()) : tool === 'ansible' ? ansibleMissing() : tool === 'raw' && !S.rawCommands(o.scenario === 'idempotent' ? 'mixed' : o.scenario, 'x') ? `n/a: no raw equivalent for ${o.scenario}` : tool === 'drover-live' && !scriptAvailable() ? 'n/a: util-linux script not installed' : undefined;
      if (why) rows.push({ tool, skipped: why });
      else {
        process.stdout.write(`running ${tool}… `);
        const r = await runTool(tool, ctx);
        if (r.timedOut) console.log(`stopped after ${r.wall.toFixed(0)} s (--tool-timeout ${r.timedOut}), output ${r.log}`);
        else console.log(`${r.wall.toFixed(2)} s, ctl cpu ${r.cpu.toFixed(2)} s, peak rss ${r.rssMb.toFixed(0)} MB (exit ${r.exit}, output ${r.log})`);
        rows.push(r);
      }
    }
    if (stopping) throw new Error('stopped by a signal; no results written');
    S.checkRows(rows);
    console.log('\n' + S.formatTable(rows) + '\n');
    const rs = S.ratios(rows);
    console.log(S.formatRatios(rs) + '\n');
    for (const base of ['drover-python', 'drover-oneshot']) if (rows.some((r) => r.tool === base && !r.skipped)) console.log(S.formatRatios(S.ratios(rows, base), base) + '\n');
    mkdirSync(dirname(o.csv), { recursive: true });
    if (!existsSync(o.csv)) writeFileSync(o.csv, S.CSV_HEADER + '\n');
    for (const r of rows) appendFileSync(o.csv, S.csvLine(meta, r) + '\n');
    console.log(`results appended to ${o.csv}`);
    return { meta, rows: rows.map(({ out: _out, perHost: _p, ...r }) => r), ratios: rs };
  } finally {
    await down();
    for (const sig of ['SIGINT', 'SIGTERM']) process.removeListener(sig, stop);
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const series = [];
  for (const size of o.sizes) {
    if (series.length) console.log(`\n=== ${size} hosts ===`);
    series.push({ hosts: size, ...(await runSize(o, size)) });
  }
  if (series.length > 1) console.log(`\ngrowth, ${o.scenario}, ${o.sizes.join(' -> ')} hosts (growth/host growth: 1.00 = linear):\n${S.growthTable(series)}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify(series.length === 1 ? series[0] : { series }, null, 2));
  return series.some((x) => x.rows.some((r) => r.check?.startsWith('MISMATCH'))) ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e.stack ?? String(e));
      process.exit(2);
    },
  );
}
