// The lab event schema: typed fields (booleans are booleans), a version, every kind the lab's
// tools write; and the writers: appendEvent (the controller, the front's rpm watcher) and the
// lab-event tool's `key:=JSON` words (run on a temporary copy that writes to a temp file).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendEvent, parseEvents, readEvents } from '../../engine/lab/events.js';
import { labEventErrors, typedKinds } from './lab-events-schema.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('drover-labev-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { v: 1, time: '2026-12-07T10:00:00.000Z', host: 'n1.example.com' };

describe('lab event schema', () => {
  it('types the fields of known kinds', () => {
    expect(labEventErrors({ ...base, kind: 'node.schedulable', node: 'n1', schedulable: false })).toBe('');
    expect(labEventErrors({ ...base, kind: 'node.schedulable', node: 'n1', schedulable: 'false' })).toMatch(/schedulable must be boolean/);
    expect(labEventErrors({ ...base, kind: 'package.changed', name: 'etcd', from: '', to: '3.2.22-1.el7' })).toBe('');
    expect(labEventErrors({ ...base, kind: 'package.changed', name: 'etcd', to: '3.2.22-1.el7' })).not.toBe('');
    expect(labEventErrors({ ...base, kind: 'etcd.backup', path: '/var/lib/etcd/b', api: 'v4' })).not.toBe('');
    expect(labEventErrors({ ...base, kind: 'service.started', service: 'etcd', extra: 1 })).not.toBe('');
    expect(labEventErrors({ ...base, kind: 'storage.migrated', total: '12' })).not.toBe('');
  });

  it('needs the version, the time format and a host', () => {
    const ok = { ...base, kind: 'host.rebooted' };
    expect(labEventErrors(ok)).toBe('');
    expect(labEventErrors({ ...ok, v: 2 })).not.toBe('');
    expect(labEventErrors({ ...ok, time: '2026-12-07 10:00' })).not.toBe('');
    expect(labEventErrors({ ...ok, host: undefined })).not.toBe('');
  });

  it('lets a playbook record its own kinds, but not under a typed kind', () => {
    expect(labEventErrors({ ...base, kind: 'my.checkpoint', step: '3' })).toBe('');
    expect(labEventErrors({ ...base, kind: 'hook.run', hook: 'pre_master' })).toBe('');
    expect(typedKinds()).toEqual(expect.arrayContaining(['package.changed', 'etcd.restore', 'node.labeled', 'docker.image.pulled', 'host.rebooted']));
  });

  it('appendEvent writes valid versioned events, and readers get them in time order', () => {
    const file = join(dir, 'events.jsonl');
    appendEvent(file, '', 'lab.up', { hosts: 2 });
    appendEvent(file, 'n1', 'package.changed', { name: 'etcd', from: '', to: '3.2.11-1.el7' }, new Date('2020-01-01T00:00:00Z'));
    const evs = readEvents(file);
    expect(evs.map((e) => e.kind)).toEqual(['package.changed', 'lab.up']);
    for (const e of evs) expect(labEventErrors(e)).toBe('');
    expect(parseEvents('{"kind":"x"}\nnot json\n')).toEqual([]);
  });

  it('lab-event keeps key:=JSON typed and key=text a string', () => {
    // the tool appends to the host's /var/lib/drover-sim/events.jsonl: a copy pointed at a temp file
    const tool = join(dir, 'lab-event');
    const log = join(dir, 'tool.jsonl');
    writeFileSync(tool, readFileSync(join(import.meta.dirname, '../../engine/lab/sim/lab-event'), 'utf8').replaceAll('/var/lib/drover-sim/events.jsonl', log).replaceAll('/etc/hostname', join(dir, 'hostname')));
    writeFileSync(join(dir, 'hostname'), 'n1.example.com\n');
    const run = (...a: string[]) => expect(spawnSync('sh', [tool, ...a]).status).toBe(0);
    run('node.schedulable', 'node=n1', 'schedulable:=false');
    run('node.labeled', 'node=n1', 'labels:={"region":"infra","gone":null}');
    run('hook.run', 'hook=say "hi"');
    const evs = readEvents(log);
    expect(evs.map(({ time: _t, ...rest }) => rest)).toEqual([
      { v: 1, host: 'n1.example.com', kind: 'node.schedulable', node: 'n1', schedulable: false },
      { v: 1, host: 'n1.example.com', kind: 'node.labeled', node: 'n1', labels: { region: 'infra', gone: null } },
      { v: 1, host: 'n1.example.com', kind: 'hook.run', hook: 'say "hi"' },
    ]);
    for (const e of evs) expect(labEventErrors(e)).toBe('');
  });
});
