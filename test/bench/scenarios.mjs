// Pure parts of the side-by-side benchmark (issue 8): the scenario playbooks every tool runs from
// the same file, the raw-ssh2 floor's equivalent shell commands, the recap parser, the host-state
// digest, and the table/CSV formatting. No I/O here beyond reading a host directory for the
// digest, so the logic is testable without a lab.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Everything the playbooks touch lives below this directory on each host. */
export const BASE = '/srv/bench';
export const SCENARIOS = ['trivial', 'mixed', 'idempotent', 'serial', 'packages', 'upgrade', 'python-modules'];

/** The package the `packages` scenario installs and erases (lab repository rhel-7-server-ose-3.7-rpms, no dependencies). */
export const PACKAGE = 'atomic-openshift-clients';

/** The `upgrade` scenario runs this example as it is (not a generated playbook), nodes in batches of 20%. */
export const UPGRADE_PLAYBOOK = 'examples/openshift-3.9/upgrade_nodes.yml';
export const UPGRADE_PROVISION = 'examples/openshift-3.9/lab/provision_3.7.yml';
/** upgrade_nodes.yml refuses nodes whose masters still run 3.7: the control plane goes first, untimed. */
export const UPGRADE_CONTROL_PLANE = 'examples/openshift-3.9/upgrade_control_plane.yml';
export const UPGRADE_CONTROL_PLANE_EXTRA = ['-e', 'openshift_upgrade_storage_migration_delay=1'];
export const UPGRADE_EXTRA = ['-e', 'openshift_upgrade_nodes_serial=20%'];

export const TEMPLATE = `# bench template for {{ inventory_hostname }}
host={{ inventory_hostname }}
{% for i in range(3) %}
item{{ i }}={{ i * 7 }}
{% endfor %}
upper={{ inventory_hostname | upper }}
`;

/** The template rendered the way Ansible renders it (trim_blocks on), for the raw floor. */
export function renderTemplate(host) {
  return `# bench template for ${host}\nhost=${host}\n${[0, 1, 2].map((i) => `item${i}=${i * 7}\n`).join('')}upper=${host.toUpperCase()}\n`;
}

const MIXED_TASKS = `    - name: command
      command: uname -s
      register: un
      changed_when: false
    - name: shell with a pipe
      shell: echo {{ inventory_hostname }} | tr a-z A-Z
      register: up
      changed_when: false
    - name: directory
      file: { path: ${BASE}, state: directory, mode: "0755" }
    - name: copy content
      copy: { content: "host {{ inventory_hostname }} kernel {{ un.stdout }}\\n", dest: ${BASE}/copied.txt, mode: "0644" }
    - name: template
      template: { src: bench.conf.j2, dest: ${BASE}/bench.conf, mode: "0644" }
    - name: lineinfile
      lineinfile: { path: ${BASE}/lines.conf, line: "managed=yes", regexp: "^managed=", create: true, mode: "0644" }
    - name: stat
      stat: { path: ${BASE}/bench.conf }
      register: st
    - name: assert
      assert:
        that:
          - st.stat.exists
          - up.stdout == inventory_hostname | upper
    - name: debug
      debug: { msg: "{{ inventory_hostname }} {{ st.stat.size }}" }
    - name: file absent
      file: { path: ${BASE}/scratch, state: absent }
`;

/**
 * Playbook text per scenario. `serial` makes the second host fail its third task and sets
 * max_fail_percentage 20: with 25% batches of 50 hosts (13) one failure is 7.7% and the play goes
 * on; with 10 hosts (batches of 2) it is 50% and the play stops after the first batch. Both are
 * Ansible semantics every tool must reproduce, so the recap comparison covers them.
 */
export function playbookText(scenario, hosts) {
  if (scenario === 'trivial') {
    const tasks = Array.from({ length: 10 }, (_, i) => `    - name: true ${i + 1}\n      command: /bin/true\n`).join('');
    return `- hosts: bench\n  gather_facts: false\n  tasks:\n${tasks}`;
  }
  if (scenario === 'mixed' || scenario === 'idempotent') return `- hosts: bench\n  gather_facts: false\n  tasks:\n${MIXED_TASKS}`;
  if (scenario === 'serial') {
    const failing = hosts[1] ?? hosts[0];
    const fail = `    - name: one failing host\n      command: /bin/false\n      when: inventory_hostname == "${failing}"\n`;
    const lines = MIXED_TASKS.split('\n');
    const cut = lines.findIndex((l) => l.includes('name: directory'));
    return `- hosts: bench\n  gather_facts: false\n  serial: "25%"\n  max_fail_percentage: 20\n  tasks:\n${lines.slice(0, cut).join('\n')}\n${fail}${lines.slice(cut).join('\n')}`;
  }
  if (scenario === 'packages') {
    // starts and ends without the package, so every tool's run does the same work and the recap is the same
    return `- hosts: bench
  gather_facts: false
  tasks:
    - name: install from the lab repository
      dnf: { name: ${PACKAGE}, state: present }
    - name: directory
      file: { path: ${BASE}, state: directory, mode: "0755" }
    - name: record the installed version
      shell: rpm -q --qf '%{NAME} %{VERSION}\\n' ${PACKAGE} > ${BASE}/package.txt
    - name: erase it again
      dnf: { name: ${PACKAGE}, state: absent }
`;
  }
  if (scenario === 'python-modules') {
    // ansible-core modules drover has no native version of (drover runs them over the module
    // protocol) and some it has (stat, file, command, lineinfile, slurp: the drover-python tool
    // runs those through ansible-core's files too; copy keeps its action plugin's native form);
    // starts and ends without the user and group, so each tool's run does the same work
    return `- hosts: bench
  gather_facts: false
  tasks:
    - name: directory
      file: { path: ${BASE}/repos, state: directory, mode: "0755" }
    - name: getent
      getent: { database: passwd, key: root }
    - name: group
      group: { name: benchgrp, gid: 4343 }
    - name: user
      user: { name: benchusr, uid: 4343, group: benchgrp, create_home: false, shell: /bin/sh }
    - name: yum_repository
      yum_repository: { name: bench, description: Bench, baseurl: "http://127.0.0.1/bench", gpgcheck: false, reposdir: ${BASE}/repos }
    - name: archive source
      copy: { content: "bench {{ inventory_hostname }}\\n", dest: ${BASE}/a.txt, mode: "0644" }
    - name: archive
      command: tar -C ${BASE} -czf ${BASE}/a.tgz a.txt
      args: { creates: ${BASE}/a.tgz }
    - name: unarchive
      unarchive: { src: ${BASE}/a.tgz, dest: ${BASE}/repos, remote_src: true }
    - name: stat (native in drover)
      stat: { path: ${BASE}/a.txt }
      register: st
    - name: stat without checksum (native in drover)
      stat: { path: /etc/passwd, get_checksum: false }
    - name: lineinfile (native in drover)
      lineinfile: { path: ${BASE}/conf.txt, line: "host={{ inventory_hostname }}", create: true, mode: "0644" }
    - name: slurp (native in drover)
      slurp: { src: ${BASE}/a.txt }
    - name: command (native in drover)
      command: cat ${BASE}/a.txt
      changed_when: false
    - name: getent (ten times)
      getent: { database: group, key: "{{ item }}" }
      loop: [root, daemon, bin, sys, adm, tty, disk, lp, mail, benchgrp]
    - name: remove the archive (its bytes hold a timestamp)
      file: { path: ${BASE}/a.tgz, state: absent }
    - name: remove the user again
      user: { name: benchusr, state: absent }
    - name: remove the group again
      group: { name: benchgrp, state: absent }
`;
  }
  throw new Error(`unknown scenario '${scenario}' (${SCENARIOS.join(', ')})`);
}

/** INI inventory of N hosts in group `bench`; the lab turns it into its connection inventory. */
export function inventoryText(n, scenario = 'mixed') {
  if (scenario === 'upgrade') return upgradeInventoryText(n);
  return `[bench]\n${hostNames(n).join('\n')}\n`;
}

/**
 * `upgrade`: an OpenShift 3.7 inventory of N hosts (one master that is also the etcd member, the
 * rest compute nodes), all of them also in `bench` so the harness finds them.
 */
export function upgradeInventoryText(n) {
  const names = hostNames(n);
  return [
    '[OSEv3:children]', 'masters', 'nodes', 'etcd', '',
    '[OSEv3:vars]', 'ansible_user=root', 'openshift_deployment_type=openshift-enterprise', 'openshift_release=v3.7', '',
    '[masters]', names[0], '', '[etcd]', names[0], '',
    '[nodes]', `${names[0]} openshift_node_labels="{'region': 'infra'}" openshift_schedulable=true`,
    ...names.slice(1).map((h) => `${h} openshift_node_labels="{'region': 'primary'}"`), '',
    '[bench:children]', 'OSEv3', '',
  ].join('\n');
}

export function hostNames(n) {
  const w = Math.max(4, String(n).length);
  return Array.from({ length: n }, (_, i) => `bench-${String(i + 1).padStart(w, '0')}`);
}

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * The raw floor: per host, the shell commands equivalent to the scenario (state checks included,
 * so the idempotent run does the same reads), written to one persistent `sh`. Assert/debug run
 * on the controller in every tool, so they have no remote command here.
 */
export function rawCommands(scenario, host) {
  if (scenario === 'trivial') return Array.from({ length: 10 }, () => '/bin/true');
  if (scenario === 'packages') return [`dnf -y -q install ${PACKAGE} >/dev/null`, `mkdir -p ${BASE} && chmod 0755 ${BASE}`, `rpm -q --qf '%{NAME} %{VERSION}\\n' ${PACKAGE} > ${BASE}/package.txt`, `dnf -y -q remove ${PACKAGE} >/dev/null`];
  if (scenario !== 'mixed' && scenario !== 'idempotent') return null;
  // w FILE CONTENT MODE: write only when different, like copy/template do
  const w = 'w() { printf %s "$2" > "$1.tmp" && if cmp -s "$1.tmp" "$1"; then rm -f "$1.tmp"; else mv "$1.tmp" "$1"; fi; chmod "$3" "$1"; }';
  return [
    w,
    'uname -s',
    `echo ${q(host)} | tr a-z A-Z`,
    `mkdir -p ${BASE} && chmod 0755 ${BASE}`,
    `w ${BASE}/copied.txt "host ${host} kernel $(uname -s)
" 0644`,
    `w ${BASE}/bench.conf ${q(renderTemplate(host))} 0644`,
    `f=${BASE}/lines.conf; grep -q '^managed=' $f 2>/dev/null || echo managed=yes >> $f; chmod 0644 $f`,
    `stat -c '%s %a' ${BASE}/bench.conf`,
    `rm -rf ${BASE}/scratch`,
  ];
}

/** Parse the PLAY RECAP lines that ansible-playbook and drover both print. */
export function parseRecap(output) {
  const out = {};
  const re = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/gm;
  // a terminal run (drover-live) has cursor movements and \r\n besides colours
  for (const m of output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '').matchAll(re)) {
    out[m[1]] = { ok: +m[2], changed: +m[3], unreachable: +m[4], failed: +m[5], skipped: +m[6], rescued: +m[7], ignored: +m[8] };
  }
  return out;
}

/** One line that two recaps agree on when the runs agreed; hosts sorted. */
export function recapKey(recap) {
  return Object.keys(recap)
    .sort()
    .map((h) => `${h}:${Object.values(recap[h]).join('/')}`)
    .join(' ');
}

/** Totals over all hosts, for the table: ok/changed/failed/skipped. */
export function recapTotals(recap) {
  const t = { hosts: 0, ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 };
  for (const r of Object.values(recap)) {
    t.hosts++;
    for (const k of ['ok', 'changed', 'failed', 'skipped', 'unreachable']) t[k] += r[k];
  }
  return t;
}

/** Hash of a directory tree: names, types, modes, link targets and contents (not times). */
export function treeDigest(dir) {
  const h = createHash('sha256');
  const walk = (p, rel) => {
    const st = lstatSync(p);
    h.update(`${rel}\0${st.mode.toString(8)}\0`);
    if (st.isSymbolicLink()) h.update(readlinkSync(p));
    else if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e), `${rel}/${e}`);
    else if (st.isFile()) h.update(readFileSync(p));
    h.update('\0');
  };
  if (existsSync(dir)) walk(dir, '.');
  else h.update('absent');
  return h.digest('hex').slice(0, 16);
}

/** Digest of all hosts: each host's tree digest, in host order, hashed together. */
export function fleetDigest(perHost) {
  const h = createHash('sha256');
  for (const name of Object.keys(perHost).sort()) h.update(`${name}=${perHost[name]}\n`);
  return h.digest('hex').slice(0, 16);
}

/** Compare every run against the reference (ansible when it ran, else drover): recap, digest, exit. */
export function checkRows(rows) {
  for (const r of rows) if (r.timedOut) r.check = `TIMEOUT: stopped after ${r.timedOut} s, not checked`;
  const ran = rows.filter((r) => !r.skipped && !r.timedOut);
  const ref = ran.find((r) => r.tool === 'ansible') ?? ran.find((r) => r.recap);
  for (const r of ran) {
    const problems = [];
    if (r.recap && !Object.keys(r.recap).length) problems.push('no recap');
    if (ref && r.recap && ref !== r && recapKey(r.recap) !== recapKey(ref.recap)) problems.push(`recap differs from ${ref.tool}`);
    if (ref && ref !== r && r.digest !== ref.digest) {
      const bad = Object.keys(r.perHost).filter((h) => r.perHost[h] !== ref.perHost[h]);
      problems.push(`digest differs from ${ref.tool} on ${bad.length} hosts (${bad.slice(0, 3).join(', ')})`);
    }
    if (ref && ref !== r && r.tool !== 'raw' && r.exit !== ref.exit) problems.push(`exit ${r.exit} vs ${ref.tool} ${ref.exit}`);
    r.check = problems.length ? `MISMATCH: ${problems.join('; ')}` : ref ? 'ok' : 'unchecked';
  }
  return rows;
}

const fmt = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : String(v ?? 'n/a'));

/** drover's figure divided by another tool's (below 1 means drover is faster). */
export function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : undefined;
}

/** The printed table: one row per tool, then the ratios line. */
export function formatTable(rows) {
  const head = ['tool', 'wall s', 'ctl cpu s', 'machine cpu s', 'peak rss MB', 'exit', 'recap', 'digest', 'check'];
  const body = rows.map((r) =>
    r.skipped
      ? [r.tool, 'n/a', '', '', '', '', '', '', r.skipped]
      : [r.tool, fmt(r.wall, 2), fmt(r.cpu, 2), fmt(r.machineCpu, 2), fmt(r.rssMb, 0), String(r.exit), r.recapTotals ?? 'n/a', r.digest ?? '', r.check],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Ratios of drover to each other tool that ran: wall time and controller CPU. */
export function ratios(rows, base = 'drover') {
  const d = rows.find((r) => r.tool === base && !r.skipped);
  const out = {};
  for (const r of rows) {
    if (r.tool === base || r.skipped || !d) continue;
    // a tool stopped by --tool-timeout took longer than its wall: the ratio is an upper bound
    out[r.tool] = r.timedOut ? { wall: ratio(d.wall, r.wall), atMost: true } : { wall: ratio(d.wall, r.wall), cpu: ratio(d.cpu, r.cpu) };
  }
  return out;
}

export function formatRatios(rs, base = 'drover') {
  const parts = Object.entries(rs).map(([t, r]) =>
    r.atMost
      ? `${base}/${t}: wall < ${fmt(r.wall, 3)} (${base} more than ${fmt(1 / r.wall, 1)}× faster: ${t} was stopped unfinished)`
      : `${base}/${t}: wall ${fmt(r.wall, 3)} (${!r.wall ? 'n/a' : r.wall <= 1 ? `${base} ${fmt(1 / r.wall, 1)}× faster` : `${base} ${fmt(r.wall, 1)}× slower`}), controller cpu ${fmt(r.cpu, 3)}`);
  return parts.length ? parts.join('\n') : 'no ratios (drover or the other tools did not run)';
}

export const CSV_HEADER = 'date,scenario,hosts,tool,wall_s,ctl_cpu_s,machine_cpu_s,peak_rss_mb,exit,check,load_at_start,cores,busy,note';

export function csvLine(meta, r) {
  const cells = [meta.date, meta.scenario, meta.hosts, r.tool, fmt(r.wall, 3), fmt(r.cpu, 3), fmt(r.machineCpu, 3), fmt(r.rssMb, 0), r.exit ?? '', r.check ?? '', meta.load.toFixed(2), meta.cores, meta.busy ? 'yes' : 'no', r.skipped ?? (r.timedOut ? `stopped after ${r.timedOut} s` : '')];
  return cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
}

/**
 * `--hosts 50,200,1000` and `--tools ansible@200,drover,raw`: the sizes in increasing order, and
 * per tool the largest size it runs at (Infinity when unbounded), so a growth series can leave the
 * slow tools out of the big sizes.
 */
export function parseSizes(text) {
  const sizes = String(text).split(',').filter(Boolean).map(Number);
  if (!sizes.length || sizes.some((n) => !(Number.isInteger(n) && n > 0))) throw new Error(`--hosts must be positive whole numbers separated by commas, got '${text}'`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function parseTools(text) {
  return String(text)
    .split(',')
    .filter(Boolean)
    .map((t) => {
      const m = /^([a-z-]+)(?:@(\d+))?$/.exec(t);
      if (!m) throw new Error(`--tools: '${t}' is not TOOL or TOOL@MAXHOSTS`);
      return { tool: m[1], max: m[2] ? Number(m[2]) : Infinity };
    });
}

/**
 * The growth series' summary: per tool and size, wall, controller CPU and peak RSS, each also per
 * host, and between consecutive sizes the growth of controller CPU and wall divided by the growth
 * of the host count (1.0 = linear, 2.0 = cost per host doubled). `series` is [{ hosts, rows }].
 */
export function growthTable(series) {
  const tools = [...new Set(series.flatMap((s) => s.rows.filter((r) => !r.skipped && r.wall !== undefined).map((r) => r.tool)))];
  const head = ['tool', 'hosts', 'wall s', 'ctl cpu s', 'peak rss MB', 'ms cpu/host', 'cpu growth/host growth', 'wall growth/host growth', 'check'];
  const body = [];
  for (const tool of tools) {
    let prev;
    for (const s of series) {
      const r = s.rows.find((x) => x.tool === tool && !x.skipped && x.wall !== undefined);
      if (!r) continue;
      const g = (a, b) => (prev ? fmt(a / b / (s.hosts / prev.hosts), 2) : '');
      body.push([tool, String(s.hosts), fmt(r.wall, 1), fmt(r.cpu, 2), fmt(r.rssMb, 0), fmt((r.cpu * 1000) / s.hosts, 1), g(r.cpu, prev?.r.cpu), g(r.wall, prev?.r.wall), r.check ?? '']);
      prev = { hosts: s.hosts, r };
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
