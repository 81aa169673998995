// Test helper: render many templates with ansible-core's own Templar in one Python process
// (ansible-render.py), so template tests can compare drover with Ansible value by value.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePython } from '../inventory/ansible.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface RenderCase {
  t: string;
  v?: Record<string, unknown>;
  /** The template must fail in both, and both messages must contain this text. */
  err?: string;
}
export interface AnsibleRender {
  ok: boolean;
  type: string;
  json: string | null;
  str: string;
  err: string;
}

export const PYTHON = ansiblePython();

/** Every case rendered by Ansible, in order; throws when the runner itself fails. */
export function renderWithAnsible(cases: RenderCase[]): AnsibleRender[] {
  if (!PYTHON) throw new Error('ansible-core is not installed');
  const r = spawnSync(PYTHON, [join(HERE, 'ansible-render.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ansible-render.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as AnsibleRender[];
}
