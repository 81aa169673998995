// Ansible's boolean conversion for keyword values (ignore_errors: "yes", run_once: "{{ x }}").

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  if (typeof v === 'number') return v === 1;
  return TRUE.has(String(v).trim().toLowerCase());
}
