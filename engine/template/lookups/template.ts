// The template lookup: a file from the task's templates/ stack rendered with the caller's
// variables plus Ansible's template_* variables and template_vars, with its own delimiters, and
// turned into data unless convert_data=False (ansible-core 2.14's plugins/lookup/template.py).
import { dirname } from 'node:path';
import { NativeText } from '../concat.js';
import { isMapping, mappingEntries, pyStr } from '../python.js';
import { Runtime } from '../runtime.js';
import { findInSearchPath, readLoaderText } from './common.js';
import { resolveOptions } from './options.js';
import { PluginError, type LookupPlugin } from './types.js';

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
    const native = (o.jinja2_native as boolean) && call.svc.jinja2Native;
    const env = {
      variable_start_string: o.variable_start_string,
      variable_end_string: o.variable_end_string,
      comment_start_string: o.comment_start_string,
      comment_end_string: o.comment_end_string,
    };
    const { rt, svc } = call;
    return (terms as unknown[]).map((t) => {
      const term = pyStr(t);
      const path = findInSearchPath(call, 'templates', term);
      if (!path) throw new PluginError(`the template file ${term} could not be found for the lookup`);
      const overlay: Record<string, unknown> = { ...svc.templateVars(term, path) };
      if (isMapping(o.template_vars)) for (const [k, v] of mappingEntries(o.template_vars)) overlay[pyStr(k)] = v;
      const has = (n: string) => Object.prototype.hasOwnProperty.call(overlay, n);
      const vars = Object.assign((n: string) => (has(n) ? overlay[n] : rt.vars(n)), {
        names: () => [...new Set([...(rt.vars.names?.() ?? []), ...Object.keys(overlay)])],
      });
      // {% include %} looks beside the template first, then along the task's stack
      const ctx = { ...rt.ctx, searchPaths: [dirname(path), ...svc.searchPaths(rt)] };
      const res = svc.renderText(readLoaderText(path, svc.vault), new Runtime(rt.host, vars, ctx), { env, convert, native });
      // text that must not become data later: Ansible wraps it in NativeJinjaText
      if ((svc.jinja2Native && !native) || !convert) return new NativeText(pyStr(res));
      return res;
    });
  },
};
