// The template lookup: a file from the task's templates/ stack rendered with the caller's
// variables plus Ansible's template_* variables and template_vars, with its own delimiters, and
// turned into data unless convert_data=False (ansible-core 2.14's plugins/lookup/template.py).
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { NativeText } from '../compile-stmt.js';
import { PyDatetime } from '../datetime.js';
import { isMapping, mappingEntries, pyStr } from '../python.js';
import { Runtime } from '../runtime.js';
import { findInSearchPath } from './common.js';
import { resolveOptions } from './options.js';
import { PluginError, type LookupPlugin } from './types.js';

/** The owner's user name (pwd.getpwuid), else the uid as text. */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
  } catch {
    // no passwd file: fall through to the number
  }
  return String(uid);
}

/** generate_ansible_template_vars(path, fullpath): what every rendered template can see. */
export function templateVars(path: string, fullpath: string, destPath: string | null = null): Record<string, unknown> {
  const st = statSync(fullpath);
  return {
    template_host: hostname(),
    template_path: path,
    template_mtime: PyDatetime.fromDate(st.mtime, false),
    template_uid: userName(st.uid),
    template_run_date: PyDatetime.fromDate(new Date(), false),
    template_destpath: destPath,
    template_fullpath: fullpath,
    ansible_managed: 'Ansible managed',
  };
}

export const template: LookupPlugin = {
  options: {
    convert_data: { type: 'bool', default: true },
    variable_start_string: { type: 'str', default: '{{' },
    variable_end_string: { type: 'str', default: '}}' },
    jinja2_native: { type: 'bool', default: false },
    template_vars: { type: 'dict', default: {} },
    comment_start_string: { type: 'str' },
    comment_end_string: { type: 'str' },
  },
  run(terms, call) {
    const o = resolveOptions('template', this.options!, call.kwargs);
    const convert = o.convert_data as boolean;
    const tags = {
      variableStart: o.variable_start_string as string,
      variableEnd: o.variable_end_string as string,
      ...(o.comment_start_string ? { commentStart: o.comment_start_string as string } : {}),
      ...(o.comment_end_string ? { commentEnd: o.comment_end_string as string } : {}),
    };
    const { rt, svc } = call;
    return (terms as unknown[]).map((t) => {
      const term = pyStr(t);
      const path = findInSearchPath(call, 'templates', term);
      if (!path) throw new PluginError(`the template file ${term} could not be found for the lookup`);
      const overlay: Record<string, unknown> = { ...templateVars(term, path) };
      if (isMapping(o.template_vars)) for (const [k, v] of mappingEntries(o.template_vars)) overlay[pyStr(k)] = v;
      const has = (n: string) => Object.prototype.hasOwnProperty.call(overlay, n);
      const vars = Object.assign((n: string) => (has(n) ? overlay[n] : rt.vars(n)), {
        names: () => [...new Set([...(rt.vars.names?.() ?? []), ...Object.keys(overlay)])],
      });
      // {% include %} looks beside the template first, then along the task's stack
      const ctx = { ...rt.ctx, searchPaths: [dirname(path), ...svc.searchPaths(rt)] };
      const res = svc.renderText(readFileSync(path, 'utf8'), new Runtime(rt.host, vars, ctx), { tags, convert });
      // convert_data=False: text that must not become data later (Ansible's NativeJinjaText)
      if (!convert && typeof res === 'string' && (/^[[{]/.test(res) || res === 'True' || res === 'False')) return new NativeText(res);
      return res;
    });
  },
};
