// A tool missing on the host fails the task (issue 17, item 7), as Ansible's modules do
// (get_bin_path(required=True): "Failed to find required executable"), never a false success.
// oc_obj used to return `results: []` and rc 0 without oc: its "NotFound" check matched the
// shell's "oc: not found". Every module that drives a host tool runs here on a local host whose
// PATH holds every executable of the machine but the ones taken away (symlinks in a temp dir).
// Audited and not here: command/shell/raw/script report the command's own rc 127 as failed
// (checked against ansible-playbook elsewhere); hostname falls back from hostnamectl to
// /etc/hostname + hostname, as Ansible's strategies do; fetch and copy(remote_src) verify or
// transfer the bytes on the controller, so a missing sha1sum only leaves the remote checksum out;
// swapoff needs its tool only while swap is on (then a failure is reported); facts are optional.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getModule } from '../../engine/modules-sdk/registry.js';
import type { ModuleContext } from '../../engine/modules-sdk/types.js';
import { isNotFound } from '../../modules/lib/oc-client.js';
import { makeCtx, tempDir } from './helpers.js';

const t = tempDir('drover-missing-tools-');
afterAll(() => t.cleanup());

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** A PATH with every executable of the machine but `missing`. */
function pathWithout(missing: string[]): string {
  const dir = t.p('path');
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  for (const d of SYSTEM_PATH) {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (seen.has(n) || missing.includes(n)) continue;
      seen.add(n);
      try {
        if (statSync(join(d, n)).isFile()) symlinkSync(join(d, n), join(dir, n));
      } catch {
        /* dangling or racing entries */
      }
    }
  }
  return dir;
}

/** Every tool a case takes away, all at once: one PATH for the file (building it takes seconds). */
let sharedPath: string | undefined;

function ctxWithout(missing: string[], opts: { check?: boolean } = {}): ModuleContext {
  const ctx = makeCtx(opts);
  const PATH = (sharedPath ??= pathWithout([...new Set(CASES.flatMap((c) => c.missing))]));
  expect(missing.every((m) => !existsSync(join(PATH, m)))).toBe(true);
  ctx.run = (cmd, o) => ctx.conn.exec(cmd, { ...o, env: { ...(o?.env ?? {}), PATH } });
  return ctx;
}

interface Case {
  name: string;
  mod: string;
  args: Record<string, unknown>;
  missing: string[];
  check?: boolean;
  /** What the failure must say. */
  msg: RegExp;
}

const sysctlFile = t.p('sysctl.conf');
writeFileSync(sysctlFile, '');
const swappiness = (() => {
  try {
    return readFileSync('/proc/sys/vm/swappiness', 'utf8').trim();
  } catch {
    return '60';
  }
})();

const aFile = t.p('files', 'a.txt');
mkdirSync(t.p('files'), { recursive: true });
writeFileSync(aFile, 'abc\n');
const NO_SUM = ['sha1sum', 'shasum', 'openssl'];

const CASES: Case[] = [
  { name: 'oc_obj list', mod: 'oc_obj', args: { state: 'list', kind: 'pods', namespace: 'x' }, missing: ['oc'], msg: /\boc\b.*(not found|No such file)/ },
  { name: 'oc_obj list (check mode)', mod: 'oc_obj', args: { state: 'list', kind: 'pods' }, missing: ['oc'], check: true, msg: /\boc\b.*(not found|No such file)/ },
  { name: 'oc_obj present', mod: 'oc_obj', args: { state: 'present', kind: 'ConfigMap', name: 'a', content: { data: { a: '1' } } }, missing: ['oc'], msg: /\boc\b.*(not found|No such file)/ },
  { name: 'oc_obj absent', mod: 'oc_obj', args: { state: 'absent', kind: 'ConfigMap', name: 'a' }, missing: ['oc'], msg: /\boc\b.*(not found|No such file)/ },
  { name: 'oc_obj with oc_binary', mod: 'oc_obj', args: { state: 'absent', kind: 'ConfigMap', name: 'a', oc_binary: '/nonexistent/oc' }, missing: [], msg: /\/nonexistent\/oc.*(not found|No such file)/ },
  { name: 'oc_node', mod: 'oc_node', args: { name: ['n1'], schedulable: false }, missing: ['oc'], msg: /\boc\b.*(not found|No such file)/ },
  { name: 'oc_node by selector', mod: 'oc_node', args: { selector: 'a=b', schedulable: true }, missing: ['oc'], msg: /\boc\b.*(not found|No such file)/ },
  { name: 'sysctl reload with ignoreerrors', mod: 'sysctl', args: { name: 'vm.swappiness', value: swappiness, sysctl_file: sysctlFile, ignoreerrors: true }, missing: ['sysctl'], msg: /sysctl/ },
  { name: 'service', mod: 'service', args: { name: 'nosuch', state: 'started' }, missing: ['systemctl'], msg: /systemctl/ },
  { name: 'service_facts', mod: 'service_facts', args: {}, missing: ['systemctl'], msg: /systemctl/ },
  { name: 'package_facts', mod: 'package_facts', args: {}, missing: ['rpm'], msg: /rpm/ },
  { name: 'dnf', mod: 'dnf', args: { name: 'nosuch', state: 'present' }, missing: ['dnf', 'yum'], msg: /dnf or yum/ },
  { name: 'etcd_backup', mod: 'etcd_backup', args: { data_dir: t.dir, backup_dir: t.p('bk'), space_check: false }, missing: ['etcdctl'], msg: /etcdctl/ },
  { name: 'reboot', mod: 'reboot', args: { reboot_command: 'nosuch-reboot-tool' }, missing: [], msg: /Reboot command failed \(rc=127\)/ },
  { name: 'stat with a checksum', mod: 'stat', args: { path: aFile }, missing: NO_SUM, msg: /"sha1sum".*to compute a sha1 checksum/ },
  { name: 'find with get_checksum', mod: 'find', args: { paths: [t.p('files')], get_checksum: true }, missing: NO_SUM, msg: /"sha1sum"/ },
  { name: 'slurp', mod: 'slurp', args: { src: aFile }, missing: ['od'], msg: /unable to slurp/ },
  { name: 'wait_for a port', mod: 'wait_for', args: { port: 1, timeout: 1 }, missing: ['nc', 'bash'], msg: /neither nc nor bash/ },
];

describe('a missing tool fails the task', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await getModule(c.mod)!.run(c.args, ctxWithout(c.missing, { check: c.check }));
      expect(r.failed, JSON.stringify(r)).toBe(true);
      expect(String(r.msg), JSON.stringify(r)).toMatch(c.msg);
    }, 60_000);
  }
});

describe("oc's NotFound", () => {
  const run = (rc: number, stderr: string) => ({ cmd: 'oc get x', rc, stdout: '', stderr });
  it('is the server saying the object does not exist, not the shell missing oc', () => {
    expect(isNotFound(run(1, 'Error from server (NotFound): configmaps "a" not found\n'))).toBe(true);
    expect(isNotFound(run(127, '/bin/sh: 1: oc: not found\n'))).toBe(false);
    expect(isNotFound(run(127, 'bash: oc: command not found\n'))).toBe(false);
    expect(isNotFound(run(126, '/bin/sh: 1: oc: Permission denied\n'))).toBe(false);
    expect(isNotFound(run(1, 'error: the server doesn\'t have a resource type "nosuch"\n'))).toBe(false);
  });
});
