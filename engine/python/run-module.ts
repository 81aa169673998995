// Running a module file on the task's host over Ansible's module protocol
// (ActionBase._execute_module of 2.14, as the `normal` action runs it): the internal
// `_ansible_*` arguments added, the payload built for the module's style, the interpreter chosen,
// the program sent through the host's session (ctx.run: become, environment, timeout and async
// apply as to any command), and the output read back as Ansible reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSIBLE_CORE_MISSING } from '../modules-sdk/finder.js';
import { quote } from '../modules-sdk/quote.js';
import type { ModuleContext, ModuleResult } from '../modules-sdk/types.js';
import type { ModuleFileRef } from '../playbook/types.js';
import { jsonDumps } from '../template/pydump.js';
import { pyStr } from '../template/python.js';
import { pythonInterpreter, type Interpreter } from './interpreter.js';
import type { PythonSettings } from './module-definition.js';
import { buildPayload, moduleStyle, PayloadError } from './payload.js';
import { parseAsyncOutput, parseModuleOutput, withLines } from './result.js';
import type { ExecResult } from '../transport/types.js';
import { fileModuleScript, PAYLOAD_MISSING_MARK, PAYLOAD_MISSING_RC, payloadHash, pythonWrapper, shebangOf } from './wrapper.js';

/** ansible-core's version on the controller (ansible/release.py), sent as _ansible_version. */
function coreVersion(core: string | undefined): string {
  if (!core) return '2.14.0';
  try {
    return /__version__\s*=\s*['"]([^'"]+)['"]/.exec(readFileSync(join(core, 'release.py'), 'utf8'))?.[1] ?? '2.14.0';
  } catch {
    return '2.14.0';
  }
}

function varOr(ctx: ModuleContext, name: string, dflt: unknown): unknown {
  const v = ctx.vars[name];
  return v === undefined || v === null ? dflt : ctx.render(String(v));
}

/** ActionBase._update_module_args of 2.14; _ansible_tmpdir is made on the host by the new-style wrapper. */
export function internalArgs(ctx: ModuleContext, settings: PythonSettings, moduleName: string): Record<string, unknown> {
  return {
    _ansible_check_mode: ctx.check,
    _ansible_no_log: Boolean(ctx.noLog),
    _ansible_debug: false,
    _ansible_diff: ctx.diff,
    _ansible_verbosity: ctx.verbosity,
    _ansible_version: coreVersion(settings.ansibleCore),
    _ansible_module_name: moduleName,
    _ansible_syslog_facility: varOr(ctx, 'ansible_syslog_facility', 'LOG_USER'),
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_socket: ctx.vars.ansible_socket ?? null,
    _ansible_shell_executable: varOr(ctx, 'ansible_shell_executable', '/bin/sh'),
    _ansible_keep_remote_files: settings.keepRemoteFiles ?? false,
    _ansible_tmpdir: null,
    _ansible_remote_tmp: varOr(ctx, 'ansible_remote_tmp', '~/.ansible/tmp'),
  };
}

/** The command line of a non-new-style module's shebang, with ansible_<name>_interpreter applied. */
async function scriptInterpreter(ctx: ModuleContext, source: Buffer, settings: PythonSettings): Promise<{ line: string; python?: Interpreter } | undefined> {
  const sb = shebangOf(source);
  if (!sb) return undefined;
  let { interpreter, args } = sb;
  let name = interpreter.split('/').pop() ?? interpreter;
  if (name === 'env' && args.length) {
    name = args[0];
    interpreter = args[0];
    args = args.slice(1);
  }
  if (name === 'python') {
    const python = await pythonInterpreter(ctx, settings.interpreter);
    return { line: [quote(python.path), ...args].join(' '), python };
  }
  const override = ctx.vars[`ansible_${name}_interpreter`];
  const path = override === undefined || override === null ? interpreter : String(ctx.render(String(override)));
  return { line: [path, ...args].join(' ') };
}

/** The discovered interpreter's fact and warnings, as _execute_module adds them to the result. */
function addDiscovery(r: ModuleResult, python: Interpreter | undefined): ModuleResult {
  if (!python?.discovered) return r;
  r.ansible_facts = { ...(r.ansible_facts ?? {}), discovered_interpreter_python: python.path };
  if (python.discovered.warnings.length) r.warnings = [...((r.warnings as unknown[] | undefined) ?? []), ...python.discovered.warnings];
  return r;
}

export async function runModuleFile(ref: ModuleFileRef, args: Record<string, unknown>, ctx: ModuleContext, settings: PythonSettings, moduleName: string): Promise<ModuleResult> {
  let raw: Buffer;
  try {
    raw = readFileSync(ref.path);
  } catch (e) {
    return { failed: true, msg: `Could not read module ${ref.path}: ${(e as Error).message}` };
  }
  const { style, source } = moduleStyle(raw);
  const moduleArgs = { ...args, ...internalArgs(ctx, settings, moduleName) };
  const warn = (m: string) => ctx.warn?.(m);
  // an async job's output is read by async_wrapper on the host, a direct run's by the action
  const finish = (res: ExecResult, cmd: string, python: Interpreter | undefined): ModuleResult =>
    addDiscovery(ctx.asyncJob ? parseAsyncOutput(res, cmd) : withLines(parseModuleOutput(res, cmd.split(' ')[0], warn)), python);
  if (style === 'powershell') return { failed: true, msg: `module ${ref.path} is a PowerShell module: drover runs modules on POSIX hosts only` };
  if (style === 'new') {
    if (!settings.ansibleCore) return { failed: true, msg: `module ${ref.path} is a Python module that needs ansible.module_utils: ${ANSIBLE_CORE_MISSING}` };
    let built = settings.cache?.built.get(ref.path);
    if (!built) {
      try {
        const payload = buildPayload(ref, source, { moduleUtilsDirs: [...settings.moduleUtilsDirs(), ...settings.moduleUtilsPaths], ansibleCore: settings.ansibleCore, collectionRoots: settings.collectionRoots ?? [] });
        built = { payload, hash: payloadHash(payload) };
      } catch (e) {
        if (e instanceof PayloadError) return { failed: true, msg: e.message };
        throw e;
      }
      settings.cache?.built.set(ref.path, built);
    }
    const python = await pythonInterpreter(ctx, settings.interpreter);
    const params = jsonDumps({ ANSIBLE_MODULE_ARGS: moduleArgs }, { ensureAscii: true });
    // a host that has the payload (sent earlier this run) gets only the arguments; if its copy
    // is gone (another become user's home, cleaned up), the full wrapper follows
    const onHost = `${ctx.conn.host}\0${String(moduleArgs._ansible_remote_tmp)}\0${built.hash}`;
    const stub = settings.cache?.onHost.has(onHost) ?? false;
    // the host's warm worker forks the same wrapper program the interpreter would run (worker.ts)
    const worker = await settings.cache?.workers.get(ctx, python.path);
    const hash = built.hash;
    const exec = (src: string) => (worker?.alive ? worker.run(src, { env: ctx.environment, tmp: String(moduleArgs._ansible_remote_tmp), hash }, ctx.signal) : ctx.run(quote(python.path), { stdin: src }));
    let res = await exec(pythonWrapper(built.payload, params, { stub, hash }));
    if (stub && res.rc === PAYLOAD_MISSING_RC && res.stdout.includes(PAYLOAD_MISSING_MARK)) {
      res = await exec(pythonWrapper(built.payload, params, { hash }));
    }
    settings.cache?.onHost.add(onHost);
    return finish(res, python.path, python);
  }
  const interp = style === 'binary' ? undefined : await scriptInterpreter(ctx, source, settings);
  if (style !== 'binary' && !interp) return { failed: true, msg: `module (${moduleName}) is missing interpreter line` };
  let body = source;
  let argsFile: string | undefined;
  if (style === 'jsonargs') {
    body = Buffer.from(source.toString('utf8').split('<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>').join(jsonDumps(moduleArgs, { ensureAscii: true })));
  } else if (style === 'old') {
    argsFile = Object.entries(moduleArgs).map(([k, v]) => `${k}=${quote(pyStr(v))} `).join('');
  } else {
    argsFile = jsonDumps(moduleArgs, { ensureAscii: true });
  }
  const remoteTmp = String(moduleArgs._ansible_remote_tmp);
  const script = fileModuleScript(ref.name, interp?.line ?? '', argsFile, remoteTmp, Boolean(settings.keepRemoteFiles));
  const res = await ctx.run(script, { stdin: body });
  return finish(res, interp?.line ?? '', interp?.python);
}
