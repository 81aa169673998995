// The variables Ansible adds while rendering a template file (generate_ansible_template_vars):
// template_host, template_path, template_fullpath, template_mtime, template_uid,
// template_run_date, template_destpath and the `ansible_managed` string built from the
// DEFAULT_MANAGED_STR setting ({file}, {host}, {uid} and strftime codes, at the file's mtime).
import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { PyDatetime, strftime } from './datetime.js';

export const DEFAULT_MANAGED_STR = 'Ansible managed';

/** pwd.getpwuid(uid).pw_name, or the number when the uid has no passwd entry. */
function userName(uid: number): string {
  try {
    if (uid === userInfo().uid) return userInfo().username;
  } catch {
    // no passwd entry for the current user: fall through to /etc/passwd
  }
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
  } catch {
    // unreadable passwd: Ansible falls back to the number too
  }
  return String(uid);
}

/** str.format with the three names Ansible passes ({{ and }} are literal braces). */
function formatManaged(fmt: string, names: Record<string, string>): string {
  return fmt.replace(/\{\{|\}\}|\{(\w*)\}/g, (m, name: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    return name !== undefined && name in names ? names[name] : m;
  });
}

/**
 * The template_* variables for the template at `fullpath`, named `path` in the task (the
 * module's `src`, the lookup's term); `destPath` is the module's `dest`.
 */
export function templateVars(path: string, fullpath: string | undefined, destPath: string | undefined, managed = DEFAULT_MANAGED_STR): Record<string, unknown> {
  const file = fullpath ?? path;
  const st = statSync(file);
  const host = hostname();
  const uid = userName(st.uid);
  const mtime = new Date(st.mtimeMs);
  const mtimeDt = PyDatetime.fromDate(mtime, false);
  const managedStr = formatManaged(managed, { host, uid, file: path });
  return {
    template_host: host,
    template_path: path,
    template_mtime: mtimeDt,
    template_uid: uid,
    template_run_date: PyDatetime.fromDate(new Date(), false),
    template_destpath: destPath ? destPath : null,
    template_fullpath: fullpath ?? resolve(path),
    // time.strftime on the local mtime; PyDatetime keeps local wall-clock time in UTC fields
    ansible_managed: strftime(new Date(mtimeDt.ms), managedStr),
  };
}
