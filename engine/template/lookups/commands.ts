// Lookups that read the controller's environment or run a command on it: env, pipe and lines.
// Commands run through /bin/sh in the play's folder (the loader's basedir), stdin empty and
// stderr passed through, as ansible-core 2.14's subprocess.Popen(shell=True) calls do.
import { spawnSync } from 'node:child_process';
import { pyStr, typeName } from '../python.js';
import { Undefined, UndefinedError } from '../undefined.js';
import { resolveOptions } from './options.js';
import { PluginError, type LookupCall, type LookupPlugin } from './types.js';

function run(name: string, command: string, call: LookupCall): string {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: call.svc.basedir(call.rt), input: '', stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: 1 << 30 });
  const code = r.status ?? (r.signal ? -(({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2 } as Record<string, number>)[r.signal] ?? 1) : 1);
  if (code !== 0) throw new PluginError(`lookup_plugin.${name}(${command}) returned ${code}`);
  return r.stdout.toString('utf8');
}

const env: LookupPlugin = {
  options: { default: { type: 'raw', default: '' } },
  run(terms, call) {
    const d = resolveOptions('env', this.options!, call.kwargs).default;
    return (terms as unknown[]).map((t) => {
      if (typeof t !== 'string') throw new PluginError(`'${typeName(t)}' object has no attribute 'split'`, 'AttributeError');
      const name = t.trim().split(/\s+/)[0];
      if (!name) throw new PluginError('list index out of range', 'IndexError');
      const val = process.env[name] ?? d;
      if (val instanceof Undefined) throw new UndefinedError(`The "env" lookup, found an undefined variable: ${name}`);
      return val;
    });
  },
};

export const COMMAND_LOOKUPS: Record<string, LookupPlugin> = {
  env,
  pipe: { run: (terms, call) => (terms as unknown[]).map((t) => run('pipe', pyStr(t), call).trimEnd()) },
  lines: {
    run: (terms, call) =>
      (terms as unknown[]).flatMap((t) => {
        const lines = run('lines', pyStr(t), call).split(/\r\n|\r|\n/);
        if (lines[lines.length - 1] === '') lines.pop();
        return lines;
      }),
  },
};
