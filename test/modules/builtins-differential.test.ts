// Differential test of the builtins added for the conformance targets against ansible-playbook
// 2.14 (local connection): tempfile, set_stats (CUSTOM STATS), async/poll with async_status and
// the job files on the host, command/shell arguments (executable, argv, chdir, no command,
// option words, multi-line text), wait_for state=drained, lineinfile's warning, ping's crash,
// and a first_found lookup inside a role (ansible_search_path). Compared: every registered
// result (volatile values normalised: temp names, job ids, times, tracebacks) and the whole
// plain output. Skipped without ansible-playbook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableOutput, hasAnsible, runPlaybookBoth, type PlaybookRuns } from './helpers/differential.js';
import { tempDir } from './helpers.js';

/** [id, task]: each task is registered as r_<id>. */
const TASKS: [string, string][] = [
  // tempfile
  ['tf_file', 'tempfile: path={{ d }} suffix=.x'],
  ['tf_dir', 'tempfile: {path: "{{ d }}", state: directory, prefix: "p "}'],
  ['tf_missing', 'tempfile: path={{ d }}/nope\n  ignore_errors: true'],
  // ping's crash, lineinfile's warning
  ['ping_crash', 'ping: data=crash\n  ignore_errors: true'],
  ['li_seed', 'shell: printf "a\\nb\\n" > {{ d }}/f'],
  ['li_empty', 'lineinfile: {path: "{{ d }}/f", regexp: "", line: z}'],
  // command / shell arguments
  ['cmd_exec', 'command: echo hi\n  args: {executable: /bogus}'],
  ['cmd_none', 'command:\n  args: {chdir: /}\n  ignore_errors: true'],
  ['cmd_both', 'command: echo a\n  args: {argv: [echo, b]}\n  ignore_errors: true'],
  ['sh_argv', 'shell:\n  args: {argv: [echo, "a b", "$HOME"]}\n  ignore_errors: true'],
  ['sh_exec', 'shell: echo $0\n  args: {executable: /bin/bash}'],
  ['sh_multi', 'shell: |\n    echo a \\\n    "b c"\n    echo d'],
  ['cmd_word', 'command: "{{ word }}"'],
  ['link', 'shell: mkdir -p {{ d }}/real/sub && ln -s {{ d }}/real {{ d }}/link'],
  ['sh_chdir', 'shell: echo "$PWD"\n  args: {chdir: "{{ d }}/link/sub"}'],
  ['cmd_notfound', 'command: /nonexistent "a b"\n  ignore_errors: true'],
  // async
  ['as_poll', 'shell: echo out; echo err >&2\n  async: 10\n  poll: 1'],
  ['as_gone', 'stat: path={{ r_as_poll.results_file }}'],
  ['as_fnf', 'command: sleep 4\n  async: 20\n  poll: 0'],
  ['as_running', 'async_status: jid={{ r_as_fnf.ansible_job_id }}'],
  ['as_quick', 'command: echo q\n  async: 5\n  poll: 0'],
  ['as_dir', 'command: "true"\n  async: 5\n  poll: 0\n  vars: {ansible_async_dir: "{{ d }}/jobs"}'],
  ['as_gap', 'command: sleep 2'],
  ['as_done', 'async_status: jid={{ r_as_quick.ansible_job_id }}'],
  ['as_file', 'command: cat {{ r_as_quick.results_file }}'],
  ['as_dir_default', 'async_status: jid={{ r_as_dir.ansible_job_id }}\n  ignore_errors: true'],
  ['as_dir_status', 'async_status: jid={{ r_as_dir.ansible_job_id }}\n  vars: {ansible_async_dir: "{{ d }}/jobs"}'],
  ['as_cleanup', 'async_status: jid={{ r_as_quick.ansible_job_id }} mode=cleanup'],
  ['as_missing', 'async_status: jid={{ r_as_quick.ansible_job_id }}\n  ignore_errors: true'],
  ['as_timeout', 'command: sleep 6\n  async: 2\n  poll: 1\n  ignore_errors: true'],
  ['as_fail', 'command: /bin/false\n  async: 5\n  poll: 2\n  ignore_errors: true'],
  ['as_copy', 'copy: {content: x, dest: "{{ d }}/c"}\n  async: 5\n  ignore_errors: true'],
  ['as_check', 'command: "true"\n  async: 5\n  check_mode: true\n  ignore_errors: true'],
  // wait_for state=drained (the test holds one connection to busy_port)
  ['wf_idle', 'wait_for: {port: "{{ idle_port }}", state: drained, timeout: 5}'],
  ['wf_busy', 'wait_for: {port: "{{ busy_port }}", state: drained, timeout: 2}\n  ignore_errors: true'],
  ['wf_excluded', 'wait_for: {port: "{{ busy_port }}", state: drained, timeout: 2, exclude_hosts: [127.0.0.1]}'],
  // set_stats
  ['ss_run', 'set_stats: {data: {n: 1, s: a, l: [1], d: {k: {x: 1}}}}'],
  ['ss_run2', 'set_stats: {data: {n: 2, s: b, l: [2], d: {k: {y: 2}}, n2: true}}'],
  ['ss_host', 'set_stats: {data: {"{{ \'h\' ~ 1 }}": "{{ inventory_hostname }}"}, per_host: true}'],
  ['ss_replace', 'set_stats: {data: {n2: 5}, aggregate: false}'],
  ['ss_bad', 'set_stats: {data: "{{ [1] }}"}\n  ignore_errors: true'],
];

/** What is compared of a task when not its registered result as is: the job file as data. */
const SHOWN: Record<string, string> = { as_file: '(r_as_file.stdout | from_json)' };

const PLAY = (d: string, port: number, idlePort: number) => `
- hosts: localhost
  connection: local
  gather_facts: false
  vars: {d: "${d}", busy_port: ${port}, idle_port: ${idlePort}, word: "echo chdir=/x"}
  pre_tasks:
    # both tools run in the same folder: each starts from an empty one
    - shell: rm -rf {{ d }} && mkdir {{ d }}
  roles: [searcher]
  tasks:
${TASKS.map(([id, t]) => `    - name: ${id}\n      ${t.replace(/\n/g, '\n    ')}\n      register: r_${id}`).join('\n')}
    - name: show
      debug:
        msg: "SHAPE {{ {${TASKS.map(([id]) => `'${id}': ${SHOWN[id] ?? `r_${id}`}`).join(', ')}} | to_json }}"
`;

/** What differs between two runs of the same content: temp names, job ids and pids, times, tracebacks. */
function normalised(v: unknown, d: string): unknown {
  const text = JSON.stringify(v, (k, x: unknown) => {
    if (['start', 'end', 'delta'].includes(k) && typeof x === 'string') return '<t>';
    if (k === 'exception' || k === 'module_stderr') return String(x).trim().split('\n').pop();
    // ansible's file-editing modules return `diff` without --diff, drover's only with it: not
    // this test's subject (test/executor/loop-results-differential.test.ts leaves it out too)
    if (k === 'diff') return undefined;
    return x;
  });
  return JSON.parse(
    text
      .split(d).join('<D>')
      .replace(/j\d+\.\d+/g, '<jid>')
      .replace(/(ansible\.|p )[a-z0-9_]{8}/g, '$1<rand>')
      .replace(/\\"(start|end|delta)\\": \\"[^\\]*\\"/g, '\\"$1\\": <t>'),
  ) as unknown;
}

function registered(stdout: string, d: string): Record<string, unknown> {
  const m = /"msg": "SHAPE (.*)"\n/.exec(stdout);
  if (!m) throw new Error(`no SHAPE line in:\n${stdout}`);
  return normalised(JSON.parse(JSON.parse(`"${m[1]}"`)), d) as Record<string, unknown>;
}

function output(stdout: string, d: string): string {
  return comparableOutput(stdout, [d, dirname(d)])
    // the registered results are compared one by one (key order and diffs differ there)
    .replace(/"msg": "SHAPE .*"\n/, '"msg": "SHAPE"\n')
    .replace(/j\d+\.\d+/g, '<jid>')
    .replace(/(ansible\.|p )[a-z0-9_]{8}/g, '$1<rand>')
    .replace(/"(module_stderr|exception)": "(\\.|[^"\\])*"/g, '"$1": <tb>');
}

describe.skipIf(!hasAnsible)('builtins vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-builtins-diff-');
  let server: Server;
  let client: Socket;
  let run: PlaybookRuns;
  let ansible: Record<string, unknown>;
  let drover: Record<string, unknown>;

  beforeAll(async () => {
    // one established connection on `port` for state=drained to wait on
    server = createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    client = connect(port, '127.0.0.1');
    await new Promise((res) => client.once('connect', res));
    mkdirSync(t.p('roles/searcher/tasks'), { recursive: true });
    writeFileSync(t.p('roles/searcher/tasks/main.yml'), `- include_tasks: "{{ lookup('first_found', files) }}"\n  vars:\n    files: [nothere.yml, found.yml]\n`);
    writeFileSync(t.p('roles/searcher/tasks/found.yml'), '- debug: msg="found by the role search path"\n');
    writeFileSync(t.p('pb.yml'), PLAY(t.p('w'), port, 1));
    run = runPlaybookBoth('pb.yml', {
      cwd: t.dir,
      env: { ANSIBLE_SHOW_CUSTOM_STATS: '1' },
      timeoutMs: 400_000,
    });
    ansible = registered(run.ansible.stdout, t.p('w'));
    drover = registered(run.drover.stdout, t.p('w'));
  }, 600_000);

  afterAll(() => {
    client?.destroy();
    server?.close();
    t.cleanup();
  });

  it('same exit code and recap', () => {
    expect(run.drover.status).toBe(run.ansible.status);
    const recap = (s: string) => s.slice(s.indexOf('PLAY RECAP'));
    expect(recap(run.drover.stdout)).toBe(recap(run.ansible.stdout));
  });

  for (const [id] of TASKS) {
    it(`${id}: the registered result is the same`, () => {
      expect(ansible[id]).toBeDefined();
      expect(drover[id]).toEqual(ansible[id]);
    });
  }

  it('the same plain output, ASYNC lines and CUSTOM STATS included', () => {
    const a = output(run.ansible.stdout, t.p('w'));
    expect(a).toContain('CUSTOM STATS');
    expect(a).toContain('ASYNC POLL on localhost');
    expect(output(run.drover.stdout, t.p('w'))).toBe(a);
  });

  it('the same warnings, on stderr', () => {
    const warnings = (s: string) => s.split('\n').filter((l) => l.startsWith('[WARNING]'));
    const a = warnings(run.ansible.stderr);
    expect(a.join('\n')).toContain('The regular expression is an empty string');
    expect(a.join('\n')).toContain("the parameter 'executable' is no longer supported");
    expect(warnings(run.drover.stderr)).toEqual(a);
  });

  it('the comparison can fail: results of different tasks differ after normalising', () => {
    expect(ansible.as_fnf).not.toEqual(ansible.as_poll);
    expect(ansible.as_running).not.toEqual(ansible.as_done);
  });
});
