// Modes of the files drover writes are Ansible's (issue 17, security): on the host (copy new and
// over a 0600 file, symbolic and octal modes, template, file touch and directory, lineinfile and
// blockinfile create, tempfile) and on the controller (fetch, the retry file, the log file),
// under umask 022 and 027. Differential: the same playbook under ansible-playbook 2.14 and
// drover, each in its own directory, compared by mode (and content, except the log's).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, reportedValues, runAnsiblePlaybook, runDroverPlaybook, snapshot } from './helpers/differential.js';
import { tempDir } from './helpers.js';

const PLAY = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - copy: {content: "new\\n", dest: "{{ d }}/copy-new"}
    - copy: {content: "over\\n", dest: "{{ d }}/copy-over-0600"}
    - copy: {content: "octal\\n", dest: "{{ d }}/copy-0640", mode: "0640"}
    - copy: {content: "sym\\n", dest: "{{ d }}/copy-sym", mode: "u=rw,g=r,o="}
    - template: {src: t.j2, dest: "{{ d }}/template-new"}
    - file: {path: "{{ d }}/touched", state: touch}
    - file: {path: "{{ d }}/dir", state: directory}
    - lineinfile: {path: "{{ d }}/line", line: x, create: true}
    - blockinfile: {path: "{{ d }}/block", block: x, create: true}
    - fetch: {src: "{{ d }}/copy-0640", dest: "{{ d }}/fetched/", flat: true}
    - tempfile: {path: "{{ d }}"}
      register: tf
    - stat: {path: "{{ tf.path }}"}
      register: st
    - debug: msg="R tempfile {{ st.stat.mode | to_json }}"
    - file: {path: "{{ tf.path }}", state: absent}
    - fail: {msg: "for the retry file"}
`;

describe.skipIf(!hasAnsible)('modes of written files vs ansible-playbook 2.14', () => {
  const t = tempDir('drover-modes-');
  beforeAll(() => {
    writeFileSync(t.p('pb.yml'), PLAY);
    writeFileSync(t.p('t.j2'), '{{ 1 + 1 }}\n');
  });
  afterAll(() => t.cleanup());

  for (const umask of [0o022, 0o027]) {
    it(`umask ${umask.toString(8).padStart(4, '0')}`, () => {
      const seen: Record<string, { status: number | null; files: Record<string, string>; log: string; reported: Record<string, unknown> }> = {};
      const old = process.umask(umask);
      try {
        for (const tool of ['ansible', 'drover'] as const) {
          const d = t.p(`${tool}-${umask.toString(8)}`);
          mkdirSync(`${d}/out`, { recursive: true });
          writeFileSync(`${d}/out/copy-over-0600`, 'old\n', { mode: 0o600 });
          const o = { cwd: t.dir, args: ['-e', `d=${d}/out`], env: { ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: d, ANSIBLE_LOG_PATH: `${d}/log/run.log` } };
          mkdirSync(`${d}/log`);
          const r = tool === 'ansible' ? runAnsiblePlaybook('pb.yml', o) : runDroverPlaybook('pb.yml', o);
          seen[tool] = { status: r.status, files: { ...snapshot(`${d}/out`), retry: snapshot(d)['pb.retry'] }, log: (statSync(`${d}/log/run.log`).mode & 0o7777).toString(8), reported: reportedValues(r.stdout) };
        }
      } finally {
        process.umask(old);
      }
      const { ansible: a, drover: d } = seen;
      expect(a.status).toBe(2);
      expect(d.status).toBe(a.status);
      expect(d.files).toEqual(a.files);
      expect(d.log).toBe(a.log);
      expect(d.reported).toEqual(a.reported);
      expect(a.files['copy-over-0600']).toMatch(/^file 600 /);
    });
  }
});
