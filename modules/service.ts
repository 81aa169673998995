// ansible.builtin.service: the generic service module. drover's hosts run systemd (simulated on
// lab hosts), so like Ansible with ansible_service_mgr=systemd it is the systemd module;
// sleep/pattern/arguments/runlevel are accepted for compatibility and have no effect there.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { buildServiceResult, normaliseServiceArgs, parseServiceOutput, serviceScript } from './lib/service-systemd.js';

const service: ModuleDefinition = {
  name: 'service',
  description: 'Manage services (through systemctl)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      state: { type: 'string', enum: ['reloaded', 'restarted', 'started', 'stopped'] },
      enabled: { type: 'boolean' },
      sleep: { type: 'integer' },
      pattern: { type: 'string' },
      arguments: { type: 'string', default: '', 'x-aliases': ['args'] },
      runlevel: { type: 'string', default: 'default' },
      use: { type: 'string', default: 'auto' },
    },
    required: ['name'],
    'x-required-one-of': [['state', 'enabled']],
    additionalProperties: false,
  },
  async run(args, ctx) {
    if (args.use !== undefined && !['auto', 'systemd', 'service'].includes(String(args.use))) {
      return { changed: false, failed: true, msg: `drover's service module only drives systemd, not '${args.use}'` };
    }
    const a = normaliseServiceArgs({ name: args.name, state: args.state, enabled: args.enabled });
    const r = await ctx.run(serviceScript(a, ctx.check));
    const o = parseServiceOutput(r.stdout);
    if (r.rc !== 0 && !o.failed) return { changed: false, failed: true, rc: r.rc, msg: (r.stderr || r.stdout).trim() || `rc=${r.rc}` };
    return buildServiceResult(a, o);
  },
};

export default service;
