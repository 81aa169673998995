// ansible-core's own modules, which drover does not implement natively, run through the Python
// path on `drover lab` hosts over SSH and compared with ansible-playbook 2.14 (fixtures/core/):
// uri (GET, POST json, a 404) and get_url against an HTTP server of this test, unarchive of a
// remote archive, unarchive of a controller-side archive (drover's native unarchive action: sent
// to the host, then the module; a missing dest, a missing archive, creates, copy with remote_src),
// group and user (created, then unchanged), yum_repository and the file it writes, ini_file from
// Debian's community.general (by its short name's redirect and by FQCN) and ansible.posix's
// seboolean, which fails on a host without SELinux: its failure is compared. One fresh lab host
// per tool, run at the same time; registered results must match.
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../engine/lab/lab.js';
import { labPaths } from '../../engine/lab/layout.js';
import { labSkipReason, uniqueLabName, writeTemp } from '../lab/helpers.js';
import { ANSIBLE, DROVER, runTool } from '../examples/harness.js';
import { hasAnsible, normalise } from '../modules/helpers/differential.js';
import { tempDir } from '../support/tmp.js';

const PB = join(import.meta.dirname, 'fixtures', 'core', 'core.yml');
const A = 'ca.example.com';
const D = 'cd.example.com';
const skip = labSkipReason() ?? (hasAnsible ? undefined : 'ansible-playbook is not installed (Debian package ansible-core)');
if (skip) console.warn(`ansible-core modules differential skipped: ${skip}`);

type Result = Record<string, unknown>;

/** The test's web server: a JSON document, a file, a POST echo (201) and 404 for the rest. */
function webServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/hello.json') return send(200, 'application/json', '{"hello": "world"}\n');
    if (req.method === 'GET' && req.url === '/file.txt') return send(200, 'text/plain', 'file body\n');
    if (req.method === 'POST' && req.url === '/post') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => send(201, 'application/json', JSON.stringify({ got: JSON.parse(body) as unknown })));
      return;
    }
    send(404, 'text/plain', 'not here\n');
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(server)));
}

/**
 * The HTTP Date header, timings and random temp names differ between the two runs by nature (the
 * folder an archive is sent to is named by time and pid in Ansible, by mktemp in drover); an action
 * failure's traceback is Ansible's Python stack: its closing error (`Class: text`, to the end) is compared.
 */
function comparable(all: Record<string, Result>): Record<string, Result> {
  const tmp = (v: unknown) => (typeof v === 'string' ? v.replace(/\/ansible-tmp-[\d.]+-\d+-\d+\/tmp\w+$/, '/ansible-tmp-<T>/tmp<F>') : v);
  const sent = (r: Result): Result => JSON.parse(JSON.stringify(r).replace(/\/ansible-tmp-[^/"]+\/source/g, '/ansible-tmp-<T>/source')) as Result;
  const exception = (v: unknown) => {
    const lines = String(v).trim().split('\n');
    let at = lines.length - 1;
    while (at > 0 && !/^[\w.]+: /.test(lines[at])) at--;
    return lines.slice(at).join('\n');
  };
  return Object.fromEntries(
    Object.entries(all).map(([k, r]) => [
      k,
      sent({
        ...r,
        ...('date' in r ? { date: '<date>' } : {}),
        ...('elapsed' in r ? { elapsed: typeof r.elapsed } : {}),
        ...('src' in r ? { src: tmp(r.src) } : {}),
        ...('exception' in r ? { exception: exception(r.exception) } : {}),
      }),
    ]),
  );
}

describe.skipIf(!!skip)("ansible-core's modules through the Python path: ansible-playbook vs drover on lab hosts", () => {
  const name = uniqueLabName('t-pycore');
  let inventory = '';
  let work = '';
  let inventoryDir = '';
  let server: Server | undefined;

  beforeAll(async () => {
    if (skip) return;
    work = tempDir('drover-pycore-');
    inventoryDir = writeTemp({ hosts: `[nodes]\n${A}\n${D}\n` });
    server = await webServer();
    const web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const lab = await labUp({ inventory: [join(inventoryDir, 'hosts')], name });
    inventory = labPaths(lab.dir).inventory;
    const [ans, drv] = await Promise.all([
      runTool(ANSIBLE, ['-i', inventory, '-l', A, PB, '-e', `web=${web}`, '-e', `out=${join(work, 'a.json')}`], {}, 600_000),
      runTool(DROVER, ['-i', inventory, '-l', D, PB, '-e', `web=${web}`, '-e', `out=${join(work, 'd.json')}`], {}, 600_000),
    ]);
    if (ans.rc !== 0) throw new Error(`ansible-playbook failed:\n${ans.stdout}${ans.stderr}`);
    if (drv.rc !== 0) throw new Error(`drover failed:\n${drv.stdout}${drv.stderr}`);
  }, 900_000);

  afterAll(async () => {
    if (inventory) await labDown(name);
    await new Promise((res) => (server ? server.close(res) : res(undefined)));
    for (const d of [work, inventoryDir]) if (d) rmSync(d, { recursive: true, force: true });
  }, 120_000);

  const results = (f: string) => comparable(normalise(JSON.parse(readFileSync(join(work, f), 'utf8')) as Record<string, Result>, [A, D], '<HOST>'));

  it('registers the same result for every module', () => {
    const a = results('a.json');
    const d = results('d.json');
    expect(Object.keys(a).length).toBe(26);
    for (const k of Object.keys(a)) expect({ [k]: d[k] }).toEqual({ [k]: a[k] });
    // guards: the modules did their work the first time and nothing the second
    expect(a.uri_get.json).toEqual({ hello: 'world' });
    expect(a.uri_post.json).toEqual({ got: { name: 'drover', n: 2 } });
    expect(a.uri_404).toMatchObject({ failed: true, status: 404 });
    expect([a.get_url.changed, a.get_url_again.changed, a.unarchive.changed, a.unarchive_again.changed]).toEqual([true, false, true, false]);
    expect([a.group.changed, a.user.changed, a.user_again.changed, a.yum_repository.changed]).toEqual([true, true, false, true]);
    expect(Buffer.from(String(a.repo_file.content), 'base64').toString()).toContain('[proto]');
    expect([a.unarchive_ctl.changed, a.unarchive_ctl_again.changed, a.unarchive_ctl_again.files]).toEqual([true, false, ['core.yml']]);
    expect(a.unarchive_ctl_nodir).toMatchObject({ failed: true, msg: "dest '/srv/core/nodir' must be an existing dir" });
    expect(a.unarchive_ctl_missing).toMatchObject({ failed: true, exception: expect.stringContaining('AnsibleFileNotFound') as unknown });
    expect(a.unarchive_ctl_creates).toMatchObject({ skipped: true, msg: 'skipped, since /srv/core/ctl/core.yml exists' });
    expect(a.unarchive_ctl_both).toMatchObject({ failed: true, msg: "parameters are mutually exclusive: ('copy', 'remote_src')" });
    expect(Buffer.from(String(a.unarchived_file.content), 'base64').toString()).toContain('unarchive: {src: "{{ out }}.tgz"');
    expect([a.ini_file.changed, a.ini_file_again.changed, a.ini_file_section.changed, a.ini_file_absent.changed]).toEqual([true, false, true, true]);
    expect(Buffer.from(String(a.ini_content.content), 'base64').toString()).toBe('\n[main]\n[extra]\nlevel = 3\n');
    expect([a.seboolean.failed, a.seboolean_fq.failed]).toEqual([true, true]);
  });
});
