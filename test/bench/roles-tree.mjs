// Benchmark (prints figures, asserts nothing): playbook load of a large role tree, issue 8's "playbook
// load and --syntax-check for a large role tree". Generates ROLES roles of FILES task files each
// (tasks/main.yml imports the others statically, one of them includes a file dynamically), with
// defaults, vars, handlers, templates, files and a meta dependency on a shared base role, and one
// play applying all of them. Then times, under GNU time (wall, user+sys, peak RSS):
//   drover playbook --syntax-check | ansible-playbook --syntax-check
//   drover playbook --list-tasks   | ansible-playbook --list-tasks   (the whole tree expanded for a host)
// Both tools must agree on the task count --list-tasks prints, or the script exits 1.
//
//   npm run bench:roles                       (= setup --bench && node test/bench/roles-tree.mjs)
//   node test/bench/roles-tree.mjs [ROLES [FILES]] [--tools drover,ansible] [--keep]   (defaults 200 20)
/* global process, console */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const flag = (f) => {
  const i = args.indexOf(f);
  return i < 0 ? undefined : args.splice(i, f === '--keep' ? 1 : 2)[f === '--keep' ? 0 : 1];
};
const keep = flag('--keep') !== undefined;
const tools = (flag('--tools') ?? 'drover,ansible').split(',');
const ROLES = Number(args[0] ?? 200);
const FILES = Number(args[1] ?? 20);
if (!(ROLES > 0 && FILES > 1)) throw new Error('usage: roles-tree.mjs [ROLES>0 [FILES>1]]');

const pad = (n) => String(n).padStart(3, '0');

/** One task file: 5 tasks (template + notify, copy, command with when/register, set_fact, debug). */
function taskFile(r, f) {
  return `- name: template ${r}/${f}
  template: { src: conf.j2, dest: "/srv/tree/role${r}-${f}.conf", mode: "0644" }
  notify: restart role${r}
- name: copy ${r}/${f}
  copy: { src: static.txt, dest: "/srv/tree/role${r}-${f}.txt" }
- name: command ${r}/${f}
  command: "echo {{ role${r}_port }} ${f}"
  register: out_${r}_${f}
  when: role${r}_enabled | bool
  changed_when: false
- name: fact ${r}/${f}
  set_fact: { "fact_${r}_${f}": "{{ role${r}_name }}-{{ base_domain }}" }
- name: debug ${r}/${f}
  debug: { msg: "{{ role${r}_name }} file ${f} {{ role${r}_list | length }}" }
  tags: [role${r}, debug]
`;
}

function writeTree(dir) {
  const role = (name, files) => {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(dir, 'roles', name, dirname(p)), { recursive: true });
      writeFileSync(join(dir, 'roles', name, p), text);
    }
  };
  role('base', {
    'tasks/main.yml': '- name: base\n  debug: { msg: "base {{ base_domain }}" }\n',
    'defaults/main.yml': 'base_domain: example.com\n',
    // listed under every role that depends on it by both tools (without it ansible-playbook
    // --list-tasks lists it under every role, drover once: a difference noted in the README)
    'meta/main.yml': 'allow_duplicates: true\n',
  });
  for (let i = 0; i < ROLES; i++) {
    const r = pad(i);
    const files = {
      'defaults/main.yml': `role${r}_enabled: true\nrole${r}_port: ${8000 + i}\nrole${r}_list: [a, b, c]\n`,
      'vars/main.yml': `role${r}_name: "role${r}-{{ base_domain }}"\n`,
      'handlers/main.yml': `- name: restart role${r}\n  command: "echo restart ${r}"\n- name: reload role${r}\n  command: "echo reload ${r}"\n  listen: reload all\n`,
      'templates/conf.j2': `# {{ role${r}_name }}\nport={{ role${r}_port }}\n{% for x in role${r}_list %}item={{ x }}\n{% endfor %}\n`,
      'files/static.txt': `static ${r}\n`,
      'meta/main.yml': 'dependencies:\n  - role: base\n',
    };
    // main.yml imports FILES-2 files statically and includes the last one dynamically
    const main = [];
    for (let f = 1; f < FILES; f++) {
      files[`tasks/t${pad(f)}.yml`] = taskFile(r, pad(f));
      main.push(f === FILES - 1 ? `- include_tasks: t${pad(f)}.yml\n  when: role${r}_enabled | bool\n` : `- import_tasks: t${pad(f)}.yml\n`);
    }
    files['tasks/main.yml'] = main.join('');
    role(`role${r}`, files);
  }
  writeFileSync(join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  roles:\n${Array.from({ length: ROLES }, (_, i) => `    - role${pad(i)}\n`).join('')}`);
  writeFileSync(join(dir, 'hosts'), 'node1 ansible_connection=local\n');
}

/** Run under GNU time: wall, user+sys, peak RSS; stdout kept for the task count. */
function timed(argv, cwd) {
  const tf = join(cwd, '.time');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', tf, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const [u, s, m] = readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { exit: r.status, wall, cpu: u + s, rssMb: m / 1024, out: r.stdout + r.stderr };
}

/** Tasks --list-tasks printed (lines below a "play #" header, other than headers). */
const countTasks = (out) => out.split('\n').filter((l) => /^\s{6}\S/.test(l) && !/^\s*(play #|pattern:|tasks:)/.test(l)).length;

const dir = mkdtempSync(join(tmpdir(), 'drover-roles-'));
try {
  const load = loadavg()[0];
  const t = Date.now();
  writeTree(dir);
  const tasks = (ROLES * (FILES - 1) - 1) * 5; // static ones; the included file is loaded at run time
  console.log(`role tree: ${ROLES} roles × ${FILES} files (+ defaults, vars, handlers, templates, files, meta), ~${tasks} static tasks, written in ${Date.now() - t} ms to ${dir}`);
  console.log(`load at start ${load.toFixed(2)} on ${cpus().length} cores${load > cpus().length ? '  ** BUSY MACHINE: figures are unreliable **' : ''}; ${new Date().toISOString()}`);
  const cmds = {
    drover: (mode) => [process.execPath, join(ROOT, 'bin', 'drover'), 'playbook', '-i', 'hosts', 'site.yml', mode],
    ansible: (mode) => ['ansible-playbook', '-i', 'hosts', 'site.yml', mode],
  };
  const counts = {};
  console.log('\ntool     mode            wall s  cpu s   peak rss MB  exit  tasks listed');
  for (const mode of ['--syntax-check', '--list-tasks']) {
    for (const tool of tools) {
      if (!cmds[tool]) throw new Error(`--tools: unknown tool ${tool} (drover, ansible)`);
      const r = timed(cmds[tool](mode), dir);
      writeFileSync(join(dir, `${tool}${mode}.out`), r.out);
      const n = mode === '--list-tasks' ? countTasks(r.out) : '';
      if (n !== '') counts[tool] = n;
      console.log(`${tool.padEnd(8)} ${mode.padEnd(15)} ${r.wall.toFixed(2).padEnd(7)} ${r.cpu.toFixed(2).padEnd(7)} ${(r.rssMb.toFixed(0)).padEnd(12)} ${String(r.exit).padEnd(5)} ${n}`);
      if (r.exit !== 0) console.log(`  ${tool} ${mode} failed; output in ${join(dir, `${tool}${mode}.out`)}:\n${r.out.slice(-800)}`);
    }
  }
  const vals = Object.values(counts);
  if (vals.length > 1 && new Set(vals).size > 1) {
    console.log(`\nMISMATCH: --list-tasks counts differ: ${JSON.stringify(counts)}`);
    process.exitCode = 1;
  }
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
