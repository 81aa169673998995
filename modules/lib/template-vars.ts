// The variables ansible-core 2.14 adds while rendering a template file
// (ansible.template.generate_ansible_template_vars): template_host, template_path,
// template_mtime, template_uid, template_run_date, template_destpath, template_fullpath and
// ansible_managed. Dates are Python datetimes, which templates print with str().
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** str(datetime.datetime): "YYYY-MM-DD HH:MM:SS[.ffffff]" in local time. */
export function pyDatetime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return micros ? `${base}.${p(micros, 6)}` : base;
}

/** The user name of a uid from /etc/passwd, else the number (pwd.getpwuid's fallback). */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
  } catch {
    // no passwd file: the number, as Ansible falls back to st_uid
  }
  return String(uid);
}

/** `path` as the task gave it (src), `fullpath` the file found, `dest` the destination. */
export function templateVars(path: string, fullpath: string, dest?: string): Record<string, unknown> {
  const st = statSync(fullpath);
  const host = hostname();
  const uid = userName(st.uid);
  return {
    template_host: host,
    template_path: path,
    template_mtime: pyDatetime(st.mtimeMs),
    template_uid: uid,
    template_run_date: pyDatetime(Date.now()),
    template_destpath: dest ?? null,
    template_fullpath: resolve(fullpath),
    // DEFAULT_MANAGED_STR, 'Ansible managed', formatted with host/uid/file and strftime'd
    ansible_managed: 'Ansible managed',
  };
}
