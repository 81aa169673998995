// The rollout report from synthetic event streams: the view model's rules (out-of-service windows
// from the lab's cordon/drain/schedulable events, typed or string booleans; failure budgets as
// Ansible's max_fail_percentage test; versions before/after per group; the run's parameters),
// what the HTML holds (escaped, nothing fetched), its size at 1,000 hosts, and `drover report`
// on a recorded run, including bad input.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../engine/report/html.js';
import { allowedFailures, buildReport, maxConcurrent } from '../../engine/report/model.js';
import { at, nodeNames, rollout } from './synthetic.js';
import { tempDir } from '../support/tmp.js';

describe('rollout report view model', () => {
  it('out-of-service windows come from the lab (string or boolean schedulable), one per host, never more than serial at once', () => {
    const { run, lab } = rollout(nodeNames(5), 2);
    const v = buildReport(run, lab);
    expect(v.hosts.map((h) => h.host)).toEqual(nodeNames(5));
    for (const h of v.hosts) expect(h.windows, h.host).toHaveLength(1);
    expect(v.counts.maxOutOfService).toBe(2);
    expect(v.hosts[2].batch).toBe('2/3 Drain and upgrade nodes');
    expect(v.hosts[0].windows[0].to - v.hosts[0].windows[0].from).toBe(4000);
    expect(v.counts.hookRuns).toBe(5);
    expect(v.counts.restarts).toBe(5);
    expect(v.hosts[0].marks.map((m) => m.kind)).toEqual(['drain', 'hook', 'pkg', 'restart']);
  });

  it('a host still cordoned at the end has an open window to the end of the run', () => {
    const { run, lab } = rollout(nodeNames(2), 2);
    const v = buildReport(run, lab.filter((e) => !(e.kind === 'node.schedulable' && e.node === 'node2.example.com' && String(e.schedulable) === 'true')));
    expect(v.hosts[1].windows).toEqual([{ from: Date.parse(at(1.1)), to: v.end, open: true }]);
  });

  it("failure budgets follow Ansible's max_fail_percentage test (failed/batch > pct/100 stops)", () => {
    expect(allowedFailures(4, 25)).toBe(1);
    expect(allowedFailures(4, 24)).toBe(0);
    expect(allowedFailures(3, 34)).toBe(1);
    expect(allowedFailures(10, 0)).toBe(0);
    expect(allowedFailures(2, 100)).toBe(2);
    const { run, lab } = rollout(nodeNames(4), 2, { fail: ['node3.example.com'], unreachable: ['node4.example.com'], pct: 49 });
    const v = buildReport(run, lab);
    expect(v.batches.map((b) => [b.failed.length, b.unreachable.length, b.allowed, b.exceeded])).toEqual([[0, 0, 0, false], [1, 1, 0, true]]);
    expect(v.hosts.find((h) => h.host === 'node3.example.com')?.status).toBe('failed');
    expect(v.hosts.find((h) => h.host === 'node4.example.com')?.status).toBe('unreachable');
    expect(v.counts).toMatchObject({ failed: 1, unreachable: 1 });
  });

  it('versions before and after per group, counting hosts per version', () => {
    const { run, lab } = rollout(nodeNames(4), 2, { fail: ['node4.example.com'] });
    const groups = new Map([['group1', nodeNames(2)], ['group2', nodeNames(4).slice(2)]]);
    const v = buildReport(run, lab, { groups });
    expect(v.versions).toEqual([
      { group: 'group1', package: 'atomic-openshift-node', hosts: 2, before: [{ version: '3.7.44-1.el7', hosts: 2 }], after: [{ version: '3.9.27-1.el7', hosts: 2 }] },
      { group: 'group2', package: 'atomic-openshift-node', hosts: 2, before: [{ version: '3.7.44-1.el7', hosts: 2 }], after: [{ version: '3.7.44-1.el7', hosts: 1 }, { version: '3.9.27-1.el7', hosts: 1 }] },
    ]);
    expect(v.hosts.map((h) => h.group)).toEqual(['group1', 'group1', 'group2', 'group2']);
  });

  it("the run's parameters: -e, limit and each serial play's serial", () => {
    const { run, lab } = rollout(nodeNames(2), 1);
    expect(buildReport(run, lab).params).toEqual([
      { name: 'playbook', value: 'upgrade.yml' }, { name: '-e', value: 'openshift_upgrade_nodes_serial=1' }, { name: 'limit', value: 'nodes' },
      { name: 'inventory', value: 'hosts' }, { name: 'forks', value: '5' }, { name: 'serial', value: 'Drain and upgrade nodes: 1' },
    ]);
  });

  it('typed lab events: a reboot the lab saw counts once (not with its request), out-of-order appends are sorted', () => {
    const { run, lab } = rollout(nodeNames(2), 2);
    const typed = [
      ...lab.map((e) => ({ v: 1, ...e })).reverse(),
      { v: 1, kind: 'host.reboot.requested', time: at(2), host: 'node1.example.com', command: 'reboot', delay_ms: 0 },
      { v: 1, kind: 'host.rebooted', time: at(3), host: 'node1.example.com' },
    ];
    const v = buildReport(run, typed);
    expect(v.counts.reboots).toBe(1);
    expect(v.hosts[0].marks.filter((m) => m.kind === 'reboot')).toEqual([{ t: Date.parse(at(3)), kind: 'reboot', label: 'rebooted' }]);
    expect(v.hosts.map((h) => h.windows.length)).toEqual([1, 1]);
    expect(buildReport(run, typed.filter((e) => e.kind !== 'host.rebooted')).counts.reboots).toBe(1);
  });

  it('the most windows at once counts touching windows once', () => {
    expect(maxConcurrent([{ from: 0, to: 10, open: false }, { from: 10, to: 20, open: false }, { from: 5, to: 12, open: false }])).toBe(2);
  });
});

describe('rollout report HTML', () => {
  it('is self-contained and escapes what the events say', () => {
    const { run, lab } = rollout(['<img src=x onerror=alert(1)>', 'node2'], 2);
    const html = renderReport(buildReport(run, lab));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // no tag with a src or href attribute (attribute values skipped), no CSS import or url()
    expect(html).not.toMatch(/<[a-z]+(\s+[\w-]+(=("[^"]*"|'[^']*'|[^\s>"'][^\s>]*))?)*\s+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    // the check itself catches what it is meant to
    expect('<script defer src="https://x/y.js">').toMatch(/<[a-z]+(\s+[\w-]+(=("[^"]*"|'[^']*'|[^\s>"'][^\s>]*))?)*\s+(src|href)=/i);
  });

  it('stays small at 1,000 hosts', () => {
    const { run, lab } = rollout(nodeNames(1000), 20, { fail: ['node7.example.com'] });
    const started = Date.now();
    const html = renderReport(buildReport(run, lab, { groups: new Map([['nodes', nodeNames(1000)]]) }));
    const kib = Buffer.byteLength(html) / 1024;
    console.log(`rollout report at 1,000 hosts (50 batches): ${kib.toFixed(0)} KiB, built in ${Date.now() - started} ms`);
    expect(html.match(/class=r /g)).toHaveLength(1000);
    expect(kib).toBeLessThan(1024);
  });
});

describe('drover report', () => {
  const dir = tempDir('drover-report-cli-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const drover = (...args: string[]) => spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'drover'), 'report', ...args], { cwd: dir, encoding: 'utf8' });

  it('writes the report of a recorded run and its lab events', () => {
    const { run, lab } = rollout(nodeNames(3), 2);
    writeFileSync(join(dir, 'run.jsonl'), run.map((e) => JSON.stringify({ v: 1, ...e })).join('\n') + '\n');
    writeFileSync(join(dir, 'lab.json'), JSON.stringify(lab));
    const r = drover('run.jsonl', 'lab.json', '-o', 'out.html');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/out\.html \(\d+ KiB\)/);
  });

  it('drover playbook --report writes it as the run ends: rows, failures against the budget, parameters, the lab file given', () => {
    writeFileSync(join(dir, 'hosts'), '[web]\nw1 ansible_connection=local\nw2 ansible_connection=local\nw3 ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), '- hosts: web\n  gather_facts: false\n  serial: 2\n  max_fail_percentage: 50\n  tasks:\n    - fail: {msg: broken}\n      when: inventory_hostname == "w2"\n');
    writeFileSync(join(dir, 'lab.jsonl'), `${JSON.stringify({ kind: 'node.schedulable', time: new Date().toISOString(), host: 'm', node: 'w1', schedulable: false })}\n`);
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'drover'), 'playbook', '-i', 'hosts', 'pb.yml', '-e', 'release=3.9', '--report', 'run.html', '--report-lab', 'lab.jsonl'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, DROVER_OUTPUT: 'plain' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/rollout report written to .*run\.html/);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html.match(/class=r /g)).toHaveLength(3);
    expect(html).toContain('data-host="w2" data-group="web" data-batch=0 data-status=failed');
    expect(html).toContain('1 of 1 allowed');
    expect(html).toContain('<th>-e</th><td>release=3.9</td>');
    expect(html).toMatch(/<b class="w o" [^>]*title="out of service [^"]*\(still out at the end\)"/);
  });

  it("playbook.start carries the run's parameters, with values from vault files masked", () => {
    const bin = join(__dirname, '..', '..', 'bin', 'drover');
    writeFileSync(join(dir, 'pass'), 'pw\n');
    writeFileSync(join(dir, 'secret.yml'), 'db_password: s3cret\n');
    expect(spawnSync(process.execPath, [bin, 'vault', 'encrypt', '--vault-password-file', 'pass', 'secret.yml'], { cwd: dir }).status).toBe(0);
    writeFileSync(join(dir, 'local.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks: [{command: "true"}]\n');
    const r = spawnSync(process.execPath, [bin, 'playbook', '-i', 'localhost,', 'local.yml', '-e', '@secret.yml', '-e', 'release=3.9', '-l', 'localhost', '--vault-password-file', 'pass', '--output', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const start = JSON.parse(r.stdout.split('\n')[0]) as { kind: string; run: unknown };
    expect(start.kind).toBe('playbook.start');
    expect(start.run).toEqual({ extraVars: { db_password: '********', release: '3.9' }, limit: 'localhost', tags: ['all'], skipTags: [], check: false, forks: 5, inventory: ['localhost,'] });
    expect(r.stdout).not.toContain('s3cret');
  });

  it('bad input names the file and line and what was expected', () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"kind":"playbook.start","ts":"2026-12-07T10:00:00Z"}\nnot json\n');
    const r = drover('bad.jsonl', '-o', 'x.html');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad.jsonl:2: expected one run event per line');
    const none = drover('-o', 'x.html');
    expect(none.status).toBe(5);
  });
});
