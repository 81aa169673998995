// gather_facts in a real `drover playbook` run goes through the setup module, and the play's
// gather_subset reaches it: `!all` gathers the min subset only (no hardware facts).
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main.js';
import { tempDir } from './helpers.js';

describe('gather_facts uses the setup module', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('honours the play keyword gather_subset', async () => {
    const out = t.p('facts.json');
    const play = (subset: string[] | undefined, file: string) => ({
      hosts: 'localhost', connection: 'local', gather_facts: true, ...(subset ? { gather_subset: subset } : {}),
      tasks: [{ copy: { dest: file, content: '{{ {"d": ansible_distribution, "mem": ansible_memtotal_mb | default("none"), "rel": ansible_facts.distribution_release} | to_json }}' } }],
    });
    writeFileSync(t.p('play.yml'), JSON.stringify([play(['!all'], out), play(undefined, out + '2')]));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let rc: number;
    try {
      rc = await main(['playbook', '-i', 'localhost,', t.p('play.yml')]);
    } finally {
      process.stdout.write = write;
    }
    expect(rc).toBe(0);
    const min = JSON.parse(readFileSync(out, 'utf8'));
    expect(min.d).toBeTruthy();
    expect(min.d).not.toBe('Unknown');
    expect(min.mem).toBe('none');
    // the second play gathers everything; its facts replace the first play's
    expect(JSON.parse(readFileSync(out + '2', 'utf8')).mem).toBeGreaterThan(0);
  }, 60_000);
});
