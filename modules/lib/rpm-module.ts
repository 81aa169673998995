// What dnf, yum and package share: the argument schema (Ansible's dnf/yum options) and the
// two-round-trip run: list what is installed, decide, act (or --assumeno in check mode), list again.
import type { ModuleContext, ModuleResult } from '../../engine/modules-sdk/types.js';
import { actScript, buildPkgResult, normalisePkgArgs, parseScriptOutput, planDnf, queryScript } from './rpm-dnf.js';

const strList = { type: ['array', 'string'], items: { type: 'string' } };

/** Ansible's dnf/yum argument spec (the options drover acts on, plus a few accepted and ignored). */
export function pkgSchema(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      name: { ...strList, 'x-aliases': ['pkg'] },
      state: { type: 'string', enum: ['absent', 'present', 'installed', 'latest', 'removed'] },
      enablerepo: strList,
      disablerepo: strList,
      exclude: strList,
      disable_excludes: { type: 'string' },
      update_cache: { type: 'boolean', default: false, 'x-aliases': ['expire-cache'] },
      download_only: { type: 'boolean', default: false },
      download_dir: { type: 'string' },
      allow_downgrade: { type: 'boolean', default: false },
      installroot: { type: 'string' },
      conf_file: { type: 'string' },
      disable_gpg_check: { type: 'boolean', default: false },
      releasever: { type: 'string' },
      autoremove: { type: 'boolean', default: false },
      update_only: { type: 'boolean', default: false },
      nobest: { type: 'boolean', default: false },
      skip_broken: { type: 'boolean', default: false },
      install_weak_deps: { type: 'boolean', default: true },
      cacheonly: { type: 'boolean', default: false },
      allowerasing: { type: 'boolean', default: false },
      // yum waits this long for yum's lock (yum-lock.ts); accepted and unused by dnf, as in Ansible 2.14.
      lock_timeout: { type: 'integer', default: 30 },
      // Accepted for compatibility; they change nothing here.
      validate_certs: { type: 'boolean', default: true },
      sslverify: { type: 'boolean', default: true },
      disable_plugin: strList,
      enable_plugin: strList,
      ...extra,
    },
    'x-required-one-of': [['name', 'update_cache', 'autoremove']],
    additionalProperties: false,
  };
}

/** Run a package task (dnf, yum and package all end here). */
export async function runPkg(raw: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const a = normalisePkgArgs(raw);
  if (a.autoremove && a.state !== 'absent' && a.name.length) {
    return { changed: false, failed: true, msg: 'Autoremove should be used alone or with state=absent', results: [] };
  }
  const q = await ctx.run(queryScript(a));
  const head = parseScriptOutput(q.stdout);
  if (head.failed) return { changed: false, failed: true, msg: head.failed, rc: 1, results: [] };
  if (q.rc !== 0 || !head.before) return { changed: false, failed: true, msg: (q.stderr || q.stdout).trim() || `rc=${q.rc}`, rc: q.rc, results: [] };
  const plan = planDnf(a, head.before);
  if (!plan.commands.length) {
    return { changed: false, msg: 'Nothing to do', rc: 0, results: plan.notes, changes: { installed: [], removed: [], upgraded: [], downgraded: [] } };
  }
  const r = await ctx.run(actScript(a, plan, ctx.check));
  const out = parseScriptOutput(r.stdout);
  if (r.rc !== 0 && !out.cmds.length) return { changed: false, failed: true, msg: (r.stderr || r.stdout).trim() || `rc=${r.rc}`, rc: r.rc, results: [] };
  const res = buildPkgResult(a, plan, head.before, out, ctx.check);
  if (plan.commands.every((c) => c.verb === 'makecache') && !res.failed) res.msg = 'Cache updated';
  return res;
}
